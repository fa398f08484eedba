package admit

import (
	"strings"
	"testing"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// object renders a namespaced object of ns whose spec is the given lines.
func object(apiVersion, kind, name, spec string) string {
	return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: ns}\nspec:\n" + spec
}

func snapshotDoc(name, source, apiGroup string) string {
	return object("snapshot.kubevirt.io/v1beta1", "VirtualMachineSnapshot", name,
		"  source: {apiGroup: "+apiGroup+", kind: VirtualMachine, name: "+source+"}\n")
}

func restoreDoc(name, snapshot, target, extra string) string {
	return object("snapshot.kubevirt.io/v1beta1", "VirtualMachineRestore", name,
		"  virtualMachineSnapshotName: "+snapshot+"\n  target: {apiGroup: kubevirt.io, kind: VirtualMachine, name: "+target+"}\n"+extra)
}

func cloneDoc(extra string) string {
	return object("clone.kubevirt.io/v1beta1", "VirtualMachineClone", "c",
		"  source: {apiGroup: kubevirt.io, kind: VirtualMachine, name: ok}\n"+extra)
}

func exportDoc(source string) string {
	return object("export.kubevirt.io/v1", "VirtualMachineExport", "e", "  source: "+source+"\n")
}

// verdictsOf keeps the verdicts of one kind, in input order.
func verdictsOf(verdicts []manifests.Verdict, kind string) []manifests.Verdict {
	var out []manifests.Verdict
	for _, v := range verdicts {
		if v.Kind == kind {
			out = append(out, v)
		}
	}
	return out
}

func TestAdmitsASnapshotAndRefusesOneOfAnotherGroup(t *testing.T) {
	if v := only(t, judge(t, vm("ok", "", ""), snapshotDoc("s", "ok", "kubevirt.io")), "VirtualMachineSnapshot"); !v.Allowed {
		t.Fatalf("refused: %s", v.Message)
	}
	v := only(t, judge(t, snapshotDoc("s", "ok", "pool.kubevirt.io")), "VirtualMachineSnapshot")
	if v.Allowed || !strings.Contains(v.Message, "invalid apiGroup") {
		t.Fatalf("expected the apiGroup refusal, got %+v", v)
	}
	t.Log(v.Message)
}

func TestSnapshotsNeedTheSnapshotGate(t *testing.T) {
	cr := strings.Replace(kubeVirtCR, "      featureGates: [%s]\n", "      disabledFeatureGates: [Snapshot]\n", 1)
	v := only(t, judge(t, cr, vm("ok", "", ""), snapshotDoc("s", "ok", "kubevirt.io")), "VirtualMachineSnapshot")
	if v.Allowed || !strings.Contains(v.Message, "snapshot feature gate not enabled") {
		t.Fatalf("expected the gate refusal, got %+v", v)
	}
}

func TestAdmitsARestoreInPlaceAndToANewVM(t *testing.T) {
	verdicts := judge(t, vm("ok", "", ""), snapshotDoc("s", "ok", "kubevirt.io"),
		restoreDoc("back", "s", "ok", ""), restoreDoc("copy", "s", "fresh", "  volumeRestorePolicy: PrefixTargetName\n"))
	for _, v := range verdictsOf(verdicts, "VirtualMachineRestore") {
		if !v.Allowed {
			t.Fatalf("%s refused: %s", v.Name, v.Message)
		}
	}
}

func TestRefusesARestorePatchOutsideSpec(t *testing.T) {
	patch := "  patches: ['{\"op\": \"replace\", \"path\": \"/metadata/name\", \"value\": \"x\"}']\n"
	v := only(t, judge(t, vm("ok", "", ""), snapshotDoc("s", "ok", "kubevirt.io"), restoreDoc("r", "s", "fresh", patch)), "VirtualMachineRestore")
	if v.Allowed || !strings.Contains(v.Message, "patching is valid only for elements under /spec/") {
		t.Fatalf("expected the patch refusal, got %+v", v)
	}
	t.Log(v.Message)
}

