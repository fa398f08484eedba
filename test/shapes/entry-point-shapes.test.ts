/**
 * Each entry point's shape check shown to refuse one
 * wrong shape with the library's own error (the catalogue of
 * entry-points.js feeds them random ones), and the valid call next to it.
 */
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import {
  BootDisk, CniPlugin, CommonInstancetype, CpuModel, HostInterface, HypervEnlightenments, MultiNetworkPolicy, MultiNetworkPolicyController,
  NetworkAttachmentDefinition, Nmstate, NodeNetworkConfigurationPolicy, PolicyPeer, PolicyPort, PolicyTarget, StorageNetwork, SyncWave, Topology,
  VirtualizationPlatform, VirtualMachine, VirtualMachineClusterPreference,
} from '../../src';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'test' });
}
function nad(c: Chart): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(c, 'net', { plugins: [CniPlugin.bridge({ bridge: 'br1' })] });
}
const bad = (v: unknown): any => v;

describe('Topology', () => {
  test('fromApp takes an App', () => {
    expect(() => Topology.fromApp(bad({ charts: [] }))).toThrow(/^'app' must be an App, not an object, got \{"charts":\[\]\}; build it with new App\(\) from cdk8s/);
    expect(() => Topology.fromApp(bad(chart()))).toThrow(/'app' must be an App, not a Chart/);
    expect(Topology.fromApp(Testing.app()).nodes).toEqual([]);
  });

  test('fromCharts takes a list of charts', () => {
    expect(() => Topology.fromCharts(bad(chart()))).toThrow(/^'charts' must be a list, not a Chart/);
    expect(() => Topology.fromCharts(bad([chart(), 'workloads']))).toThrow(/^'charts\[1\]' must be a Chart, not a string, got 'workloads'; build it with list cdk8s Charts/);
    expect(Topology.fromCharts([chart()]).nodes).toEqual([]);
  });

  test('fromManifests takes a list, whose entries of other shapes it skips', () => {
    expect(() => Topology.fromManifests(bad('kind: Namespace'))).toThrow(/^'manifests' must be a list, not a string/);
    expect(Topology.fromManifests([null, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }]).nodes).toEqual([]);
  });

  test('writeFiles checks its arguments before it writes anything', () => {
    const t = Topology.fromManifests([]);
    expect(() => t.writeFiles(bad(5))).toThrow(/^'outdir' must be a string, not a number/);
    expect(() => t.writeFiles(undefined, bad({ svg: 'no' }))).toThrow(/^'options.svg' must be true or false/);
  });
});

describe('SyncWave', () => {
  test('of takes a number', () => {
    expect(() => SyncWave.of(bad('3'))).toThrow(/^'wave' must be a number, not a string, got '3'/);
    expect(SyncWave.of(3).value).toBe('3');
  });

  test('apply takes a construct and a SyncWave', () => {
    expect(() => SyncWave.apply(bad('workloads'), SyncWave.WORKLOADS)).toThrow(/^'scope' must be a construct, not a string, got 'workloads'; pass the chart/);
    const c = chart();
    expect(() => SyncWave.apply(c, bad(0))).toThrow(/^\[test\] 'wave' must be a SyncWave, not a number, got 0; build it with SyncWave.CRDS, .*SyncWave.of\(n\)/);
    new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });
    SyncWave.apply(c, SyncWave.of(4));
    expect(Testing.synth(c)[0].metadata.annotations).toEqual({ [SyncWave.ANNOTATION]: '4' });
  });

  test('annotate takes an ApiObject, a SyncWave and a boolean', () => {
    const c = chart();
    const cm = new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' });
    expect(() => SyncWave.annotate(bad(c), SyncWave.WORKLOADS)).toThrow(/^'obj' must be an ApiObject, got .*; pass an API object/);
    expect(() => SyncWave.annotate(cm, bad('-1'))).toThrow(/'wave' must be a SyncWave, not a string, got '-1'/);
    expect(() => SyncWave.annotate(cm, SyncWave.CRDS, bad('false'))).toThrow(/'overwrite' must be true or false, not a string/);
    SyncWave.annotate(cm, SyncWave.CRDS, false);
    expect(Testing.synth(c)[0].metadata.annotations).toEqual({ [SyncWave.ANNOTATION]: '-3' });
  });
});

describe('compute', () => {
  test('CpuModel.custom takes a model name', () => {
    expect(() => CpuModel.custom(bad(undefined))).toThrow(/^'model' must be a string, not undefined, got undefined; pass the libvirt model name/);
    expect(CpuModel.custom('EPYC-Rome').value).toBe('EPYC-Rome');
  });

  test('HypervEnlightenments.custom takes an object, not a string it would spread into letters', () => {
    expect(() => HypervEnlightenments.custom(bad('relaxed'))).toThrow(/^'options' must be an object of named settings, not a string/);
    expect(HypervEnlightenments.custom({ relaxed: true }).options).toEqual({ relaxed: true });
  });

  test('a preference takes preferredTpm as a boolean', () => {
    expect(() => new VirtualMachineClusterPreference(chart(), 'p', { name: 'p', preferredTpm: bad('true') }))
      .toThrow(/\[test\/p\] 'preferredTpm' must be true or false, not a string/);
  });

  test('CommonInstancetype.define* take a construct as scope', () => {
    expect(() => CommonInstancetype.U1_SMALL.defineCluster(bad('test'), 'u1')).toThrow(/^'scope' must be a construct, not a string/);
    expect(() => CommonInstancetype.U1_SMALL.defineNamespaced(bad(undefined), 'u1')).toThrow(/^'scope' must be a construct, not undefined/);
    expect(CommonInstancetype.U1_SMALL.defineCluster(chart(), 'u1').instancetypeName).toBe('u1.small');
  });

  test('expose refuses a name of no shape a Service name can have, without a TypeError', () => {
    const vm = new VirtualMachine(chart(), 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE) });
    const name = Object.create(null);
    expect(() => vm.expose({ ports: [{ port: 22 }], name })).toThrow(/\[test\/vm\/Expose-vm\] 'name' must be a string, not an object/);
  });
});

