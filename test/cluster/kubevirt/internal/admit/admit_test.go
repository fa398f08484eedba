package admit

import (
	"strings"
	"testing"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
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

// judge writes the documents to a file and judges every object in it.
func judge(t *testing.T, docs ...string) []manifests.Verdict {
	t.Helper()
	objects, err := manifests.Parse("in.yaml", []byte(strings.Join(docs, "---\n")))
	if err != nil {
		t.Fatal(err)
	}
	j, err := New(objects)
	if err != nil {
		t.Fatal(err)
	}
	var out []manifests.Verdict
	for _, o := range objects {
		if v, ok := j.Admit(o); ok {
			out = append(out, v)
		}
	}
	return out
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

func TestHostDiskNeedsTheFeatureGateOfTheKubeVirtCR(t *testing.T) {
	hostDisk := strings.Replace(vm("hostdisk", "", ""), "      volumes:\n", "      volumes:\n      - name: data\n        hostDisk: {path: /data/disk.img, type: DiskOrCreate, capacity: 1Gi}\n", 1)
	hostDisk = strings.Replace(hostDisk, "          disks:\n", "          disks:\n          - name: data\n            disk: {bus: virtio}\n", 1)

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
