package mutate

import (
	"encoding/json"
	"strings"
	"testing"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"
)

func objects(t *testing.T, yaml string) []manifests.Object {
	t.Helper()
	objs, err := manifests.Parse("in.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func mutateOne(t *testing.T, yaml string) manifests.Mutation {
	t.Helper()
	objs := objects(t, yaml)
	m, err := New(objs, platform.AssumeDefault)
	if err != nil {
		t.Fatal(err)
	}
	out := m.MutateAll(objs)
	if len(out) != 1 {
		t.Fatalf("want one mutation, got %+v", out)
	}
	return out[0]
}

const vmYAML = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm, namespace: shop}
spec:
  runStrategy: Always
  template:
    spec:
      domain:%s
        devices: {}
        memory: {guest: 1Gi}
`

// specOf is the spec the mutator's "replace /spec" operation writes.
func specOf(t *testing.T, mu manifests.Mutation) map[string]any {
	t.Helper()
	var ops []struct {
		Op    string         `json:"op"`
		Path  string         `json:"path"`
		Value map[string]any `json:"value"`
	}
	if err := json.Unmarshal(mu.Patch, &ops); err != nil {
		t.Fatal(err)
	}
	for _, op := range ops {
		if op.Path == "/spec" {
			return op.Value
		}
	}
	t.Fatalf("no /spec in %s", mu.Patch)
	return nil
}

func TestTheVMMutatorDrawsAFirmwareUUIDAndDefaultsTheMachine(t *testing.T) {
	mu := mutateOne(t, strings.Replace(vmYAML, "%s", "", 1))
	if !mu.Allowed || mu.Mutator != "virtualmachines-mutator.kubevirt.io" {
		t.Fatalf("%+v", mu)
	}
	domain := specOf(t, mu)["template"].(map[string]any)["spec"].(map[string]any)["domain"].(map[string]any)
	fw, _ := domain["firmware"].(map[string]any)
	if uuid, _ := fw["uuid"].(string); len(uuid) != 36 {
		t.Fatalf("no firmware UUID drawn: %v", domain)
	}
	if machine, _ := domain["machine"].(map[string]any); machine["type"] != "q35" {
		t.Fatalf("no default machine type: %v", domain)
	}
	// a second create draws another UUID: the drift the library removes
	again := mutateOne(t, strings.Replace(vmYAML, "%s", "", 1))
	fw2 := specOf(t, again)["template"].(map[string]any)["spec"].(map[string]any)["domain"].(map[string]any)["firmware"].(map[string]any)
	if fw2["uuid"] == fw["uuid"] {
		t.Fatal("two creates drew the same UUID")
	}
}

func TestTheVMMutatorKeepsAGivenFirmwareIdentity(t *testing.T) {
	given := "\n        firmware: {uuid: 66b0dae2-6aff-580d-8a77-dcdb145d324d, serial: edf8d898-1c3f-57e7-9c4b-29180687f8c4}"
	mu := mutateOne(t, strings.Replace(vmYAML, "%s", given, 1))
	fw := specOf(t, mu)["template"].(map[string]any)["spec"].(map[string]any)["domain"].(map[string]any)["firmware"].(map[string]any)
	if fw["uuid"] != "66b0dae2-6aff-580d-8a77-dcdb145d324d" || fw["serial"] != "edf8d898-1c3f-57e7-9c4b-29180687f8c4" {
		t.Fatalf("the mutator changed a given identity: %v", fw)
	}
}

func TestTheVMMutatorRefusesAVMOfTheWrongShape(t *testing.T) {
	// The cluster state is built without the bad VM (it would not decode
	// there either), so that the refusal shown is the mutator's own.
	m, err := New(nil, platform.AssumeDefault)
	if err != nil {
		t.Fatal(err)
	}
	out := m.MutateAll(objects(t, `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm, namespace: shop}
spec: {runStrategy: 7}
`))
	if len(out) != 1 || out[0].Allowed || out[0].Message == "" {
		t.Fatalf("want one refusal, got %+v", out)
	}
}

func TestTheMigrationMutatorLabelsAndFinalizes(t *testing.T) {
	mu := mutateOne(t, `apiVersion: kubevirt.io/v1
kind: VirtualMachineInstanceMigration
metadata: {name: m, namespace: shop}
spec: {vmiName: vm}
`)
	if !mu.Allowed || !strings.Contains(string(mu.Patch), `"kubevirt.io/vmi-name":"vm"`) || !strings.Contains(string(mu.Patch), "finalizers") {
		t.Fatalf("%+v %s", mu, mu.Patch)
	}
}

func TestKindsWithoutAMutatingWebhookAreLeftAlone(t *testing.T) {
	objs := objects(t, `apiVersion: pool.kubevirt.io/v1beta1
kind: VirtualMachinePool
metadata: {name: p, namespace: shop}
`)
	if Mutates(objs[0]) {
		t.Fatal("virt-operator registers no mutating webhook for pools")
	}
}
