// Every public entry point of the library, called the way a plain JavaScript
// (or Python, Java, Go) caller calls it: no types at all. Each entry names its
// typed inputs ("slots") with the shape they must have, and `call(slot, value)`
// makes one call with valid inputs except `slot`, which gets `value`.
'use strict';
const { Chart, Cron, Duration, Size, Testing } = require('cdk8s');
const lib = require('../../src');

function chart() {
  return new Chart(Testing.app(), 'test', { namespace: 'test' });
}
function nad(c) {
  return new lib.NetworkAttachmentDefinition(c, 'net', { plugins: [lib.CniPlugin.bridge({ bridge: 'br1' })] });
}
function image(c) {
  return new lib.GoldenImage(c, 'img', { source: lib.DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(10), snapshotClass: 'csi-snap' });
}
function bootDisk() {
  return lib.BootDisk.containerDisk('quay.io/containerdisks/fedora:41');
}
/** Marks an argument that is a reference built in a fresh chart when the call runs. */
const BUILD = Symbol('build');

function set(base, slot, value) {
  return slot === undefined ? base : { ...base, [slot]: value };
}
function args(base, slot, value) {
  const out = [...base.values];
  if (slot !== undefined) out[base.names.indexOf(slot)] = value;
  return out;
}

// the typed VM template options every VM-rendering construct takes
const TEMPLATE_SLOTS = {
  cores: 'number?', sockets: 'number?', threads: 'number?', memory: 'Size?', runStrategy: 'enum?', firmware: 'instance?',
  machineType: 'instance?', instancetype: 'instance?', preference: 'instance?', cloudInit: 'instance?', sshKeys: 'array?',
  nodeSelector: 'map?', tolerations: 'array?', affinity: 'struct?', evictionStrategy: 'enum?',
  allowPodBridgeNetworkLiveMigration: 'boolean?', labels: 'map?', annotations: 'map?', templateLabels: 'map?', templateAnnotations: 'map?',
};
const IMAGE_SLOTS = { image: 'struct?', imagePullPolicy: 'enum?', argoCdSyncWaves: 'boolean?' };

