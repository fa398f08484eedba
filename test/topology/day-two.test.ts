/**
 * Day-2 objects in the picture: KubeVirt v1.9.0's VM snapshots, restores,
 * clones and exports, Velero backup Schedules and VM templates, drawn beside
 * their VMs. The snapshot, clone, export and Velero documents are written by
 * hand here with their upstream apiVersions; the template comes from the
 * library's own construct.
 */
import * as childProcess from 'child_process';
import { Chart, Size, Testing } from 'cdk8s';
import {
  BootDisk, TemplateParameter, Topology, TopologyEdgeKind, TopologyNode, TopologyNodeKind, VirtualMachine, VirtualMachineTemplate,
} from '../../src';
import { GRAPHVIZ, testWith } from '../host-tools';

function vm(name: string, namespace: string, labels: Record<string, string> = {}): any {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace, labels },
    spec: { runStrategy: 'Always', template: { spec: { domain: { devices: {} }, networks: [{ name: 'default', pod: {} }] } } },
  };
}

const DAY_TWO = [
  {
    apiVersion: 'snapshot.kubevirt.io/v1beta1',
    kind: 'VirtualMachineSnapshot',
    metadata: { name: 'db-nightly', namespace: 'apps' },
    spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'db' } },
  },
  {
    apiVersion: 'snapshot.kubevirt.io/v1beta1',
    kind: 'VirtualMachineRestore',
    metadata: { name: 'db-rollback', namespace: 'apps' },
    spec: { target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'db' }, virtualMachineSnapshotName: 'db-nightly' },
  },
  {
    apiVersion: 'clone.kubevirt.io/v1beta1',
    kind: 'VirtualMachineClone',
    metadata: { name: 'db-copy', namespace: 'apps' },
    spec: { source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'db' }, target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'db-staging' } },
  },
  {
    apiVersion: 'export.kubevirt.io/v1beta1',
    kind: 'VirtualMachineExport',
    metadata: { name: 'db-export', namespace: 'apps' },
    spec: { source: { apiGroup: 'snapshot.kubevirt.io', kind: 'VirtualMachineSnapshot', name: 'db-nightly' }, tokenSecretRef: 'db-export-token' },
  },
  {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { name: 'apps-daily', namespace: 'velero' },
    spec: { schedule: '0 2 * * *', template: { includedNamespaces: ['apps'], labelSelector: { matchLabels: { backup: 'daily' } }, ttl: '168h0m0s' } },
  },
];

function node(t: Topology, kind: TopologyNodeKind, name: string, namespace?: string): TopologyNode {
  const hits = t.nodesOfKind(kind).filter(n => n.name === name && (namespace === undefined || n.namespace === namespace));
  expect(hits).toHaveLength(1);
  return hits[0];
}

function edge(t: Topology, from: TopologyNode, to: TopologyNode): string[] {
  return t.edges.filter(e => e.source === from.id && e.target === to.id && e.kind === TopologyEdgeKind.DAY_TWO).map(e => e.label ?? '');
}

