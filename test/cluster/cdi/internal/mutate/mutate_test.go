package mutate

import (
	"strings"
	"testing"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

func mutate(t *testing.T, yaml string) []manifests.Mutation {
	t.Helper()
	return mutateIn(t, yaml, false)
}

func mutateIn(t *testing.T, yaml string, createNamespaces bool) []manifests.Mutation {
	t.Helper()
	objs, err := manifests.Parse("in.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(objs, createNamespaces)
	if err != nil {
		t.Fatal(err)
	}
	out, err := m.MutateAll(objs)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const clone = `apiVersion: v1
kind: Namespace
metadata: {name: golden}
---
apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata: {name: copy, namespace: shop}
spec:
  source: {pvc: {namespace: golden, name: fedora}}
  storage: {resources: {requests: {storage: 1Gi}}}
`

func TestACloneGetsATokenThatDiffersEveryCreate(t *testing.T) {
	a, b := mutate(t, clone), mutate(t, clone)
	if len(a) != 1 || !a[0].Allowed || !strings.Contains(string(a[0].Patch), "cdi.kubevirt.io/storage.clone.token") {
		t.Fatalf("no clone token: %+v", a)
	}
	if string(a[0].Patch) == string(b[0].Patch) {
		t.Fatal("two creates got the same token")
	}
}

func TestACloneFromANamespaceTheClusterLacksIsRefused(t *testing.T) {
	out := mutate(t, clone[strings.Index(clone, "---")+4:])
	if len(out) != 1 || out[0].Allowed || !strings.Contains(out[0].Message, `namespaces "golden" not found`) {
		t.Fatalf("want a refusal, got %+v", out)
	}
}

func TestCreatedNamespacesIncludeACloneSource(t *testing.T) {
	out := mutateIn(t, clone[strings.Index(clone, "---")+4:], true)
	if len(out) != 1 || !out[0].Allowed || !strings.Contains(string(out[0].Patch), "storage.clone.token") {
		t.Fatalf("want a token once the source namespace is created, got %+v", out)
	}
}

func TestAPieceOfAnAppClonesFromADataSourceElsewhere(t *testing.T) {
	dv := `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata: {name: dv, namespace: vms}
spec:
  sourceRef: {kind: DataSource, name: fedora, namespace: golden}
  storage: {}
`
	if out := mutateIn(t, dv, false); len(out) != 1 || out[0].Allowed {
		t.Fatalf("alone, the missing DataSource must be refused: %+v", out)
	}
	if out := mutateIn(t, dv, true); len(out) != 1 || !out[0].Allowed || !strings.Contains(string(out[0].Patch), "storage.clone.token") {
		t.Fatalf("as a piece of an app, want a token: %+v", out)
	}
}

func TestAnImportGetsNoPatch(t *testing.T) {
	out := mutate(t, `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata: {name: disk, namespace: shop}
spec:
  source: {http: {url: "https://example.org/a.qcow2"}}
  storage: {resources: {requests: {storage: 1Gi}}}
`)
	if len(out) != 1 || !out[0].Allowed || len(out[0].Patch) != 0 {
		t.Fatalf("want an untouched import, got %+v", out)
	}
}

func TestADataVolumeOfTheWrongShapeIsRefused(t *testing.T) {
	out := mutate(t, `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata: {name: bad, namespace: shop}
spec: {source: {pvc: "golden/fedora"}}
`)
	if len(out) != 1 || out[0].Allowed || out[0].Message == "" {
		t.Fatalf("want a refusal, got %+v", out)
	}
}
