/**
 * Day-2 objects in the topology model: KubeVirt v1.9.0's VM snapshots and
 * restores (snapshot.kubevirt.io/v1beta1), clones (clone.kubevirt.io/v1beta1),
 * exports (export.kubevirt.io/v1beta1), templates (template.kubevirt.io/v1beta1)
 * and Velero backup Schedules (velero.io/v1), each drawn beside the VMs it
 * acts on. Read from the documents like the rest of the picture.
 */
import { arr, byCodePoint, isObject, obj, str } from './manifest-reading';
import { TopologyNodeKind } from './topology-types';
import { labelSelectorMatches } from '../private/label-selector';
import { TEMPLATE_SOURCE_ANNOTATION } from '../private/labels';

/** What the day-2 pass needs of the model builder. */
export interface DayTwoBuilder {
  /** The node key of a node, created with `details` when new. */
  node(kind: TopologyNodeKind, namespace: string | undefined, name: string, details: string[], external?: boolean): string;
  edge(from: string, to: string, text: string): void;
  /** The group node (VM, fleet or pool) of a VM defined in the manifests. */
  vmGroup(namespace: string, name: string): string | undefined;
  /** Every VM group with its namespace and the labels its VMs carry. */
  vmGroups(): Array<{ key: string; namespace: string; labels: Record<string, string> }>;
  /** A defined (or external) volume node. */
  volume(namespace: string, name: string): string;
  ns(doc: any): string;
}

/** Documents of one API group and kind. */
export type DocsOf = (apiGroup: string, kind: string) => any[];

/** Adds the day-2 objects of the documents to the model. */
export function addDayTwo(by: DocsOf, b: DayTwoBuilder): void {
  const vm = (namespace: string, name: string): string =>
    b.vmGroup(namespace, name) ?? b.node(TopologyNodeKind.VIRTUAL_MACHINE, namespace, name, ['VirtualMachine not in these manifests'], true);
  const snapshot = (namespace: string, name: string): string =>
    b.node(TopologyNodeKind.VM_SNAPSHOT, namespace, name, ['VirtualMachineSnapshot not in these manifests'], true);

  for (const d of by('snapshot.kubevirt.io', 'VirtualMachineSnapshot')) {
    b.node(TopologyNodeKind.VM_SNAPSHOT, b.ns(d), d.metadata.name, ['VirtualMachineSnapshot']);
  }
  for (const d of by('snapshot.kubevirt.io', 'VirtualMachineSnapshot')) {
    const source = obj(obj(d.spec).source);
    const name = str(source.name);
    if (name !== undefined && (source.kind ?? 'VirtualMachine') === 'VirtualMachine') {
      b.edge(vm(b.ns(d), name), snapshot(b.ns(d), d.metadata.name), 'snapshot');
    }
  }
  for (const d of by('snapshot.kubevirt.io', 'VirtualMachineRestore')) {
    const spec = obj(d.spec);
    const restore = b.node(TopologyNodeKind.VM_RESTORE, b.ns(d), d.metadata.name, ['VirtualMachineRestore']);
    const from = str(spec.virtualMachineSnapshotName);
    if (from !== undefined) b.edge(snapshot(b.ns(d), from), restore, 'restore');
    const target = obj(spec.target);
    if (str(target.name) !== undefined && (target.kind ?? 'VirtualMachine') === 'VirtualMachine') b.edge(restore, vm(b.ns(d), target.name), 'into');
  }
  for (const d of by('clone.kubevirt.io', 'VirtualMachineClone')) {
    const spec = obj(d.spec);
    const target = obj(spec.target);
    const details = ['VirtualMachineClone', str(target.name) !== undefined ? `new VM ${target.name}` : 'new VM, name generated'];
    const clone = b.node(TopologyNodeKind.VM_CLONE, b.ns(d), d.metadata.name, details);
    const source = obj(spec.source);
    if (str(source.name) !== undefined) {
      const from = source.kind === 'VirtualMachineSnapshot' ? snapshot(b.ns(d), source.name) : vm(b.ns(d), source.name);
      b.edge(from, clone, 'clone');
    }
    const made = str(target.name) !== undefined ? b.vmGroup(b.ns(d), target.name) : undefined;
    if (made !== undefined) b.edge(clone, made, 'creates');
  }
  for (const d of by('export.kubevirt.io', 'VirtualMachineExport')) {
    const spec = obj(d.spec);
    const token = str(obj(spec.tokenSecretRef).name ?? spec.tokenSecretRef);
    const details = ['VirtualMachineExport', ...(token !== undefined ? [`token Secret ${token}`] : [])];
    const exp = b.node(TopologyNodeKind.VM_EXPORT, b.ns(d), d.metadata.name, details);
    const source = obj(spec.source);
    const name = str(source.name);
    if (name === undefined) continue;
    const from = source.kind === 'VirtualMachineSnapshot' ? snapshot(b.ns(d), name)
      : source.kind === 'PersistentVolumeClaim' ? b.volume(b.ns(d), name) : vm(b.ns(d), name);
    b.edge(from, exp, 'export');
  }
  for (const d of by('template.kubevirt.io', 'VirtualMachineTemplate')) {
    const params = arr(obj(d.spec).parameters).filter(isObject).map(p => str(p.name)).filter((n): n is string => n !== undefined);
    const details = ['VirtualMachineTemplate', ...(params.length > 0 ? [`parameters: ${params.join(', ')}`] : [])];
    const template = b.node(TopologyNodeKind.VM_TEMPLATE, b.ns(d), d.metadata.name, details);
    const from = str(obj(d.metadata.annotations)[TEMPLATE_SOURCE_ANNOTATION]);
    const group = from !== undefined ? b.vmGroup(b.ns(d), from) : undefined;
    if (group !== undefined) b.edge(group, template, 'template');
  }
  for (const d of by('velero.io', 'Schedule')) addSchedule(d, b);
}

