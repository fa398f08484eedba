// Disks and high performance in one VM, in Go: a database VM booting a clone
// of a golden image, with a data disk, a scratch disk, an install ISO and a
// ConfigMap disk, on dedicated CPUs, 1 GiB hugepages and an SR-IOV network
// (test/bindings/ts/disks-and-performance.ts is the reference).
package main

import (
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-kubevirt/cdk8s-kubevirt-go/cdk8skubevirt"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	"github.com/cdk8s-team/cdk8s-plus-go/cdk8splus33/v2/k8s"
)

func main() {
	app := cdk8s.NewApp(nil)
	chart := cdk8s.NewChart(app, jsii.String("disks-and-performance"), &cdk8s.ChartProps{Namespace: jsii.String("databases")})

	image := cdk8skubevirt.NewGoldenImage(chart, jsii.String("fedora"), &cdk8skubevirt.GoldenImageProps{
		Source:        cdk8skubevirt.DataVolumeSource_Http(jsii.String("https://example.org/fedora-41.qcow2"), nil),
		Size:          cdk8s.Size_Gibibytes(jsii.Number(10)),
		StorageClass:  jsii.String("rook-ceph-block"),
		SnapshotClass: jsii.String("csi-rbdplugin-snapclass"),
	})
	k8s.NewKubeConfigMap(chart, jsii.String("app-config"), &k8s.KubeConfigMapProps{
		Metadata: &k8s.ObjectMeta{Name: jsii.String("app-config"), Namespace: jsii.String("databases")},
		Data:     &map[string]*string{"postgresql.conf": jsii.String("max_connections = 200\n")},
	})
	dataplane := cdk8skubevirt.NewNetworkAttachmentDefinition(chart, jsii.String("dataplane"), &cdk8skubevirt.NetworkAttachmentDefinitionProps{
		Name:         jsii.String("dataplane"),
		ResourceName: jsii.String("intel.com/sriov_netdevice"),
		Plugins: &[]cdk8skubevirt.CniPlugin{cdk8skubevirt.CniPlugin_Custom(&map[string]interface{}{
			"type": "sriov", "vlan": 120, "spoofchk": "on",
		})},
	})

	db := cdk8skubevirt.NewVirtualMachine(chart, jsii.String("db"), &cdk8skubevirt.VirtualMachineProps{
		Name:                        jsii.String("db"),
		BootDisk:                    cdk8skubevirt.BootDisk_CloneOf(image, nil),
		Cores:                       jsii.Number(4),
		Memory:                      cdk8s.Size_Gibibytes(jsii.Number(16)),
		DedicatedCpus:               jsii.Bool(true),
		IsolateEmulatorThread:       jsii.Bool(true),
		NumaGuestMappingPassthrough: jsii.Bool(true),
		Hugepages:                   cdk8skubevirt.HugepagesSize_ONE_GI,
		CpuModel:                    cdk8skubevirt.CpuModel_HOST_PASSTHROUGH(),
		IoThreadsPolicy:             cdk8skubevirt.IoThreadsPolicy_SUPPLEMENTAL_POOL,
		IoThreads:                   jsii.Number(2),
		EvictionStrategy:            cdk8skubevirt.EvictionStrategy_NONE,
		Networks: &[]*cdk8skubevirt.VirtualMachineNetworkInterface{
			{Name: jsii.String("default"), Network: cdk8skubevirt.Network_Pod()},
			{Name: jsii.String("dataplane"), Network: cdk8skubevirt.Network_Multus(dataplane, nil), Binding: cdk8skubevirt.InterfaceBinding_Sriov()},
		},
	})
	db.AddDisk(jsii.String("data"), cdk8skubevirt.Disk_DataVolumeTemplate(&cdk8skubevirt.DataVolumeStorageOptions{
		Source: cdk8skubevirt.DataVolumeSource_Blank(), Size: cdk8s.Size_Gibibytes(jsii.Number(100)), StorageClass: jsii.String("rook-ceph-block"),
	}), nil)
	db.AddDisk(jsii.String("scratch"), cdk8skubevirt.Disk_EmptyDisk(cdk8s.Size_Gibibytes(jsii.Number(20))), nil)
	db.AddDisk(jsii.String("install"), cdk8skubevirt.Disk_ContainerDisk(jsii.String("quay.io/containerdisks/fedora:41"), nil),
		&cdk8skubevirt.AddDiskOptions{Device: cdk8skubevirt.DiskDevice_CDROM, BootOrder: jsii.Number(2)})
	db.AddDisk(jsii.String("app-config"), cdk8skubevirt.Disk_ConfigMap(jsii.String("app-config")),
		&cdk8skubevirt.AddDiskOptions{Serial: jsii.String("APPCFG")})

	app.Synth()
}
