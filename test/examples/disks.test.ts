import { Testing } from 'cdk8s';
import { DatabaseVmChart, DataSetFleetChart } from '../../examples/disks';
import { findOne, synthValid } from '../util';

const GIB = 1024 ** 3;

describe('disk examples', () => {
  test('a database VM with data, scratch, install and config disks', () => {
    const docs = synthValid(new DatabaseVmChart(Testing.app(), 'database-vm'));
    const vm = findOne(docs, 'VirtualMachine', 'db');
    expect(vm.spec.template.spec.domain.devices.disks.map((d: any) => d.name))
      .toEqual(['rootdisk', 'cloudinitdisk', 'data', 'scratch', 'install', 'app-config']);
    expect(vm.spec.dataVolumeTemplates.map((t: any) => t.metadata.name)).toEqual(['db-rootdisk', 'db-data']);
    expect(findOne(docs, 'ConfigMap', 'app-config').metadata.namespace).toBe('databases');
  });

  test('a fleet with a per-VM clone of a second golden image', () => {
    const chart = new DataSetFleetChart(Testing.app(), 'data-set-fleet');
    const docs = synthValid(chart);
    const vms = docs.filter(d => d.kind === 'VirtualMachine');
    expect(vms.map(v => v.spec.dataVolumeTemplates[1].metadata.name)).toEqual(['analysts-0-dataset', 'analysts-1-dataset', 'analysts-2-dataset']);
    expect(vms[0].spec.dataVolumeTemplates[1].spec.source).toEqual({ snapshot: { namespace: 'analytics', name: 'dataset' } });
    expect(chart.fleet.plan).toMatchObject({ imports: 2, snapshots: 2, copyOnWriteClones: 6, bytesDownloaded: 60 * GIB, bytesCopied: 0 });
  });
});
