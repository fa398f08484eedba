package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kubevirt.io/kubevirt/pkg/network/namescheme"
)

// The test binary runs the tool itself when asked, so that the tests drive
// it the way the data-plane pass does (in namespaces of its own).
func TestMain(m *testing.M) {
	if os.Getenv("KUBEVIRT_NETPOD_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type podFixture struct {
	ns, peer, podIf, podMAC, virtDir, binDir, statusFile string
	launcher                                             *exec.Cmd
	stdin                                                io.WriteCloser
	stdout                                               *bufio.Reader
	pid                                                  string
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// newPod makes a pod namespace whose interface podIf is plugged (a veth end
// with 10.77.0.5/24, its peer 10.77.0.1 in a namespace of its own; eth0, the
// pod network's, gets a default route through the peer), writes a VMI with
// the given interfaces, and starts the launcher in it.
func newPod(t *testing.T, vmi, podIf string) *podFixture {
	if os.Geteuid() != 0 {
		t.Skip("needs root (network namespaces)")
	}
	f := &podFixture{ns: fmt.Sprintf("knp%dp", os.Getpid()), podIf: podIf, virtDir: t.TempDir(), binDir: t.TempDir()}
	peer := fmt.Sprintf("knp%dh", os.Getpid())
	f.peer = peer
	run(t, "go", "build", "-o", f.binDir, "kubevirt.io/kubevirt/cmd/virt-chroot")
	run(t, "ip", "netns", "add", f.ns)
	run(t, "ip", "netns", "add", peer)
	t.Cleanup(func() {
		if f.launcher != nil {
			_ = f.launcher.Process.Kill()
			_ = f.launcher.Wait()
		}
		_ = exec.Command("ip", "netns", "del", f.ns).Run()
		_ = exec.Command("ip", "netns", "del", peer).Run()
	})
	run(t, "ip", "-n", peer, "link", "add", "up0", "type", "veth", "peer", "name", f.podIf, "netns", f.ns)
	run(t, "ip", "-n", f.ns, "addr", "add", "10.77.0.5/24", "dev", f.podIf)
	run(t, "ip", "-n", f.ns, "link", "set", f.podIf, "up")
	run(t, "ip", "-n", peer, "addr", "add", "10.77.0.1/24", "dev", "up0")
	run(t, "ip", "-n", peer, "link", "set", "up0", "up")
	if podIf == "eth0" {
		run(t, "ip", "-n", f.ns, "route", "add", "default", "via", "10.77.0.1")
	}
	iface, err := ifaceIn(f.ns, f.podIf)
	if err != nil {
		t.Fatal(err)
	}
	f.podMAC = iface.HardwareAddr.String()

	vmiFile := filepath.Join(t.TempDir(), "vmi.json")
	if err := os.WriteFile(vmiFile, []byte(vmi), 0o600); err != nil {
		t.Fatal(err)
	}
	// the pod's Multus network-status
	status := fmt.Sprintf(`[{"name":"ns1/lan","interface":%q,"ips":["10.77.0.5"],"mac":%q,"dns":{}}]`, f.podIf, f.podMAC)
	if podIf == "eth0" {
		status = fmt.Sprintf(`[{"name":"cluster","interface":"eth0","ips":["10.77.0.5"],"mac":%q,"default":true,"dns":{}}]`, f.podMAC)
	}
	f.statusFile = filepath.Join(t.TempDir(), "network-status.json")
	if err := os.WriteFile(f.statusFile, []byte(status), 0o600); err != nil {
		t.Fatal(err)
	}
	f.launcher = exec.Command("ip", "netns", "exec", f.ns, "unshare", "--uts", os.Args[0], "launcher", "--vmi", vmiFile, "--virt-private-dir", f.virtDir,
		"--network-status", f.statusFile, "--hostname", "t1")
	f.launcher.Env = append(os.Environ(), "KUBEVIRT_NETPOD_MAIN=1")
	stdout, err := f.launcher.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if f.stdin, err = f.launcher.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := f.launcher.Start(); err != nil {
		t.Fatal(err)
	}
	f.stdout = bufio.NewReader(stdout)
	line, _ := f.stdout.ReadString('\n')
	if !strings.HasPrefix(line, "ready ") {
		t.Fatalf("launcher: %q", line)
	}
	f.pid = strings.TrimSpace(strings.TrimPrefix(line, "ready "))
	t.Setenv("VMI_FILE", vmiFile)
	return f
}

func (f *podFixture) handler(vmiFile string) (string, error) {
	cmd := exec.Command("unshare", "-m", os.Args[0], "handler", "--vmi", vmiFile, "--virt-private-dir", f.virtDir, "--network-status", f.statusFile, "--pid", f.pid)
	cmd.Env = append(os.Environ(), "KUBEVIRT_NETPOD_MAIN=1", "PATH="+f.binDir+":"+os.Getenv("PATH"))
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out) + string(ee.Stderr), err
	}
	return string(out), err
}

