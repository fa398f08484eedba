package admit

import (
	"fmt"
	"strings"
	"testing"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

func dataVolume(name, size string) string {
	return `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata:
  name: ` + name + `
  namespace: ns
spec:
  source:
    http:
      url: https://example.org/disk.img
  storage:
    resources:
      requests:
        storage: ` + size + `
`
}

func parse(t *testing.T, docs ...string) []manifests.Object {
	t.Helper()
	objects, err := manifests.Parse("in.yaml", []byte(strings.Join(docs, "---\n")))
	if err != nil {
		t.Fatal(err)
	}
	return objects
}

func judge(t *testing.T, docs ...string) []manifests.Verdict {
	t.Helper()
	objects := parse(t, docs...)
	j, err := New(objects)
	if err != nil {
		t.Fatal(err)
	}
	judged, err := Judged(objects)
	if err != nil {
		t.Fatal(err)
	}
	var out []manifests.Verdict
	for _, o := range judged {
		v, err := j.Admit(o)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func TestAllowsADataVolume(t *testing.T) {
	v := judge(t, dataVolume("ok", "10Gi"))
	if len(v) != 1 || !v[0].Allowed {
		t.Fatalf("expected one allowed verdict, got %+v", v)
	}
}

func TestRefusesADataVolumeBelowTheMinimumSize(t *testing.T) {
	v := judge(t, dataVolume("tiny", "512Ki"))
	if len(v) != 1 || v[0].Allowed || !strings.Contains(v[0].Message, "size should be at least 1MiB") {
		t.Fatalf("expected the minimum size refusal, got %+v", v)
	}
	t.Log(v[0].Message)
}

func TestJudgesTheDataVolumesOfAVirtualMachinesTemplates(t *testing.T) {
	vm := `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm
  namespace: ns
spec:
  dataVolumeTemplates:
  - metadata:
      name: vm-root
    spec:
      source:
        blank: {}
      storage:
        resources:
          requests:
            storage: "0"
  template:
    spec:
      domain: {devices: {}}
`
	v := judge(t, vm)
	if len(v) != 1 || v[0].Kind != "DataVolume" || v[0].Name != "vm-root" || v[0].Allowed {
		t.Fatalf("expected the template's DataVolume refused, got %+v", v)
	}
	t.Log(v[0].Message)
}

// A pool's VMs each create the template's DataVolume, named <template>-<index>:
// a bad template is refused once per VM, a good one allowed.
func TestJudgesTheDataVolumesOfAVirtualMachinePoolsTemplates(t *testing.T) {
	pool := `apiVersion: pool.kubevirt.io/v1beta1
kind: VirtualMachinePool
metadata:
  name: web
  namespace: ns
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  virtualMachineTemplate:
    metadata:
      labels: {app: web}
    spec:
      dataVolumeTemplates:
      - metadata:
          name: web-root
          annotations:
            cdi.kubevirt.io/storage.usePopulator: "true"
        spec:
          source:
            blank: {}
          storage:
            resources:
              requests:
                storage: 512Ki
      - metadata:
          name: web-data
        spec:
          source:
            blank: {}
          storage:
            resources:
              requests:
                storage: 1Gi
      template:
        spec:
          domain: {devices: {}}
`
	v := judge(t, pool)
	got := map[string]bool{}
	for _, x := range v {
		if x.Kind != "DataVolume" || x.Namespace != "ns" {
			t.Fatalf("unexpected verdict %+v", x)
		}
		got[x.Name] = x.Allowed
		if !x.Allowed && !strings.Contains(x.Message, "size should be at least 1MiB") {
			t.Errorf("expected the minimum size refusal, got %+v", x)
		}
	}
	want := map[string]bool{"web-root-0": false, "web-root-1": false, "web-data-0": true, "web-data-1": true}
	if len(v) != 4 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("expected %v, got %+v", want, v)
	}
	// the template's annotations reach the DataVolume
	dvs, err := Judged(parse(t, pool))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dvs[0].JSON), `"cdi.kubevirt.io/storage.usePopulator":"true"`) {
		t.Errorf("template annotations lost: %s", dvs[0].JSON)
	}
}

func TestRefusesADataImportCronWithABadSchedule(t *testing.T) {
	cron := `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataImportCron
metadata:
  name: cron
  namespace: ns
spec:
  managedDataSource: fedora
  schedule: "every day"
  template:
    spec:
      source:
        registry:
          url: docker://quay.io/containerdisks/fedora:41
      storage:
        resources:
          requests:
            storage: 10Gi
`
	v := judge(t, cron)
	if len(v) != 1 || v[0].Allowed {
		t.Fatalf("expected the schedule refused, got %+v", v)
	}
	t.Log(v[0].Message)
}

// Two inputs with the same DataVolume used to panic in the fake clientset
// ("already exists"); kubectl apply sends the second as an update.
func TestJudgesASecondCopyAsAnUpdate(t *testing.T) {
	objects, err := manifests.Parse("in.yaml", []byte(strings.Join([]string{dataVolume("twice", "10Gi"), dataVolume("twice", "10Gi"), dataVolume("twice", "20Gi")}, "---\n")))
	if err != nil {
		t.Fatal(err)
	}
	j, err := New(objects)
	if err != nil {
		t.Fatal(err)
	}
	judged, err := Judged(objects)
	if err != nil {
		t.Fatal(err)
	}
	v, err := j.AdmitAll(judged)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != 3 {
		t.Fatalf("expected three verdicts, got %+v", v)
	}
	if !v[0].Allowed || v[0].Message != "" {
		t.Errorf("the first copy is a create and allowed, got %+v", v[0])
	}
	if !v[1].Allowed || !strings.HasPrefix(v[1].Message, "judged as an update of the same object at in.yaml #0") {
		t.Errorf("an identical second copy is an allowed update, got %+v", v[1])
	}
	// CDI's own rule: a DataVolume's spec cannot change
	if v[2].Allowed || !strings.Contains(v[2].Message, "Cannot update DataVolume Spec") {
		t.Errorf("a third copy with another size is an update CDI refuses, got %+v", v[2])
	}
}
