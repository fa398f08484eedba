import { ApiObject, Lazy } from 'cdk8s';
import { ImagePullPolicy } from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import { optionalBoolean, optionalString, propError, propPath, requireStruct, Shape } from '../validation';
import { ImageOverride } from './image-override';
import { PlatformPartProps } from './platform-part-props';
import { closed, createCrd, INT_OR_STRING, kindSchema, STRING, STRING_LIST, STRING_MAP } from './private/crd';
import { resolveImage } from './private/image';
import { pullPolicy, serviceAccount } from './private/objects';
import { requirePartShape, finishPart, SHARED } from './private/part';
import { grant, READ, rule } from './private/rbac';
import { hostPathVolume, nodeDaemonSet, resources } from './private/workloads';
import { PlatformVersions } from './versions';

/** Settings of the `MultiNetworkPolicyController` construct. */
export interface MultiNetworkPolicyControllerProps extends PlatformPartProps {
  /**
   * The multi-networkpolicy-iptables image, pinned by `digest` (required).
   * Upstream publishes no release image, only the moving `:snapshot` and
   * `:latest` tags: mirror `:snapshot` as built from commit
   * `PlatformVersions.MULTI_NETWORK_POLICY_IPTABLES_COMMIT` (the one the
   * RBAC and arguments follow) and give its digest, with `repository` or
   * `registry` for the mirror. A tag alone is refused, since upstream's
   * tags move.
   * @default - none: synthesis fails without a digest
   */
  readonly image?: ImageOverride;

  /**
   * Pull policy of the DaemonSet's container.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * The node's container runtime (CRI) socket, through which the agent
   * finds each pod's network namespace: an absolute path on the node. A
   * leading `unix://` is dropped, because the agent adds the scheme and its
   * host prefix itself.
   * @default '/run/containerd/containerd.sock'
   */
  readonly containerRuntimeEndpoint?: string;

  /**
   * Let every ICMP packet through on the guarded networks (`--accept-icmp`),
   * so ping and path-MTU discovery work whatever the policies say.
   * @default false
   */
  readonly acceptIcmp?: boolean;

  /**
   * Let every ICMPv6 packet through (`--accept-icmpv6`); IPv6 neighbour
   * discovery needs it on IPv6 networks.
   * @default false
   */
  readonly acceptIcmpv6?: boolean;

  /**
   * CNI plugin types whose networks the agent guards (`--network-plugins`):
   * it skips every interface of a network whose NetworkAttachmentDefinition
   * has another type (upstream's default is only `macvlan`).
   * @default - the interface plugin (first plugin) type of every NetworkAttachmentDefinition in the app, sorted; `macvlan` when the app has none
   */
  readonly networkPlugins?: string[];
}

/** The interface plugin types of the NetworkAttachmentDefinitions of an app, read from their rendered CNI configs. */
function appNetworkPlugins(root: IConstruct): string[] {
  const types = new Set<string>();
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject) || c.kind !== 'NetworkAttachmentDefinition') continue;
    try {
      const type = JSON.parse((c.toJson() as any)?.spec?.config ?? '{}').plugins?.[0]?.type;
      if (typeof type === 'string' && type.length > 0) types.add(type);
    } catch {
      // a config that is not JSON names no plugin
    }
  }
  return [...types].sort();
}

const NAME = 'multi-networkpolicy';
/** Where upstream pushes its master builds (`:snapshot`, `:latest`). */
const UPSTREAM_REPOSITORY = 'ghcr.io/k8snetworkplumbingwg/multi-networkpolicy-iptables';
const NAMESPACE = 'kube-system';
const GROUP = 'k8s.cni.cncf.io';

const LABEL_SELECTOR = closed({
  matchLabels: STRING_MAP,
  matchExpressions: {
    type: 'array',
    items: closed({ key: STRING, operator: STRING, values: STRING_LIST }, { required: ['key', 'operator'] }),
  },
});
const PEER = closed({
  podSelector: LABEL_SELECTOR,
  namespaceSelector: LABEL_SELECTOR,
  ipBlock: closed({ cidr: STRING, except: STRING_LIST }, { required: ['cidr'] }),
});
const PORT = closed({ protocol: STRING, port: INT_OR_STRING, endPort: { type: 'integer', format: 'int32' } });
const rules = (peerKey: 'from' | 'to') => ({
  type: 'array',
  items: closed({ ports: { type: 'array', items: PORT }, [peerKey]: { type: 'array', items: PEER } }),
});

/**
 * The MultiNetworkPolicy enforcer: the `multi-networkpolicies.k8s.cni.cncf.io`
 * CRD (v1beta1, with `endPort`, as multi-networkpolicy v1.0.1 defines it),
 * RBAC and the multi-networkpolicy-iptables DaemonSet, which writes each
 * policy as iptables rules inside the network namespace of every pod (VM)
 * it selects.
 *
 * The agent only reads policies, networks, pods and namespaces and records
 * events; upstream's example grants every verb on `k8s.cni.cncf.io`, this
 * grants reading. The DaemonSet is privileged and uses the host network and
 * the host's file system, as upstream's, to enter pod network namespaces.
 * The image is built for linux/amd64 only, so the agent runs on amd64 nodes.
 * Upstream publishes no release image, so `image` must be pinned by digest;
 * the RBAC, arguments and DaemonSet follow upstream's deploy.yml at commit
 * `PlatformVersions.MULTI_NETWORK_POLICY_IPTABLES_COMMIT`.
 *
 * `ApiObject.of(controller)` is the DaemonSet.
 */
