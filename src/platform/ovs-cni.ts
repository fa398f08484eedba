import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { PlatformPartProps } from './platform-part-props';
import { resolveImage } from './private/image';
import { pullPolicy, serviceAccount } from './private/objects';
import { requirePartShape, finishPart } from './private/part';
import { grant, rule } from './private/rbac';
import { fieldEnv, hostPathVolume, nodeDaemonSet, resources } from './private/workloads';
import { DefaultImages } from './versions';
import { cniKey, NodeNeedsRegistry } from '../private/node-needs';

/** Settings of the `OvsCni` construct. */
export interface OvsCniProps extends PlatformPartProps {
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
    requirePartShape(this, props, {});
    this.image = resolveImage(this, 'image', DefaultImages.OVS_CNI, props.image).reference;
    const registry = NodeNeedsRegistry.of(this);
    for (const b of BINARIES) registry.provide(cniKey(b), this.node.path);

    const policy = pullPolicy(props.imagePullPolicy);
    const healthy: k8s.Probe = {
      exec: { command: ['sh', '-c', 'find /tmp/healthy -mmin -2 | grep -q \'/tmp/healthy\''] },
      initialDelaySeconds: HEALTHCHECK_INTERVAL,
      periodSeconds: HEALTHCHECK_INTERVAL,
    };
    grant(this, {
      name: 'ovs-cni-marker-cr',
      bindingName: 'ovs-cni-marker-crb',
      subject: serviceAccount(this, NAME, NAMESPACE),
      rules: [rule([''], ['nodes', 'nodes/status'], ['get', 'update', 'patch'])],
    });
    nodeDaemonSet(this, {
      name: 'ovs-cni-amd64',
      namespace: NAMESPACE,
      labels: { tier: 'node', app: 'ovs-cni' },
      selector: { app: 'ovs-cni' },
      tenthAtOnce: true,
      podLabels: { tier: 'node', app: 'ovs-cni' },
      podAnnotations: { description: 'Installs the ovs-cni plugins and advertises the node\'s Open vSwitch bridges' },
      pod: {
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
          resources: resources('10m', '15Mi'),
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
          resources: resources('10m', '10Mi'),
          env: [fieldEnv('NODE_NAME', 'spec.nodeName')],
          livenessProbe: healthy,
          readinessProbe: healthy,
          terminationMessagePolicy: 'FallbackToLogsOnError',
        }],
        volumes: [hostPathVolume('cnibin', '/opt/cni/bin'), hostPathVolume('ovs-var-run', '/var/run/openvswitch')],
      },
    });
    finishPart(this, props);
  }
}
