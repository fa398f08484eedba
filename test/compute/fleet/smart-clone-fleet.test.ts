import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode, PersistentVolumeMode } from 'cdk8s-plus-33';
import {
  CloudInit, EvictionStrategy, CloneStrategy, Network, SmartCloneFleet, SmartCloneFleetProps,
} from '../../../src/compute';
import { FIRMWARE_UUID_NAMESPACE, uuidV5 } from '../../../src/compute/vm/firmware-identity';
import { CniPlugin, Ipam, NetworkAttachmentDefinition } from '../../../src/network';
import { DataVolumeSource, GoldenImage, GoldenImageProps } from '../../../src/storage';
import { findOne, synthValid } from '../../util';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHt2cGx1c3Rlc3RrZXlmb3J0ZXN0c29ubHkx user@host';
const GIB = 1024 ** 3;

function chart(namespace = 'golden', app: App = Testing.app()): Chart {
  return new Chart(app, 'test', { namespace });
}

function image(c: Chart, extra: Partial<GoldenImageProps> = {}): GoldenImage {
  return new GoldenImage(c, 'fedora', {
    namespace: 'golden',
    source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
    size: Size.gibibytes(10),
    storageClass: 'rook-ceph-block',
    snapshotClass: 'csi-rbdplugin-snapclass',
    ...extra,
  });
}

function fleet(c: Chart, extra: Partial<SmartCloneFleetProps> = {}, img?: GoldenImage): SmartCloneFleet {
  return new SmartCloneFleet(c, 'workers', { image: img ?? image(c), replicas: 3, ...extra });
}

describe('defaults', () => {
  test('N VMs restoring the image snapshot, named <name>-0..N-1', () => {
    const c = chart();
    const f = fleet(c);
    const docs = synthValid(c);
    const vms = docs.filter(d => d.kind === 'VirtualMachine');
    expect(vms.map(v => v.metadata.name)).toEqual(['workers-0', 'workers-1', 'workers-2']);
    expect(f.vmNames).toEqual(['workers-0', 'workers-1', 'workers-2']);
    expect(vms[0]).toMatchSnapshot();
    vms.forEach((vm, i) => {
      expect(vm.metadata.namespace).toBe('golden');
      expect(vm.metadata.labels).toEqual({ 'kubevirt.cdk8s.io/fleet': 'workers' });
      const t = vm.spec.dataVolumeTemplates[0];
      expect(t.metadata.name).toBe(`workers-${i}-rootdisk`);
      expect(t.spec.source).toEqual({ snapshot: { name: 'fedora', namespace: 'golden' } });
      // no size: CDI sizes each clone from the snapshot's restore size
      expect(t.spec.storage).toEqual({ storageClassName: 'rook-ceph-block' });
      expect(vm.spec.template.spec.volumes[0]).toEqual({ name: 'rootdisk', dataVolume: { name: `workers-${i}-rootdisk` } });
    });
    expect(f.strategy).toBe(CloneStrategy.SNAPSHOT);
    expect(f.diskSize.toGibibytes()).toBe(10);
    expect(f.imageCopy).toBeUndefined();
    expect(docs.filter(d => d.kind === 'DataVolume')).toHaveLength(1);
    expect(docs.filter(d => d.kind === 'VolumeSnapshot')).toHaveLength(1);
  });

  test('the name defaults to the id; vmNames and apiObjects are copies', () => {
    const c = chart();
    const f = fleet(c, { replicas: 2 });
    f.vmNames.push('x');
    f.apiObjects.pop();
    expect(f.vmNames).toEqual(['workers-0', 'workers-1']);
    expect(f.apiObjects.map(o => o.name)).toEqual(['workers-0', 'workers-1']);
    expect(f.name).toBe('workers');
  });

  test('an explicit name and namespace', () => {
    const c = chart();
    const img = image(c);
    new SmartCloneFleet(c, 'f', { name: 'web', namespace: 'golden', image: img, replicas: 1 });
    expect(findOne(synthValid(c), 'VirtualMachine', 'web-0').metadata.labels['kubevirt.cdk8s.io/fleet']).toBe('web');
  });
});

