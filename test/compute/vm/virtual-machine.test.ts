import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { vlanBridge } from './fixtures';
import {
  BootDisk, CloudInit, Firmware, Instancetype, InterfaceBinding, MachineType, Network, Preference, RunStrategy, VirtualMachine,
  EvictionStrategy, VirtualMachineInstancetype,
} from '../../../src/compute';
import { INetworkAttachmentDefinition, NetworkAttachmentDefinition } from '../../../src/network';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHt2cGx1c3Rlc3RrZXlmb3J0ZXN0c29ubHkx user@host';

function chart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

function vm(c: Chart, props: Partial<ConstructorParameters<typeof VirtualMachine>[2]> = {}): VirtualMachine {
  return new VirtualMachine(c, 'vm', { name: 'my-vm', namespace: 'my-ns', bootDisk: BootDisk.containerDisk(IMAGE), ...props });
}

function spec(c: Chart, name = 'my-vm'): any {
  return findOne(synthValid(c), 'VirtualMachine', name).spec;
}

function secretText(doc: any, key: string): string {
  return Buffer.from(doc.data[key], 'base64').toString('utf-8');
}

describe('defaults', () => {
  test('a VM with only a name and a boot disk', () => {
    const c = chart();
    vm(c);
    const docs = synthValid(c);
    expect(docs).toMatchSnapshot();
  });

  test('ApiObject.of returns the VirtualMachine object', () => {
    const c = chart();
    const v = vm(c);
    const obj = ApiObject.of(v);
    expect(obj.kind).toBe('VirtualMachine');
    expect(obj.apiVersion).toBe('kubevirt.io/v1');
    expect(obj.name).toBe('my-vm');
  });

  test('takes the namespace of the chart when none is given', () => {
    const c = chart('team-a');
    new VirtualMachine(c, 'vm', { name: 'my-vm', bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(findOne(synthValid(c), 'VirtualMachine').metadata.namespace).toBe('team-a');
  });

  test('throws without any namespace', () => {
    const c = chart();
    expect(() => new VirtualMachine(c, 'vm', { name: 'my-vm', bootDisk: BootDisk.containerDisk(IMAGE) }))
      .toThrow(/\[test\/vm\] 'namespace' must be given \(the chart has no namespace either\), got undefined; set namespace/);
  });

  test('exposes name, namespace and a copy of its networks', () => {
    const v = vm(chart());
    expect(v.name).toBe('my-vm');
    expect(v.namespace).toBe('my-ns');
    const networks = v.networks;
    expect(networks.map(n => n.name)).toEqual(['default']);
    networks.pop();
    expect(v.networks).toHaveLength(1);
  });
});

describe('fromVirtualMachineName', () => {
  test('refers to an existing VM without synthesizing anything', () => {
    const c = chart();
    const imported = VirtualMachine.fromVirtualMachineName(c, 'existing', 'legacy-vm', { namespace: 'my-ns' });
    expect(imported.name).toBe('legacy-vm');
    expect(imported.namespace).toBe('my-ns');
    expect(synthValid(c)).toEqual([]);
  });

  test('validates the name', () => {
    expect(() => VirtualMachine.fromVirtualMachineName(chart(), 'existing', 'Legacy_VM', { namespace: 'my-ns' }))
      .toThrow(/\[test\/existing\] 'name' must be a DNS-1123 label/);
  });
});

describe('hardware', () => {
  test('renders CPU topology and guest memory', () => {
    const c = chart();
    vm(c, { cores: 2, sockets: 1, threads: 2, memory: Size.mebibytes(1536) });
    const domain = spec(c).template.spec.domain;
    expect(domain.cpu).toEqual({ cores: 2, sockets: 1, threads: 2 });
    expect(domain.memory).toEqual({ guest: '1536Mi' });
  });

  test('renders the run strategy with KubeVirt\'s words', () => {
    for (const [strategy, text] of [
      [RunStrategy.ALWAYS, 'Always'], [RunStrategy.RERUN_ON_FAILURE, 'RerunOnFailure'], [RunStrategy.MANUAL, 'Manual'],
      [RunStrategy.HALTED, 'Halted'], [RunStrategy.ONCE, 'Once'],
    ] as const) {
      const c = chart();
      vm(c, { runStrategy: strategy });
      expect(spec(c).runStrategy).toBe(text);
    }
  });

  test('EFI with Secure Boot turns on SMM', () => {
    const c = chart();
    vm(c, { firmware: Firmware.efi() });
    const domain = spec(c).template.spec.domain;
    expect(domain.firmware.bootloader).toEqual({ efi: { secureBoot: true } });
    expect(domain.features).toEqual({ smm: { enabled: true } });
  });

  test('EFI without Secure Boot says so explicitly (KubeVirt defaults to on) and leaves SMM alone', () => {
    const c = chart();
    vm(c, { firmware: Firmware.efi({ secureBoot: false, persistent: true }) });
    const domain = spec(c).template.spec.domain;
    expect(domain.firmware.bootloader).toEqual({ efi: { secureBoot: false, persistent: true } });
    expect(domain.features).toBeUndefined();
  });

  test('BIOS when asked for', () => {
    const c = chart();
    vm(c, { firmware: Firmware.bios() });
    expect(spec(c).template.spec.domain.firmware.bootloader).toEqual({ bios: {} });
  });

  test('machine type Q35 and custom', () => {
    const c = chart();
    vm(c, { machineType: MachineType.Q35 });
    new VirtualMachine(c, 'other', { name: 'other', namespace: 'my-ns', bootDisk: BootDisk.containerDisk(IMAGE), machineType: MachineType.custom('pc-q35-rhel9.6.0') });
    const docs = synthValid(c);
    expect(findOne(docs, 'VirtualMachine', 'my-vm').spec.template.spec.domain.machine).toEqual({ type: 'q35' });
    expect(findOne(docs, 'VirtualMachine', 'other').spec.template.spec.domain.machine).toEqual({ type: 'pc-q35-rhel9.6.0' });
  });

  test('instancetype and preference references, without CPU or memory', () => {
    const c = chart();
    vm(c, { instancetype: Instancetype.cluster('u1.medium'), preference: Preference.namespaced('fedora') });
    const s = spec(c);
    expect(s.instancetype).toEqual({ kind: 'VirtualMachineClusterInstancetype', name: 'u1.medium' });
    expect(s.preference).toEqual({ kind: 'VirtualMachinePreference', name: 'fedora' });
    expect(s.template.spec.domain.cpu).toBeUndefined();
    expect(s.template.spec.domain.memory).toBeUndefined();
  });

  test('namespaced instancetype and cluster preference kinds', () => {
    const c = chart();
    // the instancetype the VM names, in its namespace, with enough memory
    // for the rhel.9 cluster preference KubeVirt installs (1536Mi)
    new VirtualMachineInstancetype(c, 'small', { name: 'small', namespace: 'my-ns', cpus: 1, memory: Size.gibibytes(2) });
    vm(c, { instancetype: Instancetype.namespaced('small'), preference: Preference.cluster('rhel.9') });
    const s = spec(c);
    expect(s.instancetype).toEqual({ kind: 'VirtualMachineInstancetype', name: 'small' });
    expect(s.preference).toEqual({ kind: 'VirtualMachineClusterPreference', name: 'rhel.9' });
    expect(s.template.spec.domain.cpu).toBeUndefined();
    expect(s.template.spec.domain.memory).toBeUndefined();
  });
});

describe('placement and metadata', () => {
  test('renders node selector, tolerations, affinity and eviction strategy', () => {
    const c = chart();
    vm(c, {
      nodeSelector: { 'node-role.kubernetes.io/worker': '', 'kubevirt.io/schedulable': 'true' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'vms', effect: 'NoSchedule' }],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }],
          },
        },
      },
      evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
    });
    const t = spec(c).template.spec;
    expect(Object.keys(t.nodeSelector)).toEqual(['kubevirt.io/schedulable', 'node-role.kubernetes.io/worker']);
    expect(t.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'vms', effect: 'NoSchedule' }]);
    expect(t.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0])
      .toEqual({ key: 'zone', operator: 'In', values: ['a'] });
    expect(t.evictionStrategy).toBe('LiveMigrate');
  });

  test.each([
    [EvictionStrategy.LIVE_MIGRATE_IF_POSSIBLE, 'LiveMigrateIfPossible'],
    [EvictionStrategy.EXTERNAL, 'External'],
    [EvictionStrategy.NONE, 'None'],
  ])('eviction strategy %p renders as %p', (strategy, text) => {
    const c = chart();
    vm(c, { evictionStrategy: strategy });
    expect(spec(c).template.spec.evictionStrategy).toBe(text);
  });

  test('labels and annotations go separately on the VM and on its template', () => {
    const c = chart();
    vm(c, {
      labels: { app: 'db' },
      annotations: { owner: 'team-a' },
      templateLabels: { 'app.kubernetes.io/name': 'db' },
      templateAnnotations: { 'example.org/note': 'x' },
    });
    const doc = findOne(synthValid(c), 'VirtualMachine');
    expect(doc.metadata.labels).toEqual({ app: 'db' });
    expect(doc.metadata.annotations).toEqual({ owner: 'team-a' });
    expect(doc.spec.template.metadata).toEqual({ labels: { 'app.kubernetes.io/name': 'db' }, annotations: { 'example.org/note': 'x' } });
  });
});