export class MultiNetworkPolicyController extends Construct {
  /** Namespace the DaemonSet runs in (`kube-system`). */
  public readonly namespace: string = NAMESPACE;
  /** The resolved image. */
  public readonly image: string;

  public constructor(scope: Construct, id: string, props: MultiNetworkPolicyControllerProps = {}) {
    super(scope, id);
    const p = requireStruct<MultiNetworkPolicyControllerProps>(this, 'props', props, true);
    requirePartShape(this, p, { argoCdSyncWaves: SHARED, networkPlugins: Shape.optArray(Shape.string) });
    (p.networkPlugins ?? []).forEach((t, i) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(t)) {
        throw propError(this, propPath('networkPlugins', i), t, 'must be a CNI plugin type (letters, digits, \'_\', \'.\', \'-\')', 'give the type as the NetworkAttachmentDefinition\'s config names it, e.g. \'bridge\'');
      }
    });
    const image = requireStruct<ImageOverride>(this, 'image', p.image, true);
    if (image.digest === undefined) {
      const fix = `mirror ${UPSTREAM_REPOSITORY}:snapshot as built from upstream commit ${PlatformVersions.MULTI_NETWORK_POLICY_IPTABLES_COMMIT} and pin it by digest, `
        + 'e.g. image: { repository: \'registry.example.com/multi-networkpolicy-iptables\', digest: \'sha256:<its digest>\' } '
        + '(multiNetworkPolicy.image in VirtualizationPlatform)';
      if (image.tag !== undefined) {
        throw propError(this, 'image.tag', image.tag, 'does not pin multi-networkpolicy-iptables: upstream tags no releases and its \':snapshot\' and \':latest\' move', fix);
      }
      throw propError(this, 'image.digest', undefined, 'must be given: multi-networkpolicy-iptables publishes no release image to default to', fix);
    }
    this.image = resolveImage(this, 'image', `${UPSTREAM_REPOSITORY}:snapshot`, image).reference;
    optionalString(this, 'containerRuntimeEndpoint', p.containerRuntimeEndpoint);
    optionalBoolean(this, 'acceptIcmp', p.acceptIcmp);
    optionalBoolean(this, 'acceptIcmpv6', p.acceptIcmpv6);
    // The agent dials unix://<host prefix><endpoint>, so the endpoint must be
    // a bare path.
    const given = p.containerRuntimeEndpoint ?? '/run/containerd/containerd.sock';
    const endpoint = given.replace(/^unix:\/\//, '');
    if (!/^\/[^\s]+$/.test(endpoint)) {
      throw propError(this, 'containerRuntimeEndpoint', given, 'must be the absolute path of the CRI socket on the node', 'give a path such as /run/containerd/containerd.sock or /run/crio/crio.sock');
    }

    createCrd(this, 'Crd', {
      group: GROUP,
      plural: 'multi-networkpolicies',
      singular: 'multi-networkpolicy',
      kind: 'MultiNetworkPolicy',
      shortNames: ['multi-policy'],
      scope: 'Namespaced',
      versions: [{
        name: 'v1beta1',
        served: true,
        storage: true,
        schema: kindSchema({
          spec: closed({
            podSelector: LABEL_SELECTOR,
            policyTypes: STRING_LIST,
            ingress: rules('from'),
            egress: rules('to'),
          }, { required: ['podSelector'] }),
        }),
      }],
    });

    grant(this, {
      name: NAME,
      subject: serviceAccount(this, NAME, NAMESPACE),
      rules: [
        rule([GROUP], ['multi-networkpolicies', 'network-attachment-definitions'], READ),
        rule([''], ['pods', 'namespaces'], READ),
        rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
      ],
    });

    const args = ['--host-prefix=/host', `--container-runtime-endpoint=${endpoint}`];
    if (p.acceptIcmp) args.push('--accept-icmp');
    if (p.acceptIcmpv6) args.push('--accept-icmpv6');
    // read at synthesis, when every network of the app exists
    const plugins = () => {
      const list = p.networkPlugins !== undefined ? [...p.networkPlugins] : appNetworkPlugins(this.node.root);
      return `--network-plugins=${(list.length > 0 ? list : ['macvlan']).join(',')}`;
    };
    const labels = { tier: 'node', app: NAME, name: NAME };
    nodeDaemonSet(this, {
      name: NAME,
      namespace: NAMESPACE,
      labels,
      selector: { name: NAME },
      podLabels: labels,
      pod: {
        hostNetwork: true,
        serviceAccountName: NAME,
        nodeSelector: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
        tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
        containers: [{
          name: NAME,
          image: this.image,
          imagePullPolicy: pullPolicy(p.imagePullPolicy),
          command: ['/usr/bin/multi-networkpolicy-iptables'],
          args: Lazy.any({ produce: () => [...args, plugins()] }) as unknown as string[],
          resources: resources('100m', '80Mi', { cpu: '100m', memory: '150Mi' }),
          securityContext: { privileged: true, capabilities: { add: ['SYS_ADMIN', 'NET_ADMIN'] } },
          volumeMounts: [{ name: 'host', mountPath: '/host' }],
        }],
        volumes: [hostPathVolume('host', '/')],
      },
    });
    finishPart(this, p);
  }
}