describe('VM template', () => {
  test('cloud-init and SSH keys go into one pair of Secrets shared by every VM', () => {
    const c = chart();
    fleet(c, { sshKeys: [KEY], cloudInit: CloudInit.noCloud({ packages: ['nginx'] }), memory: Size.gibibytes(2), cores: 2 });
    const docs = synthValid(c);
    expect(docs.filter(d => d.kind === 'Secret').map(d => d.metadata.name)).toEqual(['workers-cloud-init', 'workers-ssh-keys']);
    for (const vm of docs.filter(d => d.kind === 'VirtualMachine')) {
      const t = vm.spec.template.spec;
      expect(t.volumes[1]).toEqual({ name: 'cloudinitdisk', cloudInitNoCloud: { secretRef: { name: 'workers-cloud-init' } } });
      expect(t.accessCredentials[0].sshPublicKey.source.secret.secretName).toBe('workers-ssh-keys');
      expect(t.domain.memory.guest).toBe('2Gi');
      expect(t.domain.cpu).toEqual({ cores: 2 });
      expect(JSON.stringify(vm)).not.toContain('AAAAC3Nza');
    }
  });

  test('isolatedNetwork renders every VM like an IsolatedVm', () => {
    const c = chart();
    const nad = NetworkAttachmentDefinition.fromNetworkName(c, 'nad', 'golden/tenant');
    const extra = NetworkAttachmentDefinition.fromNetworkName(c, 'extra', 'golden/backup');
    fleet(c, { isolatedNetwork: nad, networks: [{ name: 'backup', network: Network.multus(extra) }] });
    for (const vm of synthValid(c).filter(d => d.kind === 'VirtualMachine')) {
      const t = vm.spec.template.spec;
      expect(t.networks).toEqual([
        { name: 'default', multus: { networkName: 'golden/tenant', default: true } },
        { name: 'backup', multus: { networkName: 'golden/backup' } },
      ]);
      expect(t.domain.devices.interfaces).toEqual([{ name: 'default', bridge: {} }, { name: 'backup', bridge: {} }]);
      expect(t.domain.devices.autoattachPodInterface).toBe(false);
    }
  });

  test('an isolated fleet refuses the pod network', () => {
    const c = chart();
    const nad = NetworkAttachmentDefinition.fromNetworkName(c, 'nad', 'golden/tenant');
    expect(() => fleet(c, { isolatedNetwork: nad, networks: [{ name: 'pod', network: Network.pod() }] }))
      .toThrow(/\[test\/workers\] 'networks.pod.network' cannot be added next to the Multus default network of interface 'default'/);
  });

  test('a Multus network on a NAD defined in the chart', () => {
    const c = chart();
    const nad = new NetworkAttachmentDefinition(c, 'net', {
      name: 'fleet-net',
      plugins: [CniPlugin.bridge({ bridge: 'br-fleet-test', vlan: 3001, ipam: Ipam.whereabouts({ range: '10.30.1.0/24' }) })],
    });
    fleet(c, { networks: [{ name: 'default', network: Network.pod() }, { name: 'fleet', network: Network.multus(nad) }] });
    const vm = findOne(synthValid(c), 'VirtualMachine', 'workers-2');
    expect(vm.spec.template.spec.networks[1]).toEqual({ name: 'fleet', multus: { networkName: 'golden/fleet-net' } });
  });

  test('user labels and annotations join the fleet label', () => {
    const c = chart();
    fleet(c, { labels: { app: 'web' }, annotations: { 'example.org/owner': 'ops' }, templateLabels: { tier: 'front' } });
    const vm = findOne(synthValid(c), 'VirtualMachine', 'workers-0');
    expect(vm.metadata.labels).toEqual({ 'app': 'web', 'kubevirt.cdk8s.io/fleet': 'workers' });
    expect(vm.metadata.annotations).toEqual({ 'example.org/owner': 'ops' });
    expect(vm.spec.template.metadata.labels).toEqual({ 'tier': 'front', 'kubevirt.cdk8s.io/fleet': 'workers' });
  });

  test('throws when the user sets the fleet label to another value', () => {
    const c = chart();
    expect(() => fleet(c, { labels: { 'kubevirt.cdk8s.io/fleet': 'other' } }))
      .toThrow(/\[test\/workers\] 'labels.kubevirt.cdk8s.io\/fleet' is set by the fleet to its name 'workers', got 'other'; remove/);
  });

  test('reports once when ReadWriteOnce disks cannot live-migrate', () => {
    const c = chart();
    fleet(c, { replicas: 50, evictionStrategy: EvictionStrategy.LIVE_MIGRATE, accessModes: [PersistentVolumeAccessMode.READ_WRITE_ONCE] });
    let message = '';
    try {
      Testing.synth(c);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.match(/cannot follow a live migration/g)).toHaveLength(1);
    expect(message).toMatch(/test\/workers.*'accessModes' \(clone of golden image 'golden\/fedora'\) cannot follow a live migration.*got 'ReadWriteOnce'; use ReadWriteMany storage/s);
  });

  test('ReadWriteMany disks live-migrate', () => {
    const c = chart();
    fleet(c, { evictionStrategy: EvictionStrategy.LIVE_MIGRATE, accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY] });
    const vm = findOne(synthValid(c), 'VirtualMachine', 'workers-0');
    expect(vm.spec.dataVolumeTemplates[0].spec.storage.accessModes).toEqual(['ReadWriteMany']);
  });
});