describe('networks', () => {
  test('the issue example: pod network plus a bridge on VLAN 1234', () => {
    const c = chart();
    const net = vlanBridge(c);
    const v = new VirtualMachine(c, 'my-vm', {
      name: 'my-vm', namespace: 'my-ns', bootDisk: BootDisk.containerDisk(IMAGE), memory: Size.gibibytes(2),
    });
    v.addNetwork('other-net', Network.multus(net), { binding: InterfaceBinding.bridge() });
    const t = spec(c).template.spec;
    expect(t.networks).toEqual([
      { name: 'default', pod: {} },
      { name: 'other-net', multus: { networkName: 'my-ns/my-bridge' } },
    ]);
    expect(t.domain.devices.interfaces).toEqual([
      { name: 'default', masquerade: {} },
      { name: 'other-net', bridge: {} },
    ]);
  });

  test('every interface has a network of the same name', () => {
    const c = chart();
    const nad = NetworkAttachmentDefinition.fromNetworkName(c, 'nad', 'my-ns/net-a');
    const v = vm(c);
    v.addNetwork('a', Network.multus(nad));
    v.addNetwork('b', Network.multus(nad), { binding: InterfaceBinding.sriov() });
    const t = spec(c).template.spec;
    expect(t.networks.map((n: any) => n.name)).toEqual(t.domain.devices.interfaces.map((i: any) => i.name));
  });

  test('bridge binding on the pod network, SR-IOV and binding plugins', () => {
    const c = chart();
    const nad = NetworkAttachmentDefinition.fromNetworkName(c, 'nad', 'my-ns/sriov-net');
    vm(c, {
      networks: [
        { name: 'default', network: Network.pod(), binding: InterfaceBinding.bridge() },
        { name: 'fast', network: Network.multus(nad), binding: InterfaceBinding.sriov(), macAddress: '02:00:5e:10:00:01' },
        { name: 'passt', network: Network.multus(nad), binding: InterfaceBinding.plugin('passt') },
      ],
    });
    expect(spec(c).template.spec.domain.devices.interfaces).toEqual([
      { name: 'default', bridge: {} },
      { name: 'fast', sriov: {}, macAddress: '02:00:5e:10:00:01' },
      { name: 'passt', binding: { name: 'passt' } },
    ]);
  });

  test('networks: [] plus a Multus default network gives a VM without pod network', () => {
    const c = chart();
    const nad = NetworkAttachmentDefinition.fromNetworkName(c, 'nad', 'my-ns/net-a');
    const v = vm(c, { networks: [] });
    v.addNetwork('main', Network.multus(nad, { defaultNetwork: true }));
    const t = spec(c).template.spec;
    expect(t.networks).toEqual([{ name: 'main', multus: { networkName: 'my-ns/net-a', default: true } }]);
    expect(t.domain.devices.autoattachPodInterface).toBeUndefined();
  });

  test('networks: [] and nothing added gives a VM without any network, not KubeVirt\'s automatic pod interface', () => {
    const c = chart();
    vm(c, { networks: [] });
    const t = spec(c).template.spec;
    expect(t.networks).toEqual([]);
    expect(t.domain.devices.interfaces).toEqual([]);
    expect(t.domain.devices.autoattachPodInterface).toBe(false);
  });

  test('the network object tells its kind and default flag', () => {
    const c = chart();
    const nad = NetworkAttachmentDefinition.fromNetworkName(c, 'nad', 'my-ns/net-a');
    const multus = Network.multus(nad, { defaultNetwork: true });
    expect(multus.kind).toBe('multus');
    expect(multus.isDefault).toBe(true);
    expect(multus.networkAttachmentDefinition).toBe(nad);
    expect(Network.pod().kind).toBe('pod');
    expect(Network.pod().isDefault).toBe(false);
  });
});

