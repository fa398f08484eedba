import { Chart, Duration, Size, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { BootDisk, MigrationPolicy, VirtualMachine } from '../../src/compute';
import { WARNING_METADATA } from '../../src/private/warnings';
import { findOne, synthValid } from '../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function warnings(policy: MigrationPolicy): string[] {
  return policy.node.metadata.filter(m => m.type === WARNING_METADATA).map(m => String(m.data));
}

describe('MigrationPolicy', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => { warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); });
  afterEach(() => warn.mockRestore());

  test('renders its settings and selectors, cluster-scoped', () => {
    const app = Testing.app();
    new k8s.KubeNamespace(new Chart(app, 'namespaces'), 'ns', { metadata: { name: 'db', labels: { tier: 'data' } } });
    const c = new Chart(app, 'test', { namespace: 'db' });
    new VirtualMachine(c, 'vm', { name: 'pg', bootDisk: BootDisk.containerDisk(IMAGE), templateLabels: { workload: 'db' } });
    const p = new MigrationPolicy(c, 'p', {
      name: 'databases',
      vmLabels: { workload: 'db' },
      namespaceLabels: { tier: 'data' },
      bandwidthPerMigration: Size.mebibytes(512),
      completionTimeoutPerGiB: Duration.seconds(300),
      allowAutoConverge: true,
      allowPostCopy: false,
    });
    const doc = findOne(synthValid(c), 'MigrationPolicy');
    expect(doc.metadata).toEqual({ name: 'databases' });
    expect(doc.spec).toEqual({
      allowAutoConverge: true,
      allowPostCopy: false,
      bandwidthPerMigration: '512Mi',
      completionTimeoutPerGiB: 300,
      selectors: { namespaceSelector: { tier: 'data' }, virtualMachineInstanceSelector: { workload: 'db' } },
    });
    expect(warnings(p)).toEqual([]);
  });

  test('a policy that selects no VM of the app is a warning', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'db' });
    new VirtualMachine(c, 'vm', { name: 'pg', bootDisk: BootDisk.containerDisk(IMAGE), templateLabels: { workload: 'web' } });
    const p = new MigrationPolicy(c, 'p', { name: 'databases', vmLabels: { workload: 'db' } });
    synthValid(c);
    expect(warnings(p)).toEqual([expect.stringMatching(/MigrationPolicy 'databases' selects no VM of this app.*give the VMs' templateLabels/)]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^\[test\/p\] warning: MigrationPolicy 'databases' selects no VM/));
  });

  test('a namespace selector that the VM namespace does not match is a warning too', () => {
    const app = Testing.app();
    new k8s.KubeNamespace(new Chart(app, 'namespaces'), 'ns', { metadata: { name: 'db', labels: { tier: 'web' } } });
    const c = new Chart(app, 'test', { namespace: 'db' });
    new VirtualMachine(c, 'vm', { name: 'pg', bootDisk: BootDisk.containerDisk(IMAGE) });
    const p = new MigrationPolicy(c, 'p', { name: 'data', namespaceLabels: { tier: 'data' } });
    synthValid(c);
    expect(warnings(p)).toHaveLength(1);
  });

  test('the namespace-name label Kubernetes puts on every namespace counts', () => {
    const app = Testing.app();
    new k8s.KubeNamespace(new Chart(app, 'namespaces'), 'ns', { metadata: { name: 'db' } });
    const c = new Chart(app, 'test', { namespace: 'db' });
    new VirtualMachine(c, 'vm', { name: 'pg', bootDisk: BootDisk.containerDisk(IMAGE) });
    const byName = new MigrationPolicy(c, 'p', { name: 'data', namespaceLabels: { 'kubernetes.io/metadata.name': 'db' } });
    const other = new MigrationPolicy(c, 'q', { name: 'web', namespaceLabels: { 'kubernetes.io/metadata.name': 'web' } });
    Testing.synth(c);
    expect(warnings(byName)).toEqual([]);
    expect(warnings(other)).toHaveLength(1);
  });

  test('refuses bad values', () => {
    const c = new Chart(Testing.app(), 'test');
    expect(() => new MigrationPolicy(c, 'a', { name: 'x', completionTimeoutPerGiB: Duration.millis(1500) })).toThrow(/'completionTimeoutPerGiB' must be a whole number of seconds/);
    expect(() => new MigrationPolicy(c, 'b', { name: 'x', vmLabels: { 'bad key!': 'v' } })).toThrow(/'vmLabels.bad key!'/);
    expect(() => new MigrationPolicy(c, 'c', { name: 'x', bandwidthPerMigration: 64 as any })).toThrow(/'bandwidthPerMigration' must be a Size/);
    expect(() => new MigrationPolicy(c, 'd', { name: 'Not_A_Name' })).toThrow(/'name'/);
  });
});
