package platform

import "testing"

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
