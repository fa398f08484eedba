/**
 * A catalogue of bad inputs, each run through the public API: every one must
 * give the library's own error, naming the prop and the bad value. Inputs come
 * as another language would send them (no types), hence the `any` casts.
 */
import { Chart, Duration, Size, Testing } from 'cdk8s';
import {
  BackupSchedule, BootDisk, CniPlugin, CloudInit, FeatureGate, FeatureGateComponent, GoldenImage, InterfaceBinding, Ipam, IsolatedVm, KubeVirt,
  NetworkAttachmentDefinition, Network, SmartCloneFleet, DataVolume, DataVolumeSource, Velero, VirtualMachine,
} from '../../src';
import { describeValue } from '../../src/validation';
import { synthValid } from '../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'test' });
}
function nad(c: Chart): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(c, 'net', { plugins: [CniPlugin.bridge({ bridge: 'br1', vlan: 10 })] });
}
function image(c: Chart): GoldenImage {
  return new GoldenImage(c, 'img', { source: DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(10), snapshotClass: 'csi-snap' });
}
function vm(c: Chart, props: Record<string, unknown>): VirtualMachine {
  return new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE), ...props } as any);
}

interface BadInput {
  /** What is wrong, for the test name. */
  readonly what: string;
  /** The bad value, which the message must show. */
  readonly value: unknown;
  /** The prop the message must name. */
  readonly prop: string;
  /** Part of the problem or fix the message must hold. */
  readonly says: RegExp;
  readonly run: (value: unknown) => unknown;
}

