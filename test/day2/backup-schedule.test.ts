import { ApiObject, Chart, Duration, Testing } from 'cdk8s';
import { BackupSchedule, BootDisk, CloudInit, VirtualizationPlatform, VirtualMachine } from '../../src';
import { findOne, synthValid } from '../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';
const bad = (v: unknown): any => v;

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'apps' });
}
function vm(c: Chart, name: string, namespace?: string): VirtualMachine {
  return new VirtualMachine(c, name, {
    name,
    namespace,
    bootDisk: BootDisk.containerDisk(IMAGE),
    cloudInit: CloudInit.noCloud({ userData: '#cloud-config\n' }),
    sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host'],
  });
}

describe('BackupSchedule', () => {
  test('writes a Velero Schedule that selects exactly its VMs by a label only they carry', () => {
    const c = chart();
    const web = vm(c, 'web');
    const db = vm(c, 'db', 'data');
    const other = vm(c, 'other');
    new BackupSchedule(c, 'nightly', { vms: [web, db], schedule: '0 2 * * *', ttl: Duration.days(30), storageLocation: 'default' });
    const docs = synthValid(c);
    expect(findOne(docs, 'Schedule', 'nightly')).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: 'nightly', namespace: 'velero' },
      spec: {
        schedule: '0 2 * * *',
        template: {
          includedNamespaces: ['apps', 'data'],
          labelSelector: { matchLabels: { 'backup.kubevirt.cdk8s.io/nightly': 'true' } },
          snapshotVolumes: true,
          defaultVolumesToFsBackup: false,
          storageLocation: 'default',
          ttl: '720h0m0s',
        },
      },
    });
    const vms = docs.filter(d => d.kind === 'VirtualMachine');
    expect(Object.fromEntries(vms.map(d => [d.metadata.name, d.metadata.labels]))).toEqual({
      web: { 'backup.kubevirt.cdk8s.io/nightly': 'true' },
      db: { 'backup.kubevirt.cdk8s.io/nightly': 'true' },
      other: undefined,
    });
    // nothing else carries the label: the Secrets come through the plugin
    expect(docs.filter(d => d.kind !== 'VirtualMachine' && d.metadata?.labels?.['backup.kubevirt.cdk8s.io/nightly'])).toEqual([]);
    expect(ApiObject.of(other).metadata.toJson().labels).toBeUndefined();
  });

  test('a VM in two schedules carries both labels; options reach the template', () => {
    const c = chart();
    const web = vm(c, 'web');
    new BackupSchedule(c, 'hourly', { vms: [web], schedule: '@every 1h', ttl: '48h', snapshotMoveData: true, paused: true, namespace: 'backups' });
    new BackupSchedule(c, 'weekly', { vms: [web], schedule: 'CRON_TZ=Europe/Paris 0 3 * * sun', ttl: Duration.hours(24 * 90), name: 'weekly-vms' });
    const docs = synthValid(c);
    expect(findOne(docs, 'VirtualMachine').metadata.labels).toEqual({
      'backup.kubevirt.cdk8s.io/hourly': 'true', 'backup.kubevirt.cdk8s.io/weekly-vms': 'true',
    });
    const hourly = findOne(docs, 'Schedule', 'hourly');
    expect(hourly.metadata.namespace).toBe('backups');
    expect(hourly.spec.paused).toBe(true);
    expect(hourly.spec.template.snapshotMoveData).toBe(true);
    expect(hourly.spec.template.ttl).toBe('48h');
    expect(findOne(docs, 'Schedule', 'weekly-vms').spec.template.ttl).toBe('2160h0m0s');
  });

  test('renders a Duration as Go writes it', () => {
    const ttl = (d: Duration) => new BackupSchedule(chart(), 's', { vms: [vm(chart(), 'a')], schedule: '@daily', ttl: d }).ttl;
    expect(ttl(Duration.seconds(45))).toBe('45s');
    expect(ttl(Duration.seconds(90))).toBe('1m30s');
    expect(ttl(Duration.hours(1))).toBe('1h0m0s');
  });

  test('checks itself against the Velero part of the app', () => {
    const synthWith = (velero: Record<string, unknown>, schedule: Record<string, unknown>) => {
      const app = Testing.app();
      new VirtualizationPlatform(app, 'platform', { velero: { enabled: true, backupStorageLocation: { bucket: 'b-1', credentials: { secretName: 's' } }, ...velero } });
      const c = new Chart(app, 'vms', { namespace: 'apps' });
      new BackupSchedule(c, 'nightly', { vms: [vm(c, 'web')], schedule: '@daily', ttl: '24h', ...schedule });
      return () => app.synth();
    };
    expect(synthWith({}, {})).not.toThrow();
    expect(synthWith({}, { namespace: 'backups' }))
      .toThrow(/\[vms\/nightly\] 'namespace' is 'backups', but the Velero of this app runs in 'velero', so no Velero would run the schedule; set 'namespace' to 'velero'/);
    expect(synthWith({}, { snapshotMoveData: true }))
      .toThrow(/'snapshotMoveData' is true, but the Velero of this app runs no node agent, which moves the snapshot data; set 'nodeAgent: true' on the Velero part/);
    expect(synthWith({ nodeAgent: true }, { snapshotMoveData: true })).not.toThrow();
  });

  describe('refuses', () => {
    const make = (props: Record<string, unknown>, id = 'nightly') => {
      const c = chart();
      return () => new BackupSchedule(c, id, { vms: [vm(c, 'web')], schedule: '@daily', ttl: '720h', ...props } as any);
    };
    test('a schedule robfig/cron cannot parse', () => {
      expect(make({ schedule: '0 25 * * *' })).toThrow(/\[test\/nightly\] 'schedule' has an invalid hour field: hour 25 is above 23, got '0 25 \* \* \*'; use a cron schedule such as '0 2 \* \* \*'/);
      expect(make({ schedule: '@fortnightly' })).toThrow(/'schedule'.*got '@fortnightly'/);
    });
    test('a ttl that is not a positive Go duration', () => {
      expect(make({ ttl: '30d' })).toThrow(/\[test\/nightly\] 'ttl' is not a Go duration \(numbers with units h, m, s, ms, us, ns, no sign\), got '30d'; give a Duration such as Duration.days\(30\)/);
      expect(make({ ttl: '-1h' })).toThrow(/'ttl' is not a Go duration/);
      expect(make({ ttl: '0s' })).toThrow(/'ttl' is shorter than one second, got '0s'/);
      expect(make({ ttl: Duration.millis(1500) })).toThrow(/'ttl' is 1.5 seconds: must be a whole number of seconds above zero/);
      expect(make({ ttl: bad(720) })).toThrow(/'ttl' must be a Duration or a Go duration string, got 720/);
    });
    test('no VMs, a VM twice, or a VM this app does not define', () => {
      expect(make({ vms: [] })).toThrow(/'vms' must name at least one VM, got \[\]; pass the VirtualMachine constructs to back up/);
      const c = chart();
      const web = vm(c, 'web');
      expect(() => new BackupSchedule(c, 's', { vms: [web, web], schedule: '@daily', ttl: '1h' }))
        .toThrow(/\[test\/s\] 'vms\[1\]' names a VM already in the list, got 'apps\/web'; list each VM once/);
      const imported = VirtualMachine.fromVirtualMachineName(c, 'old', 'legacy', { namespace: 'apps' });
      expect(() => new BackupSchedule(c, 't', { vms: [imported], schedule: '@daily', ttl: '1h' }))
        .toThrow(/'vms\[0\]' is a VM this app does not define \(imported by name\), so the schedule cannot label it to select it, got 'apps\/legacy'/);
      expect(make({ vms: bad(['web']) })).toThrow(/'vms\[0\]' must be an IVirtualMachine/);
    });
    test('names that are not DNS-1123 labels', () => {
      expect(make({}, 'Nightly')).toThrow(/'name' .*got 'Nightly'; set 'name', since the construct id is not a DNS-1123 label/);
      expect(make({ name: 'x'.repeat(64) })).toThrow(/'name'/);
      expect(make({ namespace: 'Velero' })).toThrow(/'namespace'/);
      expect(make({ storageLocation: 'S3 bucket' })).toThrow(/'storageLocation'/);
    });
    test('a wrong shape', () => {
      expect(make({ snapshotMoveData: 'yes' })).toThrow(/'snapshotMoveData' must be true or false/);
      expect(make({ schedule: 5 })).toThrow(/'schedule' must be a string/);
    });
  });
});
