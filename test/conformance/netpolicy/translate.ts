/**
 * A small translator from synthesized MultiNetworkPolicy objects to the
 * iptables rules they imply inside each pod's network namespace, the way a
 * node agent such as multi-networkpolicy-iptables enforces them:
 *
 * - a policy applies to the pods of its namespace that its podSelector
 *   matches, and only on their interfaces attached to a network named in
 *   `k8s.v1.cni.cncf.io/policy-for`;
 * - a pod selected for a direction (policyTypes) drops every packet on those
 *   interfaces in that direction unless a rule of some selecting policy
 *   allows it; replies to allowed connections pass (conntrack);
 * - a rule allows traffic that matches one of its peers (all peers when
 *   none) and one of its ports (all when none);
 * - pod and namespace peers resolve to the addresses the matching pods have
 *   on the policy's networks; an ipBlock is its CIDR minus the excepts.
 *
 * Pods are described by a small cluster model (namespace labels, pod
 * labels, interfaces with network, name inside the pod and address).
 */

export interface ModelInterface {
  /** `namespace/name` of the NetworkAttachmentDefinition. */
  readonly network: string;
  /** Interface name inside the pod's network namespace. */
  readonly ifName: string;
  /** Address without prefix. */
  readonly ip: string;
}

export interface ModelPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: { [key: string]: string };
  readonly interfaces: ModelInterface[];
}

export interface ClusterModel {
  /** Labels of each namespace (Kubernetes adds kubernetes.io/metadata.name itself). */
  readonly namespaces: { [name: string]: { [key: string]: string } };
  readonly pods: ModelPod[];
}

const POLICY_FOR = 'k8s.v1.cni.cncf.io/policy-for';

function matches(selector: any, labels: { [key: string]: string }): boolean {
  if (selector?.matchExpressions?.length) throw new Error('matchExpressions are not translated (the constructs write matchLabels only)');
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
}

function namespaceLabels(model: ClusterModel, ns: string): { [key: string]: string } {
  return { ...(model.namespaces[ns] ?? {}), 'kubernetes.io/metadata.name': ns };
}

function policyNetworks(policy: any): string[] {
  const raw: string = policy.metadata?.annotations?.[POLICY_FOR] ?? '';
  return raw.split(',').map(s => s.trim()).filter(s => s.length > 0)
    .map(n => (n.includes('/') ? n : `${policy.metadata.namespace}/${n}`));
}

/** Source or destination address specs a peer resolves to. */
function peerAddresses(model: ClusterModel, policy: any, peer: any, networks: string[]): Array<{ cidr: string; except: string[] }> {
  if (peer.ipBlock) return [{ cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [] }];
  const out: Array<{ cidr: string; except: string[] }> = [];
  for (const pod of model.pods) {
    if (peer.namespaceSelector) {
      if (!matches(peer.namespaceSelector, namespaceLabels(model, pod.namespace))) continue;
    } else if (pod.namespace !== policy.metadata.namespace) {
      continue;
    }
    if (peer.podSelector && !matches(peer.podSelector, pod.labels)) continue;
    for (const i of pod.interfaces) {
      if (networks.includes(i.network)) out.push({ cidr: `${i.ip}/32`, except: [] });
    }
  }
  return out;
}

function portMatches(port: any): string[] {
  const proto = String(port.protocol ?? 'TCP').toLowerCase();
  if (port.port === undefined) return [`-p ${proto}`];
  if (typeof port.port !== 'number') throw new Error(`named port ${port.port} is not translated`);
  const range = port.endPort !== undefined ? `${port.port}:${port.endPort}` : `${port.port}`;
  return [`-p ${proto} -m ${proto} --dport ${range}`];
}

/**
 * The iptables-restore input (filter table) for one pod, or undefined when
 * no policy selects it. Chains: MNP-IN / MNP-OUT hold the allowed traffic
 * and end in DROP; MNP-R<n> chains handle ipBlock excepts.
 */
export function rulesForPod(model: ClusterModel, policies: any[], pod: ModelPod): string | undefined {
  const lines: string[] = [];
  const extraChains: string[] = [];
  const chains = { Ingress: 'MNP-IN', Egress: 'MNP-OUT' } as const;
  const used = { Ingress: new Set<string>(), Egress: new Set<string>() };
  const body = { Ingress: [] as string[], Egress: [] as string[] };

  for (const policy of policies) {
    if (policy.kind !== 'MultiNetworkPolicy' || policy.metadata.namespace !== pod.namespace) continue;
    if (!matches(policy.spec.podSelector, pod.labels)) continue;
    const networks = policyNetworks(policy);
    const ifaces = pod.interfaces.filter(i => networks.includes(i.network));
    if (ifaces.length === 0) continue;
    for (const direction of ['Ingress', 'Egress'] as const) {
      if (!(policy.spec.policyTypes ?? []).includes(direction)) continue;
      const rules: any[] = direction === 'Ingress' ? policy.spec.ingress ?? [] : policy.spec.egress ?? [];
      const peerKey = direction === 'Ingress' ? 'from' : 'to';
      const addrFlag = direction === 'Ingress' ? '-s' : '-d';
      const ifFlag = direction === 'Ingress' ? '-i' : '-o';
      for (const iface of ifaces) {
        used[direction].add(iface.ifName);
        for (const rule of rules) {
          const peers: any[] = rule[peerKey] ?? [];
          const addresses = peers.length === 0 ? [{ cidr: '', except: [] as string[] }] : peers.flatMap(p => peerAddresses(model, policy, p, networks));
          const ports: string[] = (rule.ports ?? []).length === 0 ? [''] : rule.ports.flatMap(portMatches);
          for (const a of addresses) {
            for (const port of ports) {
              const match = [`${ifFlag} ${iface.ifName}`, a.cidr ? `${addrFlag} ${a.cidr}` : '', port].filter(Boolean).join(' ');
              if (a.except.length === 0) {
                body[direction].push(`-A ${chains[direction]} ${match} -j ACCEPT`);
              } else {
                const chain = `MNP-R${extraChains.length}`;
                extraChains.push(chain);
                body[direction].push(`-A ${chains[direction]} ${match} -j ${chain}`);
                for (const e of a.except) lines.push(`-A ${chain} ${addrFlag} ${e} -j RETURN`);
                lines.push(`-A ${chain} -j ACCEPT`);
              }
            }
          }
        }
      }
    }
  }
  if (used.Ingress.size === 0 && used.Egress.size === 0) return undefined;

  const out: string[] = ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]'];
  for (const d of ['Ingress', 'Egress'] as const) if (used[d].size > 0) out.push(`:${chains[d]} - [0:0]`);
  for (const c of extraChains) out.push(`:${c} - [0:0]`);
  for (const ifName of [...used.Ingress].sort()) out.push(`-A INPUT -i ${ifName} -j MNP-IN`);
  for (const ifName of [...used.Egress].sort()) out.push(`-A OUTPUT -o ${ifName} -j MNP-OUT`);
  for (const d of ['Ingress', 'Egress'] as const) {
    if (used[d].size === 0) continue;
    out.push(`-A ${chains[d]} -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT`);
    out.push(...body[d]);
    out.push(`-A ${chains[d]} -j DROP`);
  }
  out.push(...lines, 'COMMIT', '');
  return out.join('\n');
}
