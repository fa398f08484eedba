import { ApiObject, Lazy, Names } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { MultiNetworkPolicyRule, MultiNetworkPolicyProps, TenantNetworkPolicyOptions, StorageNetworkPolicyOptions } from './multi-network-policy-options';
import { PolicyPeer, PolicyPeerKind, PolicyPort } from './policy-peer';
import { POLICY_FOR_ANNOTATION, PolicyTarget } from './policy-target';
import { selectorMatches, WorkloadFacts } from '../../compute/vm/launcher-pods';
import { INetworkAttachmentDefinition } from '../../network/network-attachment-definition-ref';
import { resolveNamespace } from '../../private/namespace';
import { ensureUniqueObjectNames } from '../../private/unique-object-names';
import { reportWarnings } from '../../private/warnings';
import {
  formatPropError, optionalArray, optionalString, optionalStringMap, propError, propPath, requireArray,
  requireDns1123Subdomain, requireInstance, requireInterface, requireShape, requireStruct, Shape,
} from '../../validation';

/** Facts of every VM-rendering construct in the app (duck-typed, so this area need not import compute's classes). */
function workloadsOf(root: IConstruct): WorkloadFacts[] {
  const out: WorkloadFacts[] = [];
  for (const c of root.node.findAll()) {
    const f = (c as any)._workloadFacts;
    if (typeof f === 'function') out.push(f.call(c));
  }
  return out;
}

/** The shape of a policy's `target`. */
const TARGET_RULE = Shape.optInstance(PolicyTarget, 'PolicyTarget.allPods(), vm(), fleet() or podLabels()');

/**
 * A MultiNetworkPolicy (k8s.cni.cncf.io/v1beta1): NetworkPolicy semantics
 * for secondary (Multus) networks, enforced on the nodes by an
 * implementation such as multi-networkpolicy-iptables (see
 * `MultiNetworkPolicyController`). It restricts the traffic of the target
 * VMs on the named networks only; their other networks are untouched.
 *
 * Ingress and egress are restricted only when given: `ingress: []` drops
 * every incoming connection, `ingress: [{ peers, ports }]` allows those.
 * Replies to allowed connections always pass.
 *
 * A policy for a network no VM of the app uses, or whose peers select no
 * VM of the app, is reported as a warning at synthesis. A policy whose
 * target selects a VM of the app whose interface on the networks is
 * bridge-bound, SR-IOV or its Multus default network is refused:
 * multi-networkpolicy-iptables cannot filter those (it hooks the pod's own
 * interface, which such traffic bypasses, and reads a pod's networks from
 * the networks annotation only). Target plain pods, with VMs as peers.
 *
 * `ApiObject.of(policy)` is the MultiNetworkPolicy object.
 */
export class MultiNetworkPolicy extends Construct {
  /**
   * A tenant network that accepts traffic only from the tenant's own VMs:
   * every pod of the network's namespace on that network takes incoming
   * connections from `members` (by default, the namespace's VMs) only.
   * The enforcer filters plain pods only: when the namespace has VMs of the
   * app on the network (bridge-bound or isolated), the policy is refused;
   * keep tenants apart by VLAN instead.
   */
  public static tenantNetwork(scope: Construct, id: string, options: TenantNetworkPolicyOptions): MultiNetworkPolicy {
    const o = requireStruct<TenantNetworkPolicyOptions>(`${scope.node.path}/${id}`, 'options', options);
    requireNetwork(`${scope.node.path}/${id}`, 'network', o.network);
    optionalString(`${scope.node.path}/${id}`, 'name', o.name);
    const members = o.members === undefined ? [PolicyPeer.vmsOfNamespace(o.network.namespace)]
      : requireArray<PolicyPeer>(`${scope.node.path}/${id}`, 'members', o.members,
        (m, p) => requireInstance(`${scope.node.path}/${id}`, p, m, PolicyPeer, 'PolicyPeer.vm(), fleet() or podLabels()'));
    if (members.length === 0) {
      throw propError(`${scope.node.path}/${id}`, 'members', [], 'must name at least one peer', 'leave members out to admit every VM of the tenant\'s namespace');
    }
    return new MultiNetworkPolicy(scope, id, {
      name: o.name ?? `${o.network.name}-tenant-only`,
      namespace: o.network.namespace,
      networks: [o.network],
      ingress: [{ peers: members }],
    });
  }

