import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu, DnsPolicy } from 'cdk8s-plus-33';
import {
  BootDisk, CpuFeaturePolicy, CpuModel, Disk, EvictionStrategy, HugepagesSize, HypervEnlightenments, InputBus, InterfaceModel, IoThreadsPolicy,
  Network,
  SmartCloneFleet, TimerTickPolicy, VirtualMachine, VirtualMachineTemplateOptions, VmProbe, WatchdogAction,
} from '../../../src/compute';
import { NetworkAttachmentDefinition } from '../../../src/network';
import { FeatureGate, KubeVirt } from '../../../src/platform';
import { DataVolumeSource } from '../../../src/storage';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'my-ns' });
}

function vm(c: Chart, props: VirtualMachineTemplateOptions = {}, name = 'my-vm'): VirtualMachine {
  return new VirtualMachine(c, name, { name, bootDisk: BootDisk.containerDisk(IMAGE), ...props });
}

function template(c: Chart, name = 'my-vm'): any {
  return findOne(synthValid(c), 'VirtualMachine', name).spec.template.spec;
}

describe('compute and performance settings', () => {
  test('a pinned, hugepage-backed NUMA VM renders every field KubeVirt reads', () => {
    const c = chart();
    vm(c, {
      cores: 4,
      memory: Size.gibibytes(8),
      dedicatedCpus: true,
      isolateEmulatorThread: true,
      numaGuestMappingPassthrough: true,
      realtime: true,
      hugepages: HugepagesSize.ONE_GI,
      cpuModel: CpuModel.HOST_PASSTHROUGH,
      cpuFeatures: [{ name: 'pcid' }, { name: 'vmx', policy: CpuFeaturePolicy.FORBID }],
      cpuRequest: Cpu.units(4),
      cpuLimit: Cpu.units(4),
      memoryRequest: Size.gibibytes(8),
      memoryLimit: Size.gibibytes(8),
      networkInterfaceMultiqueue: true,
      blockMultiQueue: true,
      ioThreadsPolicy: IoThreadsPolicy.SUPPLEMENTAL_POOL,
      ioThreads: 2,
    });
    const t = template(c);
    expect(t.domain.cpu).toEqual({
      cores: 4,
      dedicatedCpuPlacement: true,
      isolateEmulatorThread: true,
      model: 'host-passthrough',
      features: [{ name: 'pcid', policy: 'require' }, { name: 'vmx', policy: 'forbid' }],
      numa: { guestMappingPassthrough: {} },
      realtime: {},
    });
    expect(t.domain.memory).toEqual({ guest: '8Gi', hugepages: { pageSize: '1Gi' } });
    expect(t.domain.resources).toEqual({ limits: { cpu: '4', memory: '8Gi' }, requests: { cpu: '4', memory: '8Gi' } });
    expect(t.domain.ioThreadsPolicy).toBe('supplementalPool');
    expect(t.domain.ioThreads).toEqual({ supplementalPoolThreadCount: 2 });
    expect(t.domain.devices.networkInterfaceMultiqueue).toBe(true);
    expect(t.domain.devices.blockMultiQueue).toBe(true);
  });

  test('memory overcommit: the guest sees more than the pod requests', () => {
    const c = chart();
    vm(c, { memory: Size.gibibytes(4), memoryRequest: Size.gibibytes(2), cpuRequest: Cpu.millis(500) });
    const t = template(c);
    expect(t.domain.memory.guest).toBe('4Gi');
    expect(t.domain.resources.requests).toEqual({ cpu: '500m', memory: '2Gi' });
  });

  test('pod lifecycle settings go on the template', () => {
    const c = chart();
    vm(c, {
      terminationGracePeriod: Duration.seconds(60),
      hostname: 'db-0',
      subdomain: 'db',
      dnsPolicy: DnsPolicy.NONE,
      dnsConfig: { nameservers: ['10.0.0.10'], searches: ['example.org'] },
      priorityClassName: 'vm-critical',
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' }],
    });
    const t = template(c);
    expect(t.terminationGracePeriodSeconds).toBe(60);
    expect(t.hostname).toBe('db-0');
    expect(t.subdomain).toBe('db');
    expect(t.dnsPolicy).toBe('None');
    expect(t.dnsConfig).toEqual({ nameservers: ['10.0.0.10'], searches: ['example.org'] });
    expect(t.priorityClassName).toBe('vm-critical');
    expect(t.topologySpreadConstraints[0].topologyKey).toBe('topology.kubernetes.io/zone');
  });

  test('guest devices and Windows settings', () => {
    const c = chart();
    vm(c, {
      tpm: { persistent: true },
      rng: true,
      watchdog: WatchdogAction.RESET,
      tabletInput: InputBus.USB,
      autoattachGraphicsDevice: true,
      autoattachSerialConsole: false,
      hyperv: HypervEnlightenments.windows(),
      clock: { timezone: 'Europe/Berlin', hpet: false, hypervTimer: true, pitTickPolicy: TimerTickPolicy.DELAY, rtcTickPolicy: TimerTickPolicy.CATCHUP },
    });
    const t = template(c);
    expect(t.domain.devices).toMatchObject({
      autoattachGraphicsDevice: true,
      autoattachSerialConsole: false,
      inputs: [{ bus: 'usb', name: 'tablet', type: 'tablet' }],
      rng: {},
      tpm: { persistent: true },
      watchdog: { i6300esb: { action: 'reset' }, name: 'watchdog' },
    });
    expect(t.domain.features.hyperv.synictimer).toEqual({ direct: { enabled: true }, enabled: true });
    expect(t.domain.features.hyperv.spinlocks).toEqual({ enabled: true, spinlocks: 8191 });
    expect(t.domain.clock).toEqual({
      timezone: 'Europe/Berlin',
      timer: { hpet: { present: false }, hyperv: { present: true }, pit: { tickPolicy: 'delay' }, rtc: { tickPolicy: 'catchup' } },
    });
  });

  test('fleets render the same settings on every VM', () => {
    const c = chart();
    new SmartCloneFleet(c, 'fleet', {
      name: 'workers',
      replicas: 2,
      source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
      diskSize: Size.gibibytes(10),
      allowPerVmImport: true,
      cores: 2,
      dedicatedCpus: true,
    });
    const docs = synthValid(c);
    for (const name of ['workers-0', 'workers-1']) {
      expect(findOne(docs, 'VirtualMachine', name).spec.template.spec.domain.cpu).toEqual({ cores: 2, dedicatedCpuPlacement: true });
    }
  });
});

