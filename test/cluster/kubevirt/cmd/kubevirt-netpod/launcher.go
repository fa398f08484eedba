package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strings"
	"unsafe"

	vnetns "github.com/vishvananda/netns"
	"golang.org/x/sys/unix"

	v1 "kubevirt.io/api/core/v1"

	"kubevirt.io/kubevirt/pkg/network/cache"
	"kubevirt.io/kubevirt/pkg/network/domainspec"
	"kubevirt.io/kubevirt/pkg/network/setup/launcher"
	"kubevirt.io/kubevirt/pkg/network/vmispec"
	"kubevirt.io/kubevirt/pkg/virt-launcher/virtwrap/api"
)

// LauncherInterface is what the launcher prints per domain interface after
// phase 2: the MAC and MTU KubeVirt gave the domain's NIC and its tap.
type LauncherInterface struct {
	Network string `json:"network"`
	MAC     string `json:"mac"`
	MTU     string `json:"mtu"`
	Tap     string `json:"tap"`
}

// guestEnd is where a tap's frames go: a veth end in a guest namespace
// (its peer, the guest's NIC, is in the same namespace).
type guestEnd struct {
	nsPath  string
	veth    string
	guestIf string
}

// runLauncher stands in the pod as virt-launcher does: it waits for the
// handler, then on "phase2 <network>=<netns path>,<veth end>,<guest NIC> ..."
// runs SetupPodNetworkPhase2 as virt-launcher's manager does
// (pkg/virt-launcher/virtwrap/manager.go:930-942 at v1.9.0), which starts
// KubeVirt's DHCP server for each bridge binding that has an address, then
// attaches to each tap and pumps its frames, and runs until killed.
func runLauncher(vmi *v1.VirtualMachineInstance, virtDir, hostname string, in io.Reader, out io.Writer) error {
	if err := privateVirtDir(virtDir); err != nil {
		return err
	}
	if hostname != "" {
		// the pod's hostname, which KubeVirt's DHCP server offers (run under unshare --uts)
		if err := unix.Sethostname([]byte(hostname)); err != nil {
			return fmt.Errorf("sethostname (run under unshare --uts): %v", err)
		}
	}
	fmt.Fprintf(out, "ready %d\n", os.Getpid())

	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("waiting for phase2 on stdin: %v", err)
	}
	fields := strings.Fields(line)
	if len(fields) == 0 || fields[0] != "phase2" {
		return fmt.Errorf("expected 'phase2 ...' on stdin, got %q", strings.TrimSpace(line))
	}
	guests := map[string]guestEnd{}
	for _, f := range fields[1:] {
		name, spec, ok := strings.Cut(f, "=")
		parts := strings.Split(spec, ",")
		if !ok || len(parts) != 3 {
			return fmt.Errorf("phase2: want <network>=<netns path>,<veth end>,<guest NIC>, got %q", f)
		}
		guests[name] = guestEnd{nsPath: parts[0], veth: parts[1], guestIf: parts[2]}
	}

	ifaces := vmi.Spec.Domain.Devices.Interfaces
	domain := &api.Domain{}
	for _, iface := range ifaces {
		domain.Spec.Devices.Interfaces = append(domain.Spec.Devices.Interfaces, api.Interface{Alias: api.NewUserDefinedAlias(iface.Name)})
	}
	nonAbsentIfaces := vmispec.FilterInterfacesSpec(ifaces, func(i v1.Interface) bool { return i.State != v1.InterfaceStateAbsent })
	nonAbsentNets := vmispec.FilterNetworksByInterfaces(vmi.Spec.Networks, nonAbsentIfaces)
	attachments := domainspec.DomainAttachmentByInterfaceName(ifaces, clusterConfig{}.GetNetworkBindings())
	if err := launcher.NewVMNetworkConfigurator(vmi, cache.CacheCreator{}, launcher.WithDomainAttachments(attachments)).SetupPodNetworkPhase2(domain, nonAbsentNets); err != nil {
		return fmt.Errorf("preparing the pod network failed: %v", err)
	}

	enc := json.NewEncoder(out)
	for _, di := range domain.Spec.Devices.Interfaces {
		name := di.Alias.GetName()
		g, wanted := guests[name]
		if !wanted {
			continue
		}
		if di.Target == nil || di.MAC == nil {
			return fmt.Errorf("interface %s: KubeVirt gave the domain no tap target (attachment %q)", name, attachments[name])
		}
		mtu := ""
		if di.MTU != nil {
			mtu = di.MTU.Size
		}
		if err := startPump(di.Target.Device, g); err != nil {
			return fmt.Errorf("interface %s: %v", name, err)
		}
		if err := enc.Encode(LauncherInterface{Network: name, MAC: di.MAC.MAC, MTU: mtu, Tap: di.Target.Device}); err != nil {
			return err
		}
		delete(guests, name)
	}
	for name := range guests {
		return fmt.Errorf("phase2: %s is not a tap-attached interface of the VMI", name)
	}
	fmt.Fprintln(out, "running")
	select {}
}