describe('VirtualMachinePool', () => {
  test('one pool with replicas, selector, labelled template and a snapshot DataVolume template', () => {
    const c = chart();
    const f = fleet(c, { pool: true, sshKeys: [KEY] });
    const docs = synthValid(c);
    expect(docs.filter(d => d.kind === 'VirtualMachine')).toHaveLength(0);
    const pool = findOne(docs, 'VirtualMachinePool', 'workers');
    expect(pool.apiVersion).toBe('pool.kubevirt.io/v1beta1');
    expect(pool.metadata).toEqual({ name: 'workers', namespace: 'golden', labels: { 'kubevirt.cdk8s.io/fleet': 'workers' } });
    expect(pool.spec.replicas).toBe(3);
    expect(pool.spec.selector).toEqual({ matchLabels: { 'kubevirt.cdk8s.io/fleet': 'workers' } });
    const template = pool.spec.virtualMachineTemplate;
    expect(template.metadata.labels).toEqual({ 'kubevirt.cdk8s.io/fleet': 'workers' });
    expect(template.spec.dataVolumeTemplates[0].metadata.name).toBe('workers-rootdisk');
    expect(template.spec.dataVolumeTemplates[0].spec.source.snapshot).toEqual({ name: 'fedora', namespace: 'golden' });
    expect(template.spec.template.spec.volumes[0]).toEqual({ name: 'rootdisk', dataVolume: { name: 'workers-rootdisk' } });
    expect(template.spec.template.spec.accessCredentials[0].sshPublicKey.source.secret.secretName).toBe('workers-ssh-keys');
    expect(ApiObject.of(f)).toBe(f.apiObjects[0]);
    expect(f.vmNames).toEqual(['workers-0', 'workers-1', 'workers-2']);
  });
});

