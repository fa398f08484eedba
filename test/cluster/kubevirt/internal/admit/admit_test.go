package admit

import (
	"strings"
	"testing"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"
)

const kubeVirtCR = `apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata:
  name: kubevirt
  namespace: kubevirt
spec:
  configuration:
    developerConfiguration:
      featureGates: [%s]
`

// vm renders a VirtualMachine whose template spec ends with extra.
func vm(name, domainExtra, specExtra string) string {
	return `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: ` + name + `
  namespace: ns
spec:
  runStrategy: Halted
  template:
    spec:
      domain:
        devices:
          disks:
          - name: root
            disk: {bus: virtio}
          interfaces:
          - name: default
            masquerade: {}
` + domainExtra + `        resources:
          requests:
            memory: 128Mi
      networks:
      - name: default
        pod: {}
` + specExtra + `      volumes:
      - name: root
        containerDisk:
          image: quay.io/containerdisks/fedora:41
`
}

// judge judges every object of the documents, as one file, on a default
// KubeVirt when they hold no KubeVirt CR.
func judge(t *testing.T, docs ...string) []manifests.Verdict {
	t.Helper()
	return judgeAssuming(t, platform.AssumeDefault, docs...)
}

// judgeAssuming judges every object of the documents, as one file, on the
// KubeVirt assume names when they hold no KubeVirt CR.
func judgeAssuming(t *testing.T, assume platform.Assumption, docs ...string) []manifests.Verdict {
	t.Helper()
	objects, err := manifests.Parse("in.yaml", []byte(strings.Join(docs, "---\n")))
	if err != nil {
		t.Fatal(err)
	}
	j, err := New(objects, assume)
	if err != nil {
		t.Fatal(err)
	}
	return j.JudgeAll(objects)
}

func only(t *testing.T, verdicts []manifests.Verdict, kind string) manifests.Verdict {
	t.Helper()
	for _, v := range verdicts {
		if v.Kind == kind {
			return v
		}
	}
	t.Fatalf("no verdict for a %s in %+v", kind, verdicts)
	return manifests.Verdict{}
}

func TestAllowsAPlainVirtualMachine(t *testing.T) {
	v := only(t, judge(t, vm("ok", "", "")), "VirtualMachine")
	if !v.Allowed {
		t.Fatalf("refused: %s", v.Message)
	}
}

func TestRefusesAnInterfaceWithoutANetwork(t *testing.T) {
	doc := strings.Replace(vm("unpaired", "", ""), "      networks:\n      - name: default\n", "      networks:\n      - name: other\n", 1)
	v := only(t, judge(t, doc), "VirtualMachine")
	if v.Allowed || !strings.Contains(v.Message, "default") {
		t.Fatalf("expected a refusal naming the unpaired interface, got %+v", v)
	}
	t.Log(v.Message)
}

// hostDiskVM is a VirtualMachine with a hostDisk volume (HostDisk gate).
func hostDiskVM() string {
	doc := strings.Replace(vm("hostdisk", "", ""), "      volumes:\n", "      volumes:\n      - name: data\n        hostDisk: {path: /data/disk.img, type: DiskOrCreate, capacity: 1Gi}\n", 1)
	return strings.Replace(doc, "          disks:\n", "          disks:\n          - name: data\n            disk: {bus: virtio}\n", 1)
}

func TestHostDiskNeedsTheFeatureGateOfTheKubeVirtCR(t *testing.T) {
	hostDisk := hostDiskVM()

	without := only(t, judge(t, strings.Replace(kubeVirtCR, "%s", "", 1), hostDisk), "VirtualMachine")
	if without.Allowed || !strings.Contains(without.Message, "HostDisk feature gate is not enabled") {
		t.Fatalf("expected the HostDisk refusal, got %+v", without)
	}
	with := only(t, judge(t, strings.Replace(kubeVirtCR, "%s", "HostDisk", 1), hostDisk), "VirtualMachine")
	if !with.Allowed {
		t.Fatalf("refused with the gate on: %s", with.Message)
	}
}

