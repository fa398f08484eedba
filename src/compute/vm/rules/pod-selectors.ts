/**
 * Rules on the label selectors a VM template carries for its own pods
 * (topology spread), checked against the labels the virt-launcher pods
 * really get: the template labels plus KubeVirt's own (see
 * `kubevirtPodLabels`). The VM object's labels never reach the pod.
 * Internal: not exported from the package index.
 */
import { k8s } from 'cdk8s-plus-33';
import { labelSelectorMatches } from '../../../private/label-selector';
import { formatPropError } from '../../../validation';
import { VmPodFacts } from '../launcher-pods';

function describeLabels(labels: { [key: string]: string }): string {
  return Object.keys(labels).sort().map(k => `${k}=${labels[k]}`).join(', ');
}

/**
 * A topology spread constraint spreads the pods its selector matches; one
 * that matches none of the VMs' own pods spreads nothing (all replicas may
 * land on one node). Messages without path (for node.addValidation).
 * @param fix how to select these VMs' pods
 */
export function spreadSelectorProblems(constraints: k8s.TopologySpreadConstraint[] | undefined, vms: VmPodFacts[], fix: string): string[] {
  const problems: string[] = [];
  (constraints ?? []).forEach((c, i) => {
    if (c.labelSelector === undefined) return;
    const missed = vms.find(vm => !labelSelectorMatches(c.labelSelector!, vm.podLabels));
    if (missed === undefined) return;
    problems.push(formatPropError(`topologySpreadConstraints[${i}].labelSelector`, JSON.stringify(c.labelSelector),
      `does not match the virt-launcher pod of VM '${missed.name}' (its labels: ${describeLabels(missed.podLabels)}), so the constraint does not spread it`,
      fix));
  });
  return problems;
}

/**
 * A pod (anti-)affinity term that selects by a label only the VM object
 * carries (its `labels`, not its `templateLabels`) matches no virt-launcher
 * pod, since the VM object's labels never reach the pod. Messages without
 * path (for node.addValidation).
 * @param objectLabels labels of the VM object (or of every VM of a fleet)
 * @param podLabels labels of one of the VMs' launcher pods
 */
export function affinitySelectorProblems(
  affinity: k8s.Affinity | undefined, objectLabels: { [key: string]: string }, podLabels: { [key: string]: string },
): string[] {
  const problems: string[] = [];
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const a = affinity?.[kind];
    const terms: Array<[string, k8s.PodAffinityTerm]> = [
      ...(a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t, i) => [`affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`, t] as [string, k8s.PodAffinityTerm]),
      ...(a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t, i) => [`affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution[${i}].podAffinityTerm`, t.podAffinityTerm] as [string, k8s.PodAffinityTerm]),
    ];
    for (const [prop, term] of terms) {
      const s = term?.labelSelector;
      if (s === undefined) continue;
      const keys = [...Object.keys(s.matchLabels ?? {}), ...(s.matchExpressions ?? []).filter(e => e.operator === 'In' || e.operator === 'Exists').map(e => e.key)];
      const objectOnly = keys.find(k => Object.prototype.hasOwnProperty.call(objectLabels, k) && !Object.prototype.hasOwnProperty.call(podLabels, k));
      if (objectOnly === undefined) continue;
      problems.push(formatPropError(`${prop}.labelSelector`, JSON.stringify(s),
        `selects by '${objectOnly}', a label of the VM object that never reaches a virt-launcher pod, so it matches none of these VMs' pods`,
        `put '${objectOnly}' in templateLabels (they reach the pod), or select a label the pods carry`));
    }
  }
  return problems;
}
