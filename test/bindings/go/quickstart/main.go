// The README's first example in Go: a VLAN bridge network, a VM on it, an
// isolated VM, a golden image and a three-VM smart-clone fleet.
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-kubevirt/cdk8s-kubevirt-go/cdk8skubevirt"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/cdk8s-team/cdk8s-plus-go/cdk8splus33/v2/k8s"
)

func main() {
	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("quickstart"), nil)
	k8s.NewKubeNamespace(chart, jsii.String("my-ns"), &k8s.KubeNamespaceProps{
		Metadata: &k8s.ObjectMeta{Name: jsii.String("my-ns")},
	})

	// A Linux bridge on VLAN 1234 with whereabouts IPAM and a default route
	net := cdk8skubevirt.NewNetworkAttachmentDefinition(chart, jsii.String("my-bridge"), &cdk8skubevirt.NetworkAttachmentDefinitionProps{
		Name:      jsii.String("my-bridge"),
		Namespace: jsii.String("my-ns"),
		Plugins: &[]cdk8skubevirt.CniPlugin{cdk8skubevirt.CniPlugin_Bridge(&cdk8skubevirt.CniPluginBridgeOptions{
			Bridge: jsii.String("br1"),
			Vlan:   jsii.Number(1234),
			Ipam: cdk8skubevirt.Ipam_Whereabouts(&cdk8skubevirt.IpamWhereaboutsOptions{
				Range:  jsii.String("10.123.124.0/24"),
				Routes: &[]cdk8skubevirt.Route{cdk8skubevirt.Route_DefaultVia(jsii.String("10.123.124.1"))},
			}),
		})},
	})

	// A VM on the pod network, also attached to the VLAN
	vm := cdk8skubevirt.NewVirtualMachine(chart, jsii.String("my-vm"), &cdk8skubevirt.VirtualMachineProps{
		Name:      jsii.String("my-vm"),
		Namespace: jsii.String("my-ns"),
		BootDisk:  cdk8skubevirt.BootDisk_ContainerDisk(jsii.String("quay.io/containerdisks/fedora:41"), nil),
		Memory:    cdk8s.Size_Gibibytes(jsii.Number(2)),
	})
	vm.AddNetwork(jsii.String("other-net"), cdk8skubevirt.Network_Multus(net, nil),
		&cdk8skubevirt.VirtualMachineAddNetworkOptions{Binding: cdk8skubevirt.InterfaceBinding_Bridge()})

	// A VM whose only network is the VLAN: no pod network at all
	cdk8skubevirt.NewIsolatedVm(chart, jsii.String("isolated"), &cdk8skubevirt.IsolatedVmProps{
		Name:      jsii.String("isolated"),
		Namespace: jsii.String("my-ns"),
		Network:   net,
		BootDisk:  cdk8skubevirt.BootDisk_ContainerDisk(jsii.String("quay.io/containerdisks/fedora:41"), nil),
	})

	// Import once, snapshot, and boot three VMs from copy-on-write restores
	image := cdk8skubevirt.NewGoldenImage(chart, jsii.String("fedora"), &cdk8skubevirt.GoldenImageProps{
		Namespace:     jsii.String("my-ns"),
		Source:        cdk8skubevirt.DataVolumeSource_Http(jsii.String("https://example.org/fedora-41.qcow2"), nil),
		Size:          cdk8s.Size_Gibibytes(jsii.Number(10)),
		StorageClass:  jsii.String("rook-ceph-block"),
		SnapshotClass: jsii.String("csi-rbdplugin-snapclass"),
	})
	fleet := cdk8skubevirt.NewSmartCloneFleet(chart, jsii.String("workers"), &cdk8skubevirt.SmartCloneFleetProps{
		Namespace:       jsii.String("my-ns"),
		Image:           image,
		Replicas:        jsii.Number(3),
		Memory:          cdk8s.Size_Gibibytes(jsii.Number(2)),
		IsolatedNetwork: net,
	})
	// cdk8s synth keeps stdout for itself: the plan goes to stderr
	fmt.Fprintln(os.Stderr, *fleet.Plan().Summary)

	app.Synth()
}
