import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { resolveImage } from './private/image';
import { applyWaves, pullPolicy, saSubject } from './private/objects';
import { rule } from './private/rbac';
import { DefaultImages } from './versions';
import { cniKey, NodeNeedsRegistry } from '../private/node-needs';
import { checkShape, Shape } from '../validation';

/** Settings of the `OvsCni` construct. */
export interface OvsCniProps {
  /**
   * Where the ovs-cni image comes from (plugin and marker).
   * @default - `DefaultImages.OVS_CNI`
   */
  readonly image?: ImageOverride;

  /**
   * Pull policy of the DaemonSet's containers.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Annotate every object with its Argo CD sync wave (see `SyncWave`).
   * @default false
   */
  readonly argoCdSyncWaves?: boolean;
}

const NAME = 'ovs-cni-marker';
const NAMESPACE = 'kube-system';
/** How often the marker reports its bridges, in seconds (upstream's default). */
const HEALTHCHECK_INTERVAL = 60;
const BINARIES = ['ovs', 'ovs-mirror-producer', 'ovs-mirror-consumer'];

/**
 * ovs-cni v0.39: the `ovs-cni-amd64` DaemonSet in `kube-system` whose init
 * container copies the `ovs`, `ovs-mirror-producer` and
 * `ovs-mirror-consumer` plugins into every node's `/opt/cni/bin`, and whose
 * marker advertises each node's Open vSwitch bridges as node resources
 * (`ovs-cni.network.kubevirt.io/<bridge>`), with its service account and
 * RBAC. Open vSwitch itself must run on the nodes (its database socket in
 * `/var/run/openvswitch`); no part installs it.
 *
 * `ApiObject.of(ovsCni)` is the DaemonSet.
 */
export class OvsCni extends Construct {
  /** Namespace the DaemonSet runs in (`kube-system`). */
  public readonly namespace: string = NAMESPACE;
  /** The resolved ovs-cni image. */
  public readonly image: string;

  public constructor(scope: Construct, id: string, props: OvsCniProps = {}) {
    super(scope, id);
    checkShape(this, 'props', props, {
      image: Shape.optImageOverride,
      imagePullPolicy: Shape.optEnum(ImagePullPolicy, 'ImagePullPolicy'),
      argoCdSyncWaves: Shape.optBoolean,
    });
    this.image = resolveImage(this, 'image', DefaultImages.OVS_CNI, props.image).reference;
    const registry = NodeNeedsRegistry.of(this);
    for (const b of BINARIES) registry.provide(cniKey(b), this.node.path);

    const policy = pullPolicy(props.imagePullPolicy);
    const healthy: k8s.Probe = {
      exec: { command: ['sh', '-c', 'find /tmp/healthy -mmin -2 | grep -q \'/tmp/healthy\''] },
      initialDelaySeconds: HEALTHCHECK_INTERVAL,
      periodSeconds: HEALTHCHECK_INTERVAL,
    };
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata: { name: NAME, namespace: NAMESPACE } });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: 'ovs-cni-marker-cr' },
      rules: [rule([''], ['nodes', 'nodes/status'], ['get', 'update', 'patch'])],
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: 'ovs-cni-marker-crb' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ovs-cni-marker-cr' },
      subjects: [saSubject(NAME, NAMESPACE)],
    });
    new k8s.KubeDaemonSet(this, 'Resource', {
      metadata: { name: 'ovs-cni-amd64', namespace: NAMESPACE, labels: { tier: 'node', app: 'ovs-cni' } },
      spec: {
        selector: { matchLabels: { app: 'ovs-cni' } },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromString('10%') } },
        template: {
          metadata: {
            labels: { tier: 'node', app: 'ovs-cni' },
            annotations: { description: 'Installs the ovs-cni plugins and advertises the node\'s Open vSwitch bridges' },
          },
          spec: {
            serviceAccountName: NAME,
            hostNetwork: true,
            nodeSelector: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' }],
            priorityClassName: 'system-node-critical',
            initContainers: [{
              name: 'ovs-cni-plugin',
              image: this.image,
              imagePullPolicy: policy,
              command: ['/bin/sh', '-c'],
              args: [BINARIES.map(b => `cp /${b} /host/opt/cni/bin/${b}`).join(' && ')],
              securityContext: { privileged: true },
              resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('15Mi') } },
              volumeMounts: [{ name: 'cnibin', mountPath: '/host/opt/cni/bin' }],
            }],
            containers: [{
              name: 'ovs-cni-marker',
              image: this.image,
              imagePullPolicy: policy,
              securityContext: { privileged: true },
              command: ['/marker'],
              args: ['-v', '3', '-logtostderr', '-node-name', '$(NODE_NAME)', '-ovs-socket', 'unix:/host/var/run/openvswitch/db.sock',
                `-healthcheck-interval=${HEALTHCHECK_INTERVAL}`],
              volumeMounts: [{ name: 'ovs-var-run', mountPath: '/host/var/run/openvswitch' }],
              resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('10Mi') } },
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              livenessProbe: healthy,
              readinessProbe: healthy,
              terminationMessagePolicy: 'FallbackToLogsOnError',
            }],
            volumes: [
              { name: 'cnibin', hostPath: { path: '/opt/cni/bin' } },
              { name: 'ovs-var-run', hostPath: { path: '/var/run/openvswitch' } },
            ],
          },
        },
      },
    });
    if (props.argoCdSyncWaves) applyWaves(this);
  }
}