func TestRefusesAMachineTypeOutsideEmulatedMachines(t *testing.T) {
	doc := vm("oldmachine", "        machine: {type: pc-i440fx-2.5}\n", "")
	v := only(t, judge(t, doc), "VirtualMachine")
	if v.Allowed || !strings.Contains(v.Message, "is not supported: pc-i440fx-2.5") {
		t.Fatalf("expected the machine type refusal, got %+v", v)
	}
	t.Log(v.Message)
}

func TestRefusesASecondKubeVirt(t *testing.T) {
	cr := strings.Replace(kubeVirtCR, "%s", "", 1)
	second := strings.Replace(cr, "name: kubevirt\n", "name: another\n", 1)
	verdicts := judge(t, cr, second)
	if len(verdicts) != 2 || !verdicts[0].Allowed || verdicts[1].Allowed || !strings.Contains(verdicts[1].Message, "already created") {
		t.Fatalf("expected the second KubeVirt refused, got %+v", verdicts)
	}
}

func TestAnInputInstancetypeReplacesTheOperatorsOwnOfThatName(t *testing.T) {
	// virt-operator installs u1.medium itself; a program that defines it too
	// replaces it, as applying it would, instead of failing the tool
	v := only(t, judge(t, `apiVersion: instancetype.kubevirt.io/v1beta1
kind: VirtualMachineClusterInstancetype
metadata: {name: u1.medium}
spec:
  cpu: {guest: 1}
  memory: {guest: 4Gi}
`), "VirtualMachineClusterInstancetype")
	if !v.Allowed {
		t.Fatalf("refused: %s", v.Message)
	}
}

func TestOpenModeAdmitsAHostDiskVMWithoutAKubeVirtCR(t *testing.T) {
	open := only(t, judgeAssuming(t, platform.AssumeOpen, hostDiskVM()), "VirtualMachine")
	if !open.Allowed || open.Assumed != "open" {
		t.Fatalf("expected the VM admitted on the assumed open KubeVirt, got %+v", open)
	}
	def := only(t, judgeAssuming(t, platform.AssumeDefault, hostDiskVM()), "VirtualMachine")
	if def.Allowed || !strings.Contains(def.Message, "HostDisk feature gate is not enabled") || def.Assumed != "default" {
		t.Fatalf("expected the HostDisk refusal on the assumed default KubeVirt, got %+v", def)
	}
}

func TestOpenModeJudgesAFileWithAKubeVirtCRAgainstItsOwnCR(t *testing.T) {
	// the CR enables another gate, not HostDisk: open mode must not add it
	verdicts := judgeAssuming(t, platform.AssumeOpen, strings.Replace(kubeVirtCR, "%s", "Sidecar", 1), hostDiskVM())
	v := only(t, verdicts, "VirtualMachine")
	if v.Allowed || !strings.Contains(v.Message, "HostDisk feature gate is not enabled") || v.Assumed != "" {
		t.Fatalf("expected the HostDisk refusal from the file's own CR, got %+v", v)
	}
}

func TestOpenModeAdmitsAnyMachineTypeWithoutAKubeVirtCR(t *testing.T) {
	doc := vm("oldmachine", "        machine: {type: pc-i440fx-2.5}\n", "")
	if v := only(t, judgeAssuming(t, platform.AssumeOpen, doc), "VirtualMachine"); !v.Allowed {
		t.Fatalf("refused on the open KubeVirt: %s", v.Message)
	}
	// a CR that lists its emulated machines still rules in open mode
	cr := strings.Replace(kubeVirtCR, "%s", "", 1) + "    emulatedMachines: [q35*]\n"
	if v := only(t, judgeAssuming(t, platform.AssumeOpen, cr, doc), "VirtualMachine"); v.Allowed {
		t.Fatalf("expected the file's own emulated machines to refuse pc-i440fx-2.5, got %+v", v)
	}
}