describe('networking', () => {
  test('a policy refuses null for its name, namespace and target instead of falling back to the defaults', () => {
    for (const prop of ['name', 'namespace', 'target']) {
      const c = chart();
      expect(() => new MultiNetworkPolicy(c, 'p', { networks: [nad(c)], ingress: [], [prop]: null } as any)).toThrow(new RegExp(`\\[test/p\\] '${prop}' must be .*, got null`));
    }
  });

  test('storageNetwork needs the namespace of the VMs', () => {
    const c = chart();
    const storage = new StorageNetwork(c, 'storage', { range: '192.168.20.0/24' });
    expect(() => MultiNetworkPolicy.storageNetwork(c, 'fence', { network: storage } as any)).toThrow(/\[test\/fence\] 'options.namespace' must be a string, not undefined/);
    expect(() => MultiNetworkPolicy.tenantNetwork(c, 'tenant', { network: storage, name: bad(7) })).toThrow(/\[test\/tenant\] 'name' must be a string/);
  });

  test('VM peers and targets are constructs, not look-alike objects', () => {
    expect(() => PolicyPeer.vm(bad({ name: 'db', namespace: 'test' }))).toThrow(/^'vm' must be an IVirtualMachine, got \{"name":"db","namespace":"test"\}/);
    expect(() => PolicyTarget.vm(bad({ name: 'db', namespace: 'test' }))).toThrow(/^'vm' must be an IVirtualMachine/);
  });

  test('a port range needs its last port', () => {
    expect(() => PolicyPort.tcpRange(6800, bad(undefined))).toThrow(/^'last' must be a number, not undefined/);
    expect(() => PolicyPort.udpRange(6800, bad('7300'))).toThrow(/^'last' must be a number, not a string/);
    expect(PolicyPort.tcpRange(6800, 7300)._toKube()).toEqual({ protocol: 'TCP', port: 6800, endPort: 7300 });
  });

  test('a host network policy refuses a null name instead of making one up', () => {
    expect(() => new NodeNetworkConfigurationPolicy(chart(), 'hosts', { name: bad(null), interfaces: [HostInterface.ethernet({ name: 'eth1' })] }))
      .toThrow(/\[test\/hosts\] 'name' must be a string, not null/);
  });
});

describe('platform parts', () => {
  test('Nmstate and MultiNetworkPolicyController check the shape of their image settings', () => {
    expect(() => new Nmstate(chart(), 'nmstate', { image: bad('quay.io/nmstate/kubernetes-nmstate-handler:v0.86.0') }))
      .toThrow(/\[test\/nmstate\] 'image' must be an object of named settings, not a string/);
    expect(() => new Nmstate(chart(), 'nmstate', { image: { tag: bad(86) } })).toThrow(/'image.tag' must be a string, not a number/);
    expect(() => new MultiNetworkPolicyController(chart(), 'mnp', { imagePullPolicy: bad('always') })).toThrow(/'imagePullPolicy' must be a member of ImagePullPolicy/);
    expect(() => new MultiNetworkPolicyController(chart(), 'mnp', { argoCdSyncWaves: bad('yes') })).toThrow(/'argoCdSyncWaves' must be true or false/);
  });

  test('the platform checks its optional parts even when they are off', () => {
    const make = (props: any) => () => new VirtualizationPlatform(new App(), 'platform', props);
    expect(make({ nmstate: 'on' })).toThrow(/\[platform\] 'nmstate' must be an object of named settings, not a string/);
    expect(make({ nmstate: { enabled: 'true' } })).toThrow(/'nmstate.enabled' must be true or false/);
    expect(make({ multiNetworkPolicy: { image: { registry: 5 } } })).toThrow(/'multiNetworkPolicy.image.registry' must be a string/);
    expect(make({ multiNetworkPolicy: { acceptIcmp: 'yes' } })).toThrow(/'multiNetworkPolicy.acceptIcmp' must be true or false/);
  });

  test("a part's argoCdSyncWaves must agree with the platform's, which replaces it", () => {
    const make = (props: any) => () => new VirtualizationPlatform(new App(), 'platform', props);
    expect(make({ kubevirt: { argoCdSyncWaves: true } }))
      .toThrow(/\[platform\] 'kubevirt.argoCdSyncWaves' differs from the platform's argoCdSyncWaves \(false\), which every part follows, got true; set argoCdSyncWaves once/);
    expect(make({ argoCdSyncWaves: true, nmstate: { enabled: true, argoCdSyncWaves: false } })).toThrow(/'nmstate.argoCdSyncWaves' differs/);
    expect(make({ argoCdSyncWaves: true, kubevirt: { argoCdSyncWaves: true } })).not.toThrow();
  });
});