describe('cloud-init and SSH keys', () => {
  test('inline cloud-init lands in a Secret the VM references, never in the VM', () => {
    const c = chart();
    vm(c, { cloudInit: CloudInit.noCloud({ packages: ['qemu-guest-agent'], runcmd: ['systemctl enable --now qemu-guest-agent'] }) });
    const docs = synthValid(c);
    const secret = findOne(docs, 'Secret', 'my-vm-cloud-init');
    expect(secret.metadata.namespace).toBe('my-ns');
    expect(secret.type).toBe('Opaque');
    expect(secretText(secret, 'userdata')).toBe('#cloud-config\npackages:\n  - qemu-guest-agent\nruncmd:\n  - systemctl enable --now qemu-guest-agent\n');
    expect(secret.data.networkdata).toBeUndefined();
    const t = findOne(docs, 'VirtualMachine').spec.template.spec;
    expect(t.volumes[1]).toEqual({ name: 'cloudinitdisk', cloudInitNoCloud: { secretRef: { name: 'my-vm-cloud-init' } } });
    expect(t.domain.devices.disks[1]).toEqual({ name: 'cloudinitdisk', disk: {} });
    expect(JSON.stringify(findOne(docs, 'VirtualMachine'))).not.toContain('qemu-guest-agent');
  });

  test('network data goes into the same Secret under networkdata', () => {
    const c = chart();
    vm(c, { cloudInit: CloudInit.noCloud({ networkInterfaces: [{ name: 'eth1', addresses: ['10.123.124.10/24'] }] }) });
    const docs = synthValid(c);
    const secret = findOne(docs, 'Secret', 'my-vm-cloud-init');
    expect(secretText(secret, 'networkdata')).toBe('version: 2\nethernets:\n  eth1:\n    addresses:\n      - 10.123.124.10/24\n');
    expect(findOne(docs, 'VirtualMachine').spec.template.spec.volumes[1].cloudInitNoCloud).toEqual({
      secretRef: { name: 'my-vm-cloud-init' }, networkDataSecretRef: { name: 'my-vm-cloud-init' },
    });
  });

  test('an existing Secret is referenced and nothing is created', () => {
    const c = chart();
    vm(c, { cloudInit: CloudInit.fromSecret('shared-cloud-init', { networkDataSecretName: 'shared-net' }) });
    const docs = synthValid(c);
    expect(docs.filter(d => d.kind === 'Secret')).toEqual([]);
    expect(findOne(docs, 'VirtualMachine').spec.template.spec.volumes[1].cloudInitNoCloud).toEqual({
      secretRef: { name: 'shared-cloud-init' }, networkDataSecretRef: { name: 'shared-net' },
    });
  });

  test('many VMs can share one cloud-init Secret', () => {
    const c = chart();
    const shared = CloudInit.fromSecret('fleet-cloud-init');
    for (const i of [0, 1, 2]) {
      new VirtualMachine(c, `vm${i}`, { name: `vm-${i}`, namespace: 'my-ns', bootDisk: BootDisk.containerDisk(IMAGE), cloudInit: shared });
    }
    const docs = synthValid(c);
    const refs = docs.filter(d => d.kind === 'VirtualMachine').map(d => d.spec.template.spec.volumes[1].cloudInitNoCloud.secretRef.name);
    expect(refs).toEqual(['fleet-cloud-init', 'fleet-cloud-init', 'fleet-cloud-init']);
  });

  test('SSH keys go into a Secret passed with the NoCloud propagation method', () => {
    const c = chart();
    vm(c, { sshKeys: [KEY, KEY.replace('user@host', 'other@host')] });
    const docs = synthValid(c);
    const keys = findOne(docs, 'Secret', 'my-vm-ssh-keys');
    expect(Object.keys(keys.data)).toEqual(['key1', 'key2']);
    expect(secretText(keys, 'key1')).toBe(KEY);
    const t = findOne(docs, 'VirtualMachine').spec.template.spec;
    expect(t.accessCredentials).toEqual([{
      sshPublicKey: { source: { secret: { secretName: 'my-vm-ssh-keys' } }, propagationMethod: { noCloud: {} } },
    }]);
    // KubeVirt needs a NoCloud volume for that propagation method: an empty one is added
    expect(t.volumes.find((v: any) => v.cloudInitNoCloud)).toEqual({ name: 'cloudinitdisk', cloudInitNoCloud: { secretRef: { name: 'my-vm-cloud-init' } } });
    expect(secretText(findOne(docs, 'Secret', 'my-vm-cloud-init'), 'userdata')).toBe('#cloud-config\n{}\n');
  });

  test('SSH keys work next to a shared cloud-init Secret', () => {
    const c = chart();
    vm(c, { sshKeys: [KEY], cloudInit: CloudInit.fromSecret('shared') });
    const docs = synthValid(c);
    expect(docs.filter(d => d.kind === 'Secret').map(d => d.metadata.name)).toEqual(['my-vm-ssh-keys']);
    expect(findOne(docs, 'VirtualMachine').spec.template.spec.volumes[1].cloudInitNoCloud.secretRef.name).toBe('shared');
  });
});