const CATALOGUE: BadInput[] = [
  // shapes other languages can send
  { what: 'memory as a quantity string', value: '2Gi', prop: 'memory', says: /must be a Size, not a string.*Size\.gibibytes/, run: v => vm(chart(), { memory: v }) },
  { what: 'a boot disk as a string', value: 'fedora', prop: 'bootDisk', says: /must be a BootDisk/, run: v => vm(chart(), { bootDisk: v }) },
  { what: 'a network as a string', value: 'pod', prop: 'networks.extra.network', says: /must be a Network/, run: v => vm(chart(), {}).addNetwork('extra', v as any) },
  { what: 'cloud-init as a string', value: '#cloud-config', prop: 'cloudInit', says: /must be a CloudInit.*CloudInit\.noCloud/, run: v => vm(chart(), { cloudInit: v }) },
  { what: 'SSH keys as one string', value: 'ssh-ed25519 AAAA user@host', prop: 'sshKeys', says: /must be a list/, run: v => vm(chart(), { sshKeys: v }) },
  { what: 'an instancetype as a name', value: 'u1.medium', prop: 'instancetype', says: /must be an Instancetype.*Instancetype\.cluster\(name\)/, run: v => vm(chart(), { instancetype: v }) },
  {
    what: 'a plain object for an IsolatedVm network',
    value: { name: 'net', namespace: 'test' },
    prop: 'network',
    says: /must be an INetworkAttachmentDefinition/,
    run: v => new IsolatedVm(chart(), 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE), network: v as any }),
  },
  { what: 'a misspelt run strategy', value: 'Alwayss', prop: 'runStrategy', says: /must be a member of RunStrategy, got 'Alwayss'; use one of RunStrategy\.ALWAYS/, run: v => vm(chart(), { runStrategy: v }) },
  { what: 'an unknown eviction strategy', value: 'Bogus', prop: 'evictionStrategy', says: /must be a member of EvictionStrategy/, run: v => vm(chart(), { evictionStrategy: v }) },
  { what: 'a fleet eviction strategy of another language', value: 'live', prop: 'evictionStrategy', says: /must be a member of EvictionStrategy/, run: v => new SmartCloneFleet(chart(), 'f', { replicas: 1, image: image(chart()), evictionStrategy: v as any }) },
  { what: 'a KubeVirt eviction strategy of another language', value: 'Bogus', prop: 'evictionStrategy', says: /must be a member of EvictionStrategy/, run: v => new KubeVirt(chart(), 'kv', { evictionStrategy: v as any }) },
  { what: 'a missing feature gate component', value: undefined, prop: 'component', says: /must be a member of FeatureGateComponent/, run: v => FeatureGate.fromName('Snapshot', v as any) },
  { what: 'a feature gate name a letter off', value: 'Snapshots', prop: 'featureGate', says: /did you mean 'Snapshot'\?/, run: v => FeatureGate.fromName(v as string, FeatureGateComponent.KUBEVIRT) },
  // values the cluster refuses
  { what: 'infraReplicas above the uint8 field', value: 256, prop: 'infraReplicas', says: /must be at most 255/, run: v => new KubeVirt(chart(), 'kv', { infraReplicas: v as number }) },
  { what: 'a containerDisk path of the root', value: '/', prop: 'bootDisk.path', says: /not to the root/, run: v => vm(chart(), { bootDisk: BootDisk.containerDisk(IMAGE, { path: v as string }) }) },
  { what: 'an unclean containerDisk path', value: '/disk/../etc/x', prop: 'bootDisk.path', says: /clean path.*it means \/etc\/x/, run: v => vm(chart(), { bootDisk: BootDisk.containerDisk(IMAGE, { path: v as string }) }) },
  { what: 'a doubled slash in a containerDisk path', value: '/disk//x.img', prop: 'bootDisk.path', says: /clean path/, run: v => vm(chart(), { bootDisk: BootDisk.containerDisk(IMAGE, { path: v as string }) }) },
  { what: 'a DataVolume under 1 MiB', value: '1023Ki', prop: 'size', says: /at least 1 MiB/, run: () => new DataVolume(chart(), 'dv', { source: DataVolumeSource.blank(), size: Size.kibibytes(1023) }) },
  {
    what: 'a boot disk template under 1 MiB',
    value: '512Ki',
    prop: 'size',
    says: /at least 1 MiB/,
    run: () => vm(chart(), { bootDisk: BootDisk.dataVolumeTemplate({ source: DataVolumeSource.blank(), size: Size.kibibytes(512) }) }),
  },
  {
    what: 'a golden image (and its DataImportCron template) under 1 MiB',
    value: '100Ki',
    prop: 'size',
    says: /at least 1 MiB/,
    run: () => new GoldenImage(chart(), 'img', { source: DataVolumeSource.registry('docker://quay.io/containerdisks/fedora:41'), size: Size.kibibytes(100), importCron: { schedule: '@daily' } }),
  },
  { what: 'a schedule out of range', value: '61 25 * * *', prop: 'importCron.schedule', says: /minute 61 is above 59/, run: v => cronImage(v as string) },
  { what: 'a zero step', value: '*/0 * * * *', prop: 'importCron.schedule', says: /must be a positive number/, run: v => cronImage(v as string) },
  { what: 'a golden image name too long for its label', value: 'x'.repeat(64), prop: 'name', says: /value of the kubevirt\.cdk8s\.io\/golden-image label/, run: v => new GoldenImage(chart(), 'img', { name: v as string, source: DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(1) }) },
  { what: 'a label value over 63 characters', value: 'v'.repeat(64), prop: 'labels.team', says: /at most 63 characters/, run: v => new DataVolume(chart(), 'dv', { source: DataVolumeSource.blank(), size: Size.gibibytes(1), labels: { team: v as string } }) },
  { what: 'a /31 whereabouts range', value: '10.0.0.0/31', prop: 'plugins[0].ipam.range', says: /no address whereabouts can hand out/, run: v => whereabouts(v as string) },
  { what: 'a /32 whereabouts range', value: '10.0.0.7/32', prop: 'plugins[0].ipam.range', says: /no address whereabouts can hand out/, run: v => whereabouts(v as string) },
  // day-2 objects: what KubeVirt's snapshot, restore, clone and export admitters refuse
  { what: 'a snapshot deletion policy of another language', value: 'retain', prop: 'deletionPolicy', says: /must be a member of VirtualMachineSnapshotDeletionPolicy/, run: v => vm(chart(), {}).snapshot('s', { deletionPolicy: v as any }) },
  { what: 'a clone named like its source', value: 'vm', prop: 'targetName', says: /is the source VM's name/, run: v => vm(chart(), {}).cloneTo('c', { targetName: v as string }) },
  { what: 'a malformed clone MAC', value: '02:00:00:00:00', prop: 'newMacAddresses.default', says: /must be a MAC address/, run: v => vm(chart(), {}).cloneTo('c', { targetName: 'copy', newMacAddresses: { default: v as string } }) },
  { what: 'a clone label filter with an inner wildcard', value: 'app*x', prop: 'labelFilters[0]', says: /'\*' before its last character/, run: v => vm(chart(), {}).cloneTo('c', { targetName: 'copy', labelFilters: [v as string] }) },
  { what: 'an in-place restore into another VM', value: 'InPlace', prop: 'volumeRestorePolicy', says: /would delete the volumes of the VM 'vm'/, run: v => vm(chart(), {}).snapshot('s').restore('r', { targetName: 'other', volumeRestorePolicy: v as any }) },
  { what: 'a restore patch of the name', value: '{"op": "replace", "path": "/metadata/name", "value": "x"}', prop: 'patches[0]', says: /only \/spec\/\.\.\./, run: v => vm(chart(), {}).snapshot('s').restore('r', { patches: [v as string] }) },
  { what: 'a restore patch KubeVirt splits at a colon', value: '{"op": "add", "path": "/spec/x", "value": "a:b"}', prop: 'patches[0]', says: /split at every ',' and ':'/, run: v => vm(chart(), {}).snapshot('s').restore('r', { patches: [v as string] }) },
  { what: 'an export with a fractional TTL', value: '1.5s', prop: 'ttl', says: /positive whole number of seconds/, run: () => vm(chart(), {}).exportDisks('e', { ttl: Duration.millis(1500) }) },
];

