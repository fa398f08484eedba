package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWritesEveryCRDVeleroInstallCreates(t *testing.T) {
	out := t.TempDir()
	n, err := write(out)
	if err != nil {
		t.Fatal(err)
	}
	if n != 13 {
		t.Fatalf("wrote %d CRDs, want the 11 velero.io/v1 and 2 v2alpha1 kinds", n)
	}
	data, err := os.ReadFile(filepath.Join(out, "velero", "schedules.velero.io.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "kind: Schedule\n") || !strings.Contains(string(data), "component: velero") {
		t.Fatalf("not the Schedule CRD as velero install labels it:\n%.400s", data)
	}
}

func TestRefusesAnOutputThatIsAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := write(file); err == nil {
		t.Fatal("expected an error writing under a file")
	}
}