describe('boot disks', () => {
  test('container disk with a path', () => {
    const c = chart();
    vm(c, { bootDisk: BootDisk.containerDisk(IMAGE, { path: '/disk/fedora.qcow2' }) });
    expect(spec(c).template.spec.volumes[0]).toEqual({ name: 'rootdisk', containerDisk: { image: IMAGE, path: '/disk/fedora.qcow2' } });
  });

  test('existing PersistentVolumeClaim, read-only when asked', () => {
    const c = chart();
    vm(c, { bootDisk: BootDisk.persistentVolumeClaim('fedora-root', { readOnly: true }) });
    const t = spec(c).template.spec;
    expect(t.volumes[0]).toEqual({ name: 'rootdisk', persistentVolumeClaim: { claimName: 'fedora-root', readOnly: true } });
    expect(t.domain.devices.disks[0]).toEqual({ name: 'rootdisk', disk: {}, bootOrder: 1 });
  });

  test('a source with a DataVolume template renders dataVolumeTemplates and a dataVolume volume', () => {
    const c = chart();
    const disk = BootDisk._fromSource({
      description: 'test DataVolume',
      validate: () => undefined,
      bind: ({ name, volumeName }) => ({
        volume: { name: volumeName, dataVolume: { name: `${name}-root` } },
        dataVolumeTemplate: {
          metadata: { name: `${name}-root` },
          spec: {
            source: { pvc: { namespace: 'golden', name: 'fedora-41' } },
            storage: { resources: { requests: { storage: '10Gi' } }, accessModes: ['ReadWriteMany'] },
          },
        },
      }),
    });
    vm(c, { bootDisk: disk, evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    const s = spec(c);
    expect(s.dataVolumeTemplates).toEqual([{
      metadata: { name: 'my-vm-root' },
      spec: {
        source: { pvc: { namespace: 'golden', name: 'fedora-41' } },
        storage: { resources: { requests: { storage: '10Gi' } }, accessModes: ['ReadWriteMany'] },
      },
    }]);
    expect(s.template.spec.volumes[0]).toEqual({ name: 'rootdisk', dataVolume: { name: 'my-vm-root' } });
  });

  test('a read-write-many claim can live-migrate', () => {
    const c = chart();
    vm(c, {
      bootDisk: BootDisk.persistentVolumeClaim('root', { accessMode: PersistentVolumeAccessMode.READ_WRITE_MANY }),
      evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
    });
    expect(spec(c).template.spec.evictionStrategy).toBe('LiveMigrate');
  });
});

describe('rules', () => {
  test.each([
    ['My-VM', /'name' must be a DNS-1123 label/],
    ['a'.repeat(64), /'name' must be at most 63 characters \(it is 64\)/],
    ['vm_1', /'name' must be a DNS-1123 label.*got 'vm_1'; use a name such as 'vm-1'/],
  ])('rejects the VM name %p', (name, message) => {
    expect(() => vm(chart(), { name })).toThrow(new RegExp(`\\[test/vm\\] ${message.source}`));
  });

  test('rejects a namespace that is not a DNS-1123 label', () => {
    expect(() => vm(chart(), { namespace: 'My.NS' })).toThrow(/\[test\/vm\] 'namespace' must be a DNS-1123 label.*got 'My.NS'/);
  });

  test.each(['cores', 'sockets', 'threads'] as const)('rejects %p below 1', prop => {
    expect(() => vm(chart(), { [prop]: 0 })).toThrow(new RegExp(`\\[test/vm\\] '${prop}' must be a whole number of at least 1, got 0; set '${prop}' to 1 or more`));
  });

  test('rejects fractional cores', () => {
    expect(() => vm(chart(), { cores: 1.5 })).toThrow(/'cores' must be a whole number of at least 1, got 1.5/);
  });

  test('rejects memory below 1 MiB', () => {
    expect(() => vm(chart(), { memory: Size.mebibytes(0) }))
      .toThrow(/\[test\/vm\] 'memory' must be a whole number of bytes and at least 1 MiB, got '0'; give the guest memory like Size.gibibytes\(2\)/);
    expect(() => vm(chart(), { memory: Size.kibibytes(512) })).toThrow(/'memory' must be .* at least 1 MiB, got '512Ki'/);
  });

  test('rejects CPU or memory next to an instancetype', () => {
    expect(() => vm(chart(), { instancetype: Instancetype.cluster('u1.medium'), memory: Size.gibibytes(2) }))
      .toThrow(/\[test\/vm\] 'memory' conflicts with instancetype 'u1.medium' \(KubeVirt rejects a VM that sets guest CPU or memory next to an instancetype\), got 'memory'; drop cores, sockets, threads and memory, or drop the instancetype/);
    expect(() => vm(chart(), { instancetype: Instancetype.cluster('u1.medium'), cores: 2, threads: 2 }))
      .toThrow(/'cores' conflicts with instancetype 'u1.medium'.*got 'cores, threads'/);
  });

  test('rejects an unpinned container disk', () => {
    expect(() => vm(chart(), { bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora') }))
      .toThrow(/\[test\/vm\] 'bootDisk.image' must be pinned to a tag or digest .*got 'quay.io\/containerdisks\/fedora'; pin the image to a release tag/);
    expect(() => vm(chart(), { bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:latest') }))
      .toThrow(/'bootDisk.image' must be pinned to a fixed tag or digest, not 'latest'/);
  });

  test('rejects a relative container disk path and a bad claim name', () => {
    expect(() => vm(chart(), { bootDisk: BootDisk.containerDisk(IMAGE, { path: 'disk.img' }) }))
      .toThrow(/'bootDisk.path' must be an absolute path inside the image, got 'disk.img'/);
    expect(() => vm(chart(), { bootDisk: BootDisk.persistentVolumeClaim('Root_Disk') }))
      .toThrow(/'bootDisk.claimName' must be a DNS-1123 subdomain/);
  });

  test('rejects a bad machine type and bad instancetype names', () => {
    expect(() => vm(chart(), { machineType: MachineType.custom('q35 ') })).toThrow(/'machineType' must be a machine type name/);
    expect(() => vm(chart(), { instancetype: Instancetype.cluster('U1 Medium') })).toThrow(/'instancetype.name' must be a DNS-1123 subdomain/);
    expect(() => vm(chart(), { preference: Preference.cluster('') })).toThrow(/'preference.name' must be a non-empty DNS-1123 subdomain/);
  });

  test('rejects bad label and annotation keys and label values', () => {
    expect(() => vm(chart(), { labels: { 'Bad Key': 'x' } }))
      .toThrow(/\[test\/vm\] 'labels' key must end in a name of at most 63 letters.*got 'Bad Key'/);
    expect(() => vm(chart(), { templateLabels: { app: 'x'.repeat(64) } }))
      .toThrow(/'templateLabels.app' must be at most 63 characters \(it is 64\)/);
    expect(() => vm(chart(), { nodeSelector: { zone: 'eu west' } })).toThrow(/'nodeSelector.zone' must consist of letters/);
    expect(() => vm(chart(), { annotations: { 'Example.org/x': 'y' } })).toThrow(/'annotations' key must have a DNS-1123 subdomain before the '\/'/);
    const c = chart();
    vm(c, { templateAnnotations: { 'example.org/long': 'any text, even with spaces: fine' } });
    expect(spec(c).template.metadata.annotations['example.org/long']).toBe('any text, even with spaces: fine');
  });

  test('rejects invalid and private SSH keys', () => {
    expect(() => vm(chart(), { sshKeys: ['not a key'] })).toThrow(/\[test\/vm\] 'sshKeys\[0\]' must start with a key type/);
    expect(() => vm(chart(), { sshKeys: [KEY, '-----BEGIN OPENSSH PRIVATE KEY-----'] })).toThrow(/'sshKeys\[1\]' is a private key/);
  });

  describe('networks', () => {
    let c: Chart;
    let nads: Map<string, INetworkAttachmentDefinition>;
    beforeEach(() => { c = chart(); nads = new Map(); });
    const nad = (name = 'net-a') => {
      if (!nads.has(name)) nads.set(name, NetworkAttachmentDefinition.fromNetworkName(c, `nad-${name}`, `my-ns/${name}`));
      return nads.get(name)!;
    };

    test('duplicate interface names', () => {
      const v = vm(c);
      expect(() => v.addNetwork('default', Network.multus(nad())))
        .toThrow(/\[test\/vm\] 'networks.default.name' is already used by another interface of this VM, got 'default'; give every interface \(and its network\) its own name/);
    });

    test('interface names that are not DNS-1123 labels', () => {
      const v = vm(c);
      expect(() => v.addNetwork('Other_Net', Network.multus(nad()))).toThrow(/'networks.Other_Net.name' must be a DNS-1123 label/);
      expect(() => v.addNetwork('a'.repeat(64), Network.multus(nad()))).toThrow(/must be at most 63 characters/);
    });

    test('more than one pod network', () => {
      const v = vm(c);
      expect(() => v.addNetwork('second', Network.pod()))
        .toThrow(/\[test\/vm\] 'networks.second.network' is a second pod network \(interface 'default' already uses it\); a VM joins the pod network at most once, got 'pod'/);
    });

    test('more than one Multus default network', () => {
      const v = vm(c, { networks: [] });
      v.addNetwork('a', Network.multus(nad('net-a'), { defaultNetwork: true }));
      expect(() => v.addNetwork('b', Network.multus(nad('net-b'), { defaultNetwork: true })))
        .toThrow(/\[test\/vm\] 'networks.b.network' is a second Multus default network \(interface 'a' already is one\), got 'multus:my-ns\/net-b \(default\)'; mark only one Multus network defaultNetwork: true/);
    });

    test('a Multus default network next to the pod network, in either order', () => {
      const v = vm(c);
      expect(() => v.addNetwork('main', Network.multus(nad(), { defaultNetwork: true })))
        .toThrow(/'networks.main.network' cannot be the default network while interface 'default' uses the pod network, got 'multus:my-ns\/net-a \(default\)'; pass networks: \[\] to drop the pod network/);
      const w = new VirtualMachine(c, 'w', { name: 'w', namespace: 'my-ns', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'main', network: Network.multus(nad('net-b'), { defaultNetwork: true }) }] });
      expect(() => w.addNetwork('pod', Network.pod()))
        .toThrow(/\[test\/w\] 'networks.pod.network' cannot be added next to the Multus default network of interface 'main', which replaces the pod network, got 'pod'/);
    });

    test('masquerade on a Multus network', () => {
      const v = vm(c);
      expect(() => v.addNetwork('x', Network.multus(nad()), { binding: InterfaceBinding.masquerade() }))
        .toThrow(/'networks.x.binding' only works on the pod network, not on multus:my-ns\/net-a, got 'masquerade'; use InterfaceBinding.bridge\(\)/);
    });

    test('SR-IOV on the pod network', () => {
      expect(() => vm(c, { networks: [{ name: 'default', network: Network.pod(), binding: InterfaceBinding.sriov() }] }))
        .toThrow(/'networks.default.binding' needs a device-backed Multus network, not the pod network, got 'sriov'/);
    });

    test('a binding plugin name that cannot be registered', () => {
      expect(() => vm(c).addNetwork('x', Network.multus(nad()), { binding: InterfaceBinding.plugin('My Plugin') }))
        .toThrow(/'networks.x.binding' must name a binding plugin registered in the KubeVirt CR, got 'My Plugin'/);
    });

    test('malformed, multicast and duplicate MAC addresses', () => {
      const v = vm(c);
      expect(() => v.addNetwork('x', Network.multus(nad()), { macAddress: '02:00:5e:10:00' })).toThrow(/'networks.x.macAddress' must be a MAC address of six hex pairs/);
      expect(() => v.addNetwork('x', Network.multus(nad()), { macAddress: '01:00:5e:10:00:01' })).toThrow(/'networks.x.macAddress' must be a unicast address/);
      v.addNetwork('x', Network.multus(nad()), { macAddress: '02:00:5e:10:00:01' });
      expect(() => v.addNetwork('y', Network.multus(nad()), { macAddress: '02-00-5E-10-00-01' }))
        .toThrow(/'networks.y.macAddress' is already used by interface 'x', got '02-00-5E-10-00-01'/);
    });

    test('the MAC address KubeVirt reserves for masquerade', () => {
      expect(() => vm(c, { networks: [{ name: 'default', network: Network.pod(), macAddress: '02:00:00:00:00:00' }] }))
        .toThrow(/'networks.default.macAddress' is reserved by KubeVirt for the in-pod bridge of masquerade/);
    });
  });

  describe('live migration', () => {
    test('LiveMigrate with a bridge-bound pod network', () => {
      expect(() => vm(chart(), {
        evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
        networks: [{ name: 'default', network: Network.pod(), binding: InterfaceBinding.bridge() }],
      })).toThrow(/\[test\/vm\] 'networks.default.binding' on the pod network cannot live-migrate, so with evictionStrategy LiveMigrate KubeVirt denies the VM's eviction and node drains block, got 'bridge'; use InterfaceBinding.masquerade\(\), or set allowPodBridgeNetworkLiveMigration: true \(annotation kubevirt.io\/allow-pod-bridge-network-live-migration\)/);
    });

    test('is accepted with the opt-in prop, which annotates the template', () => {
      const c = chart();
      vm(c, {
        evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
        allowPodBridgeNetworkLiveMigration: true,
        networks: [{ name: 'default', network: Network.pod(), binding: InterfaceBinding.bridge() }],
      });
      expect(spec(c).template.metadata.annotations).toEqual({ 'kubevirt.io/allow-pod-bridge-network-live-migration': 'true' });
    });

    test('is accepted with the annotation on the template', () => {
      const c = chart();
      vm(c, {
        evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
        templateAnnotations: { 'kubevirt.io/allow-pod-bridge-network-live-migration': '' },
        networks: [{ name: 'default', network: Network.pod(), binding: InterfaceBinding.bridge() }],
      });
      expect(spec(c).template.metadata.annotations).toEqual({ 'kubevirt.io/allow-pod-bridge-network-live-migration': '' });
    });

    test('the annotation on the VM object alone is refused, since KubeVirt reads it from the instance', () => {
      expect(() => vm(chart(), { annotations: { 'kubevirt.io/allow-pod-bridge-network-live-migration': 'true' } }))
        .toThrow(/\[test\/vm\] 'annotations' has no effect on the VM object: KubeVirt reads it from the VM instance, got 'kubevirt.io\/allow-pod-bridge-network-live-migration'; set allowPodBridgeNetworkLiveMigration: true/);
    });

    test('bridge on the pod network is fine without LiveMigrate', () => {
      const c = chart();
      vm(c, { evictionStrategy: EvictionStrategy.LIVE_MIGRATE_IF_POSSIBLE, networks: [{ name: 'default', network: Network.pod(), binding: InterfaceBinding.bridge() }] });
      expect(spec(c).template.spec.domain.devices.interfaces).toEqual([{ name: 'default', bridge: {} }]);
    });

    test('LiveMigrate with a ReadWriteOnce claim fails at synth', () => {
      const c = chart();
      vm(c, {
        bootDisk: BootDisk.persistentVolumeClaim('root', { accessMode: PersistentVolumeAccessMode.READ_WRITE_ONCE }),
        evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
      });
      expect(() => synthValid(c)).toThrow(/\[test\/vm\] 'bootDisk' \(persistentVolumeClaim 'root'\) cannot follow a live migration because its storage is not ReadWriteMany, while the eviction strategy is LiveMigrate: KubeVirt accepts the VM, but denies its eviction, so node drains block, got 'ReadWriteOnce'; use ReadWriteMany storage, or evictionStrategy LiveMigrateIfPossible or None/);
    });

    test('LiveMigrate with a ReadWriteOnce DataVolume template fails at synth', () => {
      const c = chart();
      const disk = BootDisk._fromSource({
        description: 'DataVolume my-vm-root',
        validate: () => undefined,
        bind: ({ volumeName }) => ({
          volume: { name: volumeName, dataVolume: { name: 'my-vm-root' } },
          dataVolumeTemplate: { metadata: { name: 'my-vm-root' }, spec: { source: { blank: {} }, storage: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } },
        }),
      });
      vm(c, { bootDisk: disk, evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
      expect(() => synthValid(c)).toThrow(/'bootDisk' \(DataVolume my-vm-root\) cannot follow a live migration.*got 'ReadWriteOnce'/);
    });

    test('a claim of unknown access mode and a container disk are not flagged', () => {
      const c = chart();
      vm(c, { bootDisk: BootDisk.persistentVolumeClaim('root'), evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
      new VirtualMachine(c, 'other', { name: 'other', namespace: 'my-ns', bootDisk: BootDisk.containerDisk(IMAGE), evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
      expect(synthValid(c).filter(d => d.kind === 'VirtualMachine')).toHaveLength(2);
    });

    test('ReadWriteOnce is fine when the VM does not live-migrate', () => {
      const c = chart();
      vm(c, { bootDisk: BootDisk.persistentVolumeClaim('root', { accessMode: PersistentVolumeAccessMode.READ_WRITE_ONCE }), evictionStrategy: EvictionStrategy.NONE });
      expect(spec(c).template.spec.evictionStrategy).toBe('None');
    });
  });
});

describe('topology spread selectors are checked against the launcher pod\'s labels', () => {
  const spread = (selector: any) => [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' as any, labelSelector: selector }];

  test('a label of the VM object alone never reaches the pod: refused', () => {
    const c = chart('apps');
    vm(c, { labels: { app: 'db' }, topologySpreadConstraints: spread({ matchLabels: { app: 'db' } }) });
    expect(() => Testing.synth(c)).toThrow(/'topologySpreadConstraints\[0\].labelSelector' does not match the virt-launcher pod of VM 'my-vm' .*select a label of the VM's templateLabels/);
  });

  test('a template label, and KubeVirt\'s host-name label, do', () => {
    const c = chart('apps');
    vm(c, { templateLabels: { app: 'db' }, topologySpreadConstraints: spread({ matchLabels: { app: 'db' } }) });
    new VirtualMachine(c, 'other', {
      name: 'other',
      namespace: 'apps',
      bootDisk: BootDisk.containerDisk(IMAGE),
      hostname: 'db-a',
      topologySpreadConstraints: spread({ matchLabels: { 'vm.kubevirt.io/name': 'db-a' } }),
    });
    expect(() => Testing.synth(c)).not.toThrow();
  });
});
