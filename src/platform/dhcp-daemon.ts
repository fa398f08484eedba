import { ImagePullPolicy } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ImageOverride } from './image-override';
import { PlatformPartProps } from './platform-part-props';
import { resolveImage } from './private/image';
import { pullPolicy } from './private/objects';
import { requirePartShape, finishPart, SHARED } from './private/part';
import { hostPathVolume, nodeDaemonSet, resources } from './private/workloads';
import { PlatformVersions } from './versions';
import { cniKey, DHCP_DAEMON_KEY, NodeNeedsRegistry } from '../private/node-needs';
import { propError, requireStruct, Shape } from '../validation';

/** Settings of the `DhcpDaemon` construct. */
export interface DhcpDaemonProps extends PlatformPartProps {
  /**
   * An image holding the CNI `dhcp` plugin built from containernetworking/plugins
   * `PlatformVersions.CNI_PLUGINS`, with `/bin/sh`: give `repository` and a
   * `tag` or `digest`. The project publishes release archives only, so
   * there is no default image.
   */
  readonly image: ImageOverride;

  /**
   * Path of the `dhcp` binary inside the image.
   * @default '/usr/src/github.com/containernetworking/plugins/bin/dhcp'
   */
  readonly binaryPath?: string;

  /**
   * Pull policy of the DaemonSet's containers.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
}

const NAME = 'cni-dhcp-daemon';
const NAMESPACE = 'kube-system';
const BINARY = '/usr/src/github.com/containernetworking/plugins/bin/dhcp';
/** The socket the dhcp plugin dials when its config names none (`plugins/ipam/dhcp/main.go`). */
const DHCP_SOCKET = '/run/cni/dhcp.sock';

/**
 * The CNI dhcp plugin in daemon mode on every node, which `Ipam.dhcp()`
 * networks need: the plugin only asks the daemon, over `/run/cni/dhcp.sock`,
 * to acquire and renew leases inside the pod's network namespace. A
 * privileged DaemonSet in `kube-system` on the host network and host PID
 * namespace: an init container installs the same `dhcp` binary into
 * `/opt/cni/bin` (plugin and daemon must match), the daemon removes a stale
 * socket and listens on the host's `/run/cni`. The host's `/run` is the
 * container's `/run` (so `/run/cni` and `/run/netns` are the host's, and
 * `/var/run/netns` too, `/var/run` being a link to `/run` in the image as
 * in common base images) and the host PID namespace is shared, so the
 * daemon opens the namespace paths the runtime passes
 * (`/var/run/netns/...`, `/proc/<pid>/ns/net`) as they are.
 *
 * `ApiObject.of(dhcpDaemon)` is the DaemonSet.
 */
export class DhcpDaemon extends Construct {
  /** Namespace the DaemonSet runs in (`kube-system`). */
  public readonly namespace: string = NAMESPACE;
  /** The resolved image. */
  public readonly image: string;

  public constructor(scope: Construct, id: string, props: DhcpDaemonProps) {
    super(scope, id);
    const p = requireStruct<DhcpDaemonProps>(this, 'props', props, true);
    requirePartShape(this, p, { image: SHARED, binaryPath: Shape.optString, imagePullPolicy: SHARED });
    const fix = `build containernetworking/plugins ${PlatformVersions.CNI_PLUGINS} into an image and give it, e.g. image: { repository: 'registry.example.com/cni-plugins', tag: '${PlatformVersions.CNI_PLUGINS}' }`;
    if (p.image?.repository === undefined) {
      throw propError(this, 'image.repository', undefined, 'must be given: no upstream image carries the CNI dhcp plugin', fix);
    }
    if (p.image.tag === undefined && p.image.digest === undefined) {
      throw propError(this, 'image.tag', undefined, 'or image.digest must pin the image', fix);
    }
    this.image = resolveImage(this, 'image', `${p.image.repository}:${PlatformVersions.CNI_PLUGINS}`, p.image).reference;
    const binary = p.binaryPath ?? BINARY;
    if (!binary.startsWith('/') || /\s|'|"|\$|`/.test(binary)) {
      throw propError(this, 'binaryPath', binary, 'must be an absolute path without spaces, quotes or \'$\'', `give the path of dhcp in the image, e.g. '${BINARY}'`);
    }
    const registry = NodeNeedsRegistry.of(this);
    registry.provide(cniKey('dhcp'), this.node.path);
    registry.provide(DHCP_DAEMON_KEY, this.node.path);

    const policy = pullPolicy(p.imagePullPolicy);
    nodeDaemonSet(this, {
      name: NAME,
      namespace: NAMESPACE,
      labels: { tier: 'node', app: NAME },
      selector: { name: NAME },
      podLabels: { name: NAME, tier: 'node', app: NAME },
      pod: {
        hostNetwork: true,
        hostPid: true,
        priorityClassName: 'system-node-critical',
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ operator: 'Exists' }],
        initContainers: [{
          name: 'install-dhcp',
          image: this.image,
          imagePullPolicy: policy,
          command: ['/bin/sh', '-c', `cp ${binary} /host/opt/cni/bin/.dhcp.new && mv -f /host/opt/cni/bin/.dhcp.new /host/opt/cni/bin/dhcp`],
          securityContext: { privileged: true },
          resources: resources('10m', '15Mi'),
          volumeMounts: [{ name: 'cnibin', mountPath: '/host/opt/cni/bin' }],
          terminationMessagePolicy: 'FallbackToLogsOnError',
        }],
        containers: [{
          name: 'dhcp-daemon',
          image: this.image,
          imagePullPolicy: policy,
          command: ['/bin/sh', '-c', `rm -f ${DHCP_SOCKET} && exec ${binary} daemon`],
          securityContext: { privileged: true },
          resources: resources('10m', '20Mi'),
          readinessProbe: { exec: { command: ['test', '-S', DHCP_SOCKET] }, periodSeconds: 10 },
          // the host's /run: the socket in /run/cni, and the namespaces the
          // runtime mounts later in /run/netns (also reached as /var/run/netns)
          volumeMounts: [{ name: 'host-run', mountPath: '/run', mountPropagation: 'HostToContainer' }],
          terminationMessagePolicy: 'FallbackToLogsOnError',
        }],
        volumes: [hostPathVolume('cnibin', '/opt/cni/bin'), hostPathVolume('host-run', '/run')],
      },
    });
    finishPart(this, p);
  }
}
