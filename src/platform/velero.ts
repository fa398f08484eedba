import { ApiObject } from 'cdk8s';
import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { PlatformPartProps } from './platform-part-props';
import { createCrd, kindSchema, open } from './private/crd';
import { resolveImage } from './private/image';
import { namespace, pullPolicy, RESTRICTED_CONTAINER, serviceAccount } from './private/objects';
import { finishPart, requirePartShape } from './private/part';
import { DefaultImages } from './versions';
import { propError, requireDns1123Label, requireDns1123Subdomain, Shape } from '../validation';

/**
 * The Secret that holds the object store's credentials, in Velero's
 * namespace. The library never writes credentials: create the Secret
 * yourself (for S3, an AWS shared credentials file under `key`).
 */
export interface VeleroCredentials {
  /** Name of the Secret in Velero's namespace. */
  readonly secretName: string;
  /**
   * Key of the Secret that holds the credentials file.
   * @default 'cloud' - the key `velero install --secret-file` writes
   */
  readonly key?: string;
}

/** Where Velero keeps its backups: an S3 or S3-compatible bucket. */
export interface VeleroBackupStorageLocationOptions {
  /** Name of the bucket (it must exist). */
  readonly bucket: string;
  /**
   * Folder in the bucket for this cluster's backups.
   * @default - the bucket's root
   */
  readonly prefix?: string;
  /**
   * Region of the bucket (`config.region`); S3-compatible stores often take
   * any value such as `minio`.
   * @default - asked of the S3 API
   */
  readonly region?: string;
  /**
   * URL of an S3-compatible store (MinIO, Ceph RGW), `config.s3Url`.
   * @default - AWS S3
   */
  readonly s3Url?: string;
  /**
   * Address buckets by path (`config.s3ForcePathStyle`), as most
   * S3-compatible stores need.
   * @default - true when `s3Url` is set
   */
  readonly s3ForcePathStyle?: boolean;
  /** The Secret with the store's credentials; never inline. */
  readonly credentials: VeleroCredentials;
}

/** Settings of the `Velero` construct. */
export interface VeleroProps extends PlatformPartProps {
  /** The default BackupStorageLocation (named `default`). */
  readonly backupStorageLocation: VeleroBackupStorageLocationOptions;
  /**
   * Namespace Velero is installed into (created by this construct).
   * @default 'velero'
   */
  readonly namespace?: string;
  /**
   * Where the Velero server (and node agent) image comes from.
   * @default - `DefaultImages.VELERO`
   */
  readonly image?: ImageOverride;
  /**
   * Pull policy of Velero's containers.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * Where the KubeVirt Velero plugin image comes from.
   * @default - `DefaultImages.KUBEVIRT_VELERO_PLUGIN`
   */
  readonly kubevirtPluginImage?: ImageOverride;
  /**
   * Where the object-store plugin (velero-plugin-for-aws) image comes from.
   * @default - `DefaultImages.VELERO_PLUGIN_FOR_AWS`
   */
  readonly objectStorePluginImage?: ImageOverride;
  /**
   * Run Velero's node agent (a DaemonSet with host paths, in a privileged
   * namespace), needed to move CSI snapshot data into the bucket
   * (`BackupSchedule`'s `snapshotMoveData`).
   * @default false
   */
  readonly nodeAgent?: boolean;
}

const NAME = 'velero';
const NODE_AGENT = 'node-agent';
const GROUP = 'velero.io';
/** Labels `velero install` puts on every object (pkg/install/resources.go:61 at v1.18.3). */
const LABELS = { component: 'velero' };
/** Where the credentials file is mounted, and the variables the plugins read it from (deployment.go:453-500). */
const CREDENTIALS_DIR = '/credentials';
const CREDENTIAL_ENV = ['GOOGLE_APPLICATION_CREDENTIALS', 'AWS_SHARED_CREDENTIALS_FILE', 'AZURE_CREDENTIALS_FILE', 'ALIBABA_CLOUD_CREDENTIALS_FILE'];

/**
 * Velero's kinds: group velero.io, all namespaced, as pkg/install.AllCRDs
 * installs them, with the fields their spec requires (config/crd at v1.18.3).
 */