/**
 * A Velero Schedule and the VM groups its backup template picks: by
 * namespace (`includedNamespaces`, `excludedNamespaces`), by resource
 * (`includedResources`, `excludedResources`) and by the VM's labels
 * (`labelSelector`, or any of `orLabelSelectors`).
 */
function addSchedule(doc: any, b: DayTwoBuilder): void {
  const spec = obj(doc.spec);
  const template = obj(spec.template);
  const details = ['Velero Schedule', ...(str(spec.schedule) !== undefined ? [`cron ${spec.schedule}`] : []),
    ...(str(template.ttl) !== undefined ? [`keep ${template.ttl}`] : [])];
  const included = arr(template.includedNamespaces).filter((n): n is string => typeof n === 'string');
  const excluded = new Set(arr(template.excludedNamespaces).filter((n): n is string => typeof n === 'string'));
  const anyNamespace = included.length === 0 || included.includes('*');
  const resources = arr(template.includedResources).filter((n): n is string => typeof n === 'string');
  const excludedResources = arr(template.excludedResources).filter((n): n is string => typeof n === 'string');
  const isVm = (r: string): boolean => r === '*' || r === 'virtualmachines' || r === 'virtualmachines.kubevirt.io';
  const vmsIncluded = (resources.length === 0 || resources.some(isVm)) && !excludedResources.some(r => r !== '*' && isVm(r));
  const selectors = isObject(template.labelSelector) ? [template.labelSelector] : arr(template.orLabelSelectors).filter(isObject);
  const picked = vmsIncluded ? b.vmGroups().filter(g => (anyNamespace || included.includes(g.namespace)) && !excluded.has(g.namespace)
    && (selectors.length === 0 || selectors.some(s => labelSelectorMatches(s, g.labels)))) : [];
  if (picked.length === 0) details.push('picks no VM in these manifests');
  const schedule = b.node(TopologyNodeKind.BACKUP_SCHEDULE, b.ns(doc), doc.metadata.name, details);
  for (const g of picked.sort((x, y) => byCodePoint(x.key, y.key))) b.edge(schedule, g.key, 'backup');
}
