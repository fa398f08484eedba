import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import {
  BootDisk, CommonInstancetype, CpuModel, Firmware, HugepagesSize, HypervEnlightenments, Instancetype, InterfaceModel, MachineType, Preference,
  PreferredCpuTopology,
  DiskBus, VirtualMachine, VirtualMachineClusterInstancetype, VirtualMachineClusterPreference, VirtualMachineInstancetype,
  VirtualMachinePreference, VirtualMachineTemplateOptions,
} from '../../../src/compute';
import { KubeVirt } from '../../../src/platform';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function chart(namespace = 'my-ns'): Chart {
  return new Chart(Testing.app(), 'test', { namespace });
}

function vm(c: Chart, props: VirtualMachineTemplateOptions & { namespace?: string } = {}): VirtualMachine {
  return new VirtualMachine(c, 'vm', { name: 'my-vm', bootDisk: BootDisk.containerDisk(IMAGE), ...props });
}

describe('instancetypes', () => {
  test('a cluster instancetype renders CPU, memory, devices and IO threads', () => {
    const c = chart();
    const it = new VirtualMachineClusterInstancetype(c, 'it', {
      name: 'cx1.2xlarge',
      cpus: 8,
      memory: Size.gibibytes(16),
      dedicatedCpus: true,
      isolateEmulatorThread: true,
      numaGuestMappingPassthrough: true,
      hugepages: HugepagesSize.TWO_MI,
      cpuModel: CpuModel.custom('Skylake-Server'),
      gpus: [{ name: 'gpu1', deviceName: 'nvidia.com/T4' }],
      ioThreadsPolicy: 'auto' as any,
    });
    const doc = findOne(synthValid(c), 'VirtualMachineClusterInstancetype');
    expect(ApiObject.of(it)).toBeDefined();
    expect(doc.metadata).toEqual({ name: 'cx1.2xlarge' });
    expect(doc.spec).toEqual({
      cpu: { guest: 8, dedicatedCPUPlacement: true, isolateEmulatorThread: true, model: 'Skylake-Server', numa: { guestMappingPassthrough: {} } },
      gpus: [{ deviceName: 'nvidia.com/T4', name: 'gpu1' }],
      ioThreadsPolicy: 'auto',
      memory: { guest: '16Gi', hugepages: { pageSize: '2Mi' } },
    });
  });

  test('a namespaced instancetype takes the chart namespace and memory overcommit', () => {
    const c = chart();
    new VirtualMachineInstancetype(c, 'it', { name: 'small', cpus: 1, memory: Size.gibibytes(2), memoryOvercommitPercent: 20 });
    const doc = findOne(synthValid(c), 'VirtualMachineInstancetype');
    expect(doc.metadata).toEqual({ name: 'small', namespace: 'my-ns' });
    expect(doc.spec.memory).toEqual({ guest: '2Gi', overcommitPercent: 20 });
  });

  test.each([
    ['no CPUs', { cpus: 0, memory: Size.gibibytes(1) }, /'cpus' must be a whole number of at least 1/],
    ['overcommit above 100 %', { cpus: 1, memory: Size.gibibytes(1), memoryOvercommitPercent: 120 }, /'memoryOvercommitPercent' must be a whole percentage from 0 to 100/],
    ['overcommit with hugepages', { cpus: 1, memory: Size.gibibytes(2), memoryOvercommitPercent: 10, hugepages: HugepagesSize.TWO_MI }, /cannot be combined with hugepages/],
    // KubeVirt's pinning sets the pod's memory limit to the lowered request
    ['overcommit with dedicated CPUs', { cpus: 2, memory: Size.gibibytes(4), memoryOvercommitPercent: 10, dedicatedCpus: true },
      /'memoryOvercommitPercent' lowers the memory request, and with dedicated CPUs KubeVirt sets the pod's memory limit to that request, so the guest is killed .*, got 10; drop memoryOvercommitPercent \(pinned VMs get all their memory\), or drop dedicatedCpus/],
    ['memory not a multiple of the page size', { cpus: 1, memory: Size.mebibytes(1536), hugepages: HugepagesSize.ONE_GI }, /'memory' must be a multiple of the hugepage size 1Gi/],
    ['NUMA without hugepages', { cpus: 2, memory: Size.gibibytes(2), dedicatedCpus: true, numaGuestMappingPassthrough: true }, /needs dedicated CPUs and hugepages/],
    ['memory of another shape', { cpus: 1, memory: '2Gi' as any }, /'memory' must be a Size/],
  ])('refuses %s', (_, props, message) => {
    expect(() => new VirtualMachineClusterInstancetype(chart(), 'it', { name: 'x', ...(props as any) })).toThrow(message);
  });

  test('Instancetype.of references the object by name and kind', () => {
    const c = chart();
    const it = new VirtualMachineClusterInstancetype(c, 'it', { name: 'u1.medium', cpus: 1, memory: Size.gibibytes(4) });
    vm(c, { instancetype: Instancetype.of(it) });
    const spec = findOne(synthValid(c), 'VirtualMachine').spec;
    expect(spec.instancetype).toEqual({ kind: 'VirtualMachineClusterInstancetype', name: 'u1.medium' });
    expect(spec.template.spec.domain.memory).toBeUndefined();
  });

  test('name references keep working', () => {
    const c = chart();
    vm(c, { instancetype: Instancetype.cluster('u1.medium'), preference: Preference.cluster('fedora') });
    expect(findOne(synthValid(c), 'VirtualMachine').spec.preference).toEqual({ kind: 'VirtualMachineClusterPreference', name: 'fedora' });
  });

  test('Instancetype.of refuses something that is not an instancetype', () => {
    expect(() => Instancetype.of({ name: 'x' } as any)).toThrow(/'instancetype' must be an IInstancetypeDefinition.*pass a VirtualMachineInstancetype/);
  });

  test('a VM that sets what its instancetype supplies is refused', () => {
    const c = chart();
    const it = new VirtualMachineClusterInstancetype(c, 'it', {
      name: 'pinned', cpus: 2, memory: Size.gibibytes(2), dedicatedCpus: true, hugepages: HugepagesSize.TWO_MI,
    });
    expect(() => vm(c, { instancetype: Instancetype.of(it), dedicatedCpus: true }))
      .toThrow(/'dedicatedCpus' conflicts with instancetype 'pinned', which supplies it.*drop dedicatedCpus from the VM/);
    expect(() => vm(chart(), { instancetype: Instancetype.of(it), hugepages: HugepagesSize.ONE_GI })).toThrow(/'hugepages' conflicts with instancetype 'pinned'/);
    expect(() => vm(chart(), { instancetype: Instancetype.cluster('u1.small'), cpuRequest: Cpu.units(1) })).toThrow(/'cpuRequest' conflicts with instancetype 'u1.small'/);
    expect(() => vm(chart(), { instancetype: Instancetype.cluster('u1.small'), memoryLimit: Size.gibibytes(2) })).toThrow(/'memoryLimit' conflicts/);
  });

  test('settings the instancetype leaves open are allowed, and rules see the merged result', () => {
    const c = chart();
    const it = new VirtualMachineClusterInstancetype(c, 'it', {
      name: 'pinned', cpus: 2, memory: Size.gibibytes(2), dedicatedCpus: true, hugepages: HugepagesSize.TWO_MI,
    });
    vm(c, { instancetype: Instancetype.of(it), isolateEmulatorThread: true, numaGuestMappingPassthrough: true });
    expect(findOne(synthValid(c), 'VirtualMachine').spec.template.spec.domain.cpu).toEqual({ isolateEmulatorThread: true, numa: { guestMappingPassthrough: {} } });
  });

  test('a namespaced instancetype must live in the VM namespace', () => {
    const c = chart();
    const it = new VirtualMachineInstancetype(c, 'it', { name: 'small', namespace: 'other', cpus: 1, memory: Size.gibibytes(1) });
    expect(() => vm(c, { instancetype: Instancetype.of(it) }))
      .toThrow(/'instancetype' is a namespaced instancetype outside the VM's namespace 'my-ns'.*got 'other\/small'; define it in namespace 'my-ns', or use a VirtualMachineClusterInstancetype/);
    const ok = chart();
    const same = new VirtualMachineInstancetype(ok, 'it', { name: 'small', cpus: 1, memory: Size.gibibytes(1) });
    vm(ok, { instancetype: Instancetype.of(same) });
    expect(() => synthValid(ok)).not.toThrow();
  });
});

describe('preferences', () => {
  test('a cluster preference renders its preferred settings and requirements', () => {
    const c = chart();
    new VirtualMachineClusterPreference(c, 'p', {
      name: 'windows.2k22',
      requirements: { minCpus: 2, minMemory: Size.gibibytes(4) },
      preferredCpuTopology: PreferredCpuTopology.SOCKETS,
      preferredDiskBus: DiskBus.SATA,
      preferredInterfaceModel: InterfaceModel.E1000E,
      preferredFirmware: Firmware.efi(),
      preferredMachineType: MachineType.Q35,
      preferredHyperv: HypervEnlightenments.custom({ relaxed: true }),
      preferredTpm: true,
      preferredTerminationGracePeriodSeconds: 3600,
    });
    const doc = findOne(synthValid(c), 'VirtualMachineClusterPreference');
    expect(doc.spec).toEqual({
      cpu: { preferredCPUTopology: 'sockets' },
      devices: { preferredDiskBus: 'sata', preferredInterfaceModel: 'e1000e', preferredTPM: {} },
      features: { preferredHyperv: { relaxed: { enabled: true } }, preferredSmm: { enabled: true } },
      firmware: { preferredEfi: { secureBoot: true } },
      machine: { preferredMachineType: 'q35' },
      preferredTerminationGracePeriodSeconds: 3600,
      requirements: { cpu: { guest: 2 }, memory: { guest: '4Gi' } },
    });
  });

  test('the instancetype must meet the preference requirements', () => {
    const c = chart();
    const it = new VirtualMachineClusterInstancetype(c, 'it', { name: 'u1.small', cpus: 1, memory: Size.gibibytes(2) });
    const p = new VirtualMachineClusterPreference(c, 'p', { name: 'windows', requirements: { minCpus: 2, minMemory: Size.gibibytes(4) } });
    expect(() => vm(c, { instancetype: Instancetype.of(it), preference: Preference.of(p) }))
      .toThrow(/'instancetype' gives fewer vCPUs \(from instancetype 'u1.small'\) than preference 'windows' requires \(2\)/);
    const big = new VirtualMachineClusterInstancetype(c, 'big', { name: 'u1.large', cpus: 2, memory: Size.gibibytes(8) });
    new VirtualMachine(c, 'vm2', { name: 'big-vm', bootDisk: BootDisk.containerDisk(IMAGE), instancetype: Instancetype.of(big), preference: Preference.of(p) });
    expect(() => synthValid(c)).not.toThrow();
  });

  test('without an instancetype the VM itself must meet them', () => {
    const c = chart();
    const p = new VirtualMachinePreference(c, 'p', { name: 'big-guest', requirements: { minMemory: Size.gibibytes(4) } });
    expect(() => vm(c, { preference: Preference.of(p), memory: Size.gibibytes(2) }))
      .toThrow(/'memory' gives less memory \(from the VM\) than preference 'big-guest' requires \(4Gi\), got '2Gi'/);
    expect(() => vm(chart(), { preference: Preference.of(p) })).toThrow(/'memory' gives less memory/);
  });

  test('a namespaced preference must live in the VM namespace', () => {
    const c = chart();
    const p = new VirtualMachinePreference(c, 'p', { name: 'pref', namespace: 'elsewhere' });
    expect(() => vm(c, { preference: Preference.of(p) })).toThrow(/'preference' is a namespaced preference outside the VM's namespace 'my-ns'/);
  });

  test('refuses bad shapes and values', () => {
    expect(() => new VirtualMachineClusterPreference(chart(), 'p', { name: 'x', requirements: { minCpus: 0 } })).toThrow(/'requirements.minCpus'/);
    expect(() => new VirtualMachineClusterPreference(chart(), 'p', { name: 'x', preferredDiskBus: 'ide' as any })).toThrow(/'preferredDiskBus' must be a member of DiskBus/);
    expect(() => new VirtualMachineClusterPreference(chart(), 'p', { name: 'x', preferredHyperv: HypervEnlightenments.custom({ ipi: true, vpindex: false }) }))
      .toThrow(/'preferredHyperv.ipi' needs the 'vpindex' enlightenment/);
    expect(() => Preference.of('fedora' as any)).toThrow(/'preference' must be an IPreferenceDefinition/);
  });
});

describe('CommonInstancetype', () => {
  // facts of the upstream common-instancetypes v1 series, written out here
  test.each([
    [CommonInstancetype.U1_SMALL, 'u1.small', { cpu: { guest: 1 }, memory: { guest: '2Gi' } }],
    [CommonInstancetype.U1_MEDIUM, 'u1.medium', { cpu: { guest: 1 }, memory: { guest: '4Gi' } }],
    [CommonInstancetype.U1_XLARGE, 'u1.xlarge', { cpu: { guest: 4 }, memory: { guest: '16Gi' } }],
    [CommonInstancetype.CX1_LARGE, 'cx1.large', {
      cpu: { guest: 2, maxSockets: 2, dedicatedCPUPlacement: true, isolateEmulatorThread: true, numa: { guestMappingPassthrough: {} } },
      ioThreadsPolicy: 'auto',
      memory: { guest: '4Gi', hugepages: { pageSize: '2Mi' } },
    }],
    [CommonInstancetype.M1_XLARGE, 'm1.xlarge', { cpu: { guest: 4 }, memory: { guest: '32Gi', hugepages: { pageSize: '2Mi' } } }],
  ])('%#: %s renders the upstream size', (size, name, spec) => {
    const c = chart();
    size.defineCluster(c, 'it');
    const doc = findOne(synthValid(c), 'VirtualMachineClusterInstancetype');
    expect(doc.metadata.name).toBe(name);
    expect(doc.spec).toEqual(spec);
  });

  test('reference() points at the cluster object by name; defineNamespaced() gives a typed reference', () => {
    expect(CommonInstancetype.U1_MEDIUM.reference()).toMatchObject({ name: 'u1.medium', kind: 'VirtualMachineClusterInstancetype' });
    const c = chart();
    const it = CommonInstancetype.CX1_MEDIUM.defineNamespaced(c, 'it');
    vm(c, { instancetype: Instancetype.of(it) });
    expect(() => synthValid(c)).not.toThrow();
    expect(() => vm(chart(), { instancetype: Instancetype.of(CommonInstancetype.CX1_MEDIUM.defineCluster(chart(), 'x')), dedicatedCpus: true }))
      .toThrow(/'dedicatedCpus' conflicts with instancetype 'cx1.medium'/);
  });

  // virt-operator creates and updates the common instancetypes it deploys
  // (on by default), so an app copy of the same name fights it
  test('defineCluster() is refused next to a KubeVirt that deploys the common instancetypes', () => {
    const c = chart();
    new KubeVirt(c, 'kv');
    CommonInstancetype.U1_MEDIUM.defineCluster(c, 'it');
    expect(() => Testing.synth(c)).toThrow(
      /'defineCluster' defines a cluster instancetype that virt-operator of the KubeVirt at 'test\/kv' deploys and owns itself .*, got 'u1.medium'; use CommonInstancetype.U1_MEDIUM.reference\(\), or defineNamespaced\(\), or set commonInstancetypesDeployment: false on that KubeVirt/);
  });

  test('the fix works: commonInstancetypesDeployment: false', () => {
    const c = chart();
    new KubeVirt(c, 'kv', { commonInstancetypesDeployment: false });
    CommonInstancetype.U1_MEDIUM.defineCluster(c, 'it');
    const docs = Testing.synth(c);
    expect(findOne(docs, 'KubeVirt').spec.configuration.commonInstancetypesDeployment).toEqual({ enabled: false });
    expect(findOne(docs, 'VirtualMachineClusterInstancetype').metadata.name).toBe('u1.medium');
  });
});