func ifaceIn(ns, name string) (*net.Interface, error) {
	out, err := exec.Command("ip", "-n", ns, "-o", "link", "show", "dev", name).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s in %s: %v: %s", name, ns, err, out)
	}
	fields := strings.Fields(string(out))
	for i, f := range fields {
		if f == "link/ether" && i+1 < len(fields) {
			mac, err := net.ParseMAC(fields[i+1])
			return &net.Interface{Name: name, HardwareAddr: mac}, err
		}
	}
	return nil, fmt.Errorf("%s in %s has no MAC: %s", name, ns, out)
}

var lanPodIf = namescheme.GenerateHashedInterfaceName("lan")

const bridgeVMI = `{"metadata":{"name":"t1","namespace":"ns1","uid":"0c6a1d7e-0000-4000-8000-000000000001"},
 "spec":{"domain":{"devices":{"interfaces":[{"name":"lan","bridge":{}}]}},"networks":[{"name":"lan","multus":{"networkName":"ns1/lan"}}]}}`

// KubeVirt's bridge binding on a plugged pod interface: the k6t- bridge, the
// renamed NIC on it, a tap from virt-chroot on it, the pod interface's name,
// MAC and address kept, and the DHCP config serving that address to that MAC.
func TestBridgeBinding(t *testing.T) {
	f := newPod(t, bridgeVMI, lanPodIf)
	out, err := f.handler(os.Getenv("VMI_FILE"))
	if err != nil {
		t.Fatalf("handler: %v: %s", err, out)
	}
	var res HandlerResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(res.Interfaces) != 1 || res.Interfaces[0].DHCP == nil {
		t.Fatalf("want one interface with a DHCP config, got %s", out)
	}
	got := res.Interfaces[0]
	if got.DHCP.Address != "10.77.0.5/24" || got.DHCP.MAC != f.podMAC {
		t.Errorf("DHCP serves %s to %s, want 10.77.0.5/24 to %s", got.DHCP.Address, got.DHCP.MAC, f.podMAC)
	}
	links := run(t, "ip", "-n", f.ns, "-d", "-o", "link", "show")
	suffix := strings.TrimPrefix(f.podIf, "pod")
	for _, want := range []string{
		"k6t-" + suffix + ":",
		suffix + "-nic@",
		"master k6t-" + suffix,
		"tap" + suffix + ":",
		"tun type tap",
	} {
		if !strings.Contains(links, want) {
			t.Errorf("pod namespace lacks %q:\n%s", want, links)
		}
	}
	if kept, err := ifaceIn(f.ns, f.podIf); err != nil || kept.HardwareAddr.String() != f.podMAC {
		t.Errorf("pod interface %s should keep MAC %s: %v %v", f.podIf, f.podMAC, kept, err)
	}
	if addr := run(t, "ip", "-n", f.ns, "-o", "addr", "show", "dev", f.podIf); !strings.Contains(addr, "10.77.0.5/24") {
		t.Errorf("pod interface should keep 10.77.0.5/24: %s", addr)
	}
}

