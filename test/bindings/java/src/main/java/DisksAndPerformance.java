// Disks and high performance in one VM, in Java: a database VM booting a
// clone of a golden image, with a data disk, a scratch disk, an install ISO
// and a ConfigMap disk, on dedicated CPUs, 1 GiB hugepages and an SR-IOV
// network (test/bindings/ts/disks-and-performance.ts is the reference).
import java.util.List;
import java.util.Map;

import io.github.cdk8skubevirt.AddDiskOptions;
import io.github.cdk8skubevirt.BootDisk;
import io.github.cdk8skubevirt.CniPlugin;
import io.github.cdk8skubevirt.CpuModel;
import io.github.cdk8skubevirt.DataVolumeSource;
import io.github.cdk8skubevirt.DataVolumeStorageOptions;
import io.github.cdk8skubevirt.Disk;
import io.github.cdk8skubevirt.DiskDevice;
import io.github.cdk8skubevirt.EvictionStrategy;
import io.github.cdk8skubevirt.GoldenImage;
import io.github.cdk8skubevirt.HugepagesSize;
import io.github.cdk8skubevirt.InterfaceBinding;
import io.github.cdk8skubevirt.IoThreadsPolicy;
import io.github.cdk8skubevirt.Network;
import io.github.cdk8skubevirt.NetworkAttachmentDefinition;
import io.github.cdk8skubevirt.VirtualMachine;
import io.github.cdk8skubevirt.VirtualMachineNetworkInterface;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.ChartProps;
import org.cdk8s.Size;
import org.cdk8s.plus33.k8s.KubeConfigMap;
import org.cdk8s.plus33.k8s.ObjectMeta;

public final class DisksAndPerformance {
    public static void main(final String[] args) {
        App app = new App();
        Chart chart = new Chart(app, "disks-and-performance", ChartProps.builder().namespace("databases").build());

        GoldenImage image = GoldenImage.Builder.create(chart, "fedora")
            .source(DataVolumeSource.http("https://example.org/fedora-41.qcow2"))
            .size(Size.gibibytes(10))
            .storageClass("rook-ceph-block")
            .snapshotClass("csi-rbdplugin-snapclass")
            .build();
        KubeConfigMap.Builder.create(chart, "app-config")
            .metadata(ObjectMeta.builder().name("app-config").namespace("databases").build())
            .data(Map.of("postgresql.conf", "max_connections = 200\n"))
            .build();
        NetworkAttachmentDefinition dataplane = NetworkAttachmentDefinition.Builder.create(chart, "dataplane")
            .name("dataplane")
            .resourceName("intel.com/sriov_netdevice")
            .plugins(List.of(CniPlugin.custom(Map.of("type", "sriov", "vlan", 120, "spoofchk", "on"))))
            .build();

        VirtualMachine db = VirtualMachine.Builder.create(chart, "db")
            .name("db")
            .bootDisk(BootDisk.cloneOf(image))
            .cores(4)
            .memory(Size.gibibytes(16))
            .dedicatedCpus(true)
            .isolateEmulatorThread(true)
            .numaGuestMappingPassthrough(true)
            .hugepages(HugepagesSize.ONE_GI)
            .cpuModel(CpuModel.HOST_PASSTHROUGH)
            .ioThreadsPolicy(IoThreadsPolicy.SUPPLEMENTAL_POOL)
            .ioThreads(2)
            .evictionStrategy(EvictionStrategy.NONE)
            .networks(List.of(
                VirtualMachineNetworkInterface.builder().name("default").network(Network.pod()).build(),
                VirtualMachineNetworkInterface.builder().name("dataplane").network(Network.multus(dataplane))
                    .binding(InterfaceBinding.sriov()).build()))
            .build();
        db.addDisk("data", Disk.dataVolumeTemplate(DataVolumeStorageOptions.builder()
            .source(DataVolumeSource.blank()).size(Size.gibibytes(100)).storageClass("rook-ceph-block").build()));
        db.addDisk("scratch", Disk.emptyDisk(Size.gibibytes(20)));
        db.addDisk("install", Disk.containerDisk("quay.io/containerdisks/fedora:41"),
            AddDiskOptions.builder().device(DiskDevice.CDROM).bootOrder(2).build());
        db.addDisk("app-config", Disk.configMap("app-config"), AddDiskOptions.builder().serial("APPCFG").build());

        app.synth();
    }
}
