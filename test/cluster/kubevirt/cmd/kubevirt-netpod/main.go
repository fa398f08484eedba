// kubevirt-netpod runs KubeVirt v1.9.0's own pod-network code against a
// network namespace, in the two roles KubeVirt splits it between:
//
//	kubevirt-netpod launcher --vmi <file> --virt-private-dir <dir> [--hostname <name>]
//	    run inside the pod's network namespace, as virt-launcher: holds the
//	    pod's PID and its private /var/run/kubevirt-private, then (when told
//	    on stdin) runs virt-launcher's phase 2 (KubeVirt's DHCP server on the
//	    binding's bridge) and attaches to every tap the way the hypervisor
//	    does (TUNSETIFF), pumping frames to a veth end in a guest namespace.
//	kubevirt-netpod handler --vmi <file> --virt-private-dir <dir> --pid <launcher PID>
//	    run from the host, as virt-handler: NetConf.Setup (pkg/network/setup)
//	    against the launcher's PID, which applies the binding's nmstate spec
//	    with KubeVirt's nmstate driver and creates taps with virt-chroot
//	    (looked up on PATH), and caches the DHCP config for the launcher.
//
// The VMI is a VirtualMachineInstance JSON (the VM template's spec under the
// VM's name); --networks keeps only the named networks (the ones whose pod
// interfaces exist); --network-status gives it the pod's Multus
// network-status, from which virt-controller fills the VMI's interface
// statuses. Both roles put the pod's cache directory on
// /var/run/kubevirt-private in a mount namespace of their own: run the
// launcher under `ip netns exec` (and `unshare --uts` for the pod's hostname)
// and the handler under `unshare -m`.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/user"
	"strings"

	"golang.org/x/sys/unix"

	networkv1 "github.com/k8snetworkplumbingwg/network-attachment-definition-client/pkg/apis/k8s.cni.cncf.io/v1"
	k8scorev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kubevirt.io/api/core/v1"

	"kubevirt.io/kubevirt/pkg/network/controllers"
	"kubevirt.io/kubevirt/pkg/network/vmispec"
	"kubevirt.io/kubevirt/pkg/util"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: kubevirt-netpod launcher --vmi <file> --virt-private-dir <dir> [--networks a,b] [--network-status <file>] [--hostname <name>]")
	fmt.Fprintln(os.Stderr, "       kubevirt-netpod handler --vmi <file> --virt-private-dir <dir> [--networks a,b] [--network-status <file>] --pid <launcher PID>")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	flags := map[string]string{}
	args := os.Args[2:]
	for i := 0; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "--") || i+1 >= len(args) {
			usage()
		}
		flags[strings.TrimPrefix(args[i], "--")] = args[i+1]
		i++
	}
	vmi, err := loadVMI(flags["vmi"], flags["networks"])
	if err != nil {
		fail(err)
	}
	if err := applyNetworkStatus(vmi, flags["network-status"]); err != nil {
		fail(err)
	}
	switch os.Args[1] {
	case "launcher":
		err = runLauncher(vmi, flags["virt-private-dir"], flags["hostname"], os.Stdin, os.Stdout)
	case "handler":
		var pid int
		if _, perr := fmt.Sscanf(flags["pid"], "%d", &pid); perr != nil || pid <= 0 {
			fail(fmt.Errorf("--pid: a launcher PID is required, got %q", flags["pid"]))
		}
		err = runHandler(vmi, flags["virt-private-dir"], pid, os.Stdout)
	default:
		usage()
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "kubevirt-netpod: %v\n", err)
	os.Exit(1)
}

