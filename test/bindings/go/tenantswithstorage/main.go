// Two tenants on their own VLANs sharing one Ceph storage network, in Go
// (the tenants-with-storage scenario of the example cluster).
package main

import (
	"strings"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-kubevirt/cdk8s-kubevirt-go/cdk8skubevirt"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
)

func main() {
	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("tenants-with-storage"), nil)

	// Shared by tenants and Ceph, so it lives in the Rook namespace.
	storage := cdk8skubevirt.NewStorageNetwork(chart, jsii.String("storage"), &cdk8skubevirt.StorageNetworkProps{
		Name:      jsii.String("ceph-public"),
		Namespace: jsii.String("rook-ceph"),
		// a Linux bridge, not the default macvlan: VMs join it with bridge
		// binding, and a macvlan would drop their inbound unicast
		Bridge:  jsii.String("br-storage"),
		Range:   jsii.String("192.168.100.0/24"),
		Exclude: jsii.Strings("192.168.100.0/28"),
	})

	tenants := []struct {
		name   string
		vlan   float64
		subnet string
	}{{"tenant-a", 100, "10.100.0.0/24"}, {"tenant-b", 200, "10.200.0.0/24"}}
	for _, tenant := range tenants {
		gateway := strings.TrimSuffix(tenant.subnet, "0/24") + "1"
		net := cdk8skubevirt.NewNetworkAttachmentDefinition(chart, jsii.String(tenant.name+"-net"), &cdk8skubevirt.NetworkAttachmentDefinitionProps{
			Name:      jsii.String(tenant.name + "-net"),
			Namespace: jsii.String(tenant.name),
			Plugins: &[]cdk8skubevirt.CniPlugin{cdk8skubevirt.CniPlugin_Bridge(&cdk8skubevirt.CniPluginBridgeOptions{
				Bridge: jsii.String("br-tenants"),
				Vlan:   jsii.Number(tenant.vlan),
				Ipam: cdk8skubevirt.Ipam_Whereabouts(&cdk8skubevirt.IpamWhereaboutsOptions{
					Range:   jsii.String(tenant.subnet),
					Gateway: jsii.String(gateway),
					Routes:  &[]cdk8skubevirt.Route{cdk8skubevirt.Route_DefaultVia(jsii.String(gateway))},
				}),
			})},
		})
		cdk8skubevirt.NewIsolatedVm(chart, jsii.String(tenant.name+"-vm"), &cdk8skubevirt.IsolatedVmProps{
			Name:      jsii.String(tenant.name + "-vm"),
			Namespace: jsii.String(tenant.name),
			Network:   net,
			BootDisk:  cdk8skubevirt.BootDisk_ContainerDisk(jsii.String("quay.io/containerdisks/fedora:41"), nil),
			Memory:    cdk8s.Size_Gibibytes(jsii.Number(2)),
			CloudInit: cdk8skubevirt.CloudInit_NoCloud(&cdk8skubevirt.CloudInitNoCloudOptions{
				Packages: jsii.Strings("ceph-common"),
				Runcmd:   jsii.Strings("systemctl enable --now chronyd"),
			}),
		}).AddNetwork(jsii.String("storage"), cdk8skubevirt.Network_Multus(storage, nil),
			&cdk8skubevirt.VirtualMachineAddNetworkOptions{Binding: cdk8skubevirt.InterfaceBinding_Bridge()})
	}

	app.Synth()
}