// startPump opens the tap as the hypervisor does (TUNSETIFF on
// /dev/net/tun, which gives the tap its carrier) and copies frames between it
// and a packet socket on the veth end in the guest namespace. The guest's NIC
// gets no transmit checksum offload, as a NIC without that feature: its
// frames leave through a packet socket, which does not complete checksums.
func startPump(tap string, g guestEnd) error {
	tfd, err := openTap(tap)
	if err != nil {
		return err
	}
	pfd, err := inNetns(g.nsPath, func() (int, error) {
		if err := txChecksumOff(g.guestIf); err != nil {
			return -1, err
		}
		ifi, err := net.InterfaceByName(g.veth)
		if err != nil {
			return -1, err
		}
		proto := htons(unix.ETH_P_ALL)
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(proto))
		if err != nil {
			return -1, err
		}
		if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: proto, Ifindex: ifi.Index}); err != nil {
			return -1, err
		}
		// frames this socket sends are not read back
		if err := unix.SetsockoptInt(fd, unix.SOL_PACKET, unix.PACKET_IGNORE_OUTGOING, 1); err != nil {
			return -1, err
		}
		return fd, nil
	})
	if err != nil {
		return fmt.Errorf("guest end %s in %s: %v", g.veth, g.nsPath, err)
	}
	go copyFrames(tfd, pfd, "tap "+tap)
	go copyFrames(pfd, tfd, "guest "+g.veth)
	return nil
}

func openTap(name string) (int, error) {
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1, err
	}
	for _, flags := range []uint16{unix.IFF_TAP | unix.IFF_NO_PI, unix.IFF_TAP | unix.IFF_NO_PI | unix.IFF_MULTI_QUEUE} {
		ifr, err := unix.NewIfreq(name)
		if err != nil {
			return -1, err
		}
		ifr.SetUint16(flags)
		err = unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr)
		if err == nil {
			return fd, nil
		}
		// a tap created with several queues wants IFF_MULTI_QUEUE
		if !errors.Is(err, unix.EINVAL) {
			return -1, fmt.Errorf("TUNSETIFF %s: %v", name, err)
		}
	}
	return -1, fmt.Errorf("TUNSETIFF %s: invalid argument with and without IFF_MULTI_QUEUE", name)
}

func copyFrames(from, to int, what string) {
	buf := make([]byte, 65536)
	for {
		n, err := unix.Read(from, buf)
		if err != nil {
			if errors.Is(err, unix.EINTR) || errors.Is(err, unix.EAGAIN) {
				continue
			}
			fmt.Fprintf(os.Stderr, "kubevirt-netpod: reading from %s: %v\n", what, err)
			os.Exit(1)
		}
		if n == 0 {
			continue
		}
		// a frame the other side refuses (no carrier yet, too big) is dropped, as on a wire
		_, _ = unix.Write(to, buf[:n])
	}
}

// inNetns runs f on a thread in the network namespace at path.
func inNetns(path string, f func() (int, error)) (int, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	orig, err := vnetns.Get()
	if err != nil {
		return -1, err
	}
	defer orig.Close()
	target, err := vnetns.GetFromPath(path)
	if err != nil {
		return -1, err
	}
	defer target.Close()
	if err := vnetns.Set(target); err != nil {
		return -1, err
	}
	fd, ferr := f()
	if err := vnetns.Set(orig); err != nil {
		// this thread stays in the wrong namespace: do not hand it back
		runtime.Goexit()
	}
	return fd, ferr
}

// txChecksumOff turns transmit checksum offload off on a link (ethtool -K
// <link> tx off), with the ETHTOOL_STXCSUM ioctl.
func txChecksumOff(link string) error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	value := struct{ cmd, data uint32 }{cmd: unix.ETHTOOL_STXCSUM, data: 0}
	var ifr struct {
		name [unix.IFNAMSIZ]byte
		data uintptr
		_    [16]byte
	}
	copy(ifr.name[:], link)
	ifr.data = uintptr(unsafe.Pointer(&value))
	if _, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCETHTOOL, uintptr(unsafe.Pointer(&ifr))); errno != 0 {
		return fmt.Errorf("ethtool tx off on %s: %v", link, errno)
	}
	runtime.KeepAlive(&value)
	return nil
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }
