package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	vishnetlink "github.com/vishvananda/netlink"
	"golang.org/x/sys/unix"

	v1 "kubevirt.io/api/core/v1"
	"kubevirt.io/client-go/log"

	"kubevirt.io/kubevirt/pkg/network/cache"
	netdriver "kubevirt.io/kubevirt/pkg/network/driver"
	kvnetlink "kubevirt.io/kubevirt/pkg/network/driver/netlink"
	"kubevirt.io/kubevirt/pkg/network/driver/nmstate"
	"kubevirt.io/kubevirt/pkg/network/driver/procsys"
	"kubevirt.io/kubevirt/pkg/network/driver/virtchroot"
	"kubevirt.io/kubevirt/pkg/network/istio"
	"kubevirt.io/kubevirt/pkg/network/link"
	"kubevirt.io/kubevirt/pkg/network/namescheme"
	"kubevirt.io/kubevirt/pkg/network/netns"
	netsetup "kubevirt.io/kubevirt/pkg/network/setup"
	"kubevirt.io/kubevirt/pkg/network/setup/netpod"
	"kubevirt.io/kubevirt/pkg/network/setup/netpod/masquerade"
	"kubevirt.io/kubevirt/pkg/network/vmispec"
	"kubevirt.io/kubevirt/pkg/util"
	converternet "kubevirt.io/kubevirt/pkg/virt-launcher/virtwrap/converter/network"
	"kubevirt.io/kubevirt/pkg/vmitrait"
)

// clusterConfig is what NetConf asks of the KubeVirt configuration: no
// network binding plugins and the PortRangesSpec gate off (KubeVirt's
// defaults; the bindings this tool runs are the core bridge and masquerade).
type clusterConfig struct{}

func (clusterConfig) GetNetworkBindings() map[string]v1.InterfaceBindingPlugin {
	return map[string]v1.InterfaceBindingPlugin{}
}
func (clusterConfig) PortRangesSpecGateEnabled() bool { return false }

// HandlerResult is what the handler prints: per network, the names KubeVirt
// chose and the DHCP config it cached for the launcher.
type HandlerResult struct {
	// Notes says where this run departs from virt-handler's (empty when not).
	Notes      []string           `json:"notes"`
	Interfaces []HandlerInterface `json:"interfaces"`
}

type HandlerInterface struct {
	Network      string `json:"network"`
	PodInterface string `json:"podInterface"`
	Bridge       string `json:"bridge"`
	Tap          string `json:"tap"`
	// DHCP is the config the launcher's DHCP server serves; nil when
	// KubeVirt serves none (IPAM disabled: the pod interface had no IPv4).
	DHCP *HandlerDHCP `json:"dhcp,omitempty"`
}

type HandlerDHCP struct {
	Address string `json:"address"`
	MAC     string `json:"mac"`
	Gateway string `json:"gateway,omitempty"`
}

