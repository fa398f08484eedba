import { Testing } from 'cdk8s';
import { DatabaseVmChart, DataSetFleetChart } from '../../examples/disks';
import { Topology, TopologyEdgeKind, TopologyNodeKind } from '../../src';
import { synthValid } from '../util';

describe('data disks in the topology', () => {
  test('a VM lists its data disks with their sources, without its boot and cloud-init disks', () => {
    const chart = new DatabaseVmChart(Testing.app(), 'database-vm');
    const topology = Topology.fromManifests(synthValid(chart));
    const vm = topology.nodes.find(n => n.kind === TopologyNodeKind.VIRTUAL_MACHINE && n.name === 'db')!;
    expect(vm.details).toContain('data disks: app-config (ConfigMap app-config), data (blank · 100Gi), '
      + 'install (containerDisk fedora:41 · cdrom), scratch (emptyDisk 20Gi)');
  });

  test('the DOT picture wraps a long disk list at its commas, so the box stays narrow', () => {
    const chart = new DatabaseVmChart(Testing.app(), 'database-vm');
    const dot = Topology.fromManifests(synthValid(chart)).toDot();
    const label = /label="(db\\nVirtualMachine[^"]*)"/.exec(dot)![1].split('\\n');
    expect(label).toEqual(['db', 'VirtualMachine', 'data disks: app-config (ConfigMap app-config),', 'data (blank',
      '100Gi), install (containerDisk fedora:41', 'cdrom), scratch (emptyDisk 20Gi)']);
  });

  test('a fleet draws the copy-on-write clones of its second golden image', () => {
    const chart = new DataSetFleetChart(Testing.app(), 'data-set-fleet');
    const topology = Topology.fromManifests(synthValid(chart));
    const fleet = topology.nodes.find(n => n.kind === TopologyNodeKind.FLEET && n.name === 'analysts')!;
    expect(fleet.details).toContain('data disks: config (ConfigMap analysis-config), dataset (snapshot clone · size of its source)');
    const snapshot = topology.nodes.find(n => n.kind === TopologyNodeKind.SNAPSHOT && n.name === 'dataset')!;
    expect(topology.edges).toContainEqual({ source: snapshot.id, target: fleet.id, kind: TopologyEdgeKind.COW_CLONE, label: 'CoW clones' });
  });

  test('hand-written manifests: the lowest boot order is the boot disk', () => {
    const topology = Topology.fromManifests([{
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'vm', namespace: 'ns' },
      spec: {
        template: {
          spec: {
            domain: { devices: { disks: [{ name: 'iso', cdrom: {}, bootOrder: 2 }, { name: 'os', disk: {}, bootOrder: 1 }] } },
            volumes: [{ name: 'iso', containerDisk: { image: 'r/i:1' } }, { name: 'os', persistentVolumeClaim: { claimName: 'os' } }],
          },
        },
      },
    }]);
    expect(topology.nodes.find(n => n.name === 'vm')!.details).toContain('data disks: iso (containerDisk i:1 · cdrom)');
  });
});
