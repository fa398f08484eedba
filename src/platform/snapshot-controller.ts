import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { PlatformPartProps } from './platform-part-props';
import { BOOLEAN, closed, createCrd, INT_OR_STRING, INTEGER, kindSchema, open, STRING, STRING_MAP } from './private/crd';
import { resolveImage } from './private/image';
import { requireReplicas, pullPolicy, serviceAccount } from './private/objects';
import { requirePartShape, finishPart } from './private/part';
import { grant, READ, rule } from './private/rbac';
import { DefaultImages } from './versions';
import { INT32_MAX, requireIntegerBetween, Shape } from '../validation';

/** Settings of the `SnapshotController` construct. */
export interface SnapshotControllerProps extends PlatformPartProps {
  /**
   * Where the snapshot-controller image comes from.
   * @default - `DefaultImages.SNAPSHOT_CONTROLLER`
   */
  readonly image?: ImageOverride;

  /**
   * Pull policy of the controller container.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Replicas of the controller; one is elected leader.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Log verbosity (`--v`).
   * @default 2
   */
  readonly verbosity?: number;
}

/** A CEL rule of a CRD schema. */
function cel(expression: string, message: string): { rule: string; message: string } {
  return { rule: expression, message };
}

/** A field that cannot change once written. */
function immutable(schema: { [key: string]: any }, field: string): { [key: string]: any } {
  return { ...schema, 'x-kubernetes-validations': [cel('self == oldSelf', `${field} cannot be changed once set`)] };
}

/** A rule that a field, once set, may not be removed. */
function keptOnceSet(field: string): { rule: string; message: string } {
  return cel(`!has(oldSelf.${field}) || has(self.${field})`, `${field} cannot be removed once set`);
}

/**
 * The source of a snapshot or content: exactly one of two fields, neither
 * changed nor removed once set. Since external-snapshotter v8 these CEL rules
 * stand in for the validating webhook, and the controller does not check them
 * again. The fields come in the order of upstream's rules
 * (client/config/crd at v8.6.0), so the rules read as upstream's.
 */
function oneSource(a: string, b: string): { [key: string]: any } {
  return closed({ [a]: immutable(STRING, a), [b]: immutable(STRING, b) }, {
    'x-kubernetes-validations': [
      keptOnceSet(a),
      keptOnceSet(b),
      cel(`(has(self.${a}) && !has(self.${b})) || (!has(self.${a}) && has(self.${b}))`, `set exactly one of ${a} and ${b}`),
    ],
  });
}

const NAME = 'snapshot-controller';
const NAMESPACE = 'kube-system';
const GROUP = 'snapshot.storage.k8s.io';
const GROUP_SNAPSHOT = 'groupsnapshot.storage.k8s.io';

/**
 * The CSI snapshot controller of external-snapshotter v8.6: the
 * VolumeSnapshot, VolumeSnapshotClass and VolumeSnapshotContent CRDs, RBAC
 * (including the leader-election Role) and the `snapshot-controller`
 * Deployment in `kube-system`. CSI drivers bring their own snapshotter
 * sidecar; this controller binds snapshots to contents cluster-wide.
 *
 * `ApiObject.of(snapshotController)` is the Deployment.
 */
export class SnapshotController extends Construct {
  /** Namespace the controller runs in (`kube-system`). */
  public readonly namespace: string = NAMESPACE;
  /** The resolved snapshot-controller image. */
  public readonly image: string;

