"""Disks and high performance in one VM, in Python: a database VM booting a
clone of a golden image, with a data disk, a scratch disk, an install ISO and
a ConfigMap disk, on dedicated CPUs, 1 GiB hugepages and an SR-IOV network
(test/bindings/ts/disks-and-performance.ts is the reference)."""
from cdk8s import App, Chart, Size
from cdk8s_plus_33 import k8s
from cdk8s_kubevirt import (
    BootDisk, CniPlugin, CpuModel, DataVolumeSource, Disk, DiskDevice, EvictionStrategy, GoldenImage, HugepagesSize,
    InterfaceBinding, IoThreadsPolicy, Network, NetworkAttachmentDefinition, VirtualMachine, VirtualMachineNetworkInterface,
)

app = App()
chart = Chart(app, "disks-and-performance", namespace="databases")

image = GoldenImage(
    chart, "fedora",
    source=DataVolumeSource.http("https://example.org/fedora-41.qcow2"),
    size=Size.gibibytes(10),
    storage_class="rook-ceph-block",
    snapshot_class="csi-rbdplugin-snapclass",
)
k8s.KubeConfigMap(
    chart, "app-config",
    metadata=k8s.ObjectMeta(name="app-config", namespace="databases"),
    data={"postgresql.conf": "max_connections = 200\n"},
)
dataplane = NetworkAttachmentDefinition(
    chart, "dataplane",
    name="dataplane",
    resource_name="intel.com/sriov_netdevice",
    plugins=[CniPlugin.custom({"type": "sriov", "vlan": 120, "spoofchk": "on"})],
)

db = VirtualMachine(
    chart, "db",
    name="db",
    boot_disk=BootDisk.clone_of(image),
    cores=4,
    memory=Size.gibibytes(16),
    dedicated_cpus=True,
    isolate_emulator_thread=True,
    numa_guest_mapping_passthrough=True,
    hugepages=HugepagesSize.ONE_GI,
    cpu_model=CpuModel.HOST_PASSTHROUGH,
    io_threads_policy=IoThreadsPolicy.SUPPLEMENTAL_POOL,
    io_threads=2,
    eviction_strategy=EvictionStrategy.NONE,
    networks=[
        VirtualMachineNetworkInterface(name="default", network=Network.pod()),
        VirtualMachineNetworkInterface(name="dataplane", network=Network.multus(dataplane), binding=InterfaceBinding.sriov()),
    ],
)
db.add_disk("data", Disk.data_volume_template(
    source=DataVolumeSource.blank(), size=Size.gibibytes(100), storage_class="rook-ceph-block",
))
db.add_disk("scratch", Disk.empty_disk(Size.gibibytes(20)))
db.add_disk("install", Disk.container_disk("quay.io/containerdisks/fedora:41"), device=DiskDevice.CDROM, boot_order=2)
db.add_disk("app-config", Disk.config_map("app-config"), serial="APPCFG")

app.synth()
