"""Two tenants on their own VLANs sharing one Ceph storage network, in Python
(the tenants-with-storage scenario of the example cluster)."""
from cdk8s import App, Chart, Size
from cdk8s_kubevirt import (
    BootDisk, CloudInit, CniPlugin, InterfaceBinding, Ipam, IsolatedVm, Network, NetworkAttachmentDefinition,
    Route, StorageNetwork,
)

app = App()
chart = Chart(app, "tenants-with-storage")

# Shared by tenants and Ceph, so it lives in the Rook namespace.
storage = StorageNetwork(
    chart, "storage",
    name="ceph-public",
    namespace="rook-ceph",
    # a Linux bridge, not the default macvlan: VMs join it with bridge
    # binding, and a macvlan would drop their inbound unicast
    bridge="br-storage",
    range="192.168.100.0/24",
    exclude=["192.168.100.0/28"],
)

for tenant, vlan, subnet in [("tenant-a", 100, "10.100.0.0/24"), ("tenant-b", 200, "10.200.0.0/24")]:
    gateway = subnet[: -len("0/24")] + "1"
    net = NetworkAttachmentDefinition(
        chart, f"{tenant}-net",
        name=f"{tenant}-net",
        namespace=tenant,
        plugins=[CniPlugin.bridge(
            bridge="br-tenants",
            vlan=vlan,
            ipam=Ipam.whereabouts(range=subnet, gateway=gateway, routes=[Route.default_via(gateway)]),
        )],
    )
    IsolatedVm(
        chart, f"{tenant}-vm",
        name=f"{tenant}-vm",
        namespace=tenant,
        network=net,
        boot_disk=BootDisk.container_disk("quay.io/containerdisks/fedora:41"),
        memory=Size.gibibytes(2),
        cloud_init=CloudInit.no_cloud(packages=["ceph-common"], runcmd=["systemctl enable --now chronyd"]),
    ).add_network("storage", Network.multus(storage), binding=InterfaceBinding.bridge())

app.synth()