const CRDS: Array<[kind: string, plural: string, version: string, required: string[], shortNames?: string[]]> = [
  ['Backup', 'backups', 'v1', []],
  ['BackupRepository', 'backuprepositories', 'v1', ['backupStorageLocation', 'maintenanceFrequency', 'volumeNamespace']],
  ['BackupStorageLocation', 'backupstoragelocations', 'v1', ['objectStorage', 'provider'], ['bsl']],
  ['DeleteBackupRequest', 'deletebackuprequests', 'v1', ['backupName']],
  ['DownloadRequest', 'downloadrequests', 'v1', ['target']],
  ['PodVolumeBackup', 'podvolumebackups', 'v1', ['backupStorageLocation', 'node', 'pod', 'repoIdentifier', 'volume']],
  ['PodVolumeRestore', 'podvolumerestores', 'v1', ['backupStorageLocation', 'pod', 'repoIdentifier', 'snapshotID', 'sourceNamespace', 'volume']],
  ['Restore', 'restores', 'v1', []],
  ['Schedule', 'schedules', 'v1', ['schedule', 'template']],
  ['ServerStatusRequest', 'serverstatusrequests', 'v1', [], ['ssr']],
  ['VolumeSnapshotLocation', 'volumesnapshotlocations', 'v1', ['provider'], ['vsl']],
  ['DataDownload', 'datadownloads', 'v2alpha1', ['backupStorageLocation', 'operationTimeout', 'snapshotID', 'sourceNamespace', 'targetVolume']],
  ['DataUpload', 'datauploads', 'v2alpha1', ['backupStorageLocation', 'operationTimeout', 'snapshotType', 'sourceNamespace', 'sourcePVC']],
];
/** Velero's pods avoid Windows nodes (pkg/install/deployment.go:377-393, daemonset.go:276-292 at v1.18.3). */
const NOT_WINDOWS: k8s.Affinity = {
  nodeAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'NotIn', values: ['windows'] }] }],
    },
  },
};

/**
 * Velero v1.18 as `velero install --provider aws --plugins <aws>,<kubevirt>
 * --features=EnableCSI` sets it up (pkg/install at v1.18.3): its namespace,
 * CRDs, service account bound to `cluster-admin`, the server Deployment with
 * the KubeVirt Velero plugin and the object-store plugin copied in by init
 * containers, the default BackupStorageLocation reading the credentials
 * from a Secret you name, and, when asked, the node agent.
 *
 * Outside the cluster Velero needs a bucket and credentials for it, in a
 * Secret you create in Velero's namespace.
 *
 * Differences from `velero install`: no Secret (you bring it, the library
 * never holds credentials); the containers drop every capability and run
 * with the default seccomp profile; the namespace enforces the baseline Pod
 * Security level unless the node agent (host paths, root) runs, where
 * upstream always uses privileged; no VolumeSnapshotLocation, since backups
 * use CSI snapshots (the method the KubeVirt plugin is tested with), which
 * need none. The CRDs carry open schemas (spec and status kept as sent),
 * not upstream's full ones.
 *
 * `ApiObject.of(velero)` is the Deployment.
 */
export class Velero extends Construct {
  /** Namespace Velero runs in. */
  public readonly namespace: string;
  /** The resolved Velero image. */
  public readonly image: string;
  /** Whether the node agent runs. */
  public readonly nodeAgent: boolean;

