// Every public entry point of the library, called the way a plain JavaScript
// (or Python, Java, Go) caller calls it: no types at all. Each entry names its
// typed inputs ("slots") with the shape they must have, and `call(slot, value)`
// makes one call with valid inputs except `slot`, which gets `value`.
'use strict';
const { ApiObject, Chart, Cron, Duration, Size, Testing } = require('cdk8s');
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
  // performance
  cpuRequest: 'instance?', cpuLimit: 'instance?', memoryRequest: 'Size?', memoryLimit: 'Size?', dedicatedCpus: 'boolean?',
  isolateEmulatorThread: 'boolean?', numaGuestMappingPassthrough: 'boolean?', realtime: 'boolean?', cpuModel: 'instance?', cpuFeatures: 'array?',
  hugepages: 'enum?', networkInterfaceMultiqueue: 'boolean?', blockMultiQueue: 'boolean?', ioThreadsPolicy: 'enum?', ioThreads: 'number?',
  terminationGracePeriod: 'Duration?', hostname: 'string?', subdomain: 'string?', dnsPolicy: 'enum?', dnsConfig: 'struct?',
  priorityClassName: 'string?', topologySpreadConstraints: 'array?', readinessProbe: 'instance?', livenessProbe: 'instance?',
  // devices
  gpus: 'array?', hostDevices: 'array?', tpm: 'struct?', rng: 'boolean?', watchdog: 'enum?', tabletInput: 'enum?',
  autoattachGraphicsDevice: 'boolean?', autoattachSerialConsole: 'boolean?', hyperv: 'instance?', clock: 'struct?',
};
const IMAGE_SLOTS = { image: 'struct?', imagePullPolicy: 'enum?', argoCdSyncWaves: 'boolean?' };
/** multi-networkpolicy-iptables has no release image, so its controller needs one pinned by digest. */
/** No upstream image carries the CNI dhcp plugin, so the daemon needs one. */
const DHCP_IMAGE = { repository: 'registry.example.com/cni-plugins', tag: 'v1.9.1' };
const MNP_IMAGE = { repository: 'registry.example.com/multi-networkpolicy-iptables', digest: `sha256:${'0'.repeat(64)}` };

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
      disks: 'array?', source: 'instance?',
      poolUpdateStrategy: 'instance?', poolScaleInStrategy: 'instance?', poolAutohealing: 'struct?', poolMaxUnavailable: 'instance?',
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
      ipam: 'instance?', master: 'string?', hostMaster: 'ref?', macvlanMode: 'enum?', bridge: 'string?', hostBridge: 'ref?', vlan: 'number?', mtu: 'number?',
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
      controlPlanePlacement: 'enum?', infraPlacement: 'struct?', workloadPlacement: 'struct?', permittedHostDevices: 'struct?', mediatedDevicesConfiguration: 'struct?',
      parallelOutboundMigrationsPerNode: 'number?', ...IMAGE_SLOTS,
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
      multiNetworkPolicy: 'struct?', nmstate: 'struct?', argoCdSyncWaves: 'boolean?', cniPlugins: 'struct?', ovsCni: 'struct?', dhcpDaemon: 'struct?',
      nodeProvides: 'array?', velero: 'struct?',
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

// ---- the newer parts of the library: disks, compute and devices, host networking, policies, address plans ----

function vmIn(c, props = {}) {
  return new lib.VirtualMachine(c, 'vm', { name: 'vm', bootDisk: bootDisk(), ...props });
}
function fleetIn(c, props = {}) {
  return new lib.SmartCloneFleet(c, 'fleet', { replicas: 2, image: image(c), ...props });
}
/** A network with whereabouts IPAM that keeps 10.100.0.0/27 out of its pool, for address plans. */
function plannedNet(c) {
  return new lib.NetworkAttachmentDefinition(c, 'lan', {
    plugins: [lib.CniPlugin.bridge({ bridge: 'br1', ipam: lib.Ipam.whereabouts({ range: '10.100.0.0/24', exclude: ['10.100.0.0/27'] }) })],
  });
}
/**
 * `{ name, slots, call }` for a factory whose options struct is split into its fields; `fn` uses the
 * value it builds the way a program does (value classes that are checked where they are used are
 * used in a construct here).
 */
