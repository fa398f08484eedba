package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
