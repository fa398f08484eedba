import { App, Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import {
  BootDisk, DataVolumeSource, EvictionStrategy, FeatureGate, InterfaceBinding, KubeVirt, MachineType, Network, NetworkBindingMigrationMethod,
  VirtualMachine, VirtualMachineTemplateOptions,
} from '../../../../src';
import { globMatch } from '../../../../src/compute/vm/rules/platform';
import { synthValid } from '../../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

/** An app with a workloads chart and, unless `kubevirt` is false, the KubeVirt CR in a platform chart. */
function setup(kubevirt: ConstructorParameters<typeof KubeVirt>[2] | false = {}): { app: App; c: Chart } {
  const app = Testing.app();
  if (kubevirt !== false) new KubeVirt(new Chart(app, 'platform'), 'kubevirt', kubevirt);
  return { app, c: new Chart(app, 'workloads', { namespace: 'vms' }) };
}

function vm(c: Chart, options: Partial<VirtualMachineTemplateOptions> & { networks?: any[]; bootDisk?: BootDisk } = {}): VirtualMachine {
  return new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE), ...options });
}

function errorsOf(app: App): string {
  try {
    for (const chart of app.charts) synthValid(chart);
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('reserved VM instance labels', () => {
  test.each(['kubevirt.io/nodeName', 'kubevirt.io/created-by', 'kubevirt.io/schedulable'])('refuses %p in templateLabels, with or without the platform', (key) => {
    expect(() => vm(setup(false).c, { templateLabels: { [key]: 'x' } }))
      .toThrow(new RegExp(`\\[workloads/vm\\] 'templateLabels' is a label KubeVirt sets on VM instances itself, and its admission refuses it from users, got '${key}'`));
  });

  test('accepts other kubevirt.io labels on the VM object and the template', () => {
    const { c } = setup(false);
    vm(c, { labels: { 'kubevirt.io/nodeName': 'x' }, templateLabels: { 'kubevirt.io/domain': 'vm' } });
    expect(synthValid(c)).toHaveLength(1);
  });
});

describe('annotations that need a feature gate', () => {
  test.each([
    ['kubevirt.io/ignitiondata', 'ExperimentalIgnitionSupport', 'EXPERIMENTAL_IGNITION_SUPPORT'],
    ['hooks.kubevirt.io/hookSidecars', 'Sidecar', 'SIDECAR'],
  ])('%p needs the %p gate on the platform in the same app', (annotation, gate, constant) => {
    const { app, c } = setup();
    vm(c, { templateAnnotations: { [annotation]: '{}' } });
    expect(errorsOf(app)).toContain(`templateAnnotations '${annotation}'`);
    expect(errorsOf(app)).toContain(`needs the KubeVirt feature gate '${gate}'`);
    expect(errorsOf(app)).toContain(`add FeatureGate.${constant}`);
    const ok = setup({ featureGates: [(FeatureGate as any)[constant]] });
    vm(ok.c, { templateAnnotations: { [annotation]: '{}' } });
    expect(errorsOf(ok.app)).toBe('');
    const alone = setup(false);
    vm(alone.c, { templateAnnotations: { [annotation]: '{}' } });
    expect(errorsOf(alone.app)).toBe('');
  });
});

describe('machine type against emulatedMachines', () => {
  test('KubeVirt\'s default allows q35* and pc-q35* only', () => {
    const { app, c } = setup();
    vm(c, { machineType: MachineType.custom('pc-i440fx-rhel7.6.0') });
    expect(errorsOf(app)).toMatch(/'machineType' matches none of the machine types the KubeVirt at 'platform\/kubevirt' allows \(q35\*, pc-q35\*\), so KubeVirt refuses the VM, got 'pc-i440fx-rhel7.6.0'/);
    const ok = setup();
    vm(ok.c, { machineType: MachineType.custom('pc-q35-rhel9.6.0') });
    expect(errorsOf(ok.app)).toBe('');
  });

  test('the KubeVirt construct sets the list, rendered where KubeVirt reads it, and VMs are checked against it', () => {
    const { app, c } = setup({ emulatedMachines: ['pc-i440fx*', 'q35'] });
    vm(c, { machineType: MachineType.custom('pc-i440fx-rhel7.6.0') });
    expect(errorsOf(app)).toBe('');
    const cr = app.charts[0].toJson().find((d: any) => d.kind === 'KubeVirt');
    expect(cr.spec.configuration.architectureConfiguration).toEqual({ amd64: { emulatedMachines: ['pc-i440fx*', 'q35'] } });
    const bad = setup({ emulatedMachines: ['pc-i440fx*'] });
    vm(bad.c, { machineType: MachineType.Q35 });
    expect(errorsOf(bad.app)).toMatch(/'machineType' matches none .* \(pc-i440fx\*\)/);
  });

  test('globs follow Go filepath.Match', () => {
    expect(globMatch('q35*', 'q35')).toBe(true);
    expect(globMatch('pc-q35*', 'pc-q35-rhel9.6.0')).toBe(true);
    expect(globMatch('pc-q35-rhel9.?.0', 'pc-q35-rhel9.6.0')).toBe(true);
    expect(globMatch('pc-q35-rhel[89].*', 'pc-q35-rhel9.6.0')).toBe(true);
    expect(globMatch('q35', 'q35x')).toBe(false);
    expect(globMatch('pc.q35', 'pcxq35')).toBe(false);
  });
});

describe('network binding plugins', () => {
  const passt = (c: Chart, evictionStrategy?: EvictionStrategy) => vm(c, {
    evictionStrategy, networks: [{ name: 'default', network: Network.pod(), binding: InterfaceBinding.plugin('passt') }],
  });

  test('a plugin must be registered in the KubeVirt CR', () => {
    const { app, c } = setup();
    passt(c);
    expect(errorsOf(app)).toMatch(/'networks.default.binding' is not a network binding plugin registered in the KubeVirt at 'platform\/kubevirt' \(none registered\), got 'passt'; register it with that KubeVirt's 'networkBindings'/);
    const ok = setup({ networkBindings: [{ name: 'passt', sidecarImage: 'quay.io/kubevirt/network-passt-binding:v1.9.0', migration: NetworkBindingMigrationMethod.LINK_REFRESH }] });
    passt(ok.c);
    expect(errorsOf(ok.app)).toBe('');
    const cr = ok.app.charts[0].toJson().find((d: any) => d.kind === 'KubeVirt');
    expect(cr.spec.configuration.network).toEqual({ binding: { passt: { migration: { method: 'link-refresh' }, sidecarImage: 'quay.io/kubevirt/network-passt-binding:v1.9.0' } } });
  });

  test('live migration with a plugin that declares no migration is refused, from the VM or the cluster default', () => {
    const noMigration = { networkBindings: [{ name: 'passt', domainAttachmentType: 'managedTap' }] };
    const a = setup(noMigration);
    passt(a.c, EvictionStrategy.LIVE_MIGRATE);
    expect(errorsOf(a.app)).toMatch(/'networks.default.binding' declares no migration method .* yet its evictionStrategy is LiveMigrate: KubeVirt denies its eviction and node drains block, got 'passt'/);
    const b = setup({ ...noMigration, evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    passt(b.c);
    expect(errorsOf(b.app)).toMatch(/yet its evictionStrategy is LiveMigrate \(the cluster default\)/);
    const c = setup({ ...noMigration, evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    passt(c.c, EvictionStrategy.LIVE_MIGRATE_IF_POSSIBLE);
    expect(errorsOf(c.app)).toBe('');
  });

  test('the KubeVirt construct refuses bad registrations', () => {
    const c = Testing.chart();
    expect(() => new KubeVirt(c, 'a', { networkBindings: [{ name: 'passt' }, { name: 'passt' }] })).toThrow(/'networkBindings\[1\].name' is registered twice/);
    expect(() => new KubeVirt(c, 'b', { networkBindings: [{ name: 'passt', sidecarImage: 'quay.io/x/y:latest' }] })).toThrow(/'networkBindings\[0\].sidecarImage'/);
    expect(() => new KubeVirt(c, 'c', { networkBindings: [{ name: 'x', migration: 'bogus' as any }] })).toThrow(/must be a member of NetworkBindingMigrationMethod/);
    expect(() => new KubeVirt(c, 'd', { emulatedMachines: ['q35 *'] })).toThrow(/'emulatedMachines\[0\]' must be a machine type or glob pattern/);
  });
});

describe('LiveMigrate as the cluster default', () => {
  const rwo = () => BootDisk.dataVolumeTemplate({
    source: DataVolumeSource.blank(), size: Size.gibibytes(1), accessModes: [PersistentVolumeAccessMode.READ_WRITE_ONCE],
  });

  test('a VM with a ReadWriteOnce disk that inherits LiveMigrate is refused: its drains would block', () => {
    const { app, c } = setup({ evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    vm(c, { bootDisk: rwo() });
    expect(errorsOf(app)).toMatch(/'bootDisk' \(dataVolumeTemplate \(blank source\)\) cannot follow a live migration because its storage is not ReadWriteMany, while the eviction strategy is LiveMigrate \(the cluster default of the KubeVirt at 'platform\/kubevirt'\): KubeVirt accepts the VM, but denies its eviction, so node drains block, got 'ReadWriteOnce'; use ReadWriteMany storage, or set evictionStrategy LiveMigrateIfPossible or None on this VM/);
    // following the fix
    const ok = setup({ evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    vm(ok.c, { bootDisk: rwo(), evictionStrategy: EvictionStrategy.LIVE_MIGRATE_IF_POSSIBLE });
    expect(errorsOf(ok.app)).toBe('');
  });

  test('a bridge-bound pod network that inherits LiveMigrate is refused', () => {
    const { app, c } = setup({ evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    vm(c, { networks: [{ name: 'default', network: Network.pod(), binding: InterfaceBinding.bridge() }] });
    expect(errorsOf(app)).toMatch(/'networks.default.binding' on the pod network cannot live-migrate, while the KubeVirt at 'platform\/kubevirt' makes LiveMigrate every VM's eviction strategy: KubeVirt accepts the VM, but denies its eviction, so node drains block, got 'bridge'/);
    const ok = setup({ evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    vm(ok.c, { networks: [{ name: 'default', network: Network.pod(), binding: InterfaceBinding.bridge() }], allowPodBridgeNetworkLiveMigration: true });
    expect(errorsOf(ok.app)).toBe('');
  });

  test('without the platform in the app, nothing is inherited', () => {
    const { app, c } = setup(false);
    vm(c, { bootDisk: rwo() });
    expect(errorsOf(app)).toBe('');
  });
});