  public constructor(scope: Construct, id: string, props: VeleroProps) {
    super(scope, id);
    requirePartShape(this, props, {
      backupStorageLocation: Shape.struct({
        bucket: Shape.string,
        prefix: Shape.optString,
        region: Shape.optString,
        s3Url: Shape.optString,
        s3ForcePathStyle: Shape.optBoolean,
        credentials: Shape.struct({ secretName: Shape.string, key: Shape.optString }),
      }),
      namespace: Shape.optString,
      kubevirtPluginImage: Shape.optImageOverride,
      objectStorePluginImage: Shape.optImageOverride,
      nodeAgent: Shape.optBoolean,
    });
    requireOnlyKnown(this, 'backupStorageLocation', props.backupStorageLocation, ['bucket', 'prefix', 'region', 's3Url', 's3ForcePathStyle', 'credentials']);
    requireOnlyKnown(this, 'backupStorageLocation.credentials', props.backupStorageLocation.credentials, ['secretName', 'key']);
    const ns = props.namespace ?? NAME;
    requireDns1123Label(this, 'namespace', ns);
    this.namespace = ns;
    this.nodeAgent = props.nodeAgent ?? false;
    this.image = resolveImage(this, 'image', DefaultImages.VELERO, props.image).reference;
    const plugins = [
      resolveImage(this, 'objectStorePluginImage', DefaultImages.VELERO_PLUGIN_FOR_AWS, props.objectStorePluginImage).reference,
      resolveImage(this, 'kubevirtPluginImage', DefaultImages.KUBEVIRT_VELERO_PLUGIN, props.kubevirtPluginImage).reference,
    ];
    const bsl = props.backupStorageLocation;
    const config = storageConfig(this, bsl);
    requireDns1123Subdomain(this, 'backupStorageLocation.credentials.secretName', bsl.credentials.secretName);
    const key = bsl.credentials.key ?? 'cloud';
    if (!/^[-._a-zA-Z0-9]{1,253}$/.test(key)) {
      throw propError(this, 'backupStorageLocation.credentials.key', key, 'is not a Secret key (letters, digits, \'-\', \'_\' and \'.\')', 'name the key of the Secret that holds the credentials file, e.g. \'cloud\'');
    }

    // upstream labels the namespace privileged (resources.go:154); only the node agent needs that
    namespace(this, 'Namespace', ns, this.nodeAgent ? 'privileged' : 'baseline', LABELS);
    for (const [kind, plural, version, required, shortNames] of CRDS) {
      createCrd(this, `${kind}Crd`, {
        group: GROUP,
        kind,
        plural,
        singular: kind.toLowerCase(),
        listKind: `${kind}List`,
        shortNames,
        scope: 'Namespaced',
        labels: LABELS,
        versions: [{
          name: version,
          served: true,
          storage: true,
          schema: kindSchema({ spec: open({}, required.length > 0 ? { required } : {}), status: open() }),
        }],
      });
    }
    const subject = serviceAccount(this, NAME, ns, LABELS);
    // `velero install` binds its service account to cluster-admin (resources.go:126-151):
    // backing up and restoring any kind needs every verb on every resource.
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: ns === NAME ? NAME : `${NAME}-${ns}`, labels: LABELS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [subject],
    });
    new ApiObject(this, 'BackupStorageLocation', {
      apiVersion: 'velero.io/v1',
      kind: 'BackupStorageLocation',
      metadata: { name: 'default', namespace: ns, labels: LABELS },
      spec: {
        provider: 'aws',
        objectStorage: { bucket: bsl.bucket, ...(bsl.prefix ? { prefix: bsl.prefix } : {}) },
        ...(Object.keys(config).length > 0 ? { config } : {}),
        default: true,
      },
    });

    const policy = pullPolicy(props.imagePullPolicy);
    const credentialsVolume: k8s.Volume = {
      name: 'cloud-credentials',
      secret: { secretName: bsl.credentials.secretName, items: [{ key, path: 'cloud' }], defaultMode: 0o444 },
    };
    const credentialsMount: k8s.VolumeMount = { name: 'cloud-credentials', mountPath: CREDENTIALS_DIR };
    const credentialsEnv: k8s.EnvVar[] = CREDENTIAL_ENV.map(name => ({ name, value: `${CREDENTIALS_DIR}/cloud` }));
    const fieldEnv = (name: string, fieldPath: string): k8s.EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
    const scratch: k8s.Volume = { name: 'scratch', emptyDir: {} };
    const scratchMount: k8s.VolumeMount = { name: 'scratch', mountPath: '/scratch' };
    // EnableCSI: without it Velero skips its CSI actions (pkg/backup/item_backupper.go:413, docs csi.md:29)
    const features = '--features=EnableCSI';

    const deployLabels = { ...LABELS, deploy: NAME };
    const deployment = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: NAME, namespace: ns, labels: LABELS },
      spec: {
        selector: { matchLabels: { deploy: NAME } },
        template: {
          metadata: {
            labels: deployLabels,
            annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8085', 'prometheus.io/path': '/metrics' },
          },
          spec: {
            restartPolicy: 'Always',
            serviceAccountName: NAME,
            os: { name: 'linux' },
            affinity: NOT_WINDOWS,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            // `velero install --plugins` copies each plugin into /plugins with an init container (builder.ForPluginContainer)
            initContainers: plugins.map(image => ({
              name: pluginContainerName(image),
              image,
              imagePullPolicy: policy,
              volumeMounts: [{ name: 'plugins', mountPath: '/target' }],
              securityContext: RESTRICTED_CONTAINER,
            })),
            containers: [{
              name: NAME,
              image: this.image,
              imagePullPolicy: policy,
              command: ['/velero'],
              args: ['server', features],
              ports: [{ name: 'metrics', containerPort: 8085 }],
              volumeMounts: [{ name: 'plugins', mountPath: '/plugins' }, scratchMount, credentialsMount],
              env: [
                { name: 'VELERO_SCRATCH_DIR', value: '/scratch' },
                fieldEnv('VELERO_NAMESPACE', 'metadata.namespace'),
                { name: 'LD_LIBRARY_PATH', value: '/plugins' },
                ...credentialsEnv,
              ],
              securityContext: RESTRICTED_CONTAINER,
            }],
            volumes: [{ name: 'plugins', emptyDir: {} }, scratch, credentialsVolume],
          },
        },
      },
    });

    if (this.nodeAgent) {
      // pkg/install/daemonset.go:33 at v1.18.3: host pod and plugin folders, root, not privileged
      const hostToContainer = 'HostToContainer';
      const agentLabels = { ...LABELS, name: NODE_AGENT, role: NODE_AGENT };
      new k8s.KubeDaemonSet(this, 'NodeAgent', {
        metadata: { name: NODE_AGENT, namespace: ns, labels: LABELS },
        spec: {
          selector: { matchLabels: { name: NODE_AGENT } },
          template: {
            metadata: { labels: agentLabels },
            spec: {
              serviceAccountName: NAME,
              affinity: NOT_WINDOWS,
              securityContext: { runAsUser: 0 },
              volumes: [
                { name: 'host-pods', hostPath: { path: '/var/lib/kubelet/pods' } },
                { name: 'host-plugins', hostPath: { path: '/var/lib/kubelet/plugins' } },
                scratch,
                credentialsVolume,
              ],
              containers: [{
                name: NODE_AGENT,
                image: this.image,
                imagePullPolicy: policy,
                command: ['/velero'],
                args: ['node-agent', 'server', features],
                ports: [{ name: 'metrics', containerPort: 8085 }],
                securityContext: { privileged: false },
                volumeMounts: [
                  { name: 'host-pods', mountPath: '/host_pods', mountPropagation: hostToContainer },
                  { name: 'host-plugins', mountPath: '/var/lib/kubelet/plugins', mountPropagation: hostToContainer },
                  scratchMount,
                  credentialsMount,
                ],
                env: [
                  fieldEnv('NODE_NAME', 'spec.nodeName'),
                  fieldEnv('VELERO_NAMESPACE', 'metadata.namespace'),
                  { name: 'VELERO_SCRATCH_DIR', value: '/scratch' },
                  ...credentialsEnv,
                ],
              }],
            },
          },
        },
      });
    }
    finishPart(this, props, deployment);
  }
}

