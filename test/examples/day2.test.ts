import { Testing } from 'cdk8s';
import { day2 } from '../../examples/day2';
import { findOne, synthValid } from '../util';

describe('the day-2 example', () => {
  test('synthesizes schema-valid day-2 objects that name their VM, snapshot and VMs', () => {
    const warn = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { platform, workloads } = day2(Testing.app());
    const docs = synthValid(workloads);
    const platformDocs = synthValid(platform);
    // the example is written so that synthesis has nothing to warn about
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();

    const snapshot = findOne(docs, 'VirtualMachineSnapshot', 'nightly');
    expect(snapshot.spec.source).toEqual({ apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: 'db' });
    const restore = findOne(docs, 'VirtualMachineRestore');
    expect(restore.spec.virtualMachineSnapshotName).toBe('nightly');
    expect(restore.spec.target.name).toBe('db-copy');
    expect(findOne(docs, 'VirtualMachineClone').spec.target.name).toBe('db-staging');
    expect(findOne(docs, 'VirtualMachineExport').spec.source).toEqual({ apiGroup: 'snapshot.kubevirt.io', kind: 'VirtualMachineSnapshot', name: 'nightly' });

    // the schedule selects the one VM it names, by a label only that VM carries
    const schedule = findOne(docs, 'Schedule');
    const [key, value] = Object.entries(schedule.spec.template.labelSelector.matchLabels)[0];
    expect(docs.filter(d => d.metadata?.labels?.[key] === value).map(d => `${d.kind}/${d.metadata.name}`)).toEqual(['VirtualMachine/db']);
    expect(schedule.spec.schedule).toBe('0 2 * * *');
    expect(platformDocs.some(d => d.kind === 'Deployment' && d.metadata.name === 'velero')).toBe(true);

    expect(findOne(docs, 'VirtualMachineTemplate').spec.parameters.map((p: any) => p.name)).toEqual(['NAME', 'MEMORY']);
    const pool = findOne(docs, 'VirtualMachinePool', 'workers').spec;
    expect(pool.maxUnavailable).toBe(1);
    expect(pool.autohealing).toEqual({ startUpFailureThreshold: 3 });
  });
});