function optionsEntry(name, optionsKind, slots, base, fn) {
  const whole = optionsKind === undefined ? {} : { options: optionsKind };
  return { name, slots: { ...whole, ...slots }, call: (slot, v) => fn(optionsKind !== undefined && slot === 'options' ? v : set(base, slot, v)) };
}
/** An address plan on a fresh network of chart `c`. */
function planIn(c) {
  const net = plannedNet(c);
  return { c, net, plan: new lib.AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' }) };
}
function hostPolicy(iface) {
  return new lib.NodeNetworkConfigurationPolicy(chart(), 'hosts', { interfaces: [iface] });
}
const PROBE_OPTION_SLOTS = { initialDelay: 'Duration?', period: 'Duration?', timeout: 'Duration?', failureThreshold: 'number?', successThreshold: 'number?' };
const HOST_COMMON_SLOTS = { name: 'string', mtu: 'number?' };

const NEWER_CONSTRUCTS = [
  {
    name: 'VirtualMachineClusterInstancetype',
    slots: {
      props: 'struct', name: 'string', cpus: 'number', memory: 'Size', cpuModel: 'instance?', maxSockets: 'number?', dedicatedCpus: 'boolean?',
      isolateEmulatorThread: 'boolean?', numaGuestMappingPassthrough: 'boolean?', realtime: 'boolean?', hugepages: 'enum?',
      memoryOvercommitPercent: 'number?', gpus: 'array?', hostDevices: 'array?', ioThreadsPolicy: 'enum?',
    },
    call: (slot, v) => new lib.VirtualMachineClusterInstancetype(chart(), 'it', slot === 'props' ? v : set({ name: 'small', cpus: 2, memory: Size.gibibytes(4) }, slot, v)),
  },
  {
    name: 'VirtualMachineInstancetype',
    slots: { props: 'struct', name: 'string', namespace: 'string?', cpus: 'number', memory: 'Size', gpus: 'array?' },
    call: (slot, v) => new lib.VirtualMachineInstancetype(chart(), 'it', slot === 'props' ? v : set({ name: 'small', cpus: 2, memory: Size.gibibytes(4) }, slot, v)),
  },
  {
    name: 'VirtualMachineClusterPreference',
    slots: {
      props: 'struct', name: 'string', requirements: 'struct?', preferredCpuTopology: 'enum?', preferredDiskBus: 'enum?', preferredInterfaceModel: 'enum?',
      preferredFirmware: 'instance?', preferredMachineType: 'instance?', preferredHyperv: 'instance?', preferredTpm: 'boolean?',
      preferredTerminationGracePeriodSeconds: 'number?',
    },
    call: (slot, v) => new lib.VirtualMachineClusterPreference(chart(), 'p', slot === 'props' ? v : set({ name: 'windows' }, slot, v)),
  },
  {
    name: 'VirtualMachinePreference',
    slots: { props: 'struct', name: 'string', namespace: 'string?', requirements: 'struct?', preferredDiskBus: 'enum?' },
    call: (slot, v) => new lib.VirtualMachinePreference(chart(), 'p', slot === 'props' ? v : set({ name: 'windows' }, slot, v)),
  },
  {
    name: 'MigrationPolicy',
    slots: {
      props: 'struct', name: 'string', vmLabels: 'map?', namespaceLabels: 'map?', bandwidthPerMigration: 'Size?', completionTimeoutPerGiB: 'Duration?',
      allowAutoConverge: 'boolean?', allowPostCopy: 'boolean?', allowWorkloadDisruption: 'boolean?',
    },
    call: (slot, v) => new lib.MigrationPolicy(chart(), 'mp', slot === 'props' ? v : set({ name: 'databases', vmLabels: { workload: 'db' } }, slot, v)),
  },
  {
    name: 'NodeNetworkConfigurationPolicy',
    slots: { props: 'struct', name: 'string?', interfaces: 'array', nodeSelector: 'map?', maxUnavailable: 'instance?' },
    call: (slot, v) => new lib.NodeNetworkConfigurationPolicy(chart(), 'hosts', slot === 'props' ? v
      : set({ interfaces: [lib.HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'] })] }, slot, v)),
  },
  {
    name: 'VxlanBridge',
    slots: {
      props: 'struct', name: 'string?', vni: 'number', underlay: 'string', group: 'string?', peers: 'array?', bridgeName: 'string?', vxlanName: 'string?',
      underlayMtu: 'number?', trunkVlans: 'array?', nodeSelector: 'map?', destinationPort: 'number?', maxUnavailable: 'instance?',
    },
    call: (slot, v) => new lib.VxlanBridge(chart(), 'vx', slot === 'props' ? v : set({ vni: 7, underlay: 'eth0', group: '239.1.1.7' }, slot, v)),
  },
  {
    name: 'MultiNetworkPolicy',
    slots: {
      props: 'struct', name: 'string?', namespace: 'string?', networks: 'array', target: 'instance?', ingress: 'array?', egress: 'array?',
      labels: 'map?', annotations: 'map?',
    },
    call: (slot, v) => {
      const c = chart();
      const props = { networks: [nad(c)], ingress: [{ peers: [lib.PolicyPeer.vmsOfNamespace()], ports: [lib.PolicyPort.tcp(22)] }] };
      return new lib.MultiNetworkPolicy(c, 'policy', slot === 'props' ? v : set(props, slot, v));
    },
  },
  {
    name: 'MultiNetworkPolicy.tenantNetwork',
    slots: { options: 'struct', network: 'ref', members: 'array?', name: 'string?' },
    call: (slot, v) => {
      const c = chart();
      const options = { network: nad(c), members: [lib.PolicyPeer.namespace('test')] };
      return lib.MultiNetworkPolicy.tenantNetwork(c, 'tenant', slot === 'options' ? v : set(options, slot, v));
    },
  },
  {
    name: 'MultiNetworkPolicy.storageNetwork',
    slots: { options: 'struct', network: 'ref', namespace: 'string', target: 'instance?', ceph: 'array?', name: 'string?' },
    call: (slot, v) => {
      const c = chart();
      const options = { network: new lib.StorageNetwork(c, 'storage', { range: '192.168.20.0/24' }), namespace: 'tenant-a' };
      return lib.MultiNetworkPolicy.storageNetwork(c, 'fence', slot === 'options' ? v : set(options, slot, v));
    },
  },
  {
    name: 'AddressPlan',
    slots: { props: 'struct', network: 'instance', block: 'string', macPrefix: 'string' },
    call: (slot, v) => {
      const c = chart();
      return new lib.AddressPlan(c, 'plan', slot === 'props' ? v : set({ network: plannedNet(c), block: '10.100.0.0/27', macPrefix: '02:5a:10' }, slot, v));
    },
  },
  {
    name: 'Nmstate',
    slots: { props: 'struct?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.Nmstate(chart(), 'nmstate', slot === 'props' ? v : set({}, slot, v)),
  },
  {
    name: 'MultiNetworkPolicyController',
    slots: { props: 'struct', containerRuntimeEndpoint: 'string?', acceptIcmp: 'boolean?', acceptIcmpv6: 'boolean?', ...IMAGE_SLOTS, image: 'struct' },
    call: (slot, v) => new lib.MultiNetworkPolicyController(chart(), 'mnp', slot === 'props' ? v : set({ image: MNP_IMAGE }, slot, v)),
  },
  // options structs of methods and factories, field by field
  {
    name: 'VirtualMachine.expose',
    slots: { options: 'struct', ports: 'array', type: 'enum?', name: 'string?' },
    call: (slot, v) => vmIn(chart()).expose(slot === 'options' ? v : set({ ports: [{ port: 22 }] }, slot, v)),
  },
  {
    name: 'SmartCloneFleet.expose',
    slots: { options: 'struct', ports: 'array', type: 'enum?', name: 'string?' },
    call: (slot, v) => fleetIn(chart()).expose(slot === 'options' ? v : set({ ports: [{ port: 80, targetPort: 8080 }] }, slot, v)),
  },
  {
    name: 'VirtualMachine.expose port',
    slots: { port: 'number', targetPort: 'number?', protocol: 'enum?', nodePort: 'number?', name: 'string?' },
    call: (slot, v) => vmIn(chart()).expose({ type: 'NodePort', ports: [set({ port: 80, nodePort: 30080 }, slot, v)] }),
  },
  {
    name: 'VirtualMachine.addDisk options',
    slots: {
      device: 'enum?', bus: 'enum?', bootOrder: 'number?', cache: 'enum?', io: 'enum?', readOnly: 'boolean?', serial: 'string?', shareable: 'boolean?',
      dedicatedIoThread: 'boolean?', hotpluggable: 'boolean?', errorPolicy: 'enum?',
    },
    call: (slot, v) => vmIn(chart()).addDisk('data', lib.Disk.persistentVolumeClaim('data'), set({}, slot, v)),
  },
  {
    name: 'SmartCloneFleet disks entry',
    slots: { 'disks[0]': 'struct', name: 'string', disk: 'instance', bus: 'enum?', bootOrder: 'number?', serial: 'string?' },
    call: (slot, v) => fleetIn(chart(), { disks: [slot === 'disks[0]' ? v : set({ name: 'data', disk: lib.Disk.emptyDisk(Size.gibibytes(1)) }, slot, v)] }),
  },
  {
    name: 'VirtualMachine gpus entry',
    slots: { 'gpus[0]': 'struct', name: 'string', deviceName: 'string', virtualGpuOptions: 'struct?' },
    call: (slot, v) => vmIn(chart(), { gpus: [slot === 'gpus[0]' ? v : set({ name: 'gpu1', deviceName: 'nvidia.com/TU104GL_Tesla_T4' }, slot, v)] }),
  },
  {
    name: 'VirtualMachine hostDevices entry',
    slots: { 'hostDevices[0]': 'struct', name: 'string', deviceName: 'string' },
    call: (slot, v) => vmIn(chart(), { hostDevices: [slot === 'hostDevices[0]' ? v : set({ name: 'nic1', deviceName: 'intel.com/qat' }, slot, v)] }),
  },
  {
    name: 'VirtualMachine gpus virtualGpuOptions',
    slots: { display: 'boolean?', ramFb: 'boolean?' },
    call: (slot, v) => vmIn(chart(), { gpus: [{ name: 'vgpu1', deviceName: 'nvidia.com/GRID_T4-1Q', virtualGpuOptions: set({ display: true }, slot, v) }] }),
  },
  {
    name: 'VirtualMachine tpm',
    slots: { persistent: 'boolean?' },
    call: (slot, v) => vmIn(chart(), { firmware: lib.Firmware.efi(), tpm: set({}, slot, v) }),
  },
  {
    name: 'AddressPlan.assignVm options',
    slots: { interfaceName: 'string?' },
    call: (slot, v) => {
      const { c, net, plan } = planIn(chart());
      return plan.assignVm(new lib.IsolatedVm(c, 'vm', { name: 'vm', bootDisk: bootDisk(), network: net }), set({}, slot, v));
    },
  },
  {
    name: 'VirtualMachine cpuFeatures entry',
    slots: { 'cpuFeatures[0]': 'struct', name: 'string', policy: 'enum?' },
    call: (slot, v) => vmIn(chart(), { cpuFeatures: [slot === 'cpuFeatures[0]' ? v : set({ name: 'pcid' }, slot, v)] }),
  },
  {
    name: 'VirtualMachine clock',
    slots: { timezone: 'string?', hpet: 'boolean?', hypervTimer: 'boolean?', pitTickPolicy: 'enum?', rtcTickPolicy: 'enum?' },
    call: (slot, v) => vmIn(chart(), { clock: set({}, slot, v) }),
  },
  {
    name: 'VirtualMachineClusterPreference requirements',
    slots: { minCpus: 'number?', minMemory: 'Size?' },
    call: (slot, v) => new lib.VirtualMachineClusterPreference(chart(), 'p', { name: 'p', requirements: set({ minCpus: 2 }, slot, v) }),
  },
  {
    name: 'KubeVirt permittedHostDevices',
    slots: { pciHostDevices: 'array?', mediatedDevices: 'array?' },
    call: (slot, v) => new lib.KubeVirt(chart(), 'kubevirt', { permittedHostDevices: set({}, slot, v) }),
  },
  {
    name: 'KubeVirt mediatedDevicesConfiguration',
    slots: { mediatedDeviceTypes: 'array?', nodeMediatedDeviceTypes: 'array?' },
    call: (slot, v) => new lib.KubeVirt(chart(), 'kubevirt', { mediatedDevicesConfiguration: set({}, slot, v) }),
  },
  {
    name: 'VxlanBridge peers entry',
    slots: { 'peers[0]': 'struct', node: 'string', address: 'string' },
    call: (slot, v) => new lib.VxlanBridge(chart(), 'vx', {
      vni: 7, underlay: 'eth0', peers: [slot === 'peers[0]' ? v : set({ node: 'node-a', address: '10.0.0.1' }, slot, v), { node: 'node-b', address: '10.0.0.2' }],
    }),
  },
  {
    name: 'MultiNetworkPolicy rule',
    slots: { 'egress[0]': 'struct', peers: 'array?', ports: 'array?' },
    call: (slot, v) => {
      const c = chart();
      return new lib.MultiNetworkPolicy(c, 'policy', { networks: [nad(c)], egress: [slot === 'egress[0]' ? v : set({}, slot, v)] });
    },
  },
  {
    name: 'VirtualizationPlatform nmstate',
    slots: { enabled: 'boolean?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.VirtualizationPlatform(Testing.app(), 'platform', { nmstate: set({ enabled: true }, slot, v) }),
  },
  {
    name: 'VirtualizationPlatform multiNetworkPolicy',
    slots: { enabled: 'boolean?', containerRuntimeEndpoint: 'string?', acceptIcmp: 'boolean?', acceptIcmpv6: 'boolean?', ...IMAGE_SLOTS, image: 'struct' },
    call: (slot, v) => new lib.VirtualizationPlatform(Testing.app(), 'platform', { multiNetworkPolicy: set({ enabled: true, image: MNP_IMAGE }, slot, v) }),
  },
  {
    name: 'VirtualizationPlatform cniPlugins',
    slots: { enabled: 'boolean?', plugins: 'array?', sourceDirectory: 'string?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.VirtualizationPlatform(Testing.app(), 'platform', { cniPlugins: set({ enabled: true }, slot, v) }),
  },
  {
    name: 'VirtualizationPlatform ovsCni',
    slots: { enabled: 'boolean?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.VirtualizationPlatform(Testing.app(), 'platform', { ovsCni: set({ enabled: true }, slot, v) }),
  },
  {
    name: 'VirtualizationPlatform dhcpDaemon',
    slots: { enabled: 'boolean?', binaryPath: 'string?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.VirtualizationPlatform(Testing.app(), 'platform', { dhcpDaemon: set({ image: DHCP_IMAGE }, slot, v) }),
  },
  {
    name: 'CniPlugins',
    slots: { props: 'struct?', plugins: 'array?', sourceDirectory: 'string?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.CniPlugins(chart(), 'cni', slot === 'props' ? v : set({}, slot, v)),
  },
  {
    name: 'OvsCni',
    slots: { props: 'struct?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.OvsCni(chart(), 'ovs', slot === 'props' ? v : set({}, slot, v)),
  },
  {
    name: 'DhcpDaemon',
    slots: { props: 'struct', binaryPath: 'string?', ...IMAGE_SLOTS, image: 'struct' },
    call: (slot, v) => new lib.DhcpDaemon(chart(), 'dhcp', slot === 'props' ? v : set({ image: DHCP_IMAGE }, slot, v)),
  },
  optionsEntry('Disk.hostDisk options', 'struct?', { type: 'enum?', capacity: 'Size?', shared: 'boolean?' }, { type: 'DiskOrCreate', capacity: Size.gibibytes(1) },
    o => lib.Disk.hostDisk('/var/lib/vm/data.img', o)),
  optionsEntry('Disk.dataVolumeTemplate options', 'struct', { source: 'instance?', size: 'Size?', storageClass: 'string?', accessModes: 'array?', volumeMode: 'string?', preallocation: 'boolean?' },
    { source: lib.DataVolumeSource.blank(), size: Size.gibibytes(1) }, o => vmIn(chart()).addDisk('data', lib.Disk.dataVolumeTemplate(o))),
  optionsEntry('Disk.downwardApi options', 'struct', { fields: 'map' }, { fields: { labels: 'metadata.labels' } }, o => lib.Disk.downwardApi(o)),
  optionsEntry('VmProbe.tcp options', 'struct?', PROBE_OPTION_SLOTS, { period: Duration.seconds(10) }, o => lib.VmProbe.tcp(22, o)),
  optionsEntry('VmProbe.guestAgentPing options', 'struct?', PROBE_OPTION_SLOTS, {}, o => lib.VmProbe.guestAgentPing(o)),
  optionsEntry('HypervEnlightenments.custom options', 'struct', {
    relaxed: 'boolean?', vapic: 'boolean?', spinlocks: 'number?', vpindex: 'boolean?', synic: 'boolean?', synictimer: 'boolean?', tlbflush: 'boolean?',
    ipi: 'boolean?', runtime: 'boolean?', reset: 'boolean?', frequencies: 'boolean?', reenlightenment: 'boolean?', vendorId: 'string?',
  }, { relaxed: true }, o => vmIn(chart(), { hyperv: lib.HypervEnlightenments.custom(o) })),
  optionsEntry('HostInterface.linuxBridge options', undefined, { ...HOST_COMMON_SLOTS, ports: 'array?', stp: 'boolean?', vlanFiltering: 'boolean?', trunkVlans: 'array?' },
    { name: 'br1', ports: ['eth1'] }, o => hostPolicy(lib.HostInterface.linuxBridge(o))),
  optionsEntry('HostInterface.vlan options', undefined, { ...HOST_COMMON_SLOTS, base: 'string', id: 'number' }, { name: 'eth1.10', base: 'eth1', id: 10 }, o => hostPolicy(lib.HostInterface.vlan(o))),
  optionsEntry('HostInterface.vxlan options', undefined, { ...HOST_COMMON_SLOTS, id: 'number', base: 'string', remote: 'string?', group: 'string?', local: 'string?', destinationPort: 'number?' },
    { name: 'vxlan10', id: 10, base: 'eth0', group: '239.1.1.10' }, o => hostPolicy(lib.HostInterface.vxlan(o))),
  optionsEntry('HostInterface.bond options', undefined, { ...HOST_COMMON_SLOTS, mode: 'enum', ports: 'array', options: 'map?' },
    { name: 'bond0', mode: 'active-backup', ports: ['eth2', 'eth3'] }, o => hostPolicy(lib.HostInterface.bond(o))),
  optionsEntry('HostInterface.ovsBridge options', undefined, { name: 'string', ports: 'array?', stp: 'boolean?' }, { name: 'ovs-br1', ports: ['eth4'] }, o => hostPolicy(lib.HostInterface.ovsBridge(o))),
  optionsEntry('HostInterface.ethernet options', undefined, { ...HOST_COMMON_SLOTS, disableIpv4: 'boolean?', disableIpv6: 'boolean?' }, { name: 'eth1', mtu: 9000 }, o => hostPolicy(lib.HostInterface.ethernet(o))),
  {
    name: 'VirtualMachineTemplate.fromVirtualMachine',
    slots: { props: 'struct', vm: 'instance', name: 'string?', namespace: 'string?', parameters: 'array?', message: 'string?', labels: 'map?', instancetypeLabels: 'boolean?' },
    call: (slot, v) => {
      const c = chart();
      return lib.VirtualMachineTemplate.fromVirtualMachine(c, 'tpl', slot === 'props' ? v : set({ vm: vmIn(c, { memory: Size.gibibytes(1) }) }, slot, v));
    },
  },
  optionsEntry('TemplateParameter options', undefined,
    { parameterName: 'string?', description: 'string?', displayName: 'string?', value: 'string?', required: 'boolean?', generate: 'string?' },
    { value: '2Gi' }, o => lib.TemplateParameter.memory(o)),
  {
    name: 'SmartCloneFleet pool options',
    slots: { poolUpdateStrategy: 'instance?', poolScaleInStrategy: 'instance?', poolAutohealing: 'struct?', poolMaxUnavailable: 'instance?' },
    call: (slot, v) => fleetIn(chart(), set({ pool: true }, slot, v)),
  },
  {
    name: 'SmartCloneFleet poolAutohealing entry',
    slots: { startUpFailureThreshold: 'number?', minFailingToStartDuration: 'Duration?' },
    call: (slot, v) => fleetIn(chart(), { pool: true, poolAutohealing: set({ startUpFailureThreshold: 3 }, slot, v) }),
  },
  {
    name: 'ArgoCdHealthChecks',
    slots: { props: 'struct?', namespace: 'string?' },
    call: (slot, v) => new lib.ArgoCdHealthChecks(chart(), 'argocd-health', slot === 'props' ? v : set({}, slot, v)),
  },
];

const NEWER_FACTORIES = [
  { name: 'TemplateParameter.vmName', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.TemplateParameter.vmName(...a) },
  { name: 'TemplateParameter.memory', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.TemplateParameter.memory(...a) },
  { name: 'TemplateParameter.image', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.TemplateParameter.image(...a) },
  { name: 'TemplateParameter.instancetype', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.TemplateParameter.instancetype(...a) },
  { name: 'TemplateParameter.preference', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.TemplateParameter.preference(...a) },
  { name: 'TemplateParameter.cpuCores', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.TemplateParameter.cpuCores(...a) },
  {
    name: 'TemplateParameter.field', base: { names: ['name', 'path', 'options'], values: ['RUN', 'spec.runStrategy', {}] },
    slots: { name: 'string', path: 'string', options: 'struct?' }, fn: (...a) => lib.TemplateParameter.field(...a),
  },
  { name: 'PoolUpdateStrategy.proactive', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.PoolUpdateStrategy.proactive(...a) },
  { name: 'PoolScaleInStrategy.opportunistic', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.PoolScaleInStrategy.opportunistic(...a) },
  { name: 'PoolScaleInStrategy.proactive', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.PoolScaleInStrategy.proactive(...a) },
  { name: 'PoolMaxUnavailable.count', base: { names: ['count'], values: [1] }, slots: { count: 'number' }, fn: (...a) => lib.PoolMaxUnavailable.count(...a) },
  { name: 'PoolMaxUnavailable.percent', base: { names: ['percent'], values: [25] }, slots: { percent: 'number' }, fn: (...a) => lib.PoolMaxUnavailable.percent(...a) },
  { name: 'Disk.containerDisk', base: { names: ['image', 'options'], values: ['quay.io/containerdisks/fedora:41', {}] }, slots: { image: 'string', options: 'struct?' }, fn: (...a) => lib.Disk.containerDisk(...a) },
  { name: 'Disk.persistentVolumeClaim', base: { names: ['claimName', 'options'], values: ['data', { readOnly: true }] }, slots: { claimName: 'string', options: 'struct?' }, fn: (...a) => lib.Disk.persistentVolumeClaim(...a) },
  { name: 'Disk.dataVolume', base: { names: ['dataVolume', 'options'], values: [BUILD, {}] }, slots: { dataVolume: 'ref', options: 'struct?' }, fn: (...a) => lib.Disk.dataVolume(...a) },
  { name: 'Disk.dataVolumeTemplate', base: { names: ['options'], values: [{ source: lib.DataVolumeSource.blank(), size: Size.gibibytes(1) }] }, slots: { options: 'struct' }, fn: (...a) => lib.Disk.dataVolumeTemplate(...a) },
  { name: 'Disk.cloneOf', base: { names: ['image', 'options'], values: [BUILD, {}] }, slots: { image: 'ref', options: 'struct?' }, fn: (...a) => lib.Disk.cloneOf(...a) },
  { name: 'Disk.emptyDisk', base: { names: ['capacity'], values: [Size.gibibytes(1)] }, slots: { capacity: 'Size' }, fn: (...a) => lib.Disk.emptyDisk(...a) },
  { name: 'Disk.ephemeral', base: { names: ['claimName'], values: ['golden'] }, slots: { claimName: 'string' }, fn: (...a) => lib.Disk.ephemeral(...a) },
  { name: 'Disk.hostDisk', base: { names: ['path', 'options'], values: ['/var/lib/vm/data.img', {}] }, slots: { path: 'string', options: 'struct?' }, fn: (...a) => lib.Disk.hostDisk(...a) },
  { name: 'Disk.configMap', base: { names: ['name'], values: ['settings'] }, slots: { name: 'string' }, fn: (...a) => lib.Disk.configMap(...a) },
  { name: 'Disk.secret', base: { names: ['secretName'], values: ['keys'] }, slots: { secretName: 'string' }, fn: (...a) => lib.Disk.secret(...a) },
  { name: 'Disk.serviceAccount', base: { names: ['serviceAccountName'], values: ['default'] }, slots: { serviceAccountName: 'string' }, fn: (...a) => lib.Disk.serviceAccount(...a) },
  { name: 'Disk.downwardApi', base: { names: ['options'], values: [{ fields: { labels: 'metadata.labels' } }] }, slots: { options: 'struct' }, fn: (...a) => lib.Disk.downwardApi(...a) },
  { name: 'Disk.sysprep', base: { names: ['sysprep'], values: [lib.Sysprep.fromSecret('unattend')] }, slots: { sysprep: 'instance' }, fn: (...a) => lib.Disk.sysprep(...a) },
  { name: 'Sysprep.fromSecret', base: { names: ['secretName'], values: ['unattend'] }, slots: { secretName: 'string' }, fn: (...a) => lib.Sysprep.fromSecret(...a) },
  { name: 'Sysprep.fromConfigMap', base: { names: ['configMapName'], values: ['unattend'] }, slots: { configMapName: 'string' }, fn: (...a) => lib.Sysprep.fromConfigMap(...a) },
  { name: 'CpuModel.custom', base: { names: ['model'], values: ['Skylake-Server'] }, slots: { model: 'string' }, fn: (...a) => lib.CpuModel.custom(...a) },
  { name: 'HypervEnlightenments.custom', base: { names: ['options'], values: [{ relaxed: true }] }, slots: { options: 'struct' }, fn: (...a) => lib.HypervEnlightenments.custom(...a) },
  { name: 'VmProbe.tcp', base: { names: ['port', 'options'], values: [22, {}] }, slots: { port: 'number', options: 'struct?' }, fn: (...a) => lib.VmProbe.tcp(...a) },
  { name: 'VmProbe.http', base: { names: ['path', 'port', 'options'], values: ['/healthz', 8080, {}] }, slots: { path: 'string', port: 'number', options: 'struct?' }, fn: (...a) => lib.VmProbe.http(...a) },
  { name: 'VmProbe.exec', base: { names: ['command', 'options'], values: [['cat', '/tmp/ready'], {}] }, slots: { command: 'array', options: 'struct?' }, fn: (...a) => lib.VmProbe.exec(...a) },
  { name: 'VmProbe.guestAgentPing', base: { names: ['options'], values: [{}] }, slots: { options: 'struct?' }, fn: (...a) => lib.VmProbe.guestAgentPing(...a) },
  ...['linuxBridge', 'vlan', 'vxlan', 'bond', 'ovsBridge', 'ethernet'].map(f => ({
    name: `HostInterface.${f}`, base: { names: ['options'], values: [{ name: 'x' }] }, slots: { options: 'struct' }, fn: (...a) => lib.HostInterface[f](...a),
  })),
  { name: 'HostInterface.custom', base: { names: ['json'], values: [{ name: 'dummy0', type: 'dummy', state: 'up' }] }, slots: { json: 'struct' }, fn: (...a) => lib.HostInterface.custom(...a) },
  { name: 'MaxUnavailable.count', base: { names: ['nodes'], values: [2] }, slots: { nodes: 'number' }, fn: (...a) => lib.MaxUnavailable.count(...a) },
  { name: 'MaxUnavailable.percent', base: { names: ['percent'], values: [25] }, slots: { percent: 'number' }, fn: (...a) => lib.MaxUnavailable.percent(...a) },
  { name: 'HostBridge.existing', base: { names: ['name'], values: ['br-ex'] }, slots: { name: 'string' }, fn: (...a) => lib.HostBridge.existing(...a) },
  { name: 'PolicyTarget.vm', base: { names: ['vm'], values: [BUILD] }, slots: { vm: 'ref' }, fn: (...a) => lib.PolicyTarget.vm(...a) },
  { name: 'PolicyTarget.fleet', base: { names: ['fleet'], values: [BUILD] }, slots: { fleet: 'instance' }, fn: (...a) => lib.PolicyTarget.fleet(...a) },
  { name: 'PolicyTarget.podLabels', base: { names: ['labels'], values: [{ app: 'db' }] }, slots: { labels: 'map' }, fn: (...a) => lib.PolicyTarget.podLabels(...a) },
  { name: 'PolicyPeer.vm', base: { names: ['vm'], values: [BUILD] }, slots: { vm: 'ref' }, fn: (...a) => lib.PolicyPeer.vm(...a) },
  { name: 'PolicyPeer.fleet', base: { names: ['fleet'], values: [BUILD] }, slots: { fleet: 'instance' }, fn: (...a) => lib.PolicyPeer.fleet(...a) },
  { name: 'PolicyPeer.podLabels', base: { names: ['labels', 'namespace'], values: [{ app: 'db' }, 'test'] }, slots: { labels: 'map', namespace: 'string?' }, fn: (...a) => lib.PolicyPeer.podLabels(...a) },
  { name: 'PolicyPeer.vmsOfNamespace', base: { names: ['namespace'], values: ['test'] }, slots: { namespace: 'string?' }, fn: (...a) => lib.PolicyPeer.vmsOfNamespace(...a) },
  { name: 'PolicyPeer.namespace', base: { names: ['name'], values: ['tenant-a'] }, slots: { name: 'string' }, fn: (...a) => lib.PolicyPeer.namespace(...a) },
  { name: 'PolicyPeer.namespaceLabels', base: { names: ['labels'], values: [{ team: 'a' }] }, slots: { labels: 'map' }, fn: (...a) => lib.PolicyPeer.namespaceLabels(...a) },
  { name: 'PolicyPeer.ipBlock', base: { names: ['cidr', 'exceptBlocks'], values: ['10.0.0.0/24', ['10.0.0.0/28']] }, slots: { cidr: 'string', exceptBlocks: 'array?' }, fn: (...a) => lib.PolicyPeer.ipBlock(...a) },
  { name: 'PolicyPort.tcp', base: { names: ['port'], values: [22] }, slots: { port: 'number' }, fn: (...a) => lib.PolicyPort.tcp(...a) },
  { name: 'PolicyPort.udp', base: { names: ['port'], values: [53] }, slots: { port: 'number' }, fn: (...a) => lib.PolicyPort.udp(...a) },
  { name: 'PolicyPort.sctp', base: { names: ['port'], values: [3868] }, slots: { port: 'number' }, fn: (...a) => lib.PolicyPort.sctp(...a) },
  { name: 'PolicyPort.tcpRange', base: { names: ['first', 'last'], values: [6800, 7300] }, slots: { first: 'number', last: 'number' }, fn: (...a) => lib.PolicyPort.tcpRange(...a) },
  { name: 'PolicyPort.udpRange', base: { names: ['first', 'last'], values: [6800, 7300] }, slots: { first: 'number', last: 'number' }, fn: (...a) => lib.PolicyPort.udpRange(...a) },
  { name: 'PolicyPort.allPorts', base: { names: ['protocol'], values: ['TCP'] }, slots: { protocol: 'enum' }, fn: (...a) => lib.PolicyPort.allPorts(...a) },
  { name: 'SyncWave.apply', base: { names: ['scope', 'wave'], values: [BUILD, lib.SyncWave.WORKLOADS] }, slots: { scope: 'instance', wave: 'instance' }, fn: (...a) => lib.SyncWave.apply(...a) },
  { name: 'SyncWave.annotate', base: { names: ['obj', 'wave', 'overwrite'], values: [BUILD, lib.SyncWave.WORKLOADS, true] }, slots: { obj: 'instance', wave: 'instance', overwrite: 'boolean?' }, fn: (...a) => lib.SyncWave.annotate(...a) },
  { name: 'Topology.fromApp', base: { names: ['app'], values: [BUILD] }, slots: { app: 'instance' }, fn: (...a) => lib.Topology.fromApp(...a) },
  { name: 'Topology.fromCharts', base: { names: ['charts'], values: [BUILD] }, slots: { charts: 'array' }, fn: (...a) => lib.Topology.fromCharts(...a) },
  { name: 'NodeProvides.cniPlugin', base: { names: ['pluginType'], values: ['sriov'] }, slots: { pluginType: 'string' }, fn: (...a) => lib.NodeProvides.cniPlugin(...a) },
  { name: 'NodeRequirements.of', base: { names: ['app'], values: [BUILD] }, slots: { app: 'instance' }, fn: (...a) => lib.NodeRequirements.of(...a) },
  { name: 'Topology.fromManifests', base: { names: ['manifests'], values: [[{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test' } }]] }, slots: { manifests: 'documents' }, fn: (...a) => lib.Topology.fromManifests(...a) },
];

const NEWER_METHODS = [
  {
    name: 'VirtualMachine.addDisk', base: { names: ['name', 'disk', 'options'], values: ['data', lib.Disk.emptyDisk(Size.gibibytes(1)), {}] },
    slots: { name: 'string', disk: 'instance', options: 'struct?' },
    fn: (...a) => vmIn(chart()).addDisk(...a),
  },
  {
    name: 'VirtualMachine.addFilesystem', base: { names: ['name', 'disk'], values: ['share', lib.Disk.configMap('settings')] },
    slots: { name: 'string', disk: 'instance' },
    fn: (...a) => vmIn(chart()).addFilesystem(...a),
  },
  {
    name: 'VirtualMachine.expose', base: { names: ['options'], values: [{ ports: [{ port: 22 }] }] },
    slots: { options: 'struct' },
    fn: (...a) => vmIn(chart()).expose(...a),
  },
  {
    name: 'CommonInstancetype.defineCluster', base: { names: ['scope', 'id'], values: [BUILD, 'u1'] },
    slots: { scope: 'instance', id: 'string' },
    fn: (...a) => lib.CommonInstancetype.U1_MEDIUM.defineCluster(...a),
  },
  {
    name: 'CommonInstancetype.defineNamespaced', base: { names: ['scope', 'id', 'options'], values: [BUILD, 'u1', { namespace: 'test' }] },
    slots: { scope: 'instance', id: 'string', options: 'struct?' },
    fn: (...a) => lib.CommonInstancetype.U1_MEDIUM.defineNamespaced(...a),
  },
  {
    name: 'NodeNetworkConfigurationPolicy.bridge', base: { names: ['name'], values: ['br1'] },
    slots: { name: 'string' },
    fn: (...a) => new lib.NodeNetworkConfigurationPolicy(chart(), 'hosts', { interfaces: [lib.HostInterface.linuxBridge({ name: 'br1', ports: ['eth1'] })] }).bridge(...a),
  },
  {
    name: 'AddressPlan.assignVm', base: { names: ['vm', 'options'], values: [BUILD, {}] },
    slots: { vm: 'instance', options: 'struct?' },
    fn: (...a) => {
      const { c, net, plan } = planIn(chart());
      if (a[0] === BUILD) a[0] = new lib.IsolatedVm(c, 'vm', { name: 'vm', bootDisk: bootDisk(), network: net });
      return plan.assignVm(...a);
    },
  },
  {
    name: 'AddressPlan.assignFleet', base: { names: ['fleet', 'options'], values: [BUILD, {}] },
    slots: { fleet: 'instance', options: 'struct?' },
    fn: (...a) => {
      const { c, net, plan } = planIn(chart());
      if (a[0] === BUILD) a[0] = fleetIn(c, { isolatedNetwork: net });
      return plan.assignFleet(...a);
    },
  },
];

/** Builds the references the newer factories and methods take, each in a fresh chart. */
const NEWER_REFERENCES = {
  'Disk.dataVolume': () => lib.DataVolume.fromDataVolumeName(chart(), 'dv', 'disk'),
  'Disk.cloneOf': () => image(chart()),
  'PolicyTarget.vm': () => vmIn(chart()),
  'PolicyTarget.fleet': () => fleetIn(chart()),
  'PolicyPeer.vm': () => vmIn(chart()),
  'PolicyPeer.fleet': () => fleetIn(chart()),
  'SyncWave.apply': () => chart(),
  'SyncWave.annotate': () => new ApiObject(chart(), 'cm', { apiVersion: 'v1', kind: 'ConfigMap' }),
  'Topology.fromApp': () => { const c = chart(); vmIn(c); return c.node.root; },
  'Topology.fromCharts': () => { const c = chart(); vmIn(c); return [c]; },
  'NodeRequirements.of': () => { const c = chart(); vmIn(c); return c.node.root; },
  'CommonInstancetype.defineCluster': () => chart(),
  'CommonInstancetype.defineNamespaced': () => chart(),
};

// arguments some factories need built in a chart (references)
function fillReferences(entry, values) {
  return values.map((v, i) => {
    if (v !== BUILD || entry.name.startsWith('VirtualMachine.') || entry.name.startsWith('VirtualizationPlatform.')) return v;
    if (entry.name.startsWith('AddressPlan.')) return v;
    if (NEWER_REFERENCES[entry.name]) return NEWER_REFERENCES[entry.name]();
    if (entry.name === 'BootDisk.dataVolume') return lib.DataVolume.fromDataVolumeName(chart(), 'dv', 'disk');
    if (entry.name === 'BootDisk.cloneOf') return image(chart());
    if (entry.name === 'Network.multus') return nad(chart());
    throw new Error(`no reference builder for ${entry.name} argument ${i}`);
  });
}

/** Day-2: scheduled backups on Velero (ttl takes a Duration or a string, so it is checked in bad-inputs instead). */
const VELERO_STORE = { bucket: 'vm-backups', credentials: { secretName: 'velero-s3' } };
const BACKUP_CONSTRUCTS = [
  {
    name: 'BackupSchedule',
    slots: { props: 'struct', vms: 'array', schedule: 'string', name: 'string?', namespace: 'string?', storageLocation: 'string?', snapshotMoveData: 'boolean?', paused: 'boolean?' },
    call: (slot, v) => {
      const c = chart();
      return new lib.BackupSchedule(c, 'nightly', slot === 'props' ? v : set({ vms: [vmIn(c)], schedule: '@daily', ttl: '720h' }, slot, v));
    },
  },
  {
    name: 'Velero',
    slots: { props: 'struct', backupStorageLocation: 'struct', namespace: 'string?', kubevirtPluginImage: 'struct?', objectStorePluginImage: 'struct?', nodeAgent: 'boolean?', ...IMAGE_SLOTS },
    call: (slot, v) => new lib.Velero(chart(), 'velero', slot === 'props' ? v : set({ backupStorageLocation: VELERO_STORE }, slot, v)),
  },
];

// the day-2 objects (snapshot, restore, clone, export) and the VM methods that make them
function day2Vm(c) {
  return new lib.VirtualMachine(c, 'src', { name: 'src', bootDisk: lib.BootDisk.persistentVolumeClaim('src-root') });
}
const SNAPSHOT_OPTION_SLOTS = { name: 'string?', deletionPolicy: 'enum?', failureDeadline: 'Duration?', labels: 'map?' };
const RESTORE_OPTION_SLOTS = { name: 'string?', target: 'ref?', targetName: 'string?', targetReadinessPolicy: 'enum?', volumeRestorePolicy: 'enum?', patches: 'array?' };
const CLONE_OPTION_SLOTS = {
  name: 'string?', targetName: 'string', newMacAddresses: 'map?', newSmbiosSerial: 'string?', labelFilters: 'array?', annotationFilters: 'array?', patches: 'array?',
};
const EXPORT_OPTION_SLOTS = { name: 'string?', tokenSecretName: 'string?', ttl: 'Duration?' };
function day2Construct(name, slots, base, make) {
  return {
    name, slots,
    call: (slot, v) => {
      const c = chart();
      const vm = day2Vm(c);
      return make(c, slot === 'props' ? v : set(base(vm), slot, v));
    },
  };
}
function day2Method(name, slots, base, make) {
  return {
    name, slots,
    call: (slot, v) => {
      const vm = day2Vm(chart());
      return make(vm, slot === 'options' ? v : set(base, slot, v));
    },
  };
}
const DAY2_ENTRY_POINTS = [
  day2Construct('VirtualMachineSnapshot', { props: 'struct', vm: 'ref', ...SNAPSHOT_OPTION_SLOTS }, vm => ({ vm }),
    (c, p) => new lib.VirtualMachineSnapshot(c, 'snap', p)),
  day2Construct('VirtualMachineRestore', { props: 'struct', snapshot: 'ref', ...RESTORE_OPTION_SLOTS }, vm => ({ snapshot: vm.snapshot('s') }),
    (c, p) => new lib.VirtualMachineRestore(c, 'restore', p)),
  day2Construct('VirtualMachineClone', { props: 'struct', source: 'ref', ...CLONE_OPTION_SLOTS }, vm => ({ source: vm, targetName: 'copy' }),
    (c, p) => new lib.VirtualMachineClone(c, 'clone', p)),
  day2Construct('VirtualMachineExport', { props: 'struct', vm: 'ref?', snapshot: 'ref?', dataVolume: 'ref?', persistentVolumeClaimName: 'string?', namespace: 'string?', ...EXPORT_OPTION_SLOTS },
    () => ({ persistentVolumeClaimName: 'data' }), (c, p) => new lib.VirtualMachineExport(c, 'export', p)),
  day2Method('VirtualMachine.snapshot options', { options: 'struct?', ...SNAPSHOT_OPTION_SLOTS }, {}, (vm, o) => vm.snapshot('s', o)),
  day2Method('VirtualMachine.cloneTo options', { options: 'struct', ...CLONE_OPTION_SLOTS }, { targetName: 'copy' }, (vm, o) => vm.cloneTo('c', o)),
  day2Method('VirtualMachine.exportDisks options', { options: 'struct?', ...EXPORT_OPTION_SLOTS }, {}, (vm, o) => vm.exportDisks('e', o)),
  day2Method('VirtualMachineSnapshot.restore options', { options: 'struct?', ...RESTORE_OPTION_SLOTS }, {}, (vm, o) => vm.snapshot('s').restore('r', o)),
  {
    name: 'VirtualMachineSnapshot.fromVirtualMachineSnapshotName', slots: { name: 'string', attrs: 'struct' },
    call: (slot, v) => {
      const a = args({ names: ['name', 'attrs'], values: ['snap', { namespace: 'test', vmName: 'src' }] }, slot, v);
      return lib.VirtualMachineSnapshot.fromVirtualMachineSnapshotName(chart(), 'snap', ...a);
    },
  },
];

/** Every entry point as `{ name, slots, call(slot, value) }`; `call(undefined)` is a valid call. */
const ENTRY_POINTS = [
  ...CONSTRUCTS,
  ...NEWER_CONSTRUCTS,
  ...BACKUP_CONSTRUCTS,
  ...DAY2_ENTRY_POINTS,
  ...[...FACTORIES, ...METHODS, ...NEWER_FACTORIES, ...NEWER_METHODS].map(e => ({
    name: e.name,
    slots: e.slots,
    call: (slot, v) => e.fn(...fillReferences(e, args(e.base, slot, v))),
  })),
];

module.exports = { ENTRY_POINTS, chart, nad, image, bootDisk, Duration, Cron };
