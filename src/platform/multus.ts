import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { PlatformPartProps } from './platform-part-props';
import { createCrd, kindSchema, open, STRING } from './private/crd';
import { resolveImage } from './private/image';
import { pullPolicy, saSubject } from './private/objects';
import { requirePartShape, finishPart } from './private/part';
import { grant, rule } from './private/rbac';
import { daemonSetSpec, fieldEnv, hostPathVolume, resources } from './private/workloads';
import { DefaultImages } from './versions';
import { propError, Shape } from '../validation';

/** Settings of the `Multus` construct. */
export interface MultusProps extends PlatformPartProps {
  /**
   * Where the Multus thick-plugin image comes from.
   * @default - `DefaultImages.MULTUS`
   */
  readonly image?: ImageOverride;

  /**
   * Pull policy of the DaemonSet's containers.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Log level of the Multus daemon (`logLevel` in its daemon config):
   * `debug`, `error`, `panic` or `verbose`.
   * @default 'verbose'
   */
  readonly logLevel?: string;
}

const NAME = 'multus';
const NAMESPACE = 'kube-system';
const LOG_LEVELS = ['debug', 'error', 'panic', 'verbose'];

/**
 * Multus CNI v4.3 as the thick plugin: the NetworkAttachmentDefinition CRD,
 * RBAC, the daemon's ConfigMap and the `kube-multus-ds` DaemonSet in
 * `kube-system`. The DaemonSet is privileged and uses the host network, as
 * upstream's, because it installs a CNI binary and configures pod networks on
 * every node.
 *
 * `ApiObject.of(multus)` is the DaemonSet.
 */
export class Multus extends Construct {
  /** Namespace the daemon runs in (`kube-system`). */
  public readonly namespace: string = NAMESPACE;
  /** The resolved Multus image. */
  public readonly image: string;
  /** The NetworkAttachmentDefinition CRD. */
  public readonly crd: k8s.KubeCustomResourceDefinition;

  private readonly props: MultusProps;

  public constructor(scope: Construct, id: string, props: MultusProps = {}) {
    super(scope, id);
    requirePartShape(this, props, { logLevel: Shape.optString });
    this.props = props;
    this.image = resolveImage(this, 'image', DefaultImages.MULTUS, props.image).reference;
    if (props.logLevel !== undefined && !LOG_LEVELS.includes(props.logLevel)) {
      throw propError(this, 'logLevel', props.logLevel, `must be one of ${LOG_LEVELS.join(', ')}`, 'pick one of those levels');
    }
    this.crd = createCrd(this, 'Crd', {
      group: 'k8s.cni.cncf.io',
      plural: 'network-attachment-definitions',
      singular: 'network-attachment-definition',
      kind: 'NetworkAttachmentDefinition',
      shortNames: ['nad', 'net-attach-def'],
      scope: 'Namespaced',
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: kindSchema({ spec: open({ config: STRING }) }),
      }],
    });
    grant(this, {
      name: NAME,
      subject: saSubject(NAME, NAMESPACE),
      rules: [
        rule(['k8s.cni.cncf.io'], ['*'], ['*']),
        rule([''], ['pods', 'pods/status'], ['get', 'list', 'update', 'watch']),
        rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      ],
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: NAME, namespace: NAMESPACE } });
    new k8s.KubeConfigMap(this, 'DaemonConfig', {
      metadata: { name: 'multus-daemon-config', namespace: NAMESPACE, labels: { app: NAME, tier: 'node' } },
      data: { 'daemon-config.json': this.daemonConfig() },
    });
    new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name: 'kube-multus-ds', namespace: NAMESPACE, labels: { app: NAME, tier: 'node' } },
      spec: this.daemonSetSpec(),
    });
    finishPart(this, props);
  }

  private daemonConfig(): string {
    const config = {
      chrootDir: '/hostroot',
      cniVersion: '0.3.1',
      logLevel: this.props.logLevel ?? 'verbose',
      logToStderr: true,
      cniConfigDir: '/host/etc/cni/net.d',
      multusAutoconfigDir: '/host/etc/cni/net.d',
      multusConfigFile: 'auto',
      socketDir: '/host/run/multus/',
    };
    return JSON.stringify(config, undefined, 2);
  }

  private daemonSetSpec(): k8s.DaemonSetSpec {
    const labels = { name: NAME };
    const policy = pullPolicy(this.props.imagePullPolicy);
    const host = hostPathVolume;
    return daemonSetSpec({
      selector: labels,
      podLabels: { ...labels, tier: 'node', app: NAME },
      pod: {
        hostNetwork: true,
        hostPid: true,
        serviceAccountName: NAME,
        terminationGracePeriodSeconds: 10,
        tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }, { operator: 'Exists', effect: 'NoExecute' }],
        initContainers: [{
          name: 'install-multus-binary',
          image: this.image,
          imagePullPolicy: policy,
          command: ['/usr/src/multus-cni/bin/install_multus', '-d', '/host/opt/cni/bin', '-t', 'thick'],
          resources: resources('10m', '15Mi'),
          securityContext: { privileged: true },
          terminationMessagePolicy: 'FallbackToLogsOnError',
          volumeMounts: [{ name: 'cnibin', mountPath: '/host/opt/cni/bin', mountPropagation: 'Bidirectional' }],
        }],
        containers: [{
          name: 'kube-multus',
          image: this.image,
          imagePullPolicy: policy,
          command: ['/usr/src/multus-cni/bin/multus-daemon'],
          env: [fieldEnv('MULTUS_NODE_NAME', 'spec.nodeName')],
          resources: resources('100m', '50Mi', { cpu: '100m', memory: '50Mi' }),
          securityContext: { privileged: true },
          terminationMessagePolicy: 'FallbackToLogsOnError',
          volumeMounts: [
            { name: 'cni', mountPath: '/host/etc/cni/net.d' },
            // The daemon runs the delegate plugins from its own /opt/cni/bin
            // (its default binDir), so the host's plugins must appear there.
            { name: 'cnibin', mountPath: '/opt/cni/bin' },
            { name: 'host-run', mountPath: '/host/run' },
            { name: 'host-var-lib-cni-multus', mountPath: '/var/lib/cni/multus' },
            { name: 'host-var-lib-kubelet', mountPath: '/var/lib/kubelet', mountPropagation: 'HostToContainer' },
            { name: 'host-run-k8s-cni-cncf-io', mountPath: '/run/k8s.cni.cncf.io' },
            { name: 'host-run-netns', mountPath: '/run/netns', mountPropagation: 'HostToContainer' },
            { name: 'multus-daemon-config', mountPath: '/etc/cni/net.d/multus.d', readOnly: true },
            { name: 'hostroot', mountPath: '/hostroot', mountPropagation: 'HostToContainer' },
            { name: 'multus-conf-dir', mountPath: '/etc/cni/multus/net.d' },
          ],
        }],
        volumes: [
          host('cni', '/etc/cni/net.d'),
          host('cnibin', '/opt/cni/bin'),
          host('hostroot', '/'),
          { name: 'multus-daemon-config', configMap: { name: 'multus-daemon-config', items: [{ key: 'daemon-config.json', path: 'daemon-config.json' }] } },
          host('host-run', '/run'),
          host('host-var-lib-cni-multus', '/var/lib/cni/multus'),
          host('host-var-lib-kubelet', '/var/lib/kubelet'),
          host('host-run-k8s-cni-cncf-io', '/run/k8s.cni.cncf.io'),
          host('host-run-netns', '/run/netns/'),
          host('multus-conf-dir', '/etc/cni/multus/net.d'),
        ],
      },
    });
  }
}
