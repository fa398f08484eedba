"""The README's first example in Python: a VLAN bridge network, a VM on it,
an isolated VM, a golden image and a three-VM smart-clone fleet."""
import sys

from cdk8s import App, Chart, Size
from cdk8s_plus_33 import k8s
from cdk8s_kubevirt import (
    BootDisk, CniPlugin, DataVolumeSource, GoldenImage, InterfaceBinding, Ipam, IsolatedVm, Network,
    NetworkAttachmentDefinition, Route, SmartCloneFleet, VirtualMachine,
)

app = App()
chart = Chart(app, "quickstart")
k8s.KubeNamespace(chart, "my-ns", metadata=k8s.ObjectMeta(name="my-ns"))

# A Linux bridge on VLAN 1234 with whereabouts IPAM and a default route
net = NetworkAttachmentDefinition(
    chart, "my-bridge",
    name="my-bridge",
    namespace="my-ns",
    plugins=[CniPlugin.bridge(
        bridge="br1",
        vlan=1234,
        ipam=Ipam.whereabouts(range="10.123.124.0/24", routes=[Route.default_via("10.123.124.1")]),
    )],
)

# A VM on the pod network, also attached to the VLAN
vm = VirtualMachine(
    chart, "my-vm",
    name="my-vm",
    namespace="my-ns",
    boot_disk=BootDisk.container_disk("quay.io/containerdisks/fedora:41"),
    memory=Size.gibibytes(2),
)
vm.add_network("other-net", Network.multus(net), binding=InterfaceBinding.bridge())

# A VM whose only network is the VLAN: no pod network at all
IsolatedVm(
    chart, "isolated",
    name="isolated",
    namespace="my-ns",
    network=net,
    boot_disk=BootDisk.container_disk("quay.io/containerdisks/fedora:41"),
)

# Import once, snapshot, and boot three VMs from copy-on-write restores
image = GoldenImage(
    chart, "fedora",
    namespace="my-ns",
    source=DataVolumeSource.http("https://example.org/fedora-41.qcow2"),
    size=Size.gibibytes(10),
    storage_class="rook-ceph-block",
    snapshot_class="csi-rbdplugin-snapclass",
)
fleet = SmartCloneFleet(
    chart, "workers",
    namespace="my-ns",
    image=image,
    replicas=3,
    memory=Size.gibibytes(2),
    isolated_network=net,
)
# cdk8s synth keeps stdout for itself: the plan goes to stderr
print(fleet.plan.summary, file=sys.stderr)

app.synth()
