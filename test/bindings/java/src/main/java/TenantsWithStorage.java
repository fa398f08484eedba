// Two tenants on their own VLANs sharing one Ceph storage network, in Java
// (the tenants-with-storage scenario of the example cluster).
import java.util.List;

import io.github.cdk8skubevirt.BootDisk;
import io.github.cdk8skubevirt.CloudInit;
import io.github.cdk8skubevirt.CloudInitNoCloudOptions;
import io.github.cdk8skubevirt.CniPlugin;
import io.github.cdk8skubevirt.CniPluginBridgeOptions;
import io.github.cdk8skubevirt.InterfaceBinding;
import io.github.cdk8skubevirt.Ipam;
import io.github.cdk8skubevirt.IpamWhereaboutsOptions;
import io.github.cdk8skubevirt.IsolatedVm;
import io.github.cdk8skubevirt.Network;
import io.github.cdk8skubevirt.NetworkAttachmentDefinition;
import io.github.cdk8skubevirt.Route;
import io.github.cdk8skubevirt.StorageNetwork;
import io.github.cdk8skubevirt.VirtualMachineAddNetworkOptions;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.Size;

public final class TenantsWithStorage {
    private record Tenant(String name, int vlan, String subnet) { }

    public static void main(final String[] args) {
        App app = new App();
        Chart chart = new Chart(app, "tenants-with-storage");

        // Shared by tenants and Ceph, so it lives in the Rook namespace.
        StorageNetwork storage = StorageNetwork.Builder.create(chart, "storage")
            .name("ceph-public")
            .namespace("rook-ceph")
            // a Linux bridge, not the default macvlan: VMs join it with bridge
            // binding, and a macvlan would drop their inbound unicast
            .bridge("br-storage")
            .range("192.168.100.0/24")
            .exclude(List.of("192.168.100.0/28"))
            .build();

        for (Tenant tenant : List.of(new Tenant("tenant-a", 100, "10.100.0.0/24"), new Tenant("tenant-b", 200, "10.200.0.0/24"))) {
            String gateway = tenant.subnet().substring(0, tenant.subnet().length() - "0/24".length()) + "1";
            NetworkAttachmentDefinition net = NetworkAttachmentDefinition.Builder.create(chart, tenant.name() + "-net")
                .name(tenant.name() + "-net")
                .namespace(tenant.name())
                .plugins(List.of(CniPlugin.bridge(CniPluginBridgeOptions.builder()
                    .bridge("br-tenants")
                    .vlan(tenant.vlan())
                    .ipam(Ipam.whereabouts(IpamWhereaboutsOptions.builder()
                        .range(tenant.subnet())
                        .gateway(gateway)
                        .routes(List.of(Route.defaultVia(gateway)))
                        .build()))
                    .build())))
                .build();
            IsolatedVm.Builder.create(chart, tenant.name() + "-vm")
                .name(tenant.name() + "-vm")
                .namespace(tenant.name())
                .network(net)
                .bootDisk(BootDisk.containerDisk("quay.io/containerdisks/fedora:41"))
                .memory(Size.gibibytes(2))
                .cloudInit(CloudInit.noCloud(CloudInitNoCloudOptions.builder()
                    .packages(List.of("ceph-common"))
                    .runcmd(List.of("systemctl enable --now chronyd"))
                    .build()))
                .build()
                .addNetwork("storage", Network.multus(storage),
                    VirtualMachineAddNetworkOptions.builder().binding(InterfaceBinding.bridge()).build());
        }

        app.synth();
    }
}