  public constructor(scope: Construct, id: string, props: SnapshotControllerProps = {}) {
    super(scope, id);
    requirePartShape(this, props, { replicas: Shape.optNumber, verbosity: Shape.optNumber });
    this.image = resolveImage(this, 'image', DefaultImages.SNAPSHOT_CONTROLLER, props.image).reference;
    const replicas = requireReplicas(this, 'replicas', props.replicas, 2);
    const verbosity = props.verbosity ?? 2;
    requireIntegerBetween(this, 'verbosity', verbosity, 0, INT32_MAX, 'int32');

    const approved = (pr: number) => ({ 'api-approved.kubernetes.io': `https://github.com/kubernetes-csi/external-snapshotter/pull/${pr}` });
    const col = (name: string, type: string, jsonPath: string): k8s.CustomResourceColumnDefinition => ({ name, type, jsonPath });
    const age = col('Age', 'date', '.metadata.creationTimestamp');
    const versions = (schema: { [key: string]: any }, status: boolean, printerColumns: k8s.CustomResourceColumnDefinition[]) => [
      { name: 'v1', served: true, storage: true, schema, statusSubresource: status, printerColumns },
      // v1beta1 is no longer served; it stays listed as upstream keeps it.
      { name: 'v1beta1', served: false, storage: false, deprecated: true, schema: kindSchema({ spec: open(), status: open() }), statusSubresource: status },
    ];
    type Schema = { [key: string]: any };
    const crd = (kind: string, shortNames: string[], crdScope: 'Namespaced' | 'Cluster', pr: number, versionList: ReturnType<typeof versions>) => {
      const singular = kind.toLowerCase();
      const plural = `${singular}${singular.endsWith('s') ? 'es' : 's'}`;
      createCrd(this, `${kind}Crd`, {
        group: GROUP, plural, singular, kind, listKind: `${kind}List`, shortNames, scope: crdScope, annotations: approved(pr), versions: versionList,
      });
    };
    const error = closed({ message: STRING, time: STRING });
    crd('VolumeSnapshot', ['vs'], 'Namespaced', 814, versions(kindSchema({
      spec: open({
        source: oneSource('volumeSnapshotContentName', 'persistentVolumeClaimName'),
        volumeSnapshotClassName: { ...STRING, 'x-kubernetes-validations': [cel('size(self) > 0', 'volumeSnapshotClassName must not be empty; leave it out to use the default class')] },
      }, { required: ['source'] }),
      status: open({ boundVolumeSnapshotContentName: STRING, creationTime: STRING, error, readyToUse: BOOLEAN, restoreSize: INT_OR_STRING }),
    }, ['spec']), true, [
      col('ReadyToUse', 'boolean', '.status.readyToUse'),
      col('SourcePVC', 'string', '.spec.source.persistentVolumeClaimName'),
      col('SourceSnapshotContent', 'string', '.spec.source.volumeSnapshotContentName'),
      col('RestoreSize', 'string', '.status.restoreSize'),
      col('SnapshotClass', 'string', '.spec.volumeSnapshotClassName'),
      col('SnapshotContent', 'string', '.status.boundVolumeSnapshotContentName'),
      col('CreationTime', 'date', '.status.creationTime'),
      age,
    ]));
    const classSchema: Schema = kindSchema({ deletionPolicy: { type: 'string', enum: ['Delete', 'Retain'] }, driver: STRING, parameters: STRING_MAP }, ['deletionPolicy', 'driver']);
    crd('VolumeSnapshotClass', ['vsclass', 'vsclasses'], 'Cluster', 814, versions(classSchema, false, [
      col('Driver', 'string', '.driver'),
      col('DeletionPolicy', 'string', '.deletionPolicy'),
      age,
    ]));
    crd('VolumeSnapshotContent', ['vsc', 'vscs'], 'Cluster', 955, versions(kindSchema({
      spec: open({
        deletionPolicy: { type: 'string', enum: ['Delete', 'Retain'] },
        driver: STRING,
        source: oneSource('volumeHandle', 'snapshotHandle'),
        sourceVolumeMode: immutable(STRING, 'sourceVolumeMode'),
        volumeSnapshotClassName: STRING,
        volumeSnapshotRef: closed(
          { apiVersion: STRING, fieldPath: STRING, kind: STRING, name: STRING, namespace: STRING, resourceVersion: STRING, uid: STRING },
          {
            'x-kubernetes-map-type': 'atomic',
            'x-kubernetes-validations': [cel('has(self.name) && has(self.__namespace__)', 'volumeSnapshotRef needs both name and namespace')],
          },
        ),
      }, {
        'required': ['deletionPolicy', 'driver', 'source', 'volumeSnapshotRef'],
        'x-kubernetes-validations': [keptOnceSet('sourceVolumeMode')],
      }),
      status: open({ creationTime: INTEGER, error, readyToUse: BOOLEAN, restoreSize: INTEGER, snapshotHandle: STRING }),
    }, ['spec']), true, [
      col('ReadyToUse', 'boolean', '.status.readyToUse'),
      col('RestoreSize', 'integer', '.status.restoreSize'),
      col('DeletionPolicy', 'string', '.spec.deletionPolicy'),
      col('Driver', 'string', '.spec.driver'),
      col('VolumeSnapshotClass', 'string', '.spec.volumeSnapshotClassName'),
      col('VolumeSnapshot', 'string', '.spec.volumeSnapshotRef.name'),
      col('VolumeSnapshotNamespace', 'string', '.spec.volumeSnapshotRef.namespace'),
      age,
    ]));

    const subject = serviceAccount(this, NAME, NAMESPACE);
    grant(this, {
      name: 'snapshot-controller-runner',
      bindingName: 'snapshot-controller-role',
      subject,
      rules: [
        rule([''], ['persistentvolumes'], READ),
        rule([''], ['persistentvolumeclaims'], [...READ, 'update']),
        rule([''], ['events'], ['list', 'watch', 'create', 'update', 'patch']),
        rule([GROUP], ['volumesnapshotclasses'], READ),
        rule([GROUP], ['volumesnapshotcontents'], ['create', 'get', 'list', 'watch', 'update', 'delete', 'patch']),
        rule([GROUP], ['volumesnapshotcontents/status'], ['patch']),
        rule([GROUP], ['volumesnapshots'], ['create', 'get', 'list', 'watch', 'update', 'patch', 'delete']),
        rule([GROUP], ['volumesnapshots/status'], ['update', 'patch']),
        rule([GROUP_SNAPSHOT], ['volumegroupsnapshotclasses'], READ),
        rule([GROUP_SNAPSHOT], ['volumegroupsnapshotcontents'], ['create', 'get', 'list', 'watch', 'update', 'delete', 'patch']),
        rule([GROUP_SNAPSHOT], ['volumegroupsnapshotcontents/status'], ['patch']),
        rule([GROUP_SNAPSHOT], ['volumegroupsnapshots'], ['get', 'list', 'watch', 'update', 'patch']),
        rule([GROUP_SNAPSHOT], ['volumegroupsnapshots/status'], ['update', 'patch']),
      ],
    });
    grant(this, {
      id: 'LeaderElectionRole',
      name: 'snapshot-controller-leaderelection',
      namespace: NAMESPACE,
      subject,
      rules: [rule(['coordination.k8s.io'], ['leases'], ['get', 'watch', 'list', 'delete', 'update', 'create'])],
    });
    const labels = { 'app.kubernetes.io/name': NAME };
    new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name: NAME, namespace: NAMESPACE, labels },
      spec: {
        replicas,
        minReadySeconds: 35,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: k8s.IntOrString.fromNumber(0), maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            containers: [{
              name: NAME,
              image: this.image,
              imagePullPolicy: pullPolicy(props.imagePullPolicy),
              args: [`--v=${verbosity}`, '--leader-election=true'],
              // Upstream sets no security context; these only take away what the controller never uses.
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
            }],
          },
        },
      },
    });
    finishPart(this, props);
  }
}
