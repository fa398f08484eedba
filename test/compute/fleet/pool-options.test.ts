import { Chart, Duration, Size, Testing } from 'cdk8s';
import {
  PoolMaxUnavailable, PoolScaleInStrategy, PoolSortPolicy, PoolStatePreservation, PoolUpdateStrategy, SmartCloneFleet, SmartCloneFleetProps,
} from '../../../src/compute';
import { DataVolumeSource, GoldenImage } from '../../../src/storage';
import { findOne, synthValid } from '../../util';

function pool(extra: Partial<SmartCloneFleetProps> = {}): { chart: Chart; fleet: () => SmartCloneFleet } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'golden' });
  const image = new GoldenImage(chart, 'fedora', {
    source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
    size: Size.gibibytes(10),
    storageClass: 'rook-ceph-block',
    snapshotClass: 'csi-rbdplugin-snapclass',
  });
  return { chart, fleet: () => new SmartCloneFleet(chart, 'workers', { image, replicas: 4, pool: true, ...extra }) };
}

describe('VirtualMachinePool options', () => {
  test('a pool without options renders no option field', () => {
    const { chart, fleet } = pool();
    fleet();
    const spec = findOne(synthValid(chart), 'VirtualMachinePool').spec;
    expect(Object.keys(spec).sort()).toEqual(['replicas', 'selector', 'virtualMachineTemplate']);
  });

  test('every option, rendered as KubeVirt v1.9.0 spells it', () => {
    const { chart, fleet } = pool({
      poolUpdateStrategy: PoolUpdateStrategy.proactive({ selectionPolicy: { sortPolicy: PoolSortPolicy.OLDEST, matchLabels: { tier: 'canary' } } }),
      poolScaleInStrategy: PoolScaleInStrategy.proactive({
        selectionPolicy: { sortPolicy: PoolSortPolicy.DESCENDING_ORDER },
        statePreservation: PoolStatePreservation.OFFLINE,
      }),
      poolAutohealing: { startUpFailureThreshold: 5, minFailingToStartDuration: Duration.minutes(10) },
      poolMaxUnavailable: PoolMaxUnavailable.percent(25),
    });
    fleet();
    const spec = findOne(synthValid(chart), 'VirtualMachinePool').spec;
    expect(spec.updateStrategy).toEqual({
      proactive: { selectionPolicy: { sortPolicy: 'Oldest', selectors: { labelSelector: { matchLabels: { tier: 'canary' } } } } },
    });
    expect(spec.scaleInStrategy).toEqual({ proactive: { selectionPolicy: { sortPolicy: 'DescendingOrder' }, statePreservation: 'Offline' } });
    expect(spec.autohealing).toEqual({ startUpFailureThreshold: 5, minFailingToStartDuration: '600s' });
    expect(spec.maxUnavailable).toBe('25%');
  });

  test.each([
    ['unmanaged update', { poolUpdateStrategy: PoolUpdateStrategy.unmanaged() }, { updateStrategy: { unmanaged: {} } }],
    ['opportunistic update', { poolUpdateStrategy: PoolUpdateStrategy.opportunistic() }, { updateStrategy: { opportunistic: {} } }],
    ['bare proactive update', { poolUpdateStrategy: PoolUpdateStrategy.proactive() }, { updateStrategy: { proactive: {} } }],
    ['unmanaged scale-in', { poolScaleInStrategy: PoolScaleInStrategy.unmanaged() }, { scaleInStrategy: { unmanaged: {} } }],
    ['opportunistic scale-in', { poolScaleInStrategy: PoolScaleInStrategy.opportunistic({ statePreservation: PoolStatePreservation.ONLINE }) },
      { scaleInStrategy: { opportunistic: { statePreservation: 'Online' } } }],
    ['empty autohealing', { poolAutohealing: {} }, { autohealing: {} }],
    ['a count', { poolMaxUnavailable: PoolMaxUnavailable.count(2) }, { maxUnavailable: 2 }],
  ])('%s', (_, props, expected) => {
    const { chart, fleet } = pool(props as Partial<SmartCloneFleetProps>);
    fleet();
    expect(findOne(synthValid(chart), 'VirtualMachinePool').spec).toMatchObject(expected);
  });

  test.each([
    ['a pool option without a pool', { pool: false, poolAutohealing: {} },
      "'poolAutohealing' only applies to a VirtualMachinePool, got {}; set 'pool: true', or drop 'poolAutohealing'"],
    ['a count of 0 (vmpool-admitter: must be greater than 0)', { poolMaxUnavailable: PoolMaxUnavailable.count(0) }, "'poolMaxUnavailable'"],
    ['a percentage of 0', { poolMaxUnavailable: PoolMaxUnavailable.percent(0) }, "'poolMaxUnavailable'"],
    ['a percentage over 100', { poolMaxUnavailable: PoolMaxUnavailable.percent(101) }, "'poolMaxUnavailable'"],
    ['a fractional percentage', { poolMaxUnavailable: PoolMaxUnavailable.percent(12.5) }, "'poolMaxUnavailable'"],
    ['maxUnavailable that the update strategy never reads',
      { poolUpdateStrategy: PoolUpdateStrategy.opportunistic(), poolMaxUnavailable: PoolMaxUnavailable.count(1) },
      "'poolMaxUnavailable' is never read with the opportunistic update strategy"],
    ['a start-up threshold of 0 (CRD minimum 1)', { poolAutohealing: { startUpFailureThreshold: 0 } }, "'poolAutohealing.startUpFailureThreshold'"],
    ['a sub-second failing duration', { poolAutohealing: { minFailingToStartDuration: Duration.millis(500) } },
      "'poolAutohealing.minFailingToStartDuration' must be a whole number of seconds"],
    ['an unknown sort policy', { poolUpdateStrategy: PoolUpdateStrategy.proactive({ selectionPolicy: { sortPolicy: 'Youngest' as PoolSortPolicy } }) },
      "'poolUpdateStrategy.selectionPolicy.sortPolicy'"],
    ['a bad label key', { poolScaleInStrategy: PoolScaleInStrategy.proactive({ selectionPolicy: { matchLabels: { 'bad key': 'x' } } }) },
      "'poolScaleInStrategy.selectionPolicy.matchLabels"],
    ['a strategy given as a plain object', { poolUpdateStrategy: { kind: 'proactive' } as unknown as PoolUpdateStrategy }, "'poolUpdateStrategy'"],
  ])('refuses %s', (_, props, message) => {
    const { fleet } = pool(props as Partial<SmartCloneFleetProps>);
    let error: Error | undefined;
    try { fleet(); } catch (e) { error = e as Error; }
    expect(error?.message).toContain(message);
    expect(error?.message).toContain('[test/workers]');
  });
});