/**
 * Refuses fields the struct does not have: above all credentials given
 * inline, which would land in the manifests. They belong in a Secret.
 */
function requireOnlyKnown(scope: Construct, prop: string, value: object, known: string[]): void {
  const extra = Object.keys(value).filter(k => !known.includes(k)).sort();
  if (extra.length > 0) {
    throw propError(scope, `${prop}.${extra[0]}`, '(not shown)', `is not a setting of ${prop} (it takes ${known.join(', ')}); credentials are never written into the manifests`,
      'put the credentials file in a Secret in Velero\'s namespace and name it in backupStorageLocation.credentials');
  }
}

/** The `config` of an S3 BackupStorageLocation (velero-plugin-for-aws v1.14, backupstoragelocation.md). */
function storageConfig(scope: Construct, bsl: VeleroBackupStorageLocationOptions): { [key: string]: string } {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bsl.bucket)) {
    throw propError(scope, 'backupStorageLocation.bucket', bsl.bucket, 'is not an S3 bucket name (3 to 63 lower-case letters, digits, \'.\' and \'-\')',
      'give the bucket\'s name alone, without s3:// or a folder (put the folder in \'prefix\')');
  }
  if (bsl.prefix !== undefined && (bsl.prefix === '' || bsl.prefix.startsWith('/') || bsl.prefix.endsWith('/'))) {
    throw propError(scope, 'backupStorageLocation.prefix', bsl.prefix, 'must be a folder name without leading or trailing \'/\'', 'write it as \'cluster-a/backups\', or leave it out');
  }
  const config: { [key: string]: string } = {};
  if (bsl.region !== undefined) config.region = bsl.region;
  if (bsl.s3Url !== undefined) {
    if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(bsl.s3Url)) {
      throw propError(scope, 'backupStorageLocation.s3Url', bsl.s3Url, 'must be an http(s) URL', 'give the store\'s endpoint, e.g. \'https://minio.example.com:9000\'');
    }
    if (bsl.region === undefined) {
      // the AWS SDK signs with a region; upstream's plugin asks for one with s3ForcePathStyle (backupstoragelocation.md)
      throw propError(scope, 'backupStorageLocation.region', undefined, 'must be set with s3Url', 'set the store\'s region, or any name such as \'minio\' when it has none');
    }
    config.s3Url = bsl.s3Url;
  }
  const pathStyle = bsl.s3ForcePathStyle ?? (bsl.s3Url !== undefined);
  if (pathStyle) config.s3ForcePathStyle = 'true';
  return config;
}

/** An init container name from a plugin image, as `velero install` derives it: the repository path without registry and tag. */
function pluginContainerName(image: string): string {
  const noRef = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  const path = noRef.split('/').slice(1).join('/');
  return path.replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
}
