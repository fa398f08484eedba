import { Protocol } from 'cdk8s-plus-33';
import { SmartCloneFleet } from '../../compute/fleet/smart-clone-fleet';
import { VMI_ID_LABEL } from '../../compute/vm/launcher-pods';
import { IVirtualMachine } from '../../compute/vm/virtual-machine-ref';
import {
  checkLabelValue, checkMetadataKey, DNS1123_LABEL_MAX, optionalArray, parseCidr, propError, propPath, requireDns1123Label, requireEnum,
  requireInterface, requireNumber, requirePort, requireString,
} from '../../validation';
import { requireFleet } from '../private/fleet';

/** The label every namespace carries with its own name (set by Kubernetes). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The label KubeVirt puts on every virt-launcher pod. */
const LAUNCHER_LABELS = { 'kubevirt.io': 'virt-launcher' };

/** Throws the library error unless `labels` is a non-empty map of valid label keys and values; returns a copy, keys sorted. */
function requireSelectorLabels(prop: string, labels: unknown): { [key: string]: string } {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    throw propError(undefined, prop, labels, 'must be an object of label keys and values', `pass '${prop}' as { key: 'value' }`);
  }
  const out: { [key: string]: string } = {};
  for (const key of Object.keys(labels).sort()) {
    const value = (labels as any)[key];
    const keyProblem = checkMetadataKey(key);
    if (keyProblem) throw propError(undefined, propPath(prop, key), key, keyProblem, 'use a valid label key such as \'app\' or \'example.org/tier\'');
    requireString(undefined, propPath(prop, key), value, 'quote the value: labels are strings');
    const valueProblem = checkLabelValue(value);
    if (valueProblem) throw propError(undefined, propPath(prop, key), value, valueProblem, 'use a valid label value');
    out[key] = value;
  }
  if (Object.keys(out).length === 0) {
    throw propError(undefined, prop, labels, 'must hold at least one label (an empty selector would select everything)', 'name the labels to select by');
  }
  return out;
}

/** Throws the library error unless `value` is a namespace name. */
function requireNamespaceName(prop: string, value: unknown): asserts value is string {
  requireDns1123Label(undefined, prop, value, DNS1123_LABEL_MAX, 'give the name of a namespace');
}

/** Which kind of peer a {@link PolicyPeer} is. */
export enum PolicyPeerKind {
  /** Pods selected by labels (VMs and fleets are pods selected by their labels). */
  PODS = 'pods',
  /** Every pod of the selected namespaces. */
  NAMESPACES = 'namespaces',
  /** A block of addresses. */
  IP_BLOCK = 'ipBlock',
}

interface PeerSpec {
  readonly kind: PolicyPeerKind;
  readonly description: string;
  readonly namespace?: string;
  readonly podLabels?: { [key: string]: string };
  readonly namespaceLabels?: { [key: string]: string };
  readonly cidr?: string;
  readonly except?: string[];
}

/**
 * A source (ingress) or destination (egress) that a MultiNetworkPolicy rule
 * allows: VMs, fleets or other pods by their labels, whole namespaces, or a
 * block of addresses. Only the addresses these peers have on the policy's
 * networks count.
 *
 * Pod peers always carry a namespace selector too: implementations differ in
 * what a bare pod selector means (the policy's namespace in Kubernetes
 * NetworkPolicy, every namespace in multi-networkpolicy-iptables), so the
 * library spells the namespace out.
 */
export class PolicyPeer {
  /** One VM: its virt-launcher pod, by KubeVirt's `vmi.kubevirt.io/id` label. */
  public static vm(vm: IVirtualMachine): PolicyPeer {
    requireInterface<IVirtualMachine>(undefined, 'vm', vm, 'IVirtualMachine', ['node', 'name', 'namespace'],
      'pass a VirtualMachine, an IsolatedVm, or VirtualMachine.fromVirtualMachineName()');
    return new PolicyPeer({
      kind: PolicyPeerKind.PODS,
      description: `VM ${vm.namespace}/${vm.name}`,
      namespace: vm.namespace,
      podLabels: { ...LAUNCHER_LABELS, [VMI_ID_LABEL]: vm.name },
    });
  }

