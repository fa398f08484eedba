package admit

import (
	"fmt"
	"strings"
	"testing"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// dvSpec is a DataVolume spec from source (a flow mapping) with a storage
// request of size, each line after the first indented by indent.
func dvSpec(indent, source, size string) string {
	return strings.ReplaceAll("source: "+source+"\nstorage:\n  resources:\n    requests:\n      storage: "+size, "\n", "\n"+indent) + "\n"
}

// object is the head of an object of namespace ns, up to its spec.
func object(apiVersion, kind, name string) string {
	return "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n  namespace: ns\nspec:\n"
}

func dataVolume(name, size string) string {
	return object("cdi.kubevirt.io/v1beta1", "DataVolume", name) + "  " + dvSpec("  ", "{http: {url: https://example.org/disk.img}}", size)
}

func parse(t *testing.T, docs ...string) []manifests.Object {
	t.Helper()
	objects, err := manifests.Parse("in.yaml", []byte(strings.Join(docs, "---\n")))
	if err != nil {
		t.Fatal(err)
	}
	return objects
}

// prepare makes the judge of the documents and the objects it judges.
func prepare(t *testing.T, docs ...string) (*Judge, []manifests.Object) {
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
	return j, judged
}

func judge(t *testing.T, docs ...string) []manifests.Verdict {
	t.Helper()
	j, judged := prepare(t, docs...)
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
	vm := object("kubevirt.io/v1", "VirtualMachine", "vm") + `  dataVolumeTemplates:
  - metadata:
      name: vm-root
    spec:
      ` + dvSpec("      ", "{blank: {}}", `"0"`) + `  template:
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
	pool := object("pool.kubevirt.io/v1beta1", "VirtualMachinePool", "web") + `  replicas: 2
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
          ` + dvSpec("          ", "{blank: {}}", "512Ki") + `      - metadata:
          name: web-data
        spec:
          ` + dvSpec("          ", "{blank: {}}", "1Gi") + `      template:
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
	cron := object("cdi.kubevirt.io/v1beta1", "DataImportCron", "cron") + `  managedDataSource: fedora
  schedule: "every day"
  template:
    spec:
      ` + dvSpec("      ", "{registry: {url: docker://quay.io/containerdisks/fedora:41}}", "10Gi")
	v := judge(t, cron)
	if len(v) != 1 || v[0].Allowed {
		t.Fatalf("expected the schedule refused, got %+v", v)
	}
	t.Log(v[0].Message)
}

// Two inputs with the same DataVolume used to panic in the fake clientset
// ("already exists"); kubectl apply sends the second as an update.
func TestJudgesASecondCopyAsAnUpdate(t *testing.T) {
	j, judged := prepare(t, dataVolume("twice", "10Gi"), dataVolume("twice", "10Gi"), dataVolume("twice", "20Gi"))
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