// runHandler does what virt-handler does for a VMI's pod network
// (pkg/virt-handler/controller.go setupNetwork at v1.9.0): NetConf.Setup with
// the startup networks against the launcher's PID.
func runHandler(vmi *v1.VirtualMachineInstance, virtDir string, pid int, out io.Writer) error {
	if err := privateVirtDir(virtDir); err != nil {
		return err
	}
	networks := netsetup.FilterNetsForVMStartup(vmi)
	result := HandlerResult{Notes: []string{}, Interfaces: []HandlerInterface{}}

	hasDummy, err := dummySupported(pid)
	if err != nil {
		return err
	}
	if hasDummy {
		if err := netsetup.NewNetConf(clusterConfig{}).Setup(vmi, networks, pid); err != nil {
			return err
		}
	} else {
		result.Notes = append(result.Notes, "this kernel has no dummy driver: KubeVirt's nmstate driver ran with the dummy link (which keeps the pod interface's name, MAC and addresses) created as a veth end; everything else is NetConf.Setup's own path")
		if err := setupWithoutDummy(vmi, networks, pid); err != nil {
			return err
		}
	}

	for _, n := range networks {
		iface := vmispec.LookupInterfaceByName(vmi.Spec.Domain.Devices.Interfaces, n.Name)
		if iface == nil || (iface.Bridge == nil && iface.Masquerade == nil) {
			continue
		}
		podIf := namescheme.HashedPodInterfaceName(n, vmi.Status.Interfaces)
		hi := HandlerInterface{Network: n.Name, PodInterface: podIf, Bridge: link.GenerateBridgeName(podIf), Tap: link.GenerateTapDeviceName(podIf, n)}
		if iface.Bridge != nil {
			cfg, err := cache.ReadDHCPInterfaceCache(cache.CacheCreator{}, strconv.Itoa(pid), podIf)
			if err != nil {
				return fmt.Errorf("reading the DHCP config KubeVirt cached for %s: %v", podIf, err)
			}
			if !cfg.IPAMDisabled && cfg.IP.IPNet != nil {
				hi.DHCP = &HandlerDHCP{Address: cfg.IP.IPNet.String(), MAC: cfg.MAC.String()}
				if cfg.Gateway != nil {
					hi.DHCP.Gateway = cfg.Gateway.String()
				}
			}
		}
		result.Interfaces = append(result.Interfaces, hi)
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(result)
}

// dummySupported tries the dummy driver in the pod's network namespace.
func dummySupported(pid int) (bool, error) {
	supported := false
	err := netns.New(pid).Do(func() error {
		probe := &vishnetlink.Dummy{LinkAttrs: vishnetlink.LinkAttrs{Name: "kvnp-probe0"}}
		if err := vishnetlink.LinkAdd(probe); err != nil {
			if errors.Is(err, unix.EOPNOTSUPP) {
				return nil
			}
			return fmt.Errorf("probing the dummy driver: %v", err)
		}
		supported = true
		return vishnetlink.LinkDel(probe)
	})
	return supported, err
}

// setupWithoutDummy is NetConf.Setup (pkg/network/setup/netconf.go:84-118 at
// v1.9.0) with one change: KubeVirt's nmstate driver gets an adapter whose
// LinkAdd creates a dummy link as a veth end of the same name.
func setupWithoutDummy(vmi *v1.VirtualMachineInstance, networks []v1.Network, pid int) error {
	configStateCache := netsetup.NewConfigStateCache(string(vmi.UID), cache.CacheCreator{})
	state := netpod.NewState(&configStateCache, netns.New(pid))
	ownerID, _ := strconv.Atoi(netdriver.LibvirtUserAndGroupId)
	if vmitrait.IsNonRoot(vmi) {
		ownerID = util.NonRootUID
	}
	masq := masquerade.New(masquerade.WithIstio(istio.ProxyInjectionEnabled(vmi)), masquerade.WithPortRangesSpecGateEnabled(false), masquerade.WithLegacyMigrationPorts())
	if vmi.Status.MigrationTransport == v1.MigrationTransportUnix {
		masq = masquerade.New(masquerade.WithIstio(istio.ProxyInjectionEnabled(vmi)), masquerade.WithPortRangesSpecGateEnabled(false))
	}
	np := netpod.NewNetPod(
		networks,
		vmispec.FilterInterfacesByNetworks(vmi.Spec.Domain.Devices.Interfaces, networks),
		string(vmi.UID),
		pid,
		ownerID,
		int(converternet.NetworkQueuesCapacity(vmi)),
		state,
		netpod.WithMasqueradeAdapter(masq),
		netpod.WithCacheCreator(cache.CacheCreator{}),
		netpod.WithBindingPlugins(clusterConfig{}.GetNetworkBindings()),
		netpod.WithLogger(log.Log.Object(vmi)),
		netpod.WithVMIIfaceStatuses(vmi.Status.Interfaces),
		netpod.WithNMStateAdapter(nmstate.New(nmstate.WithAdapter(dummyAsVeth{}))),
	)
	if err := np.Setup(); err != nil {
		return fmt.Errorf("setup failed, err: %w", err)
	}
	return nil
}

// dummyAsVeth is the nmstate driver's default adapter (pkg/network/driver/
// nmstate/types.go defaultHandler) but for dummy links.
type dummyAsVeth struct {
	kvnetlink.NetLink
	procsys.ProcSys
	virtchroot.VirtCHRoot
}

func (d dummyAsVeth) LinkAdd(l vishnetlink.Link) error {
	dummy, ok := l.(*vishnetlink.Dummy)
	if !ok {
		return d.NetLink.LinkAdd(l)
	}
	name := dummy.Attrs().Name
	peer := fmt.Sprintf("%.12s-d", name)
	veth := &vishnetlink.Veth{LinkAttrs: vishnetlink.LinkAttrs{Name: name, MTU: dummy.Attrs().MTU}, PeerName: peer}
	if err := vishnetlink.LinkAdd(veth); err != nil {
		return err
	}
	// a dummy has carrier: so has a veth end whose peer is up
	p, err := vishnetlink.LinkByName(peer)
	if err != nil {
		return err
	}
	return vishnetlink.LinkSetUp(p)
}