  /**
   * Every VM of a fleet, by the fleet label `kubevirt.cdk8s.io/fleet`, which
   * the fleet puts on its VM template (so on every VM's pod).
   */
  public static fleet(fleet: SmartCloneFleet): PolicyPeer {
    const f = requireFleet('fleet', fleet);
    return new PolicyPeer({ kind: PolicyPeerKind.PODS, description: `fleet ${f.namespace}/${f.name}`, namespace: f.namespace, podLabels: f._selectPods() });
  }

  /**
   * Pods (VMs included) with all of these labels.
   * @param labels labels the pods must all carry
   * @param namespace namespace of the pods; default: the policy's
   */
  public static podLabels(labels: { [key: string]: string }, namespace?: string): PolicyPeer {
    const checked = requireSelectorLabels('labels', labels);
    if (namespace !== undefined) requireNamespaceName('namespace', namespace);
    return new PolicyPeer({ kind: PolicyPeerKind.PODS, description: `pods with labels ${JSON.stringify(checked)}`, namespace, podLabels: checked });
  }

  /**
   * Every VM (virt-launcher pod) of a namespace.
   * @param namespace the namespace; default: the policy's
   */
  public static vmsOfNamespace(namespace?: string): PolicyPeer {
    if (namespace !== undefined) requireNamespaceName('namespace', namespace);
    return new PolicyPeer({ kind: PolicyPeerKind.PODS, description: `VMs of namespace ${namespace ?? '(the policy\'s)'}`, namespace, podLabels: { ...LAUNCHER_LABELS } });
  }

  /** Every pod of a namespace (VMs and any other pod on the network). */
  public static namespace(name: string): PolicyPeer {
    requireNamespaceName('name', name);
    return new PolicyPeer({ kind: PolicyPeerKind.NAMESPACES, description: `namespace ${name}`, namespace: name });
  }

  /** Every pod of the namespaces with all of these labels. */
  public static namespaceLabels(labels: { [key: string]: string }): PolicyPeer {
    const checked = requireSelectorLabels('labels', labels);
    return new PolicyPeer({ kind: PolicyPeerKind.NAMESPACES, description: `namespaces with labels ${JSON.stringify(checked)}`, namespaceLabels: checked });
  }

  /**
   * A block of addresses, minus the `except` blocks inside it (hosts that
   * are not pods, such as an external Ceph cluster).
   * @param cidr the block, e.g. `192.168.100.0/28`
   * @param exceptBlocks blocks inside `cidr` that are not allowed (the policy's `except`)
   */
  public static ipBlock(cidr: string, exceptBlocks?: string[]): PolicyPeer {
    requireString(undefined, 'cidr', cidr);
    const block = parseCidr(cidr);
    if (!block) throw propError(undefined, 'cidr', cidr, 'must be a CIDR block such as 192.168.100.0/24', 'write the block as address/prefix');
    const excepts = optionalArray<string>(undefined, 'exceptBlocks', exceptBlocks, (e, p) => requireString(undefined, p, e));
    excepts.forEach((e, i) => {
      const inner = parseCidr(e);
      if (!inner) throw propError(undefined, `exceptBlocks[${i}]`, e, 'must be a CIDR block', 'write the block as address/prefix');
      if (inner.version !== block.version || inner.first < block.first || inner.last > block.last) {
        throw propError(undefined, `exceptBlocks[${i}]`, e, `must lie inside ${cidr}`, `list only blocks inside ${cidr}`);
      }
    });
    return new PolicyPeer({ kind: PolicyPeerKind.IP_BLOCK, description: `addresses ${cidr}`, cidr, except: excepts });
  }

  /** What kind of peer this is. */
  public readonly kind: PolicyPeerKind;
  /**
   * Namespace of pod peers, or the one namespace of a namespace peer.
   * @default - the policy's namespace for pod peers; any namespace otherwise
   */
  public readonly peerNamespace?: string;
  /** Short description, for messages. */
  public readonly description: string;
  /**
   * The block of an address peer.
   * @default - not an address peer
   */
  public readonly cidr?: string;

  private readonly spec: PeerSpec;