describe('KubeVirt admission rules, applied at synth time', () => {
  const cases: Array<[string, VirtualMachineTemplateOptions, RegExp]> = [
    ['isolateEmulatorThread without dedicated CPUs', { isolateEmulatorThread: true }, /'isolateEmulatorThread' only works with dedicated CPUs.*set dedicatedCpus: true/],
    ['NUMA passthrough without hugepages', { cores: 2, dedicatedCpus: true, numaGuestMappingPassthrough: true }, /'numaGuestMappingPassthrough' needs hugepages/],
    ['NUMA passthrough without dedicated CPUs', { numaGuestMappingPassthrough: true, hugepages: HugepagesSize.TWO_MI }, /'numaGuestMappingPassthrough' needs dedicated CPUs/],
    ['realtime without NUMA', { cores: 2, dedicatedCpus: true, realtime: true }, /'realtime' needs the guest NUMA mapping/],
    ['guest memory not a multiple of the page size', { memory: Size.mebibytes(1500), hugepages: HugepagesSize.ONE_GI }, /'memory' must be a multiple of the hugepage size 1Gi, got '1500Mi'/],
    ['default memory smaller than a page', { hugepages: HugepagesSize.ONE_GI, memory: Size.mebibytes(512) }, /'memory' must be a multiple of the hugepage size 1Gi/],
    ['memory request not a multiple of the page size', { memory: Size.gibibytes(2), memoryRequest: Size.mebibytes(2049), hugepages: HugepagesSize.TWO_MI }, /'memoryRequest' must be a multiple/],
    // KubeVirt caps a pinned VM's pod memory at the request (renderresources.go, WithCPUPinning)
    ['memory request below the guest memory with dedicated CPUs', { dedicatedCpus: true, cores: 2, memory: Size.gibibytes(4), memoryRequest: Size.gibibytes(2) },
      /'memoryRequest' is less than the guest memory 4Gi with dedicated CPUs: KubeVirt then sets the pod's memory limit to the request, so the guest is OOM-killed .*, got '2Gi'; drop memoryRequest \(or raise it to 4Gi\): overcommit needs shared CPUs/],
    // KubeVirt sizes hugepages from the smaller of request and guest memory (renderresources.go, WithHugePages)
    ['memory request below the guest memory with hugepages', { memory: Size.gibibytes(4), memoryRequest: Size.gibibytes(2), hugepages: HugepagesSize.TWO_MI },
      /'memoryRequest' is less than the guest memory 4Gi with hugepages: KubeVirt sizes the pod's hugepages from the request, .*so the VM cannot start .*, got '2Gi'; drop memoryRequest \(or raise it to 4Gi\): overcommit needs normal pages/],
    ['CPU request above the limit', { cpuRequest: Cpu.units(2), cpuLimit: Cpu.millis(1500) }, /'cpuRequest' is more than cpuLimit 1500m, got '2'/],
    ['memory request above the limit', { memoryRequest: Size.gibibytes(3), memoryLimit: Size.gibibytes(2), memory: Size.gibibytes(2) }, /'memoryRequest' is more than memoryLimit 2Gi/],
    ['memory limit below the guest memory', { memory: Size.gibibytes(4), memoryLimit: Size.gibibytes(2) }, /'memoryLimit' is less than the guest memory 4Gi/],
    ['fractional CPU with dedicated CPUs', { dedicatedCpus: true, cpuRequest: Cpu.millis(1500) }, /'cpuRequest' must be a whole number of CPUs with dedicated CPUs/],
    ['request and limit differ with dedicated CPUs', { dedicatedCpus: true, cpuRequest: Cpu.units(2), cpuLimit: Cpu.units(3) }, /'cpuLimit' must equal cpuRequest 2/],
    ['memory request and limit differ with dedicated CPUs', { dedicatedCpus: true, cores: 2, memoryRequest: Size.gibibytes(1), memoryLimit: Size.gibibytes(2), memory: Size.gibibytes(1) }, /'memoryLimit' must equal memoryRequest 1Gi/],
    ['CPU request not matching the vCPUs', { dedicatedCpus: true, cores: 4, cpuRequest: Cpu.units(2) }, /must match the 4 vCPUs/],
    ['dedicated CPUs with nothing to pin', { dedicatedCpus: true }, /'dedicatedCpus' needs a number of CPUs to pin/],
    ['three threads with dedicated CPUs', { dedicatedCpus: true, cores: 1, threads: 3 }, /'threads' must be at most 2 with dedicated CPUs/],
    ['IO threads without the supplemental pool', { ioThreads: 2 }, /'ioThreads' only sizes the supplemental pool/],
    ['supplemental pool without a size', { ioThreadsPolicy: IoThreadsPolicy.SUPPLEMENTAL_POOL }, /'ioThreadsPolicy' needs the size of the pool/],
    ['synic with vpindex off', { hyperv: HypervEnlightenments.custom({ synic: true, vpindex: false }) }, /'hyperv.synic' needs the 'vpindex' enlightenment, which is switched off/],
    ['synthetic timers with synic off', { hyperv: HypervEnlightenments.custom({ synictimer: true, synic: false }) }, /'hyperv.synictimer' needs the 'synic'/],
    ['synthetic timers with vpindex off', { hyperv: HypervEnlightenments.custom({ synictimer: true, vpindex: false }) }, /'hyperv.synic' needs the 'vpindex'/],
    ['too few spinlock retries', { hyperv: HypervEnlightenments.custom({ spinlocks: 100 }) }, /'hyperv.spinlocks' must be an integer of at least 4095|'hyperv.spinlocks'/],
    ['DNS policy None without nameservers', { dnsPolicy: DnsPolicy.NONE }, /'dnsPolicy' needs dnsConfig/],
    ['a host name that is not a label', { hostname: 'Db_0' }, /'hostname'/],
    ['the same name on a GPU and a host device', { gpus: [{ name: 'dev', deviceName: 'nvidia.com/T4' }], hostDevices: [{ name: 'dev', deviceName: 'intel.com/qat' }] }, /'hostDevices\[0\].name' is already the name of another GPU/],
    ['a grace period in fractions of a second', { terminationGracePeriod: Duration.millis(1500) }, /'terminationGracePeriod' must be a whole number of seconds/],
    ['a PIT tick policy the PIT lacks', { clock: { pitTickPolicy: TimerTickPolicy.MERGE } }, /'clock.pitTickPolicy' is not a tick policy of the PIT timer/],
  ];
  test.each(cases)('refuses %s', (_, props, message) => {
    expect(() => vm(chart(), props)).toThrow(message);
  });

  test('enlightenments get the ones they need, as KubeVirt gives them', () => {
    const c = chart();
    vm(c, { hyperv: HypervEnlightenments.custom({ synictimer: true, ipi: true }) });
    expect(template(c).domain.features.hyperv).toEqual({
      ipi: { enabled: true }, synic: { enabled: true }, synictimer: { direct: { enabled: true }, enabled: true }, vpindex: { enabled: true },
    });
  });

  test('errors name the construct path', () => {
    expect(() => vm(chart(), { isolateEmulatorThread: true })).toThrow(/^\[test\/my-vm\] /);
  });

  test('the fix of the NUMA error leads to a VM that synthesizes', () => {
    const c = chart();
    vm(c, { cores: 2, memory: Size.gibibytes(2), dedicatedCpus: true, numaGuestMappingPassthrough: true, hugepages: HugepagesSize.ONE_GI });
    expect(template(c).domain.cpu.numa).toEqual({ guestMappingPassthrough: {} });
  });

  test('wrong shapes from other languages get the library error', () => {
    expect(() => vm(chart(), { dedicatedCpus: 'yes' as any })).toThrow(/'dedicatedCpus' must be true or false/);
    expect(() => vm(chart(), { hugepages: '3Mi' as any })).toThrow(/'hugepages' must be a member of HugepagesSize/);
    expect(() => vm(chart(), { cpuRequest: 2 as any })).toThrow(/'cpuRequest' must be a Cpu/);
    expect(() => vm(chart(), { gpus: { name: 'x' } as any })).toThrow(/'gpus' must be a list/);
    expect(() => vm(chart(), { gpus: [{ name: 'gpu1' }] as any })).toThrow(/'gpus\[0\].deviceName' must be a string/);
    expect(() => vm(chart(), { cpuModel: 'host-model' as any })).toThrow(/'cpuModel' must be a CpuModel/);
    expect(() => vm(chart(), { terminationGracePeriod: 30 as any })).toThrow(/'terminationGracePeriod' must be a Duration/);
  });
});

describe('GPUs and host devices', () => {
  const GPU = { name: 'gpu1', deviceName: 'nvidia.com/TU104GL_Tesla_T4' };
  const QAT = { name: 'qat', deviceName: 'intel.com/qat' };

  function withPlatform(kv: ConstructorParameters<typeof KubeVirt>[2]): Chart {
    const app = Testing.app();
    new KubeVirt(new Chart(app, 'platform'), 'kubevirt', kv);
    return new Chart(app, 'test', { namespace: 'my-ns' });
  }

  test('renders GPUs with vGPU display options and host devices', () => {
    const c = chart();
    vm(c, { gpus: [{ ...GPU, virtualGpuOptions: { display: true, ramFb: false } }], hostDevices: [QAT] });
    const d = template(c).domain.devices;
    expect(d.gpus).toEqual([{ deviceName: GPU.deviceName, name: 'gpu1', virtualGPUOptions: { display: { enabled: true, ramFB: { enabled: false } } } }]);
    expect(d.hostDevices).toEqual([{ deviceName: 'intel.com/qat', name: 'qat' }]);
  });

  test('a GPU the platform does not permit fails with the permit to add', () => {
    const c = withPlatform({});
    vm(c, { gpus: [GPU] });
    expect(() => Testing.synth(c)).toThrow(/'gpus.gpu1.deviceName' is not permitted by the KubeVirt at 'platform\/kubevirt'.*add it to that KubeVirt's permittedHostDevices.*resourceName 'nvidia.com\/TU104GL_Tesla_T4', got 'nvidia.com\/TU104GL_Tesla_T4'|'gpus.gpu1.deviceName' is not permitted/);
  });

  test('a permitted GPU synthesizes, and the KubeVirt CR carries the permit', () => {
    const c = withPlatform({ permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '10DE:1EB8', resourceName: GPU.deviceName }] } });
    vm(c, { gpus: [GPU] });
    expect(() => synthValid(c)).not.toThrow();
    const platform = c.node.root.node.findChild('platform') as Chart;
    const kv = findOne(synthValid(platform), 'KubeVirt');
    expect(kv.spec.configuration.permittedHostDevices).toEqual({ pciHostDevices: [{ pciVendorSelector: '10de:1eb8', resourceName: GPU.deviceName }] });
  });

  test('host devices need the HostDevices gate and a permit', () => {
    const c = withPlatform({ permittedHostDevices: { mediatedDevices: [{ mdevNameSelector: 'QAT', resourceName: QAT.deviceName }] } });
    vm(c, { hostDevices: [QAT] });
    expect(() => Testing.synth(c)).toThrow(/host device 'qat' needs the KubeVirt feature gate 'HostDevices'.*FeatureGate.HOST_DEVICES/);
    const ok = withPlatform({
      featureGates: [FeatureGate.HOST_DEVICES],
      permittedHostDevices: { mediatedDevices: [{ mdevNameSelector: 'QAT', resourceName: QAT.deviceName }] },
    });
    vm(ok, { hostDevices: [QAT] });
    expect(() => synthValid(ok)).not.toThrow();
  });

  test('dedicated CPUs need the CPUManager gate when the platform is in the app', () => {
    const c = withPlatform({});
    vm(c, { cores: 2, dedicatedCpus: true });
    expect(() => Testing.synth(c)).toThrow(/dedicatedCpus .* needs the KubeVirt feature gate 'CPUManager'.*FeatureGate.CPU_MANAGER/);
    const ok = withPlatform({ featureGates: [FeatureGate.CPU_MANAGER] });
    vm(ok, { cores: 2, dedicatedCpus: true });
    expect(() => synthValid(ok)).not.toThrow();
  });

  test('without a platform in the app the device rules stay silent', () => {
    const c = chart();
    vm(c, { gpus: [GPU], hostDevices: [QAT], cores: 2, dedicatedCpus: true });
    expect(() => synthValid(c)).not.toThrow();
  });

  test('host devices and a second GPU block live migration', () => {
    const c = chart();
    vm(c, { hostDevices: [QAT], evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    expect(() => Testing.synth(c)).toThrow(/'evictionStrategy' cannot be honoured: host device 'qat' is bound to the node.*use evictionStrategy None/);
    const two = chart();
    vm(two, { gpus: [GPU, { name: 'gpu2', deviceName: GPU.deviceName }], evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    expect(() => Testing.synth(two)).toThrow(/'evictionStrategy' cannot be honoured: KubeVirt live-migrates a VM with at most one GPU, and this one has 2 \('gpu1', 'gpu2'\)/);
    const ok = chart();
    vm(ok, { gpus: [GPU], evictionStrategy: EvictionStrategy.NONE });
    expect(() => synthValid(ok)).not.toThrow();
  });

  // virt-handler (vm.go, vmiContainsNonMigratablePCIHostDevices): one GPU, a permitted mdev, VGPULiveMigration on
  describe('a single vGPU live-migrates with the VGPULiveMigration gate', () => {
    const MDEV = { mdevNameSelector: 'GRID T4-1Q', resourceName: GPU.deviceName };
    const PCI = { pciVendorSelector: '10DE:1EB8', resourceName: GPU.deviceName };

    test('a permitted mediated device with the gate on is accepted', () => {
      const c = withPlatform({ featureGates: [FeatureGate.VGPU_LIVE_MIGRATION], permittedHostDevices: { mediatedDevices: [MDEV] } });
      vm(c, { gpus: [GPU], evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
      expect(() => synthValid(c)).not.toThrow();
    });

    test('without the gate the VM is refused, naming the gate', () => {
      const c = withPlatform({ permittedHostDevices: { mediatedDevices: [MDEV] } });
      vm(c, { gpus: [GPU], evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
      expect(() => Testing.synth(c)).toThrow(/live migration of vGPU 'gpu1' needs the KubeVirt feature gate 'VGPULiveMigration', which the KubeVirt at 'platform\/kubevirt' does not switch on; add FeatureGate.VGPU_LIVE_MIGRATION/);
    });

    test('a PCI passthrough GPU is refused even with the gate', () => {
      const c = withPlatform({
        featureGates: [FeatureGate.VGPU_LIVE_MIGRATION, FeatureGate.HOST_DEVICES], permittedHostDevices: { pciHostDevices: [PCI] },
      });
      vm(c, { gpus: [GPU], evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
      expect(() => Testing.synth(c)).toThrow(/'evictionStrategy' cannot be honoured: GPU 'gpu1' \(nvidia.com\/TU104GL_Tesla_T4\) is not a mediated device the KubeVirt at 'platform\/kubevirt' permits/);
    });

    test('without a platform in the app a single GPU is not judged', () => {
      const c = chart();
      vm(c, { gpus: [GPU], evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
      expect(() => synthValid(c)).not.toThrow();
    });
  });

  describe('feature gates follow KubeVirt v1.9\'s precedence', () => {
    test('a Beta gate is on unless disabled: hotplug needs no gate, and disabling it is named in the message', () => {
      const on = withPlatform({});
      vm(on).addDisk('hot', Disk.persistentVolumeClaim('data'), { hotpluggable: true });
      expect(() => synthValid(on)).not.toThrow();
      const off = withPlatform({ disabledFeatureGates: [FeatureGate.DECLARATIVE_HOTPLUG_VOLUMES] });
      const v = vm(off);
      v.addDisk('hot', Disk.persistentVolumeClaim('data'), { hotpluggable: true });
      expect(() => Testing.synth(off)).toThrow(/hotpluggable disks.hot .* needs the KubeVirt feature gate 'DeclarativeHotplugVolumes', which the KubeVirt at 'platform\/kubevirt' switches off in 'disabledFeatureGates'; remove FeatureGate.DECLARATIVE_HOTPLUG_VOLUMES from its 'disabledFeatureGates'/);
    });

    test('an Alpha gate listed in featureGates wins over disabledFeatureGates only by KubeVirt refusing both', () => {
      const c = withPlatform({ featureGates: [FeatureGate.CPU_MANAGER], disabledFeatureGates: [FeatureGate.CPU_MANAGER] });
      expect(() => Testing.synth(c)).toThrow(/'disabledFeatureGates' is also in featureGates, and KubeVirt refuses a gate in both lists, got 'CPUManager'/);
    });
  });

  test('the KubeVirt construct checks its permits', () => {
    const c = chart();
    expect(() => new KubeVirt(c, 'kv', { permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '10de', resourceName: 'nvidia.com/T4' }] } }))
      .toThrow(/'permittedHostDevices.pciHostDevices\[0\].pciVendorSelector' must be a vendor:device id pair in hex, got '10de'/);
    expect(() => new KubeVirt(chart(), 'kv', {
      permittedHostDevices: { pciHostDevices: [{ pciVendorSelector: '10de:1eb8', resourceName: 'a/b' }, { pciVendorSelector: '10de:1eb9', resourceName: 'a/b' }] },
    })).toThrow(/is permitted twice/);
    expect(() => new KubeVirt(chart(), 'kv', { mediatedDevicesConfiguration: { nodeMediatedDeviceTypes: [{ nodeSelector: {}, mediatedDeviceTypes: ['nvidia-222'] }] } }))
      .toThrow(/'mediatedDevicesConfiguration.nodeMediatedDeviceTypes\[0\].nodeSelector' must select nodes/);
  });

  test('the mediated devices configuration renders', () => {
    const c = new Chart(Testing.app(), 'platform');
    new KubeVirt(c, 'kv', {
      mediatedDevicesConfiguration: {
        mediatedDeviceTypes: ['nvidia-222'],
        nodeMediatedDeviceTypes: [{ nodeSelector: { 'nvidia.com/gpu.product': 'Tesla-T4' }, mediatedDeviceTypes: ['nvidia-223'] }],
      },
    });
    const kv = findOne(synthValid(c), 'KubeVirt');
    expect(kv.spec.configuration.mediatedDevicesConfiguration).toEqual({
      mediatedDeviceTypes: ['nvidia-222'],
      nodeMediatedDeviceTypes: [{ mediatedDeviceTypes: ['nvidia-223'], nodeSelector: { 'nvidia.com/gpu.product': 'Tesla-T4' } }],
    });
  });
});

describe('probes', () => {
  test('readiness and liveness probes render with their timing', () => {
    const c = chart();
    vm(c, {
      readinessProbe: VmProbe.http('/healthz', 8080, { initialDelay: Duration.seconds(30), period: Duration.seconds(10), failureThreshold: 5 }),
      livenessProbe: VmProbe.guestAgentPing({ timeout: Duration.seconds(5) }),
    });
    const t = template(c);
    expect(t.readinessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 5, initialDelaySeconds: 30, periodSeconds: 10 });
    expect(t.livenessProbe).toEqual({ guestAgentPing: {}, timeoutSeconds: 5 });
  });

  test('tcp and exec probes', () => {
    const c = chart();
    vm(c, { readinessProbe: VmProbe.tcp(5432), livenessProbe: VmProbe.exec(['systemctl', 'is-active', 'postgresql']) });
    const t = template(c);
    expect(t.readinessProbe).toEqual({ tcpSocket: { port: 5432 } });
    expect(t.livenessProbe).toEqual({ exec: { command: ['systemctl', 'is-active', 'postgresql'] } });
  });

  test('a TCP probe on a VM without the pod network is refused; a guest-agent probe is fine', () => {
    const c = chart();
    new VirtualMachine(c, 'vm', { name: 'my-vm', bootDisk: BootDisk.containerDisk(IMAGE), networks: [], readinessProbe: VmProbe.tcp(22) });
    expect(() => Testing.synth(c)).toThrow(/'readinessProbe' reaches the guest over the pod network, which this VM does not have, got 'tcp'; use VmProbe.guestAgentPing/);
    const ok = chart();
    new VirtualMachine(ok, 'vm', { name: 'my-vm', bootDisk: BootDisk.containerDisk(IMAGE), networks: [], readinessProbe: VmProbe.guestAgentPing() });
    expect(() => synthValid(ok)).not.toThrow();
  });

  test('bad probes are refused', () => {
    expect(() => VmProbe.tcp(70000)).toThrow(/'tcp.port' must be a port number from 1 to 65535, got 70000/);
    expect(() => VmProbe.http('healthz', 80)).toThrow(/'http.path' must start with \//);
    expect(() => VmProbe.exec([])).toThrow(/'exec.command' must not be empty/);
    expect(() => VmProbe.guestAgentPing({ period: Duration.millis(500) })).toThrow(/'period' must be a whole number of seconds, at least 1/);
    expect(() => vm(chart(), { livenessProbe: VmProbe.tcp(22, { successThreshold: 2 }) })).toThrow(/'livenessProbe.successThreshold' must be 1 for a liveness probe/);
    expect(() => vm(chart(), { readinessProbe: { tcpSocket: { port: 22 } } as any })).toThrow(/'readinessProbe' must be a VmProbe/);
  });
});

describe('NIC model and boot order', () => {
  test('render on the interface, from props and from addNetwork', () => {
    const c = chart();
    const v = new VirtualMachine(c, 'vm', {
      name: 'my-vm',
      bootDisk: BootDisk.containerDisk(IMAGE),
      networks: [{ name: 'default', network: Network.pod(), model: InterfaceModel.E1000E, bootOrder: 2 }],
    });
    v.addNetwork('pxe', Network.multus(NetworkAttachmentDefinition.fromNetworkName(c, 'nad', 'pxe', { namespace: 'my-ns' })), { bootOrder: 3, model: InterfaceModel.VIRTIO });
    const t = template(c);
    expect(t.domain.devices.interfaces).toEqual([
      { name: 'default', masquerade: {}, model: 'e1000e', bootOrder: 2 },
      { name: 'pxe', bridge: {}, model: 'virtio', bootOrder: 3 },
    ]);
    expect(v.networks[0]).toMatchObject({ model: 'e1000e', bootOrder: 2 });
  });

  test('a boot order that clashes is refused', () => {
    const mk = (bootOrder: number) => new VirtualMachine(chart(), 'vm', {
      name: 'my-vm', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'default', network: Network.pod(), bootOrder }],
    });
    expect(() => mk(1)).toThrow(/'networks.default.bootOrder' is already the boot disk's place in the boot order, got 1; use 2/);
    expect(() => mk(0)).toThrow(/'networks.default.bootOrder' must be a whole number of at least 1/);
    const c = chart();
    const v = new VirtualMachine(c, 'vm', { name: 'my-vm', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'default', network: Network.pod(), bootOrder: 2 }] });
    const nad = NetworkAttachmentDefinition.fromNetworkName(c, 'nad', 'pxe', { namespace: 'my-ns' });
    expect(() => v.addNetwork('pxe', Network.multus(nad), { bootOrder: 2 })).toThrow(/'networks.pxe.bootOrder' is already the boot order of interface 'default'/);
    expect(() => v.addNetwork('pxe2', Network.multus(nad), { model: 'vmxnet3' as any })).toThrow(/'networks.pxe2.model' must be a member of InterfaceModel/);
  });
});
