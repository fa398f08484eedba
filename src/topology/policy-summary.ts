/**
 * Reads a MultiNetworkPolicy document for the topology picture: the networks
 * it is for (the `policy-for` annotation), the pods it applies to and, in a
 * few short lines, what it lets in and out. Internal; never throws on odd
 * input.
 */
import { FLEET_LABEL } from '../private/labels';

/** The annotation that names the networks a MultiNetworkPolicy applies to. */
const POLICY_FOR = 'k8s.v1.cni.cncf.io/policy-for';
/** The label every namespace carries with its own name. */
const NAMESPACE_NAME = 'kubernetes.io/metadata.name';
/** The label KubeVirt puts on the virt-launcher pod of a VM, with the VM's name. */
const VM_NAME = 'vmi.kubevirt.io/id';
/** The label KubeVirt puts on every virt-launcher pod. */
const LAUNCHER = 'kubevirt.io';

/** What the picture shows of one MultiNetworkPolicy. */
export interface PolicySummary {
  /** The `policy-for` entries, as written (`name` or `namespace/name`). */
  readonly networks: string[];
  /**
   * Label lines, facts separated by ` · `: whom the policy applies to, then
   * one `in:` / `out:` line per rule (`in: nothing` when it drops all).
   */
  readonly lines: string[];
}

const isObject = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);
const arr = (x: unknown): any[] => (Array.isArray(x) ? x : []);
const str = (x: unknown): string | undefined => (typeof x === 'string' && x.length > 0 ? x : undefined);
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `a=b & c In (d|e) & f Exists`: the labels and expressions of a label selector, all required. */
function describeLabels(selector: Record<string, any>, skip: string[] = []): string {
  const labels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  const parts = Object.keys(labels).filter(k => !skip.includes(k)).sort(byCodePoint).map(k => `${k}=${String(labels[k])}`);
  for (const e of arr(selector.matchExpressions).filter(isObject)) {
    const values = arr(e.values).map(String);
    const op = String(e.operator ?? '?');
    parts.push(values.length > 0 ? `${String(e.key)} ${op} (${values.join('|')})` : `${String(e.key)} ${op}`);
  }
  return parts.join(' & ');
}

/** The pods a pod selector picks, in the words of the library's peers: `fleet web`, `VM db`, `VMs`. */
function describePods(selector: Record<string, any>): string {
  const labels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  const plain = arr(selector.matchExpressions).length === 0;
  const keys = Object.keys(labels).filter(k => k !== LAUNCHER || labels[k] !== 'virt-launcher');
  const launcherOnly = keys.length === 0 && labels[LAUNCHER] === 'virt-launcher';
  if (plain && keys.length === 1 && keys[0] === FLEET_LABEL) return `fleet ${String(labels[FLEET_LABEL])}`;
  if (plain && keys.length === 1 && keys[0] === VM_NAME) return `VM ${String(labels[VM_NAME])}`;
  if (plain && launcherOnly) return 'VMs';
  const text = describeLabels(selector);
  return text === '' ? 'every pod' : `pods ${text}`;
}

/** One peer of a rule. */
function describePeer(peer: Record<string, any>): string {
  if (isObject(peer.ipBlock)) {
    const except = arr(peer.ipBlock.except).map(String);
    return `${str(peer.ipBlock.cidr) ?? '?'}${except.length > 0 ? ` (except ${except.join(', ')})` : ''}`;
  }
  const pods = isObject(peer.podSelector) ? describePods(peer.podSelector) : undefined;
  // a peer that names nothing the picture can read
  if (!isObject(peer.namespaceSelector)) return pods ?? '?';
  const nsLabels = isObject(peer.namespaceSelector.matchLabels) ? peer.namespaceSelector.matchLabels : {};
  const nsName = str(nsLabels[NAMESPACE_NAME]);
  const rest = describeLabels(peer.namespaceSelector, [NAMESPACE_NAME]);
  const namespaces = nsName !== undefined && rest === '' ? `namespace ${nsName}`
    : nsName === undefined && rest === '' ? 'every namespace'
      : `namespaces ${[nsName !== undefined ? `${NAMESPACE_NAME}=${nsName}` : '', rest].filter(s => s !== '').join(' & ')}`;
  return pods === undefined ? namespaces : `${pods} of ${namespaces}`;
}

/** `TCP 3300, 6789, 6800-7300`, `UDP` (every UDP port). */
function describePorts(ports: Record<string, any>[]): string {
  const byProtocol = new Map<string, string[]>();
  for (const p of ports) {
    const protocol = str(p.protocol) ?? 'TCP';
    const list = byProtocol.get(protocol) ?? [];
    if (p.port !== undefined) list.push(p.endPort !== undefined ? `${String(p.port)}-${String(p.endPort)}` : String(p.port));
    byProtocol.set(protocol, list);
  }
  return [...byProtocol.entries()].map(([protocol, list]) => (list.length > 0 ? `${protocol} ${list.join(', ')}` : `every ${protocol} port`)).join(' · ');
}

/** The lines of one direction: `in: VMs` … or `in: nothing`. */
function describeRules(word: 'in' | 'out', rules: unknown, peerKey: 'from' | 'to'): string[] {
  const list = arr(rules).filter(isObject);
  if (list.length === 0) return [`${word}: nothing`];
  return list.map(rule => {
    const peers = arr(rule[peerKey]).filter(isObject);
    const ports = arr(rule.ports).filter(isObject);
    const who = peers.length > 0 ? peers.map(describePeer).join(', ') : 'anyone';
    return ports.length > 0 ? `${word}: ${who} · ${describePorts(ports)}` : `${word}: ${who}`;
  });
}

/** Summarizes a MultiNetworkPolicy document. */
export function summarizePolicy(doc: Record<string, any>): PolicySummary {
  const annotations = isObject(doc.metadata?.annotations) ? doc.metadata.annotations : {};
  const networks = (str(annotations[POLICY_FOR]) ?? '').split(',').map(s => s.trim()).filter(s => s.length > 0);
  const spec = isObject(doc.spec) ? doc.spec : {};
  const target = isObject(spec.podSelector) ? describePods(spec.podSelector) : 'every pod';
  // Kubernetes' rule: without policyTypes, Ingress always, Egress when egress rules are given
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes.map(String)
    : ['Ingress', ...(spec.egress !== undefined ? ['Egress'] : [])];
  const lines = [`policy for ${target}`];
  if (types.includes('Ingress')) lines.push(...describeRules('in', spec.ingress, 'from'));
  if (types.includes('Egress')) lines.push(...describeRules('out', spec.egress, 'to'));
  return { networks, lines };
}