// A VMI naming a network whose pod interface was never plugged: KubeVirt
// refuses it, and so does the tool.
func TestRefusesMissingPodLink(t *testing.T) {
	vmi := strings.ReplaceAll(bridgeVMI, `"name":"lan"`, `"name":"other"`)
	f := newPod(t, vmi, lanPodIf)
	out, err := f.handler(os.Getenv("VMI_FILE"))
	if err == nil {
		t.Fatalf("handler accepted a VMI whose pod link is missing: %s", out)
	}
	want := fmt.Sprintf("pod link (%s) is missing", namescheme.GenerateHashedInterfaceName("other"))
	if !strings.Contains(out, want) {
		t.Errorf("want %q, got: %s", want, out)
	}
}

// --networks naming a network the VMI does not have is refused.
func TestRefusesUnknownNetwork(t *testing.T) {
	vmiFile := filepath.Join(t.TempDir(), "vmi.json")
	if err := os.WriteFile(vmiFile, []byte(bridgeVMI), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadVMI(vmiFile, "lan,storage"); err == nil || !strings.Contains(err.Error(), `"storage" is not a network`) {
		t.Fatalf("want a refusal of the unknown network, got %v", err)
	}
	vmi, err := loadVMI(vmiFile, "lan")
	if err != nil || len(vmi.Spec.Networks) != 1 {
		t.Fatalf("lan: %v", err)
	}
	bad := filepath.Join(t.TempDir(), "network-status.json")
	if err := os.WriteFile(bad, []byte(`{"interface":"pod1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := applyNetworkStatus(vmi, bad); err == nil || !strings.Contains(err.Error(), "--network-status") {
		t.Fatalf("want a refusal of a network-status that is not a list, got %v", err)
	}
}

// guest runs the launcher's phase 2 with a guest namespace behind the tap of
// network, and returns the namespace and what the launcher reports.
func (f *podFixture) guest(t *testing.T, network string) (string, LauncherInterface) {
	guest := fmt.Sprintf("knp%dg", os.Getpid())
	run(t, "ip", "netns", "add", guest)
	etc := filepath.Join("/etc/netns", guest)
	t.Cleanup(func() {
		_ = exec.Command("ip", "netns", "del", guest).Run()
		_ = os.RemoveAll(etc)
	})
	// dhclient's script writes /etc/resolv.conf: `ip netns exec` gives it this one
	if err := os.MkdirAll(etc, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(etc, "resolv.conf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, "ip", "-n", guest, "link", "add", "eth0", "type", "veth", "peer", "name", "vmm")
	run(t, "ip", "-n", guest, "link", "set", "vmm", "up")
	fmt.Fprintf(f.stdin, "phase2 %s=/var/run/netns/%s,vmm,eth0\n", network, guest)
	var nic LauncherInterface
	for {
		line, err := f.stdout.ReadString('\n')
		if err != nil {
			t.Fatalf("launcher phase 2: %v", err)
		}
		if strings.TrimSpace(line) == "running" {
			return guest, nic
		}
		if err := json.Unmarshal([]byte(line), &nic); err != nil {
			t.Fatalf("launcher phase 2: %q", line)
		}
	}
}

// lease gives the guest's eth0 the MAC and runs dhclient on it (4 seconds at
// most), returning eth0's IPv4 addresses.
func lease(t *testing.T, guest, mac string) string {
	dir := t.TempDir()
	conf := filepath.Join(dir, "dhclient.conf")
	if err := os.WriteFile(conf, []byte("timeout 4;\nretry 1;\ninitial-interval 1;\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, "ip", "-n", guest, "link", "set", "eth0", "down")
	run(t, "ip", "-n", guest, "link", "set", "eth0", "address", mac)
	run(t, "ip", "-n", guest, "link", "set", "eth0", "up")
	pidFile := filepath.Join(dir, "dhclient.pid")
	// with a lease, dhclient goes to the background and exits 0
	if exec.Command("ip", "netns", "exec", guest, "unshare", "--uts", "dhclient", "-1", "-4", "-cf", conf,
		"-lf", filepath.Join(dir, "leases"), "-pf", pidFile, "eth0").Run() == nil {
		stopDhclient(pidFile)
	}
	return run(t, "ip", "-n", guest, "-4", "-o", "addr", "show", "dev", "eth0")
}

// stopDhclient stops the dhclient that went to the background with a lease
// (it writes its pid file after it forks).
func stopDhclient(pidFile string) {
	for i := 0; i < 30; i++ {
		if pid, err := os.ReadFile(pidFile); err == nil && len(strings.TrimSpace(string(pid))) > 0 {
			_ = exec.Command("kill", strings.TrimSpace(string(pid))).Run()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func needDhclient(t *testing.T) {
	if _, err := exec.LookPath("dhclient"); err != nil {
		t.Skip("needs dhclient (Debian package isc-dhcp-client)")
	}
}

// KubeVirt's DHCP server serves the VM's MAC only: a guest behind the tap
// with another MAC gets no lease, the VM's MAC gets the pod's address.
func TestDHCPServesOnlyTheVMsMAC(t *testing.T) {
	needDhclient(t)
	f := newPod(t, bridgeVMI, lanPodIf)
	if out, err := f.handler(os.Getenv("VMI_FILE")); err != nil {
		t.Fatalf("handler: %v: %s", err, out)
	}
	guest, nic := f.guest(t, "lan")
	if nic.MAC != f.podMAC || nic.Tap != "tap"+strings.TrimPrefix(f.podIf, "pod") {
		t.Fatalf("domain NIC %+v, want MAC %s on tap%s", nic, f.podMAC, strings.TrimPrefix(f.podIf, "pod"))
	}
	if got := lease(t, guest, "02:00:00:00:00:99"); strings.Contains(got, "inet ") {
		t.Errorf("a guest with a MAC other than the VM's got a lease: %s", got)
	}
	if got := lease(t, guest, f.podMAC); !strings.Contains(got, "inet 10.77.0.5/24") {
		t.Errorf("the VM's MAC should lease 10.77.0.5/24: %s", got)
	}
}

const masqueradeVMI = `{"metadata":{"name":"m1","namespace":"ns1","uid":"0c6a1d7e-0000-4000-8000-000000000002"},
 "spec":{"domain":{"devices":{"interfaces":[{"name":"default","masquerade":{}}]}},"networks":[{"name":"default","pod":{}}]}}`

// The masquerade binding on the pod network, by the same code: the guest
// leases 10.0.2.2 from KubeVirt's DHCP server, reaches out through the pod's
// address and is reached on the pod's address (KubeVirt's nftables NAT).
func TestMasqueradeBinding(t *testing.T) {
	needDhclient(t)
	if _, err := exec.LookPath("nft"); err != nil {
		t.Skip("needs nft (Debian package nftables): KubeVirt's masquerade NAT runs it")
	}
	f := newPod(t, masqueradeVMI, "eth0")
	if out, err := f.handler(os.Getenv("VMI_FILE")); err != nil {
		t.Fatalf("handler: %v: %s", err, out)
	}
	guest, nic := f.guest(t, "default")
	if nic.Tap != "tap0" {
		t.Fatalf("domain NIC %+v, want tap0", nic)
	}
	if got := lease(t, guest, nic.MAC); !strings.Contains(got, "inet 10.0.2.2/24") {
		t.Fatalf("the guest should lease 10.0.2.2/24: %s", got)
	}
	listen := func(ns string) func() {
		l := exec.Command("ip", "netns", "exec", ns, "nc", "-lkn", "7777")
		if err := l.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		return func() { _ = l.Process.Kill(); _ = l.Wait() }
	}
	stop := listen(f.peer)
	out, err := exec.Command("ip", "netns", "exec", guest, "nc", "-zn", "-w", "2", "10.77.0.1", "7777").CombinedOutput()
	stop()
	if err != nil {
		t.Errorf("the guest should reach 10.77.0.1:7777 through the pod's address: %v %s", err, out)
	}
	stop = listen(guest)
	out, err = exec.Command("ip", "netns", "exec", f.peer, "nc", "-zn", "-w", "2", "10.77.0.5", "7777").CombinedOutput()
	stop()
	if err != nil {
		t.Errorf("10.77.0.5:7777 (the pod's address) should reach the guest: %v %s", err, out)
	}
}