  /**
   * A storage network on which the VMs may reach Ceph's ports (monitors
   * 3300 and 6789, OSDs 6800-7300) and nothing else: outgoing traffic on the
   * network goes only to `ceph` on those ports, and nothing may connect to
   * the VMs on it. The enforcer filters plain pods only: aimed at VMs of the
   * app (bridge-bound), the policy is refused; guard Ceph's pods instead,
   * with the VMs as peers.
   */
  public static storageNetwork(scope: Construct, id: string, options: StorageNetworkPolicyOptions): MultiNetworkPolicy {
    const where = `${scope.node.path}/${id}`;
    const o = requireStruct<StorageNetworkPolicyOptions>(where, 'options', options);
    requireNetwork(where, 'network', o.network);
    requireShape(where, 'options', o, { name: Shape.optString, namespace: Shape.string, target: TARGET_RULE });
    const ceph = o.ceph === undefined ? [PolicyPeer.namespace(o.network.namespace)]
      : requireArray<PolicyPeer>(where, 'ceph', o.ceph, (m, p) => requireInstance(where, p, m, PolicyPeer, 'PolicyPeer.namespace() or ipBlock()'));
    if (ceph.length === 0) {
      throw propError(where, 'ceph', [], 'must name at least one peer (with none the VMs could reach nothing)', 'leave ceph out to allow the pods of the network\'s namespace');
    }
    return new MultiNetworkPolicy(scope, id, {
      name: o.name ?? `${o.network.name}-ceph-only`,
      namespace: o.namespace,
      networks: [o.network],
      target: o.target,
      ingress: [],
      egress: [{ peers: ceph, ports: PolicyPort.ceph() }],
    });
  }

  /** Name of the policy. */
  public readonly name: string;
  /** Namespace of the policy (of the pods it applies to). */
  public readonly namespace: string;
  /** The pods the policy applies to. */
  public readonly target: PolicyTarget;

  private readonly _networks: INetworkAttachmentDefinition[];
  private readonly _ingress?: MultiNetworkPolicyRule[];
  private readonly _egress?: MultiNetworkPolicyRule[];

