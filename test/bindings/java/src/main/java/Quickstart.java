// The README's first example in Java: a VLAN bridge network, a VM on it, an
// isolated VM, a golden image and a three-VM smart-clone fleet.
import java.util.List;

import io.github.cdk8skubevirt.BootDisk;
import io.github.cdk8skubevirt.CniPlugin;
import io.github.cdk8skubevirt.CniPluginBridgeOptions;
import io.github.cdk8skubevirt.DataVolumeSource;
import io.github.cdk8skubevirt.GoldenImage;
import io.github.cdk8skubevirt.InterfaceBinding;
import io.github.cdk8skubevirt.Ipam;
import io.github.cdk8skubevirt.IpamWhereaboutsOptions;
import io.github.cdk8skubevirt.IsolatedVm;
import io.github.cdk8skubevirt.Network;
import io.github.cdk8skubevirt.NetworkAttachmentDefinition;
import io.github.cdk8skubevirt.Route;
import io.github.cdk8skubevirt.SmartCloneFleet;
import io.github.cdk8skubevirt.VirtualMachine;
import io.github.cdk8skubevirt.VirtualMachineAddNetworkOptions;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.Size;
import org.cdk8s.plus33.k8s.KubeNamespace;
import org.cdk8s.plus33.k8s.ObjectMeta;

public final class Quickstart {
    public static void main(final String[] args) {
        App app = new App();
        Chart chart = new Chart(app, "quickstart");
        KubeNamespace.Builder.create(chart, "my-ns")
            .metadata(ObjectMeta.builder().name("my-ns").build())
            .build();

        // A Linux bridge on VLAN 1234 with whereabouts IPAM and a default route
        NetworkAttachmentDefinition net = NetworkAttachmentDefinition.Builder.create(chart, "my-bridge")
            .name("my-bridge")
            .namespace("my-ns")
            .plugins(List.of(CniPlugin.bridge(CniPluginBridgeOptions.builder()
                .bridge("br1")
                .vlan(1234)
                .ipam(Ipam.whereabouts(IpamWhereaboutsOptions.builder()
                    .range("10.123.124.0/24")
                    .routes(List.of(Route.defaultVia("10.123.124.1")))
                    .build()))
                .build())))
            .build();

        // A VM on the pod network, also attached to the VLAN
        VirtualMachine vm = VirtualMachine.Builder.create(chart, "my-vm")
            .name("my-vm")
            .namespace("my-ns")
            .bootDisk(BootDisk.containerDisk("quay.io/containerdisks/fedora:41"))
            .memory(Size.gibibytes(2))
            .build();
        vm.addNetwork("other-net", Network.multus(net),
            VirtualMachineAddNetworkOptions.builder().binding(InterfaceBinding.bridge()).build());

        // A VM whose only network is the VLAN: no pod network at all
        IsolatedVm.Builder.create(chart, "isolated")
            .name("isolated")
            .namespace("my-ns")
            .network(net)
            .bootDisk(BootDisk.containerDisk("quay.io/containerdisks/fedora:41"))
            .build();

        // Import once, snapshot, and boot three VMs from copy-on-write restores
        GoldenImage image = GoldenImage.Builder.create(chart, "fedora")
            .namespace("my-ns")
            .source(DataVolumeSource.http("https://example.org/fedora-41.qcow2"))
            .size(Size.gibibytes(10))
            .storageClass("rook-ceph-block")
            .snapshotClass("csi-rbdplugin-snapclass")
            .build();
        SmartCloneFleet fleet = SmartCloneFleet.Builder.create(chart, "workers")
            .namespace("my-ns")
            .image(image)
            .replicas(3)
            .memory(Size.gibibytes(2))
            .isolatedNetwork(net)
            .build();
        // cdk8s synth keeps stdout for itself: the plan goes to stderr
        System.err.println(fleet.getPlan().getSummary());

        app.synth();
    }
}