// loadVMI reads a VirtualMachineInstance and keeps only the given networks
// (and their interfaces), when a list is given.
func loadVMI(file, keep string) (*v1.VirtualMachineInstance, error) {
	if file == "" {
		return nil, fmt.Errorf("--vmi: a VirtualMachineInstance JSON file is required")
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	vmi := &v1.VirtualMachineInstance{}
	if err := json.Unmarshal(raw, vmi); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	if vmi.UID == "" {
		return nil, fmt.Errorf("%s: metadata.uid is required (KubeVirt keys its caches by it)", file)
	}
	if keep == "" {
		return vmi, nil
	}
	names := map[string]bool{}
	for _, n := range strings.Split(keep, ",") {
		names[n] = true
	}
	for n := range names {
		if vmispec.LookupNetworkByName(vmi.Spec.Networks, n) == nil || vmispec.LookupInterfaceByName(vmi.Spec.Domain.Devices.Interfaces, n) == nil {
			return nil, fmt.Errorf("--networks: %q is not a network with an interface in %s", n, file)
		}
	}
	vmi.Spec.Networks = vmispec.FilterNetworksSpec(vmi.Spec.Networks, func(n v1.Network) bool { return names[n.Name] })
	vmi.Spec.Domain.Devices.Interfaces = vmispec.FilterInterfacesSpec(vmi.Spec.Domain.Devices.Interfaces, func(i v1.Interface) bool { return names[i.Name] })
	return vmi, nil
}

// applyNetworkStatus fills the VMI's interface statuses from the pod's
// Multus network-status (a JSON list, as in the pod's
// k8s.v1.cni.cncf.io/network-status annotation) the way virt-controller does
// (pkg/network/controllers/vmi.go UpdateVMIStatus at v1.9.0).
func applyNetworkStatus(vmi *v1.VirtualMachineInstance, file string) error {
	if file == "" {
		return nil
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var statuses []networkv1.NetworkStatus
	if err := json.Unmarshal(raw, &statuses); err != nil {
		return fmt.Errorf("--network-status %s: %v", file, err)
	}
	pod := &k8scorev1.Pod{ObjectMeta: metav1.ObjectMeta{Annotations: map[string]string{networkv1.NetworkStatusAnnot: string(raw)}}}
	return controllers.UpdateVMIStatus(vmi, pod)
}

// privateVirtDir puts the pod's directory (a directory of the host, one per
// pod) on /var/run/kubevirt-private, where virt-launcher and virt-handler
// keep their caches, so that each pod has its own, as in a cluster. Both
// roles see the same one: the handler writes the launcher's DHCP config under
// /proc/<pid>/root/var/run/ (pkg/network/cache/dhcpconfig.go:61), and where
// /var/run is an absolute symlink to /run (Debian) that path resolves in the
// handler's own mount namespace. The handler's own caches (the pod interface
// cache and the setup state) land there too, each run being for one pod.
// The caller must be in a mount namespace of its own.
func privateVirtDir(dir string) error {
	if dir == "" {
		return fmt.Errorf("--virt-private-dir: the pod's cache directory is required")
	}
	if err := os.MkdirAll(util.VirtPrivateDir, 0o700); err != nil {
		return err
	}
	if err := unix.Mount(dir, util.VirtPrivateDir, "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind %s on %s (run in a mount namespace of its own): %v", dir, util.VirtPrivateDir, err)
	}
	return qemuUser()
}

// qemuUser gives this mount namespace the qemu user and group (107) of
// KubeVirt's images when the host has none: KubeVirt hands every cache file
// it writes to qemu (pkg/network/cache/cache.go writeToCachedFile,
// pkg/ephemeral-disk-utils/utils.go). The host's /etc/passwd and /etc/group
// are bind-mounted over by copies with the entry added.
func qemuUser() error {
	if _, err := user.Lookup("qemu"); err == nil {
		return nil
	}
	for _, f := range []struct{ path, entry string }{
		{"/etc/passwd", fmt.Sprintf("qemu:x:%d:%d:qemu user:/:/sbin/nologin\n", util.NonRootUID, util.NonRootUID)},
		{"/etc/group", fmt.Sprintf("qemu:x:%d:\n", util.NonRootUID)},
	} {
		orig, err := os.ReadFile(f.path)
		if err != nil {
			return err
		}
		if len(orig) > 0 && orig[len(orig)-1] != '\n' {
			orig = append(orig, '\n')
		}
		copyFile, err := os.CreateTemp("", "kubevirt-netpod-")
		if err != nil {
			return err
		}
		_, werr := copyFile.Write(append(orig, f.entry...))
		cerr := copyFile.Close()
		if werr == nil && cerr == nil {
			werr = unix.Mount(copyFile.Name(), f.path, "", unix.MS_BIND, "")
		}
		// the bind mount keeps the copy alive
		_ = os.Remove(copyFile.Name())
		if werr != nil {
			return fmt.Errorf("giving %s the qemu entry: %v", f.path, werr)
		}
		if cerr != nil {
			return cerr
		}
	}
	return nil
}
