package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

func TestWritesTheNetworkAttachmentDefinitionCRD(t *testing.T) {
	out := t.TempDir()
	if err := write(sources[0], out); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(out, "multus", "network-attachment-definitions.k8s.cni.cncf.io.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "kind: NetworkAttachmentDefinition") {
		t.Fatalf("not the NAD CRD:\n%s", data)
	}
}

func TestRefusesASourceWithoutCRDs(t *testing.T) {
	s := source{"whereabouts", sources[1].module, []string{"doc/crds/daemonset-install.yaml"}}
	if err := write(s, t.TempDir()); err == nil || !strings.Contains(err.Error(), "no CustomResourceDefinition") {
		t.Fatalf("expected a refusal, got %v", err)
	}
}

func TestWritesTheNmstateCRDsUnchanged(t *testing.T) {
	var s source
	for _, c := range sources {
		if c.component == "nmstate" {
			s = c
		}
	}
	if s.module == "" {
		t.Fatal("no nmstate source")
	}
	out := t.TempDir()
	if err := write(s, out); err != nil {
		t.Fatal(err)
	}
	written, err := manifests.Read([]string{filepath.Join(out, "nmstate")})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := manifests.ModuleDir(s.module)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dir, "@v0.86.0") {
		t.Fatalf("expected kubernetes-nmstate v0.86.0, read %s", dir)
	}
	upstream, err := manifests.Read([]string{filepath.Join(dir, "deploy", "crds")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"nmstates.nmstate.io":                           "NMState",
		"nodenetworkconfigurationenactments.nmstate.io": "NodeNetworkConfigurationEnactment",
		"nodenetworkconfigurationpolicies.nmstate.io":   "NodeNetworkConfigurationPolicy",
		"nodenetworkstates.nmstate.io":                  "NodeNetworkState",
	}
	if len(written) != len(want) || len(upstream) != len(want) {
		t.Fatalf("wrote %d CRDs, upstream has %d, want %d", len(written), len(upstream), len(want))
	}
	byName := map[string][]byte{}
	for _, u := range upstream {
		byName[u.Name] = u.JSON
	}
	for _, w := range written {
		if filepath.Base(w.File) != w.Name+".yaml" {
			t.Errorf("%s holds %s", w.File, w.Name)
		}
		kind, ok := want[w.Name]
		if !ok {
			t.Errorf("unexpected CRD %s", w.Name)
			continue
		}
		var got, orig map[string]any
		if err := json.Unmarshal(w.JSON, &got); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(byName[w.Name], &orig); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, orig) {
			t.Errorf("%s differs from upstream", w.Name)
		}
		if k := got["spec"].(map[string]any)["names"].(map[string]any)["kind"]; k != kind {
			t.Errorf("%s: kind %v, want %s", w.Name, k, kind)
		}
	}
}