describe('cross-namespace', () => {
  test('restores the image\'s snapshot directly, with the clone grant and no copy', () => {
    const app = Testing.app();
    const images = chart('golden', app);
    const img = image(images);
    const c = new Chart(app, 'tenant', { namespace: 'tenant-a' });
    const f = new SmartCloneFleet(c, 'workers', { image: img, replicas: 3 });
    const docs = synthValid(c);
    expect(docs.filter(d => d.kind === 'DataVolume' || d.kind === 'VolumeSnapshot')).toEqual([]);
    for (const vm of docs.filter(d => d.kind === 'VirtualMachine')) {
      expect(vm.spec.dataVolumeTemplates[0].spec.source).toEqual({ snapshot: { name: 'fedora', namespace: 'golden' } });
      expect(vm.spec.dataVolumeTemplates[0].spec.storage).toEqual({ storageClassName: 'rook-ceph-block' });
    }
    expect(f.imageCopy).toBeUndefined();
    expect(f.imageCopySnapshot).toBeUndefined();

    const imageDocs = synthValid(images);
    const binding = findOne(imageDocs, 'RoleBinding');
    expect(binding.metadata.namespace).toBe('golden');
    expect(binding.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:serviceaccounts:tenant-a' }]);
    expect(findOne(imageDocs, 'Role').rules[0]).toEqual({
      apiGroups: ['cdi.kubevirt.io'], resources: ['datavolumes/source'], verbs: ['create'], resourceNames: ['fedora'],
    });
  });

  test('two fleets in the same namespace share one grant', () => {
    const c = chart();
    const img = image(c);
    new SmartCloneFleet(c, 'a', { image: img, replicas: 1, namespace: 'tenant-a' });
    new SmartCloneFleet(c, 'b', { image: img, replicas: 1, namespace: 'tenant-a', strategy: CloneStrategy.HOST_ASSISTED });
    const docs = synthValid(c);
    expect(docs.filter(d => d.kind === 'RoleBinding')).toHaveLength(1);
    expect(findOne(docs, 'VirtualMachine', 'b-0').spec.dataVolumeTemplates[0].spec.source).toEqual({ pvc: { name: 'fedora', namespace: 'golden' } });
  });
});

describe('host-assisted', () => {
  test('every VM clones the image PVC, also without a snapshot class', () => {
    const c = chart();
    const img = image(c, { snapshotClass: undefined });
    fleet(c, { strategy: CloneStrategy.HOST_ASSISTED, diskSize: Size.gibibytes(20) }, img);
    const docs = synthValid(c);
    for (const vm of docs.filter(d => d.kind === 'VirtualMachine')) {
      expect(vm.spec.dataVolumeTemplates[0].spec.source).toEqual({ pvc: { name: 'fedora', namespace: 'golden' } });
      expect(vm.spec.dataVolumeTemplates[0].spec.storage.resources.requests.storage).toBe('20Gi');
    }
    expect(docs.filter(d => d.kind === 'RoleBinding')).toHaveLength(0);
  });

  test('may use another storage class than the image', () => {
    const c = chart();
    fleet(c, { strategy: CloneStrategy.HOST_ASSISTED, storageClass: 'local-path' });
    expect(findOne(synthValid(c), 'VirtualMachine', 'workers-0').spec.dataVolumeTemplates[0].spec.storage.storageClassName).toBe('local-path');
  });
});

describe('source fleets', () => {
  test('a per-VM URL import needs the opt-in', () => {
    const c = chart();
    const source = DataVolumeSource.http('https://example.org/fedora-41.qcow2');
    expect(() => new SmartCloneFleet(c, 'workers', { source, replicas: 3, diskSize: Size.gibibytes(10) }))
      .toThrow(/\[test\/workers\] 'source' would make each of the 3 VMs download the image on its own, got 'https:\/\/example.org\/fedora-41.qcow2'; import it once with a GoldenImage .* or set allowPerVmImport: true/);
    const f = new SmartCloneFleet(c, 'ok', { source, replicas: 3, diskSize: Size.gibibytes(10), allowPerVmImport: true });
    const vm = findOne(synthValid(c), 'VirtualMachine', 'ok-1');
    expect(vm.spec.dataVolumeTemplates[0].spec.source.http.url).toBe('https://example.org/fedora-41.qcow2');
    expect(f.plan).toMatchObject({ imports: 3, bytesDownloaded: 30 * GIB, fullCopies: 0, copyOnWriteClones: 0 });
  });

  test('a snapshot source gives copy-on-write restores', () => {
    const c = chart();
    const f = new SmartCloneFleet(c, 'workers', { source: DataVolumeSource.snapshot('golden', 'base'), replicas: 2, diskSize: Size.gibibytes(8) });
    expect(findOne(synthValid(c), 'VirtualMachine', 'workers-1').spec.dataVolumeTemplates[0].spec.source.snapshot.name).toBe('base');
    expect(f.plan).toMatchObject({ imports: 0, copyOnWriteClones: 2, fullCopies: 0, bytesCopied: 0 });
  });

  test('a PVC source gives a full copy per VM', () => {
    const c = chart();
    const f = new SmartCloneFleet(c, 'workers', { source: DataVolumeSource.pvc('golden', 'base'), replicas: 4, diskSize: Size.gibibytes(8) });
    synthValid(c);
    expect(f.plan).toMatchObject({ fullCopies: 4, bytesCopied: 32 * GIB });
  });

  test('throws for upload and blank sources, a missing size, and a strategy', () => {
    const c = chart();
    expect(() => new SmartCloneFleet(c, 'a', { source: DataVolumeSource.upload(), replicas: 1, diskSize: Size.gibibytes(1) }))
      .toThrow(/\[test\/a\] 'source' cannot fill the disks of a fleet .* got 'upload'; import the image once into a GoldenImage/);
    expect(() => new SmartCloneFleet(c, 'b', { source: DataVolumeSource.blank(), replicas: 1, diskSize: Size.gibibytes(1) }))
      .toThrow(/\[test\/b\] 'source' cannot fill the disks of a fleet/);
    expect(() => new SmartCloneFleet(c, 'c', { source: DataVolumeSource.http('https://example.org/a.img'), replicas: 1, allowPerVmImport: true }))
      .toThrow(/\[test\/c\] 'diskSize' is required with a 'http' source/);
    expect(() => new SmartCloneFleet(c, 'e', { source: DataVolumeSource.snapshot('golden', 'base'), replicas: 1, diskSize: Size.gibibytes(0) }))
      .toThrow(/\[test\/e\] 'diskSize' must be a whole number of bytes greater than zero, got '0'/);
    expect(() => new SmartCloneFleet(c, 'd', { source: DataVolumeSource.snapshot('golden', 'base'), replicas: 1, diskSize: Size.gibibytes(1), strategy: CloneStrategy.SNAPSHOT }))
      .toThrow(/\[test\/d\] 'strategy' only applies to an 'image'/);
  });

  test('throws without image and source, or with both', () => {
    const c = chart();
    expect(() => new SmartCloneFleet(c, 'a', { replicas: 1 })).toThrow(/\[test\/a\] 'image' is required \(or 'source'\)/);
    expect(() => new SmartCloneFleet(c, 'b', { replicas: 1, image: image(c), source: DataVolumeSource.snapshot('golden', 'x') }))
      .toThrow(/\[test\/b\] 'source' cannot be combined with 'image'/);
  });
});

describe('rules', () => {
  test('the snapshot strategy needs an image with a snapshot class', () => {
    const c = chart();
    const img = image(c, { snapshotClass: undefined });
    expect(() => fleet(c, {}, img))
      .toThrow(/\[test\/workers\] 'strategy' needs a golden image with a snapshot class, and 'golden\/fedora' has none, got 'snapshot'; give the GoldenImage a snapshotClass, or use CloneStrategy.HOST_ASSISTED/);
  });

  test('the snapshot strategy needs the image storage class', () => {
    const c = chart();
    expect(() => fleet(c, { storageClass: 'other-class' }))
      .toThrow(/\[test\/workers\] 'storageClass' differs from the golden image's storage class \('rook-ceph-block'\), so CDI would silently fall back to a full copy per VM, got 'other-class'; remove 'storageClass' or set it to 'rook-ceph-block'/);
    const c2 = chart();
    const img = image(c2, { storageClass: undefined });
    expect(() => fleet(c2, { storageClass: 'fast' }, img))
      .toThrow(/'storageClass' differs from the golden image's storage class \(the cluster default\)/);
  });

  test('the same storage class given explicitly is fine', () => {
    const c = chart();
    fleet(c, { storageClass: 'rook-ceph-block' });
    synthValid(c);
  });

  test('a disk smaller than the image', () => {
    const c = chart();
    expect(() => fleet(c, { diskSize: Size.gibibytes(9) }))
      .toThrow(/\[test\/workers\] 'diskSize' must be at least the size of its clone source \(10Gi\), got '9Gi'; leave 'diskSize' unset/);
  });

  test.each([0, -1, 1.5, NaN])('replicas %p', (replicas) => {
    const c = chart();
    expect(() => fleet(c, { replicas })).toThrow(/\[test\/workers\] 'replicas' must be a whole number of at least 1/);
  });

  test('VM names over 63 characters', () => {
    const c = chart();
    const name = 'a'.repeat(61);
    // 61 + '-9' fits exactly
    expect(fleet(c, { name, replicas: 10 }).vmNames[9]).toHaveLength(63);
    const c2 = chart();
    expect(() => fleet(c2, { name, replicas: 11 }))
      .toThrow(new RegExp(`\\[test/workers\\] 'name' gives VM names of up to 64 characters \\('${name}-10'\\), over the 63 a VM name may have, got '${name}'; shorten the name to at most 60 characters`));
  });

  test('bad names and a missing namespace', () => {
    expect(() => fleet(chart(), { name: 'Web' })).toThrow(/\[test\/workers\] 'name'/);
    const app = Testing.app();
    const c = new Chart(app, 'nons');
    const img = new GoldenImage(c, 'fedora', { namespace: 'golden', source: DataVolumeSource.upload(), size: Size.gibibytes(1), snapshotClass: 'snap' });
    expect(() => new SmartCloneFleet(c, 'workers', { image: img, replicas: 1 }))
      .toThrow(/\[nons\/workers\] 'namespace' must be given/);
  });
});

describe('plan', () => {
  test('same namespace, snapshot: 1 import, 1 snapshot, N restores', () => {
    const c = chart();
    const f = fleet(c, { replicas: 3 });
    expect(f.plan).toEqual({
      vms: 3,
      imports: 1,
      fullCopies: 0,
      snapshots: 1,
      copyOnWriteClones: 3,
      bytesDownloaded: 10 * GIB,
      bytesCopied: 0,
      summary: 'workers: 3 VMs from golden image golden/fedora: 1 import, 0 full copies, 1 snapshot, 3 copy-on-write clones; 10Gi imported, 0 copied',
    });
  });

  test('another namespace, snapshot: the same 1 import, 1 snapshot, N restores, no copy', () => {
    const c = chart();
    const f = fleet(c, { replicas: 5, namespace: 'tenant-a' });
    expect(f.plan).toEqual({
      vms: 5,
      imports: 1,
      fullCopies: 0,
      snapshots: 1,
      copyOnWriteClones: 5,
      bytesDownloaded: 10 * GIB,
      bytesCopied: 0,
      summary: 'workers: 5 VMs from golden image golden/fedora: 1 import, 0 full copies, 1 snapshot, 5 copy-on-write clones; 10Gi imported, 0 copied',
    });
  });

  test('host-assisted: a full copy per VM', () => {
    const c = chart();
    const img = image(c, { snapshotClass: undefined });
    const f = fleet(c, { replicas: 4, strategy: CloneStrategy.HOST_ASSISTED, diskSize: Size.gibibytes(20) }, img);
    expect(f.plan).toMatchObject({ imports: 1, fullCopies: 4, snapshots: 0, copyOnWriteClones: 0, bytesDownloaded: 10 * GIB, bytesCopied: 40 * GIB });
    expect(f.plan.summary).toBe('workers: 4 VMs from golden image golden/fedora: 1 import, 4 full copies, 0 snapshots, 0 copy-on-write clones; 10Gi imported, 40Gi copied');
  });

  test('an image with an import cron counts the cron\'s import', () => {
    const c = chart();
    const img = image(c, { source: DataVolumeSource.registry('docker://quay.io/containerdisks/fedora:41'), importCron: { schedule: '0 3 * * 1' } });
    const f = fleet(c, { replicas: 2 }, img);
    synthValid(c);
    expect(f.plan).toMatchObject({ imports: 2, bytesDownloaded: 20 * GIB, snapshots: 1, copyOnWriteClones: 2 });
  });

  test('an uploaded image counts as one import', () => {
    const c = chart();
    const img = image(c, { source: DataVolumeSource.upload() });
    const f = fleet(c, { replicas: 1 }, img);
    expect(f.plan).toMatchObject({ vms: 1, imports: 1, bytesDownloaded: 10 * GIB, copyOnWriteClones: 1 });
    expect(f.plan.summary).toContain('1 VM from golden image golden/fedora: 1 import, 0 full copies, 1 snapshot, 1 copy-on-write clone;');
  });

  test('the pool has the same plan as N VMs', () => {
    const c = chart();
    expect(fleet(c, { pool: true, replicas: 7 }).plan).toMatchObject({ vms: 7, copyOnWriteClones: 7 });
  });
});

describe('apply order', () => {
  test('the image and its snapshot come before the VMs that clone them', () => {
    const c = chart();
    fleet(c);
    const kinds = synthValid(c).map(d => d.kind);
    expect(kinds.indexOf('VolumeSnapshot')).toBeLessThan(kinds.indexOf('VirtualMachine'));
    expect(kinds.indexOf('DataVolume')).toBeLessThan(kinds.indexOf('VolumeSnapshot'));
  });

  test('a fleet whose image lives in another chart makes its chart depend on the image chart', () => {
    const app = Testing.app();
    const fleetChart = new Chart(app, 'fleet', { namespace: 'golden' });
    const imageChart = new Chart(app, 'images', { namespace: 'golden' });
    fleet(fleetChart, {}, image(imageChart));
    const yaml = app.synthYaml(); // resolves construct dependencies into chart dependencies
    expect(app.charts.map(ch => ch.node.id)).toEqual(['images', 'fleet']);
    expect(yaml.indexOf('kind: VolumeSnapshot')).toBeLessThan(yaml.indexOf('kind: VirtualMachine'));
  });

  test('a fleet in another namespace comes after the image\'s snapshot and clone grant', () => {
    const c = chart('tenant');
    fleet(c, { namespace: 'tenant' }, image(c));
    const docs = synthValid(c);
    const names = docs.map(d => `${d.kind}/${d.metadata.name}`);
    expect(names.indexOf('VolumeSnapshot/fedora')).toBeLessThan(names.indexOf('VirtualMachine/workers-0'));
    expect(names.indexOf('RoleBinding/fedora-clone-tenant')).toBeLessThan(names.indexOf('VirtualMachine/workers-0'));
  });
});

describe('clones that finish copy-on-write', () => {
  test('a disk of the image\'s size is left to CDI, also when asked for explicitly', () => {
    const c = chart();
    fleet(c, { diskSize: Size.gibibytes(10) }, image(c, { volumeMode: PersistentVolumeMode.FILE_SYSTEM }));
    const t = findOne(synthValid(c), 'VirtualMachine', 'workers-0').spec.dataVolumeTemplates[0];
    expect(t.spec.storage).toEqual({ storageClassName: 'rook-ceph-block', volumeMode: 'Filesystem' });
  });

  test('a larger disk below the padded size of a Filesystem image is refused with the size it needs', () => {
    const c = chart();
    const img = image(c, { volumeMode: PersistentVolumeMode.FILE_SYSTEM });
    expect(() => fleet(c, { diskSize: Size.mebibytes(10600) }, img))
      .toThrow(/\[test\/workers\] 'diskSize' is smaller than the 11381663335 bytes .* got '10600Mi'; leave 'diskSize' unset to get the image's size, or give at least Size.mebibytes\(10855\)$/);
  });

  test('a larger disk is copy-on-write only if the class allows expansion: a condition, a certainty, or an error', () => {
    const c = chart();
    const unknown = fleet(c, { diskSize: Size.gibibytes(20) });
    expect(unknown.plan.conditions).toEqual([
      'storage class \'rook-ceph-block\' allows volume expansion (a 20Gi clone is restored from the image\'s snapshot, then expanded; '
      + 'else CDI copies each clone host-assisted; state storageFacts.allowVolumeExpansion to settle it)',
    ]);
    expect(unknown.plan.summary).toMatch(/3 copy-on-write clones; 10Gi imported, 0 copied; copy-on-write if storage class 'rook-ceph-block' allows volume expansion/);

    const c2 = chart();
    const expandable = fleet(c2, { diskSize: Size.gibibytes(20) }, image(c2, { storageFacts: { allowVolumeExpansion: true } }));
    expect(expandable.plan.conditions).toBeUndefined();
    expect(expandable.plan.summary).not.toContain('if');

    const c3 = chart();
    const fixed = image(c3, { storageFacts: { allowVolumeExpansion: false } });
    expect(() => fleet(c3, { diskSize: Size.gibibytes(20) }, fixed))
      .toThrow(/\[test\/workers\] 'diskSize' is larger than the image, and storage class 'rook-ceph-block' does not allow volume expansion .* host-assisted .*; leave 'diskSize' unset/);
    // the hint: the image's size
    new SmartCloneFleet(c3, 'hinted', { image: fixed, replicas: 1 });
    synthValid(c3);
  });

  test('clones are pinned to the volume mode the image resolves to; an unknown mode with other access modes is a condition', () => {
    const c = chart();
    const pinned = image(c, { storageFacts: { volumeMode: PersistentVolumeMode.BLOCK } });
    const f = fleet(c, { accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY] }, pinned);
    const docs = synthValid(c);
    expect(findOne(docs, 'DataVolume', 'fedora').spec.storage.volumeMode).toBe('Block');
    expect(findOne(docs, 'VirtualMachine', 'workers-0').spec.dataVolumeTemplates[0].spec.storage.volumeMode).toBe('Block');
    expect(f.plan.conditions).toBeUndefined();

    const c2 = chart();
    const open = fleet(c2, { accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY] });
    expect(open.plan.conditions).toEqual([
      'the StorageProfile of storage class \'rook-ceph-block\' gives ReadWriteMany claims the image\'s volume mode '
      + '(else CDI copies each clone host-assisted; set the image\'s volumeMode or storageFacts.volumeMode to pin it)',
    ]);
  });

  test('a snapshot or PVC source needs no diskSize: CDI takes the source\'s size', () => {
    const c = chart();
    const f = new SmartCloneFleet(c, 'snap', { source: DataVolumeSource.snapshot('golden', 'base'), replicas: 2 });
    new SmartCloneFleet(c, 'pvc', { source: DataVolumeSource.pvc('golden', 'base'), replicas: 2 });
    const docs = synthValid(c);
    expect(findOne(docs, 'VirtualMachine', 'snap-0').spec.dataVolumeTemplates[0].spec.storage).toEqual({});
    expect(findOne(docs, 'VirtualMachine', 'pvc-0').spec.dataVolumeTemplates[0].spec.storage).toEqual({});
    expect(f.plan).toMatchObject({ copyOnWriteClones: 2 });
  });
});

describe('the fleet label reaches every VM\'s pod', () => {
  // KubeVirt builds the VMI's labels from the VM template's only, and the
  // virt-launcher pod takes the VMI's: a label on the VM object alone never
  // reaches the pod, so selectors on it would match nothing.
  const spread = (selector: any) => [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' as any, labelSelector: selector }];

  test('every VM template carries the fleet label without expose() or a policy', () => {
    const c = chart();
    fleet(c, { templateLabels: { tier: 'front' } });
    for (const vm of Testing.synth(c).filter(d => d.kind === 'VirtualMachine')) {
      expect(vm.spec.template.metadata.labels).toEqual({ 'tier': 'front', 'kubevirt.cdk8s.io/fleet': 'workers' });
    }
  });

  test('the pool\'s VM template carries it too', () => {
    const c = chart();
    fleet(c, { pool: true });
    const pool = findOne(Testing.synth(c), 'VirtualMachinePool', 'workers');
    expect(pool.spec.virtualMachineTemplate.spec.template.metadata.labels).toEqual({ 'kubevirt.cdk8s.io/fleet': 'workers' });
  });

  test('a topology spread on the fleet label is accepted', () => {
    const c = chart();
    fleet(c, { topologySpreadConstraints: spread({ matchLabels: { 'kubevirt.cdk8s.io/fleet': 'workers' } }) });
    expect(() => Testing.synth(c)).not.toThrow();
  });

  test('a topology spread on a label the pods do not carry is refused', () => {
    const c = chart();
    fleet(c, { labels: { app: 'web' }, topologySpreadConstraints: spread({ matchLabels: { app: 'web' } }) });
    expect(() => Testing.synth(c)).toThrow(
      /'topologySpreadConstraints\[0\].labelSelector' does not match the virt-launcher pod of VM 'workers-0' \(its labels: kubevirt.cdk8s.io\/fleet=workers, kubevirt.io=virt-launcher, vm.kubevirt.io\/name=workers-0, vmi.kubevirt.io\/id=workers-0\), so the constraint does not spread it, got .*; select the fleet label 'kubevirt.cdk8s.io\/fleet: workers', which every VM's pod carries/);
  });

  test('pod anti-affinity on the fleet label is accepted; on a VM-object label it is refused', () => {
    const anti = (matchLabels: any) => ({
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels } }] },
    });
    const ok = chart();
    fleet(ok, { affinity: anti({ 'kubevirt.cdk8s.io/fleet': 'workers' }) });
    expect(() => Testing.synth(ok)).not.toThrow();
    const bad = chart();
    fleet(bad, { labels: { app: 'web' }, affinity: anti({ app: 'web' }) });
    expect(() => Testing.synth(bad)).toThrow(
      /'affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution\[0\].labelSelector' selects by 'app', a label of the VM object that never reaches a virt-launcher pod, so it matches none of these VMs' pods, got .*; put 'app' in templateLabels/);
  });

  test('match expressions are read like the scheduler reads them', () => {
    const ok = chart();
    fleet(ok, { topologySpreadConstraints: spread({ matchExpressions: [{ key: 'kubevirt.cdk8s.io/fleet', operator: 'In', values: ['workers'] }] }) });
    expect(() => Testing.synth(ok)).not.toThrow();
    const bad = chart();
    fleet(bad, { topologySpreadConstraints: spread({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }) });
    expect(() => Testing.synth(bad)).toThrow(/does not match the virt-launcher pod of VM 'workers-0'/);
  });
});

describe('host names', () => {
  // KubeVirt takes the pod's host name, cloud-init's local-hostname and the
  // vm.kubevirt.io/name label from spec.hostname when set, else the VMI name.
  test('a hostname shared by every VM is refused, with or without subdomain', () => {
    expect(() => fleet(chart(), { hostname: 'web' })).toThrow(
      /\[test\/workers\] 'hostname' would give every VM of the fleet the same host name \(pod hostname, cloud-init local-hostname and the vm.kubevirt.io\/name label\), got 'web'; drop hostname: each VM's host name is then its own name \('workers-0', 'workers-1'...\)/);
    expect(() => fleet(chart(), { hostname: 'web', subdomain: 'web', pool: true })).toThrow(
      /'hostname' would give .*, and 'web.web' would resolve to all of them, got 'web'; drop hostname: .*, reachable as 'workers-0.web'/);
  });

  test('a host name in the shared cloud-init data is refused too', () => {
    expect(() => fleet(chart(), { cloudInit: CloudInit.noCloud({ extraConfig: { hostname: 'web', timezone: 'UTC' } }) })).toThrow(
      /'cloudInit.extraConfig.hostname' would give every VM of the fleet the same host name \(the fleet's VMs share one cloud-init Secret\), got 'hostname'; drop hostname from extraConfig/);
  });

  test('the fix works: a subdomain alone names each VM apart', () => {
    const c = chart();
    fleet(c, { subdomain: 'web' });
    for (const vm of Testing.synth(c).filter(d => d.kind === 'VirtualMachine')) {
      expect(vm.spec.template.spec.subdomain).toBe('web');
      expect(vm.spec.template.spec.hostname).toBeUndefined();
    }
  });
});

describe('firmware identity', () => {
  test('each VM of a fleet gets its own; a pool\'s template gets none (KubeVirt gives each pool VM its own)', () => {
    const c = chart();
    const img = image(c);
    new SmartCloneFleet(c, 'workers', { name: 'web', image: img, replicas: 2 });
    new SmartCloneFleet(c, 'pool', { name: 'batch', image: img, replicas: 2, pool: true });
    const docs = synthValid(c);
    const uuids = ['web-0', 'web-1'].map(n => findOne(docs, 'VirtualMachine', n).spec.template.spec.domain.firmware.uuid);
    expect(uuids).toEqual(['web-0', 'web-1'].map(n => uuidV5(FIRMWARE_UUID_NAMESPACE, `golden/${n}`)));
    const pool = findOne(docs, 'VirtualMachinePool', 'batch');
    expect(pool.spec.virtualMachineTemplate.spec.template.spec.domain.firmware).toBeUndefined();
  });

  test('a fleet refuses firmwareUuid, which all its VMs would share', () => {
    const c = chart();
    const img = image(c);
    expect(() => new SmartCloneFleet(c, 'workers', { name: 'web', image: img, replicas: 2, firmwareUuid: '0c4b6c4e-2d1f-4f0e-9a6b-3c2d1e0f9a8b' }))
      .toThrow(/\[test\/workers\] 'firmwareUuid' would be the firmware UUID of every VM of the fleet.*, got '0c4b6c4e-2d1f-4f0e-9a6b-3c2d1e0f9a8b'; drop firmwareUuid/);
  });
});