  public constructor(scope: Construct, id: string, props: MultiNetworkPolicyProps) {
    super(scope, id);
    ensureUniqueObjectNames(this);
    const p = requireStruct<MultiNetworkPolicyProps>(this, 'props', props);
    requireShape(this, 'props', p, { name: Shape.optString, namespace: Shape.optString, target: TARGET_RULE });
    this.target = p.target ?? PolicyTarget.allPods();
    this.name = p.name ?? Names.toDnsLabel(this);
    requireDns1123Subdomain(this, 'name', this.name);
    this.namespace = resolveNamespace(this, p.namespace ?? this.target.namespace);
    if (this.target.namespace !== undefined && this.target.namespace !== this.namespace) {
      throw propError(this, 'target', this.target.description,
        `lives in namespace '${this.target.namespace}', but a policy applies to pods of its own namespace '${this.namespace}' only`,
        `create the policy in namespace '${this.target.namespace}'`);
    }

    this._networks = requireArray<INetworkAttachmentDefinition>(this, 'networks', p.networks, (n, prop) => requireNetwork(this, prop, n));
    if (this._networks.length === 0) {
      throw propError(this, 'networks', [], 'must name at least one network (without policy-for the policy applies to nothing)',
        'list the NetworkAttachmentDefinitions whose traffic the policy restricts');
    }
    const seen = new Set<string>();
    this._networks.forEach((n, i) => {
      if (seen.has(n.networkName)) throw propError(this, `networks[${i}]`, n.networkName, 'is listed twice', 'list each network once');
      seen.add(n.networkName);
    });
    if (p.ingress === undefined && p.egress === undefined) {
      throw propError(this, 'ingress', undefined, 'and \'egress\' are both unset, so the policy would restrict nothing',
        'set ingress (and/or egress) to the traffic to allow, or to [] to drop all of it');
    }
    this._ingress = p.ingress === undefined ? undefined : this.checkRules('ingress', p.ingress);
    this._egress = p.egress === undefined ? undefined : this.checkRules('egress', p.egress);
    optionalStringMap(this, 'labels', p.labels);
    optionalStringMap(this, 'annotations', p.annotations);
    const annotations = { ...(p.annotations ?? {}) };
    if (annotations[POLICY_FOR_ANNOTATION] !== undefined) {
      throw propError(this, `annotations.${POLICY_FOR_ANNOTATION}`, annotations[POLICY_FOR_ANNOTATION], 'is written from \'networks\'', 'name the networks in \'networks\' instead');
    }
    annotations[POLICY_FOR_ANNOTATION] = this._networks.map(n => n.networkName).join(',');

    new ApiObject(this, 'Resource', {
      apiVersion: 'k8s.cni.cncf.io/v1beta1',
      kind: 'MultiNetworkPolicy',
      metadata: {
        name: this.name,
        namespace: this.namespace,
        ...(p.labels && Object.keys(p.labels).length > 0 ? { labels: { ...p.labels } } : {}),
        annotations,
      },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    reportWarnings(this, () => this.warnings());
    this.node.addValidation({ validate: () => this.unfilterableTargetProblems() });
  }

  /** The networks the policy applies to (a copy). */
  public get networks(): INetworkAttachmentDefinition[] {
    return [...this._networks];
  }

  /** @internal */
  public _toKube(): any {
    const rules = (list: MultiNetworkPolicyRule[], peerKey: 'from' | 'to') => list.map(r => ({
      ...(r.ports && r.ports.length > 0 ? { ports: r.ports.map(port => port._toKube()) } : {}),
      ...(r.peers && r.peers.length > 0 ? { [peerKey]: r.peers.map(peer => peer._toKube(this.namespace)) } : {}),
    }));
    const policyTypes: string[] = [];
    if (this._ingress !== undefined) policyTypes.push('Ingress');
    if (this._egress !== undefined) policyTypes.push('Egress');
    const labels = this.target.matchLabels;
    return {
      podSelector: Object.keys(labels).length > 0 ? { matchLabels: labels } : {},
      policyTypes,
      ...(this._ingress !== undefined ? { ingress: rules(this._ingress, 'from') } : {}),
      ...(this._egress !== undefined ? { egress: rules(this._egress, 'to') } : {}),
    };
  }

  private checkRules(prop: string, rules: unknown): MultiNetworkPolicyRule[] {
    return requireArray<MultiNetworkPolicyRule>(this, prop, rules, (entry, entryProp) => {
      const r = requireStruct<MultiNetworkPolicyRule>(this, entryProp, entry as MultiNetworkPolicyRule);
      const peers = optionalArray<PolicyPeer>(this, propPath(entryProp, 'peers'), r.peers,
        (peer, pp) => requireInstance(this, pp, peer, PolicyPeer, 'PolicyPeer.vm(), fleet(), podLabels(), namespace() or ipBlock()'));
      const ports = optionalArray<PolicyPort>(this, propPath(entryProp, 'ports'), r.ports,
        (port, pp) => requireInstance(this, pp, port, PolicyPort, 'PolicyPort.tcp(), udp(), tcpRange() or allPorts()'));
      if (r.peers !== undefined && peers.length === 0) {
        throw propError(this, propPath(entryProp, 'peers'), [], 'is empty, which allows every peer (the same as leaving it out)', 'leave \'peers\' out to allow any peer, or name the peers');
      }
      if (r.ports !== undefined && ports.length === 0) {
        throw propError(this, propPath(entryProp, 'ports'), [], 'is empty, which allows every port (the same as leaving it out)', 'leave \'ports\' out to allow any port, or name the ports');
      }
    }).map(r => ({ peers: r.peers ? [...r.peers] : undefined, ports: r.ports ? [...r.ports] : undefined }));
  }

  /**
   * multi-networkpolicy-iptables cannot filter a VM interface that is
   * bridge-bound, SR-IOV or the Multus default network, so a policy whose
   * target selects such a VM changes nothing for it. Messages without path.
   */
  private unfilterableTargetProblems(): string[] {
    const networkNames = new Set(this._networks.map(n => n.networkName));
    const targetLabels = this.target.matchLabels;
    const problems: string[] = [];
    for (const w of workloadsOf(this.node.root)) {
      if (w.namespace !== this.namespace) continue;
      const vms = w.vms.filter(vm => selectorMatches(targetLabels, vm.podLabels));
      if (vms.length === 0) continue;
      const iface = w.interfaces.find(i => i.networkName !== undefined && networkNames.has(i.networkName)
        && (i.multusDefault === true || i.binding === 'bridge' || i.binding === 'sriov'));
      if (!iface) continue;
      const why = iface.multusDefault === true
        ? 'is its Multus default network, which KubeVirt declares outside the pod\'s k8s.v1.cni.cncf.io/networks annotation, the only place the enforcer looks for a pod\'s networks'
        : iface.binding === 'sriov'
          ? 'is an SR-IOV virtual function passed to the guest, whose traffic never passes the pod\'s network namespace, where the enforcer writes its rules'
          : 'is bridge-bound: KubeVirt enslaves the pod\'s interface to an in-pod bridge, so the guest\'s frames are bridged past the INPUT and OUTPUT rules the enforcer hooks on that interface';
      const who = vms.length === 1 ? `VM ${w.namespace}/${vms[0].name}` : `VMs ${w.namespace}/${vms[0].name} and ${vms.length - 1} more`;
      problems.push(formatPropError('target', this.target.description,
        `selects ${who}, whose interface '${iface.name}' on ${iface.networkName} ${why}: multi-networkpolicy-iptables cannot filter it, so the policy would change nothing for ${vms.length === 1 ? 'it' : 'them'}`,
        'separate VMs by network instead (a VLAN or bridge of their own, which the library keeps to one namespace unless shared), filter inside the guest, '
        + 'or target the plain pods at the other end (such as Ceph\'s pods on a storage network) and name the VMs as peers; a target that selects no such VM is accepted'));
    }
    return problems;
  }

  private warnings(): string[] {
    const workloads = workloadsOf(this.node.root);
    const warnings: string[] = [];
    const networkNames = new Set(this._networks.map(n => n.networkName));
    const used = new Set<string>();
    for (const w of workloads) w.networkNames.forEach(n => used.add(n));
    for (const n of this._networks) {
      if (!used.has(n.networkName)) warnings.push(`network '${n.networkName}' is used by no VM in the app, so this policy guards nothing on it`);
    }
    const onNetworks = workloads.filter(w => w.networkNames.some(n => networkNames.has(n)));
    // no warning for a target that selects no VM: a VM target the enforcer can filter is rare (see
    // unfilterableTargetProblems), and plain pods such as Ceph's are the usual target
    const rules = [...(this._ingress ?? []), ...(this._egress ?? [])];
    for (const rule of rules) {
      for (const peer of rule.peers ?? []) {
        const labels = peer._podLabels();
        if (peer.kind !== PolicyPeerKind.PODS || labels === undefined) continue;
        const ns = peer.peerNamespace ?? this.namespace;
        const matches = onNetworks.some(w => w.namespace === ns && w.vms.some(vm => selectorMatches(labels, vm.podLabels)));
        if (!matches) warnings.push(`peer (${peer.description}) matches no VM of namespace '${ns}' on ${[...networkNames].join(', ')}`);
      }
    }
    return warnings;
  }
}

function requireNetwork(scope: IConstruct | string, prop: string, value: unknown): asserts value is INetworkAttachmentDefinition {
  requireInterface<INetworkAttachmentDefinition>(scope, prop, value, 'INetworkAttachmentDefinition', ['name', 'namespace', 'networkName'],
    'pass a NetworkAttachmentDefinition, a StorageNetwork, or NetworkAttachmentDefinition.fromNetworkName()');
}