describe('day-2 objects', () => {
  const t = Topology.fromManifests([vm('db', 'apps', { backup: 'daily' }), vm('web', 'apps'), vm('db', 'other', { backup: 'daily' }), ...DAY_TWO]);
  const db = node(t, TopologyNodeKind.VIRTUAL_MACHINE, 'db', 'apps');

  test('a VM snapshot beside its VM, restored into it', () => {
    const snap = node(t, TopologyNodeKind.VM_SNAPSHOT, 'db-nightly');
    const restore = node(t, TopologyNodeKind.VM_RESTORE, 'db-rollback');
    expect(snap).toMatchObject({ namespace: 'apps', details: ['VirtualMachineSnapshot'], external: false });
    expect(edge(t, db, snap)).toEqual(['snapshot']);
    expect(edge(t, snap, restore)).toEqual(['restore']);
    expect(edge(t, restore, db)).toEqual(['into']);
  });

  test('a clone names the VM it makes; an export its token Secret', () => {
    const clone = node(t, TopologyNodeKind.VM_CLONE, 'db-copy');
    expect(clone.details).toEqual(['VirtualMachineClone', 'new VM db-staging']);
    expect(edge(t, db, clone)).toEqual(['clone']);
    const exp = node(t, TopologyNodeKind.VM_EXPORT, 'db-export');
    expect(exp.details).toEqual(['VirtualMachineExport', 'token Secret db-export-token']);
    expect(edge(t, node(t, TopologyNodeKind.VM_SNAPSHOT, 'db-nightly'), exp)).toEqual(['export']);
  });

  test('a Velero Schedule backs up the VMs its namespaces and label selector pick', () => {
    const schedule = node(t, TopologyNodeKind.BACKUP_SCHEDULE, 'apps-daily');
    expect(schedule).toMatchObject({ namespace: 'velero', details: ['Velero Schedule', 'cron 0 2 * * *', 'keep 168h0m0s'] });
    const picked = t.edges.filter(e => e.source === schedule.id).map(e => e.target);
    expect(picked).toEqual([db.id]);
    expect(t.edges.find(e => e.source === schedule.id)?.label).toBe('backup');
  });

  test('a Schedule that picks nothing says so; one excluding VMs picks none', () => {
    const none = Topology.fromManifests([vm('db', 'apps'), {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'volumes', namespace: 'velero' },
      spec: { schedule: '@daily', template: { includedResources: ['persistentvolumeclaims'] } },
    }]);
    expect(node(none, TopologyNodeKind.BACKUP_SCHEDULE, 'volumes').details).toContain('picks no VM in these manifests');
    const all = Topology.fromManifests([vm('a', 'x'), vm('b', 'y', { tier: 'db' }), {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'all', namespace: 'velero' },
      spec: { schedule: '@daily', template: { orLabelSelectors: [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }] } },
    }]);
    const schedule = node(all, TopologyNodeKind.BACKUP_SCHEDULE, 'all');
    expect(all.edges.filter(e => e.source === schedule.id).map(e => e.target)).toEqual([node(all, TopologyNodeKind.VIRTUAL_MACHINE, 'b').id]);
  });

  test('a snapshot of a VM not in the manifests draws that VM dotted', () => {
    const lone = Topology.fromManifests([DAY_TWO[0]]);
    expect(node(lone, TopologyNodeKind.VIRTUAL_MACHINE, 'db')).toMatchObject({ external: true, details: ['VirtualMachine not in these manifests'] });
  });

  test('a template made by VirtualMachineTemplate sits beside its VM', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'apps' });
    const web = new VirtualMachine(chart, 'web', { name: 'web', bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'), memory: Size.gibibytes(2) });
    VirtualMachineTemplate.fromVirtualMachine(chart, 'tpl', { vm: web, name: 'web-template', parameters: [TemplateParameter.vmName(), TemplateParameter.memory()] });
    const pic = Topology.fromCharts([chart]);
    const template = node(pic, TopologyNodeKind.VM_TEMPLATE, 'web-template');
    expect(template.details).toEqual(['VirtualMachineTemplate', 'parameters: NAME, MEMORY']);
    expect(edge(pic, node(pic, TopologyNodeKind.VIRTUAL_MACHINE, 'web'), template)).toEqual(['template']);
    expect(pic.toMarkdown()).toContain('- day-2 objects sit beside their VMs');
  });

  test('a picture without day-2 objects has no day-2 legend line', () => {
    expect(Topology.fromManifests([vm('db', 'apps')]).toMarkdown()).not.toContain('day-2');
  });

  testWith(GRAPHVIZ)('Graphviz draws every day-2 object by name', () => {
    const run = childProcess.spawnSync('dot', ['-Tsvg'], { input: t.toDot(), encoding: 'utf-8' });
    expect(run.status).toBe(0);
    const svg = run.stdout.replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)));
    for (const name of ['db-nightly', 'db-rollback', 'db-copy', 'db-export', 'apps-daily']) expect(svg).toContain(`>${name}</text>`);
    for (const word of ['VirtualMachineSnapshot', 'Velero backup Schedule']) expect(svg).toContain(word);
  });
});
