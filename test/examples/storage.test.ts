import { App, Testing } from 'cdk8s';
import { examplePlans, planTable } from '../../examples/fleet-plan';
import {
  ClonedDataVolumeChart, CrossNamespaceFleetChart, GoldenImageFleetChart, HostAssistedFleetChart, UploadGoldenImageChart,
} from '../../examples/storage';
import { findOne, synthValid } from '../util';

describe('storage examples', () => {
  test('the seeds\' DataVolume cloned from my-ns/my-source-dv', () => {
    const docs = synthValid(new ClonedDataVolumeChart(Testing.app(), 'cloned-dv'));
    const dv = findOne(docs, 'DataVolume', 'cloned-dv');
    expect(dv.metadata.namespace).toBe('my-ns');
    expect(dv.spec).toEqual({
      source: { pvc: { name: 'my-source-dv', namespace: 'my-ns' } },
      storage: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    });
  });

  test('a pre-allocated golden image and a 3-VM smart-clone fleet on a Multus network', () => {
    const chart = new GoldenImageFleetChart(Testing.app(), 'golden-fleet');
    const docs = synthValid(chart);
    const image = findOne(docs, 'DataVolume', 'fedora');
    expect(image.spec.preallocation).toBe(true);
    expect(image.metadata.annotations['cdi.kubevirt.io/storage.bind.immediate.requested']).toBe('true');
    expect(image.spec.source.http.url).toBe('https://example.org/fedora-41.qcow2');
    expect(findOne(docs, 'VolumeSnapshot', 'fedora').spec.volumeSnapshotClassName).toBe('csi-rbdplugin-snapclass');
    const config = JSON.parse(findOne(docs, 'NetworkAttachmentDefinition', 'fleet-net').spec.config);
    expect(config.plugins[0]).toMatchObject({ type: 'bridge', bridge: 'br-golden', vlan: 310, ipam: { type: 'whereabouts', range: '10.31.0.0/24' } });
    const vms = docs.filter(d => d.kind === 'VirtualMachine');
    expect(vms.map(v => v.metadata.name)).toEqual(['workers-0', 'workers-1', 'workers-2']);
    for (const vm of vms) {
      expect(vm.spec.dataVolumeTemplates[0].spec.source).toEqual({ snapshot: { name: 'fedora', namespace: 'golden' } });
      expect(vm.spec.template.spec.networks).toEqual([{ name: 'default', multus: { networkName: 'golden/fleet-net' } }]);
      expect(vm.spec.template.spec.domain.memory.guest).toBe('2Gi');
    }
    expect(chart.fleet.plan).toMatchObject({ imports: 1, snapshots: 1, copyOnWriteClones: 3, fullCopies: 0 });
  });

  test('the same fleet by host-assisted clone', () => {
    const chart = new HostAssistedFleetChart(Testing.app(), 'host-assisted');
    const docs = synthValid(chart);
    expect(docs.filter(d => d.kind === 'VolumeSnapshot')).toHaveLength(0);
    for (const vm of docs.filter(d => d.kind === 'VirtualMachine')) {
      expect(vm.spec.dataVolumeTemplates[0].spec.source).toEqual({ pvc: { name: 'fedora', namespace: 'golden-copies' } });
      expect(vm.spec.dataVolumeTemplates[0].spec.storage.storageClassName).toBe('local-path');
    }
    expect(chart.fleet.plan).toMatchObject({ fullCopies: 3, copyOnWriteClones: 0 });
  });

  test('an upload-based golden image, documented with its virtctl command, and an isolated fleet', () => {
    const chart = new UploadGoldenImageChart(Testing.app(), 'upload');
    const docs = synthValid(chart);
    expect(findOne(docs, 'DataVolume', 'fedora').spec.source).toEqual({ upload: {} });
    expect(chart.image.uploadCommand).toBe('virtctl image-upload dv fedora --namespace golden-upload --no-create --image-path=<local image file>');
    for (const vm of docs.filter(d => d.kind === 'VirtualMachine')) {
      expect(vm.spec.template.spec.networks).toEqual([{ name: 'default', multus: { networkName: 'golden-upload/fleet-net', default: true } }]);
      expect(vm.spec.template.spec.domain.devices.autoattachPodInterface).toBe(false);
    }
  });

  test('a fleet in another namespace than its image, with the clone grant', () => {
    const chart = new CrossNamespaceFleetChart(Testing.app(), 'cross-namespace');
    const docs = synthValid(chart);
    const binding = findOne(docs, 'RoleBinding');
    expect(binding.metadata.namespace).toBe('images');
    expect(binding.subjects[0].name).toBe('system:serviceaccounts:tenant-fleet');
    // no copy of the image in the tenant namespace: CDI restores the image's snapshot across namespaces
    expect(docs.filter(d => d.metadata.namespace === 'tenant-fleet').map(d => d.kind)).toEqual(['VirtualMachinePool']);
    const pool = findOne(docs, 'VirtualMachinePool', 'web');
    expect(pool.spec.replicas).toBe(4);
    expect(pool.spec.virtualMachineTemplate.spec.dataVolumeTemplates[0].spec.source).toEqual({ snapshot: { name: 'fedora', namespace: 'images' } });
  });

  test('all storage charts synthesize together in one App', () => {
    const app = new App({ outdir: Testing.app().outdir });
    new ClonedDataVolumeChart(app, 'cloned-dv');
    new GoldenImageFleetChart(app, 'golden-fleet');
    new HostAssistedFleetChart(app, 'host-assisted');
    new UploadGoldenImageChart(app, 'upload');
    new CrossNamespaceFleetChart(app, 'cross-namespace');
    expect(() => app.synth()).not.toThrow();
  });

  test('the fleet-plan program prints one row per fleet', () => {
    const table = planTable(examplePlans()).split('\n');
    expect(table).toHaveLength(6);
    expect(table[0]).toMatch(/^scenario +fleet +VMs +imports +full copies +snapshots +CoW clones +imported +copied$/);
    expect(table[2]).toMatch(/^snapshot clones +golden\/workers +3 +1 +0 +1 +3 +10 GiB +0 GiB$/);
    expect(table[3]).toMatch(/^host-assisted copies +golden-copies\/workers +3 +1 +3 +0 +0 +10 GiB +30 GiB$/);
    expect(table[5]).toMatch(/^other namespace \(pool\) +tenant-fleet\/web +4 +1 +0 +1 +4 +10 GiB +0 GiB$/);
  });
});
