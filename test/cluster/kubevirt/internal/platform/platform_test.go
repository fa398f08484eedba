package platform

import (
	"slices"
	"testing"

	"kubevirt.io/kubevirt/pkg/virt-config/featuregate"
)

func TestStrategyGrantsTheControllerRole(t *testing.T) {
	s, err := Strategy(DefaultKubeVirt())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.ClusterRoles()) == 0 || len(s.ClusterRoleBindings()) == 0 || len(s.Roles()) == 0 {
		t.Fatalf("empty RBAC: %d cluster roles, %d bindings, %d roles", len(s.ClusterRoles()), len(s.ClusterRoleBindings()), len(s.Roles()))
	}
	found := false
	for _, r := range s.ClusterRoles() {
		if r.Name == "kubevirt-controller" && len(r.Rules) > 0 {
			found = true
		}
	}
	if !found {
		t.Fatal("no kubevirt-controller ClusterRole with rules")
	}
}

func TestStrategyInstallsTheVirtualMachineCRD(t *testing.T) {
	s, err := Strategy(DefaultKubeVirt())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range s.CRDs() {
		if c.Name == "virtualmachines.kubevirt.io" {
			return
		}
	}
	t.Fatal("no virtualmachines.kubevirt.io CRD")
}

func TestTheClusterConfigReadsTheKubeVirtCR(t *testing.T) {
	kv := DefaultKubeVirt()
	kv.Spec.Configuration.EmulatedMachines = []string{"q35-only"}
	c, err := ClusterConfig(kv)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.GetEmulatedMachines(Arch); len(got) != 1 || got[0] != "q35-only" {
		t.Fatalf("emulated machines %v", got)
	}
}

func TestOpenKubeVirtEnablesEveryGateThatCanBeEnabled(t *testing.T) {
	gates := OpenFeatureGates()
	for _, want := range []string{featuregate.HostDiskGate, featuregate.HostDevicesGate, featuregate.SidecarGate, featuregate.IgnitionGate, featuregate.VirtIOFSStorageVolumeGate, featuregate.DownwardMetricsFeatureGate, featuregate.VSOCKGate, featuregate.HotplugVolumesGate} {
		if !slices.Contains(gates, want) {
			t.Errorf("%s missing from %v", want, gates)
		}
	}
	// discontinued gates refuse the VMs that use their API; GA ones are on
	for _, unwanted := range []string{featuregate.PasstGate, featuregate.MacvtapGate, featuregate.VirtIOFSGate, featuregate.LiveMigrationGate, featuregate.GraceIOVirtualization} {
		if slices.Contains(gates, unwanted) {
			t.Errorf("%s must not be in %v", unwanted, gates)
		}
	}
	if !slices.IsSorted(gates) {
		t.Errorf("not sorted: %v", gates)
	}
}

func TestOpenKubeVirtAdmitsAnyMachineAndKeepsTheDefaultMachineType(t *testing.T) {
	c, err := ClusterConfig(OpenKubeVirt())
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"amd64", "arm64", "s390x"} {
		if got := c.GetEmulatedMachines(arch); !slices.Equal(got, []string{AnyMachine}) {
			t.Errorf("%s: emulated machines %v", arch, got)
		}
	}
	def, err := ClusterConfig(DefaultKubeVirt())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.GetMachineType(Arch), def.GetMachineType(Arch); got != want || got == "" {
		t.Errorf("machine type %q, want the default %q", got, want)
	}
	if !c.HostDiskEnabled() || def.HostDiskEnabled() {
		t.Errorf("HostDisk: open %v, default %v", c.HostDiskEnabled(), def.HostDiskEnabled())
	}
}

func TestParseAssumptionRefusesAnUnknownMode(t *testing.T) {
	if a, err := ParseAssumption("open"); err != nil || a != AssumeOpen {
		t.Fatalf("open: %v %v", a, err)
	}
	if _, err := ParseAssumption("opened"); err == nil {
		t.Fatal("expected an error for an unknown mode")
	}
}