func TestRefusesARestoreToANewVMOfAVMWithPersistentTPM(t *testing.T) {
	tpm := strings.Replace(vm("ok", "", ""), "          interfaces:\n", "          tpm: {persistent: true}\n          interfaces:\n", 1)
	verdicts := judge(t, tpm, snapshotDoc("s", "ok", "kubevirt.io"), restoreDoc("r", "s", "fresh", ""))
	v := only(t, verdicts, "VirtualMachineRestore")
	if v.Allowed || !strings.Contains(v.Message, "Restore to a different VM is not supported when snapshotted VM has backend storage") {
		t.Fatalf("expected the backend-storage refusal, got %+v", v)
	}
	t.Log(v.Message)
	// in place is allowed
	if v := only(t, judge(t, tpm, snapshotDoc("s", "ok", "kubevirt.io"), restoreDoc("r", "s", "ok", "")), "VirtualMachineRestore"); !v.Allowed {
		t.Fatalf("in-place restore refused: %s", v.Message)
	}
}

func TestRefusesASecondRestoreOfOneTarget(t *testing.T) {
	verdicts := verdictsOf(judge(t, vm("ok", "", ""), snapshotDoc("s", "ok", "kubevirt.io"),
		restoreDoc("one", "s", "ok", ""), restoreDoc("two", "s", "ok", "")), "VirtualMachineRestore")
	if len(verdicts) != 2 || !verdicts[0].Allowed || verdicts[1].Allowed || !strings.Contains(verdicts[1].Message, `VirtualMachineRestore "one" in progress`) {
		t.Fatalf("expected the second restore refused, got %+v", verdicts)
	}
}

func TestAdmitsACloneAndRefusesBadOnes(t *testing.T) {
	good := cloneDoc("  target: {apiGroup: kubevirt.io, kind: VirtualMachine, name: copy}\n  newMacAddresses: {default: '02:5a:10:00:00:01'}\n")
	if v := only(t, judge(t, vm("ok", "", ""), good), "VirtualMachineClone"); !v.Allowed {
		t.Fatalf("refused: %s", v.Message)
	}
	for _, c := range []struct{ extra, want string }{
		{"  target: {apiGroup: kubevirt.io, kind: VirtualMachine, name: ok}\n", "Target name cannot be equal to source name"},
		{"  newMacAddresses: {default: 'not-a-mac'}\n", "interface default has malformed MAC address"},
		{"  patches: ['{not json']\n", "patch is not valid JSON"},
		{"  labelFilters: ['a*b']\n", "WildcardChar can be only at the end of the filter"},
	} {
		v := only(t, judge(t, vm("ok", "", ""), cloneDoc(c.extra)), "VirtualMachineClone")
		if v.Allowed || !strings.Contains(v.Message, c.want) {
			t.Fatalf("expected %q, got %+v", c.want, v)
		}
		t.Log(v.Message)
	}
}

func TestAdmitsExportsAndRefusesABadSource(t *testing.T) {
	for _, source := range []string{
		"{apiGroup: kubevirt.io, kind: VirtualMachine, name: ok}",
		"{apiGroup: snapshot.kubevirt.io, kind: VirtualMachineSnapshot, name: s}",
		"{kind: PersistentVolumeClaim, name: data}",
	} {
		if v := only(t, judge(t, exportDoc(source)), "VirtualMachineExport"); !v.Allowed {
			t.Fatalf("%s refused: %s", source, v.Message)
		}
	}
	for _, c := range []struct{ source, want string }{
		{"{apiGroup: kubevirt.io, kind: PersistentVolumeClaim, name: data}", "PVC API group must be missing or blank"},
		{"{apiGroup: kubevirt.io, kind: VirtualMachineSnapshot, name: s}", "VMSnapshot API group must be snapshot.kubevirt.io"},
		{"{apiGroup: kubevirt.io, kind: DataVolume, name: d}", "invalid kind"},
	} {
		v := only(t, judge(t, exportDoc(c.source)), "VirtualMachineExport")
		if v.Allowed || !strings.Contains(v.Message, c.want) {
			t.Fatalf("expected %q, got %+v", c.want, v)
		}
		t.Log(v.Message)
	}
}
