import { FeatureGate, FeatureGateComponent, FeatureGateStage } from '../../src/platform';

describe('FeatureGate', () => {
  test('lists KubeVirt v1.9 and CDI v1.66 gates with their stage', () => {
    expect(FeatureGate.SNAPSHOT).toMatchObject({ name: 'Snapshot', component: FeatureGateComponent.KUBEVIRT, stage: FeatureGateStage.BETA });
    expect(FeatureGate.LIVE_MIGRATION.stage).toBe(FeatureGateStage.GA);
    expect(FeatureGate.HOTPLUG_VOLUMES.stage).toBe(FeatureGateStage.DEPRECATED);
    expect(FeatureGate.HONOR_WAIT_FOR_FIRST_CONSUMER.component).toBe(FeatureGateComponent.CDI);
    const names = FeatureGate.known().map(g => `${g.component}/${g.name}`);
    expect(new Set(names).size).toBe(names.length);
    expect(FeatureGate.known().filter(g => g.component === FeatureGateComponent.CDI).map(g => g.name)).toEqual([
      'HonorWaitForFirstConsumer', 'DataVolumeClaimAdoption', 'WebhookPvcRendering',
    ]);
  });

  test('stages are v1.9.0\'s (CI compares the whole list with what test/cluster/kubevirt/cmd/feature-gates prints)', () => {
    const betas = [
      FeatureGate.TEMPLATE, FeatureGate.WORKLOAD_ENCRYPTION_SEV, FeatureGate.GPUS_WITH_DRA,
      FeatureGate.HOST_DEVICES_WITH_DRA, FeatureGate.OPT_OUT_ROLE_AGGREGATION,
    ];
    for (const g of betas) {
      expect([g.name, g.stage]).toEqual([g.name, FeatureGateStage.BETA]);
    }
    expect(FeatureGate.CROSS_ARCHITECTURE_VIRTUALIZATION).toMatchObject({ name: 'CrossArchitectureVirtualization', stage: FeatureGateStage.ALPHA });
    expect(FeatureGate.PORT_RANGES_SPEC).toMatchObject({ name: 'PortRangesSpec', stage: FeatureGateStage.ALPHA });
  });

  test('noLongerNeeded is true for GA, deprecated and discontinued gates only', () => {
    expect(FeatureGate.VM_EXPORT.noLongerNeeded).toBe(true);
    expect(FeatureGate.MACVTAP.noLongerNeeded).toBe(true);
    expect(FeatureGate.DECLARATIVE_HOTPLUG_VOLUMES.noLongerNeeded).toBe(false);
  });

  test('fromName finds known gates', () => {
    expect(FeatureGate.fromName('CPUManager', FeatureGateComponent.KUBEVIRT)).toBe(FeatureGate.CPU_MANAGER);
  });

  test('fromName throws for unknown names and suggests the spelling or custom()', () => {
    expect(() => FeatureGate.fromName('cpumanager', FeatureGateComponent.KUBEVIRT)).toThrow(
      /'featureGate' is not a known KubeVirt feature gate of the pinned release, got 'cpumanager'; did you mean 'CPUManager'\? otherwise use FeatureGate.custom/);
    expect(() => FeatureGate.fromName('Snapshots', FeatureGateComponent.KUBEVIRT)).toThrow(/got 'Snapshots'; did you mean 'Snapshot'\?/);
    expect(() => FeatureGate.fromName('ExpandDisk', FeatureGateComponent.KUBEVIRT)).toThrow(/did you mean 'ExpandDisks'\?/);
    expect(() => FeatureGate.fromName('Teleport', FeatureGateComponent.CDI)).toThrow(
      /got 'Teleport'; use FeatureGate.custom\('Teleport', FeatureGateComponent.CDI\) if your operator build has it/);
  });

  test('fromName says which component knows a gate given for the other one', () => {
    expect(() => FeatureGate.fromName('Snapshot', FeatureGateComponent.CDI)).toThrow(
      /'featureGate' is a KubeVirt feature gate, not a CDI one, got 'Snapshot'; pass FeatureGateComponent.KUBEVIRT/);
  });

  test('fromName refuses a missing or invalid component and a non-string name with the library error', () => {
    expect(() => (FeatureGate as any).fromName('Snapshot')).toThrow(
      "[FeatureGate.fromName] 'component' must be a member of FeatureGateComponent, got undefined; use one of FeatureGateComponent.KUBEVIRT, FeatureGateComponent.CDI");
    expect(() => FeatureGate.fromName('Snapshot', 'kubevirt' as any)).toThrow(/'component' must be a member of FeatureGateComponent, got 'kubevirt'/);
    expect(() => FeatureGate.fromName(42 as any, FeatureGateComponent.CDI)).toThrow(/\[FeatureGate.fromName\] 'name' must be a string, not a number, got 42/);
    expect(() => FeatureGate.custom('NewThing', undefined as any)).toThrow(/'component' must be a member of FeatureGateComponent/);
  });

  test('custom passes any well-formed name through', () => {
    expect(FeatureGate.custom('NewThing', FeatureGateComponent.CDI)).toMatchObject({ name: 'NewThing', stage: FeatureGateStage.UNKNOWN });
    expect(() => FeatureGate.custom('bad name', FeatureGateComponent.CDI)).toThrow(/'name' must be a feature gate name/);
  });
});