/** Constructs: `call(slot, value)` builds one in a fresh chart with `props[slot] = value`. */
const CONSTRUCTS = [
  {
    name: 'VirtualMachine',
    slots: { props: 'struct', name: 'string', namespace: 'string?', bootDisk: 'instance', networks: 'array?', ...TEMPLATE_SLOTS },
    call: (slot, v) => new lib.VirtualMachine(chart(), 'vm', slot === 'props' ? v : set({ name: 'vm', bootDisk: bootDisk() }, slot, v)),
  },
  {
    name: 'IsolatedVm',
    slots: { props: 'struct', name: 'string', bootDisk: 'instance', network: 'ref', interfaceName: 'string?', macAddress: 'string?', ...TEMPLATE_SLOTS },
    call: (slot, v) => {
      const c = chart();
      const props = { name: 'vm', bootDisk: bootDisk(), network: nad(c) };
      return new lib.IsolatedVm(c, 'vm', slot === 'props' ? v : set(props, slot, v));
    },
  },
  {
    name: 'SmartCloneFleet',
    slots: {
      props: 'struct', name: 'string?', namespace: 'string?', image: 'ref', replicas: 'number', strategy: 'enum?', storageClass: 'string?',
      diskSize: 'Size?', accessModes: 'array?', networks: 'array?', isolatedNetwork: 'ref?', pool: 'boolean?', allowPerVmImport: 'boolean?',
      ...TEMPLATE_SLOTS,
    },
    call: (slot, v) => {
      const c = chart();
      const props = { replicas: 2, image: image(c) };
      return new lib.SmartCloneFleet(c, 'fleet', slot === 'props' ? v : set(props, slot, v));
    },
  },
  {
    name: 'NetworkAttachmentDefinition',
    slots: {
      props: 'struct', name: 'string?', namespace: 'string?', cniVersion: 'enum?', resourceName: 'string?', labels: 'map?', annotations: 'map?',
      shared: 'boolean?', plugins: 'array',
    },
    call: (slot, v) => new lib.NetworkAttachmentDefinition(chart(), 'net', slot === 'props' ? v : set({ plugins: [lib.CniPlugin.bridge({ bridge: 'br1' })] }, slot, v)),
  },
  {
    name: 'StorageNetwork',
    slots: {
      props: 'struct', name: 'string?', labels: 'map?', range: 'string?', rangeStart: 'string?', exclude: 'array?', routes: 'array?',
      ipam: 'instance?', master: 'string?', hostMaster: 'ref?', macvlanMode: 'enum?', bridge: 'string?', vlan: 'number?', mtu: 'number?',
      plugin: 'instance?',
    },
    call: (slot, v) => new lib.StorageNetwork(chart(), 'storage', slot === 'props' ? v : set({ range: '192.168.20.0/24' }, slot, v)),
  },
  {
    name: 'GoldenImage',
    slots: {
      props: 'struct', name: 'string?', namespace: 'string?', source: 'instance', size: 'Size', storageClass: 'string?', accessModes: 'array?',
      volumeMode: 'enum?', preallocation: 'boolean?', snapshotClass: 'string?', volumeSnapshotClass: 'ref?', dataSource: 'boolean?',
      importCron: 'struct?', labels: 'map?',
    },
    call: (slot, v) => new lib.GoldenImage(chart(), 'img', slot === 'props' ? v
      : set({ source: lib.DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(10) }, slot, v)),
  },
  {
    name: 'DataVolume',
    slots: {
      props: 'struct', name: 'string?', namespace: 'string?', source: 'instance?', sourceRef: 'ref?', size: 'Size?', storageClass: 'string?',
      accessModes: 'array?', volumeMode: 'string?', preallocation: 'boolean?', contentType: 'string?', bindImmediately: 'boolean?',
      labels: 'map?', annotations: 'map?',
    },
    call: (slot, v) => new lib.DataVolume(chart(), 'dv', slot === 'props' ? v : set({ source: lib.DataVolumeSource.blank(), size: Size.gibibytes(1) }, slot, v)),
  },
  {
    name: 'DataSource',
    slots: { props: 'struct', name: 'string?', namespace: 'string?', source: 'instance', labels: 'map?' },
    call: (slot, v) => new lib.DataSource(chart(), 'ds', slot === 'props' ? v : set({ source: lib.DataSourceSource.pvc('test', 'disk') }, slot, v)),
  },
  {
    name: 'VolumeSnapshot',
    slots: {
      props: 'struct', name: 'string?', namespace: 'string?', persistentVolumeClaimName: 'string?', volumeSnapshotClassName: 'string?',
      volumeSnapshotClass: 'ref?', labels: 'map?',
    },
    call: (slot, v) => new lib.VolumeSnapshot(chart(), 'snap', slot === 'props' ? v : set({ persistentVolumeClaimName: 'disk' }, slot, v)),
  },
  {
    name: 'VolumeSnapshotClass',
    slots: { props: 'struct', name: 'string?', driver: 'string', deletionPolicy: 'enum?', parameters: 'map?', isDefault: 'boolean?' },
    call: (slot, v) => new lib.VolumeSnapshotClass(chart(), 'class', slot === 'props' ? v : set({ driver: 'rbd.csi.ceph.com' }, slot, v)),
  },
  {
    name: 'KubeVirt',
    slots: {
      props: 'struct?', namespace: 'string?', replicas: 'number?', infraReplicas: 'number?', featureGates: 'array?', evictionStrategy: 'enum?',
      parallelMigrationsPerCluster: 'number?', bandwidthPerMigration: 'Size?', completionTimeoutPerGiB: 'Duration?', migrationNetwork: 'ref?',
      emulatedMachines: 'array?', networkBindings: 'array?',
      infraPlacement: 'struct?', workloadPlacement: 'struct?', ...IMAGE_SLOTS,
    },
    call: (slot, v) => new lib.KubeVirt(chart(), 'kubevirt', slot === 'props' ? v : set({}, slot, v)),
  },
  {
    name: 'Cdi',
    slots: {
      props: 'struct?', namespace: 'string?', replicas: 'number?', featureGates: 'array?', uploadProxyUrlOverride: 'string?',
      cloneStrategyOverride: 'enum?', scratchSpaceStorageClass: 'string?', infraPlacement: 'struct?', workloadPlacement: 'struct?', ...IMAGE_SLOTS,
    },
    call: (slot, v) => new lib.Cdi(chart(), 'cdi', slot === 'props' ? v : set({}, slot, v)),
  },
  {
    name: 'Multus',
    slots: { props: 'struct?', logLevel: 'string?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.Multus(chart(), 'multus', slot === 'props' ? v : set({}, slot, v)),
  },
  {
    name: 'Whereabouts',
    slots: { props: 'struct?', reconcilerSchedule: 'instance?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.Whereabouts(chart(), 'whereabouts', slot === 'props' ? v : set({}, slot, v)),
  },
  {
    name: 'SnapshotController',
    slots: { props: 'struct?', replicas: 'number?', verbosity: 'number?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.SnapshotController(chart(), 'snapshots', slot === 'props' ? v : set({}, slot, v)),
  },
  {
    name: 'VirtualizationPlatform',
    slots: {
      props: 'struct?', labels: 'map?', kubevirt: 'struct?', cdi: 'struct?', multus: 'struct?', whereabouts: 'struct?', snapshotController: 'struct?',
      argoCdSyncWaves: 'boolean?',
    },
    call: (slot, v) => new lib.VirtualizationPlatform(Testing.app(), 'platform', slot === 'props' ? v : set({}, slot, v)),
  },
];

/** Factories and methods: positional arguments, `call(slot, value)` with argument `slot` replaced. */
const FACTORIES = [
  { name: 'BootDisk.containerDisk', base: { names: ['image', 'options'], values: ['quay.io/containerdisks/fedora:41', {}] }, slots: { image: 'string', options: 'struct?' }, fn: (...a) => lib.BootDisk.containerDisk(...a) },
  { name: 'BootDisk.persistentVolumeClaim', base: { names: ['claimName', 'options'], values: ['disk', {}] }, slots: { claimName: 'string', options: 'struct?' }, fn: (...a) => lib.BootDisk.persistentVolumeClaim(...a) },
  { name: 'BootDisk.dataVolume', base: { names: ['dataVolume', 'options'], values: [BUILD, {}] }, slots: { dataVolume: 'ref', options: 'struct?' }, fn: (...a) => lib.BootDisk.dataVolume(...a) },
  { name: 'BootDisk.dataVolumeTemplate', base: { names: ['options'], values: [{ source: lib.DataVolumeSource.blank(), size: Size.gibibytes(1) }] }, slots: { options: 'struct' }, fn: (...a) => lib.BootDisk.dataVolumeTemplate(...a) },
  { name: 'BootDisk.cloneOf', base: { names: ['image', 'options'], values: [BUILD, {}] }, slots: { image: 'ref', options: 'struct?' }, fn: (...a) => lib.BootDisk.cloneOf(...a) },
  { name: 'CloudInit.noCloud', base: { names: ['options'], values: [{ userData: '#cloud-config\n' }] }, slots: { options: 'struct' }, fn: (...a) => lib.CloudInit.noCloud(...a) },
  { name: 'CloudInit.fromSecret', base: { names: ['secretName', 'options'], values: ['user-data', {}] }, slots: { secretName: 'string', options: 'struct?' }, fn: (...a) => lib.CloudInit.fromSecret(...a) },
  { name: 'Firmware.efi', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.Firmware.efi(...a) },
  { name: 'MachineType.custom', base: { names: ['machineType'], values: ['pc-q35-rhel9.6.0'] }, slots: { machineType: 'string' }, fn: (...a) => lib.MachineType.custom(...a) },
  { name: 'Instancetype.cluster', base: { names: ['name'], values: ['u1.medium'] }, slots: { name: 'string' }, fn: (...a) => lib.Instancetype.cluster(...a) },
  { name: 'Instancetype.namespaced', base: { names: ['name'], values: ['small'] }, slots: { name: 'string' }, fn: (...a) => lib.Instancetype.namespaced(...a) },
  { name: 'Preference.cluster', base: { names: ['name'], values: ['fedora'] }, slots: { name: 'string' }, fn: (...a) => lib.Preference.cluster(...a) },
  { name: 'Preference.namespaced', base: { names: ['name'], values: ['fedora'] }, slots: { name: 'string' }, fn: (...a) => lib.Preference.namespaced(...a) },
  { name: 'Network.multus', base: { names: ['networkAttachmentDefinition', 'options'], values: [BUILD, {}] }, slots: { networkAttachmentDefinition: 'ref', options: 'struct?' }, fn: (...a) => lib.Network.multus(...a) },
  { name: 'InterfaceBinding.plugin', base: { names: ['name'], values: ['passt'] }, slots: { name: 'string' }, fn: (...a) => lib.InterfaceBinding.plugin(...a) },
  { name: 'VlanTrunk.id', base: { names: ['id'], values: [5] }, slots: { id: 'number' }, fn: (...a) => lib.VlanTrunk.id(...a) },
  { name: 'VlanTrunk.range', base: { names: ['minId', 'maxId'], values: [5, 10] }, slots: { minId: 'number', maxId: 'number' }, fn: (...a) => lib.VlanTrunk.range(...a) },
  { name: 'CniPlugin.bridge', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.CniPlugin.bridge(...a) },
  { name: 'CniPlugin.macvlan', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.CniPlugin.macvlan(...a) },
  { name: 'CniPlugin.ovs', base: { names: ['options'], values: [{ bridge: 'br1' }] }, slots: { options: 'struct?' }, fn: (...a) => lib.CniPlugin.ovs(...a) },
  { name: 'CniPlugin.tuning', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.CniPlugin.tuning(...a) },
  { name: 'CniPlugin.custom', base: { names: ['config'], values: [{ type: 'x' }] }, slots: { config: 'struct' }, fn: (...a) => lib.CniPlugin.custom(...a) },
  { name: 'Ipam.whereabouts', base: { names: ['options'], values: [{ range: '10.0.0.0/24' }] }, slots: { options: 'struct' }, fn: (...a) => lib.Ipam.whereabouts(...a) },
  { name: 'Ipam.hostLocal', base: { names: ['options'], values: [{ subnet: '10.0.0.0/24' }] }, slots: { options: 'struct' }, fn: (...a) => lib.Ipam.hostLocal(...a) },
  { name: 'Ipam.staticAddresses', base: { names: ['options'], values: [{ addresses: [{ address: '10.0.0.5/24' }] }] }, slots: { options: 'struct' }, fn: (...a) => lib.Ipam.staticAddresses(...a) },
  { name: 'Route.defaultVia', base: { names: ['gateway'], values: ['10.0.0.1'] }, slots: { gateway: 'string' }, fn: (...a) => lib.Route.defaultVia(...a) },
  { name: 'Route.to', base: { names: ['destination', 'gateway'], values: ['10.1.0.0/16', undefined] }, slots: { destination: 'string', gateway: 'string?' }, fn: (...a) => lib.Route.to(...a) },
  { name: 'DataVolumeSource.http', base: { names: ['url', 'options'], values: ['https://example.org/d.qcow2', {}] }, slots: { url: 'string', options: 'struct?' }, fn: (...a) => lib.DataVolumeSource.http(...a) },
  { name: 'DataVolumeSource.registry', base: { names: ['url', 'options'], values: ['docker://quay.io/containerdisks/fedora:41', {}] }, slots: { url: 'string', options: 'struct?' }, fn: (...a) => lib.DataVolumeSource.registry(...a) },
  { name: 'DataVolumeSource.s3', base: { names: ['url', 'options'], values: ['https://s3.example.org/bucket/d.qcow2', {}] }, slots: { url: 'string', options: 'struct?' }, fn: (...a) => lib.DataVolumeSource.s3(...a) },
  { name: 'DataVolumeSource.gcs', base: { names: ['url', 'options'], values: ['gs://bucket/d.qcow2', {}] }, slots: { url: 'string', options: 'struct?' }, fn: (...a) => lib.DataVolumeSource.gcs(...a) },
  { name: 'DataVolumeSource.pvc', base: { names: ['namespace', 'name'], values: ['test', 'disk'] }, slots: { namespace: 'string', name: 'string' }, fn: (...a) => lib.DataVolumeSource.pvc(...a) },
  { name: 'DataVolumeSource.snapshot', base: { names: ['namespace', 'name'], values: ['test', 'snap'] }, slots: { namespace: 'string', name: 'string' }, fn: (...a) => lib.DataVolumeSource.snapshot(...a) },
  { name: 'DataSourceSource.pvc', base: { names: ['namespace', 'name'], values: ['test', 'disk'] }, slots: { namespace: 'string', name: 'string' }, fn: (...a) => lib.DataSourceSource.pvc(...a) },
  { name: 'DataSourceSource.snapshot', base: { names: ['namespace', 'name'], values: ['test', 'snap'] }, slots: { namespace: 'string', name: 'string' }, fn: (...a) => lib.DataSourceSource.snapshot(...a) },
  { name: 'FeatureGate.fromName', base: { names: ['name', 'component'], values: ['Snapshot', 'KubeVirt'] }, slots: { name: 'string', component: 'enum' }, fn: (...a) => lib.FeatureGate.fromName(...a) },
  { name: 'FeatureGate.custom', base: { names: ['name', 'component'], values: ['NewThing', 'CDI'] }, slots: { name: 'string', component: 'enum' }, fn: (...a) => lib.FeatureGate.custom(...a) },
  { name: 'SyncWave.of', base: { names: ['wave'], values: [1] }, slots: { wave: 'number' }, fn: (...a) => lib.SyncWave.of(...a) },
];

/** Methods and imports of constructs, which need a scope. */
const METHODS = [
  {
    name: 'VirtualMachine.addNetwork', base: { names: ['name', 'network', 'options'], values: ['extra', BUILD, {}] },
    slots: { name: 'string', network: 'instance', options: 'struct?' },
    fn: (...a) => {
      const c = chart();
      const vm = new lib.VirtualMachine(c, 'vm', { name: 'vm', bootDisk: bootDisk() });
      if (a[1] === BUILD) a[1] = lib.Network.multus(nad(c));
      return vm.addNetwork(...a);
    },
  },
  {
    name: 'VirtualMachine.fromVirtualMachineName', base: { names: ['name', 'options'], values: ['vm', { namespace: 'test' }] },
    slots: { name: 'string', options: 'struct' },
    fn: (...a) => lib.VirtualMachine.fromVirtualMachineName(chart(), 'vm', ...a),
  },
  {
    name: 'NetworkAttachmentDefinition.fromNetworkName', base: { names: ['networkName', 'options'], values: ['net', {}] },
    slots: { networkName: 'string', options: 'struct?' },
    fn: (...a) => lib.NetworkAttachmentDefinition.fromNetworkName(chart(), 'net', ...a),
  },
  {
    name: 'DataVolume.fromDataVolumeName', base: { names: ['name', 'attrs'], values: ['disk', {}] },
    slots: { name: 'string', attrs: 'struct?' },
    fn: (...a) => lib.DataVolume.fromDataVolumeName(chart(), 'dv', ...a),
  },
  {
    name: 'DataSource.fromDataSourceName', base: { names: ['name', 'attrs'], values: ['ds', { namespace: 'test' }] },
    slots: { name: 'string', attrs: 'struct' },
    fn: (...a) => lib.DataSource.fromDataSourceName(chart(), 'ds', ...a),
  },
  {
    name: 'VolumeSnapshot.fromVolumeSnapshotName', base: { names: ['name', 'attrs'], values: ['snap', { namespace: 'test' }] },
    slots: { name: 'string', attrs: 'struct' },
    fn: (...a) => lib.VolumeSnapshot.fromVolumeSnapshotName(chart(), 'snap', ...a),
  },
  {
    name: 'VolumeSnapshotClass.fromVolumeSnapshotClassName', base: { names: ['name'], values: ['class'] },
    slots: { name: 'string' },
    fn: (...a) => lib.VolumeSnapshotClass.fromVolumeSnapshotClassName(chart(), 'class', ...a),
  },
  {
    name: 'GoldenImage.grantClone', base: { names: ['options'], values: [{ namespace: 'tenant' }] },
    slots: { options: 'struct' },
    fn: (...a) => image(chart()).grantClone(...a),
  },
  {
    name: 'KubeVirt.addFeatureGate', base: { names: ['gate'], values: [lib.FeatureGate.SNAPSHOT] },
    slots: { gate: 'instance' },
    fn: (...a) => new lib.KubeVirt(chart(), 'kubevirt').addFeatureGate(...a),
  },
  {
    name: 'Cdi.addFeatureGate', base: { names: ['gate'], values: [lib.FeatureGate.HONOR_WAIT_FOR_FIRST_CONSUMER] },
    slots: { gate: 'instance' },
    fn: (...a) => new lib.Cdi(chart(), 'cdi').addFeatureGate(...a),
  },
  {
    name: 'VirtualizationPlatform.addDependant', base: { names: ['chart'], values: [BUILD] },
    slots: { chart: 'instance' },
    fn: (...a) => {
      const app = Testing.app();
      const platform = new lib.VirtualizationPlatform(app, 'platform');
      if (a[0] === BUILD) a[0] = new Chart(app, 'workloads');
      return platform.addDependant(...a);
    },
  },
];

// arguments some factories need built in a chart (references)
function fillReferences(entry, values) {
  return values.map((v, i) => {
    if (v !== BUILD || entry.name.startsWith('VirtualMachine.') || entry.name.startsWith('VirtualizationPlatform.')) return v;
    if (entry.name === 'BootDisk.dataVolume') return lib.DataVolume.fromDataVolumeName(chart(), 'dv', 'disk');
    if (entry.name === 'BootDisk.cloneOf') return image(chart());
    if (entry.name === 'Network.multus') return nad(chart());
    throw new Error(`no reference builder for ${entry.name} argument ${i}`);
  });
}

/** Every entry point as `{ name, slots, call(slot, value) }`; `call(undefined)` is a valid call. */
const ENTRY_POINTS = [
  ...CONSTRUCTS,
  ...[...FACTORIES, ...METHODS].map(e => ({
    name: e.name,
    slots: e.slots,
    call: (slot, v) => e.fn(...fillReferences(e, args(e.base, slot, v))),
  })),
];

module.exports = { ENTRY_POINTS, chart, nad, image, bootDisk, Duration, Cron };