// day-2: scheduled backups on Velero
function backupSchedule(props: Record<string, unknown>): BackupSchedule {
  const c = chart();
  return new BackupSchedule(c, 'nightly', { vms: [vm(c, {})], schedule: '@daily', ttl: '720h', ...props } as any);
}
function velero(store: Record<string, unknown>): Velero {
  return new Velero(chart(), 'velero', { backupStorageLocation: { bucket: 'vm-backups', credentials: { secretName: 'velero-s3' }, ...store } } as any);
}
CATALOGUE.push(
  { what: 'a backup schedule robfig/cron refuses', value: '0 25 * * *', prop: 'schedule', says: /hour 25 is above 23.*'0 2 \* \* \*'/, run: v => backupSchedule({ schedule: v }) },
  { what: 'a backup ttl in days', value: '30d', prop: 'ttl', says: /is not a Go duration.*Duration\.days\(30\)/, run: v => backupSchedule({ ttl: v }) },
  { what: 'a backup ttl of zero', value: '0s', prop: 'ttl', says: /shorter than one second/, run: v => backupSchedule({ ttl: v }) },
  { what: 'a backup ttl as a number', value: 720, prop: 'ttl', says: /must be a Duration or a Go duration string/, run: v => backupSchedule({ ttl: v }) },
  { what: 'a backup schedule with no VMs', value: [], prop: 'vms', says: /at least one VM/, run: v => backupSchedule({ vms: v }) },
  { what: 'a Velero bucket given as a URL', value: 's3://vm-backups/a', prop: 'backupStorageLocation.bucket', says: /not an S3 bucket name.*'prefix'/, run: v => velero({ bucket: v }) },
  { what: 'a Velero S3 URL without scheme', value: 'minio:9000', prop: 'backupStorageLocation.s3Url', says: /http\(s\) URL/, run: v => velero({ s3Url: v, region: 'minio' }) },
  { what: 'a Velero credentials Secret with a bad name', value: 'Velero S3', prop: 'backupStorageLocation.credentials.secretName', says: /DNS-1123|lower/, run: v => velero({ credentials: { secretName: v } }) },
);

function cronImage(schedule: string): GoldenImage {
  return new GoldenImage(chart(), 'img', { source: DataVolumeSource.registry('docker://quay.io/containerdisks/fedora:41'), size: Size.gibibytes(1), importCron: { schedule } });
}
function whereabouts(range: string): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(chart(), 'net', { plugins: [CniPlugin.bridge({ bridge: 'br1', ipam: Ipam.whereabouts({ range }) })] });
}

describe('catalogue of bad inputs', () => {
  test.each(CATALOGUE.map(c => [c.what, c] as const))('%s gives the library error naming the value', (_what, c) => {
    let error: unknown;
    try {
      c.run(c.value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    const message = (error as Error).message;
    expect(message).toMatch(/^\[[^\]]+\] '[^']+' .*, got .*; \S/s);
    expect(message).toContain(`'${c.prop}' `);
    expect(message).toContain(`got ${describeValue(c.value)};`);
    expect(message).toMatch(c.says);
  });
});

describe('fix hints lead to a program that works', () => {
  test('adding a pod network next to the default one points at the networks prop, which works', () => {
    expect(() => vm(chart(), {}).addNetwork('default', Network.pod(), { binding: InterfaceBinding.bridge() }))
      .toThrow(/'networks\.default\.network' is a second pod network \(interface 'default' already uses it\).*pass it in the 'networks' prop instead, e\.g\. networks: \[\{ name: 'default', network: Network\.pod\(\), binding: InterfaceBinding\.bridge\(\) \}\]/);
    const c = chart();
    vm(c, { networks: [{ name: 'default', network: Network.pod(), binding: InterfaceBinding.bridge() }] });
    const spec = synthValid(c).find(d => d.kind === 'VirtualMachine').spec.template.spec;
    expect(spec.domain.devices.interfaces).toEqual([{ name: 'default', bridge: {} }]);
  });

  test('a pod network on an isolated fleet is told what isolatedNetwork does, not to drop a default: true never written', () => {
    const c = chart();
    const net = nad(c);
    const img = image(c);
    const make = (networks: any[] | undefined, isolated: boolean) => new SmartCloneFleet(c, `f${networks?.length ?? 0}${isolated}`, {
      name: `f${networks?.length ?? 0}${isolated ? 'i' : ''}`, replicas: 1, image: img, isolatedNetwork: isolated ? net : undefined, networks,
    });
    expect(() => make([{ name: 'pod', network: Network.pod() }], true))
      .toThrow(/cannot be added next to the Multus default network of interface 'default', which replaces the pod network, got 'pod'; drop the pod network: isolatedNetwork cuts the VM off from it on purpose/);
    expect(() => make([{ name: 'pod', network: Network.pod() }], true)).not.toThrow(/default: true/);
    // following the hint: either variant synthesizes
    make(undefined, true);
    make([{ name: 'pod', network: Network.pod() }], false);
    expect(synthValid(c).filter(d => d.kind === 'VirtualMachine')).toHaveLength(2);
  });

  test('an IsolatedVm given the pod network is told the same', () => {
    const c = chart();
    const isolated = new IsolatedVm(c, 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE), network: nad(c), cloudInit: CloudInit.fromSecret('ud') });
    expect(() => isolated.addNetwork('pod', Network.pod())).toThrow(/cannot be added to an IsolatedVm/);
  });
});