  private constructor(spec: PeerSpec) {
    this.spec = spec;
    this.kind = spec.kind;
    this.peerNamespace = spec.namespace;
    this.description = spec.description;
    this.cidr = spec.cidr;
  }

  /** Pod labels of a pods peer (a copy). @internal */
  public _podLabels(): { [key: string]: string } | undefined {
    return this.spec.podLabels ? { ...this.spec.podLabels } : undefined;
  }

  /** Blocks excluded from an address peer (a copy). @internal */
  public _except(): string[] {
    return [...(this.spec.except ?? [])];
  }

  /** The `from`/`to` entry, given the policy's namespace. @internal */
  public _toKube(policyNamespace: string): any {
    const s = this.spec;
    if (s.kind === PolicyPeerKind.IP_BLOCK) {
      return { ipBlock: { cidr: s.cidr, ...(s.except && s.except.length > 0 ? { except: [...s.except] } : {}) } };
    }
    if (s.kind === PolicyPeerKind.NAMESPACES) {
      return { namespaceSelector: { matchLabels: s.namespaceLabels ? { ...s.namespaceLabels } : { [NAMESPACE_NAME_LABEL]: s.namespace! } } };
    }
    return {
      podSelector: { matchLabels: { ...s.podLabels } },
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: s.namespace ?? policyNamespace } },
    };
  }
}

/**
 * A port (or range of ports) a MultiNetworkPolicy rule allows, with its
 * protocol.
 */
export class PolicyPort {
  /** One TCP port. */
  public static tcp(port: number): PolicyPort {
    return PolicyPort.of(Protocol.TCP, port, undefined);
  }

  /** One UDP port. */
  public static udp(port: number): PolicyPort {
    return PolicyPort.of(Protocol.UDP, port, undefined);
  }

  /** One SCTP port. */
  public static sctp(port: number): PolicyPort {
    return PolicyPort.of(Protocol.SCTP, port, undefined);
  }

  /** The TCP ports `first` to `last`, both included (`endPort`). */
  public static tcpRange(first: number, last: number): PolicyPort {
    requireNumber(undefined, 'last', last);
    return PolicyPort.of(Protocol.TCP, first, last);
  }

  /** The UDP ports `first` to `last`, both included (`endPort`). */
  public static udpRange(first: number, last: number): PolicyPort {
    requireNumber(undefined, 'last', last);
    return PolicyPort.of(Protocol.UDP, first, last);
  }

  /** Ceph's ports: the monitors (msgr2 3300, msgr1 6789) and the OSDs (6800-7300), all TCP. */
  public static ceph(): PolicyPort[] {
    return [PolicyPort.tcp(3300), PolicyPort.tcp(6789), PolicyPort.tcpRange(6800, 7300)];
  }

  /** Every port of a protocol. */
  public static allPorts(protocol: Protocol): PolicyPort {
    requireEnum(undefined, 'protocol', protocol, Protocol as any, 'Protocol');
    return new PolicyPort(protocol, undefined, undefined);
  }

  private static of(protocol: Protocol, port: number, endPort: number | undefined): PolicyPort {
    requirePort(undefined, endPort === undefined ? 'port' : 'first', port);
    if (endPort !== undefined) {
      requirePort(undefined, 'last', endPort);
      if (endPort < port) {
        throw propError(undefined, 'last', endPort, `must be at least the first port ${port}`, 'give the range as (first, last) with first <= last');
      }
    }
    return new PolicyPort(protocol, port, endPort === port ? undefined : endPort);
  }

  /** The protocol. */
  public readonly protocol: Protocol;
  /**
   * The port, or the first port of a range.
   * @default - every port of the protocol
   */
  public readonly port?: number;
  /**
   * The last port of a range.
   * @default - a single port
   */
  public readonly endPort?: number;

  private constructor(protocol: Protocol, port: number | undefined, endPort: number | undefined) {
    this.protocol = protocol;
    this.port = port;
    this.endPort = endPort;
  }

  /** The `ports[]` entry. @internal */
  public _toKube(): any {
    return {
      protocol: this.protocol,
      ...(this.port !== undefined ? { port: this.port } : {}),
      ...(this.endPort !== undefined ? { endPort: this.endPort } : {}),
    };
  }
}
