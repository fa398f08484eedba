/**
 * Disks and high performance in one VM, alone in an app: the reference the
 * Python, Java and Go ports' manifests are compared with. A database VM
 * boots a clone of a golden image, owns a blank data disk, a scratch disk,
 * an install ISO on a CD-ROM and a ConfigMap disk with a serial; it runs on
 * dedicated CPUs with an isolated emulator thread, 1 GiB hugepages and the
 * host's NUMA layout, and has an SR-IOV interface beside the pod network.
 */
import { App, Chart, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import {
  BootDisk, CniPlugin, CpuModel, DataVolumeSource, Disk, DiskDevice, EvictionStrategy, GoldenImage, HugepagesSize,
  InterfaceBinding, IoThreadsPolicy, Network, NetworkAttachmentDefinition, VirtualMachine,
} from '../../../src';

const app = new App();
const chart = new Chart(app, 'disks-and-performance', { namespace: 'databases' });

const image = new GoldenImage(chart, 'fedora', {
  source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
  size: Size.gibibytes(10),
  storageClass: 'rook-ceph-block',
  snapshotClass: 'csi-rbdplugin-snapclass',
});
new k8s.KubeConfigMap(chart, 'app-config', {
  metadata: { name: 'app-config', namespace: 'databases' },
  data: { 'postgresql.conf': 'max_connections = 200\n' },
});
const dataplane = new NetworkAttachmentDefinition(chart, 'dataplane', {
  name: 'dataplane',
  resourceName: 'intel.com/sriov_netdevice',
  plugins: [CniPlugin.custom({ type: 'sriov', vlan: 120, spoofchk: 'on' })],
});

const db = new VirtualMachine(chart, 'db', {
  name: 'db',
  bootDisk: BootDisk.cloneOf(image),
  cores: 4,
  memory: Size.gibibytes(16),
  dedicatedCpus: true,
  isolateEmulatorThread: true,
  numaGuestMappingPassthrough: true,
  hugepages: HugepagesSize.ONE_GI,
  cpuModel: CpuModel.HOST_PASSTHROUGH,
  ioThreadsPolicy: IoThreadsPolicy.SUPPLEMENTAL_POOL,
  ioThreads: 2,
  evictionStrategy: EvictionStrategy.NONE,
  networks: [
    { name: 'default', network: Network.pod() },
    { name: 'dataplane', network: Network.multus(dataplane), binding: InterfaceBinding.sriov() },
  ],
});
db.addDisk('data', Disk.dataVolumeTemplate({
  source: DataVolumeSource.blank(), size: Size.gibibytes(100), storageClass: 'rook-ceph-block',
}));
db.addDisk('scratch', Disk.emptyDisk(Size.gibibytes(20)));
db.addDisk('install', Disk.containerDisk('quay.io/containerdisks/fedora:41'), { device: DiskDevice.CDROM, bootOrder: 2 });
db.addDisk('app-config', Disk.configMap('app-config'), { serial: 'APPCFG' });

app.synth();
