"""A Python user's mistakes get a message that names them.

Bad values get the library's own message (construct path, prop, value, fix).
Wrong types never reach the library from Python: run as is, jsii's generated
type checks (typeguard) name the argument and the expected type; run with
`python -O` (those checks off), the jsii kernel's deserializer refuses the
value and names the key and the expected type. run.sh runs both.
"""
import sys

from cdk8s import App, Chart, Size
from cdk8s_kubevirt import BootDisk, CniPlugin, Ipam, NetworkAttachmentDefinition, VirtualMachine

FEDORA = "quay.io/containerdisks/fedora:41"
failures = []


def expect_error(what, build, *fragments):
    """Runs build() in a fresh app and checks the error names every fragment."""
    app = App()
    chart = Chart(app, "mistakes")
    try:
        build(chart)
        app.synth()
    except Exception as error:  # jsii raises RuntimeError/TypeError/JSIIError
        message = str(error)
        missing = [f for f in fragments if f not in message]
        if missing:
            failures.append(f"{what}: the message lacks {missing}: {message}")
        else:
            print(f"ok   {what}: {message.splitlines()[0]}")
        return
    failures.append(f"{what}: no error")


# Bad values: the library's message, with the construct path, prop, value and fix.
expect_error(
    "VLAN out of range",
    lambda c: NetworkAttachmentDefinition(c, "net", name="net", namespace="ns", plugins=[
        CniPlugin.bridge(bridge="br1", vlan=5000, ipam=Ipam.whereabouts(range="10.0.0.0/24"))]),
    "[mistakes/net]", "'plugins[0].vlan' must be a whole number between 1 and 4094, got 5000", "pick a VLAN id")
expect_error(
    "VM name that is no DNS label",
    lambda c: VirtualMachine(c, "vm", name="My_VM", namespace="ns", boot_disk=BootDisk.container_disk(FEDORA)),
    "[mistakes/vm]", "'name'", "My_VM")
expect_error(
    "range that is no CIDR",
    lambda c: NetworkAttachmentDefinition(c, "net", name="net", namespace="ns", plugins=[
        CniPlugin.bridge(bridge="br1", ipam=Ipam.whereabouts(range="10.0.0.0/33"))]),
    "[mistakes/net]", "'plugins[0].ipam.range' must be a CIDR block", "10.0.0.0/33")

# Wrong types: a string where a Size or a BootDisk belongs.
if __debug__:
    # jsii's generated checks name the argument and the expected type
    expect_error(
        "memory as a string (jsii type checks)",
        lambda c: VirtualMachine(c, "vm", name="vm", namespace="ns", boot_disk=BootDisk.container_disk(FEDORA),
                                 memory="2Gi"),
        "memory")
    expect_error(
        "boot disk as a string (jsii type checks)",
        lambda c: VirtualMachine(c, "vm", name="vm", namespace="ns", boot_disk=FEDORA),
        "boot_disk")
else:
    # with python -O those checks are gone: the jsii kernel refuses the value
    expect_error(
        "memory as a string (jsii kernel)",
        lambda c: VirtualMachine(c, "vm", name="vm", namespace="ns", boot_disk=BootDisk.container_disk(FEDORA),
                                 memory="2Gi"),
        "Key 'memory'", "cdk8s.Size", "2Gi")
    expect_error(
        "boot disk as a string (jsii kernel)",
        lambda c: VirtualMachine(c, "vm", name="vm", namespace="ns", boot_disk=FEDORA),
        "Key 'bootDisk'", "cdk8s-kubevirt.BootDisk")

if failures:
    print("\n".join(f"FAIL {f}" for f in failures), file=sys.stderr)
    sys.exit(1)
print(f"python mistakes: all answered with the expected message ({'type checks on' if __debug__ else 'python -O'})")
