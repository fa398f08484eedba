package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiffReportsLeavesAndCoveredPointersHideThem(t *testing.T) {
	ours := map[string]interface{}{"spec": map[string]interface{}{"a": "x", "list": []interface{}{"1"}}}
	theirs := map[string]interface{}{"spec": map[string]interface{}{"a": "y", "list": []interface{}{"1", "2"},
		"new": map[string]interface{}{"k/v": "z"}}}
	var diffs []difference
	diff("", ours, theirs, true, true, &diffs)
	var got []string
	for _, d := range diffs {
		got = append(got, d.pointer+" "+shown(d.ours, d.oursSet)+" -> "+shown(d.cluster, d.clusterSet))
	}
	want := []string{`/spec/a "x" -> "y"`, `/spec/list/1 <absent> -> "2"`, `/spec/new/k~1v <absent> -> "z"`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !covered("/spec/new/k~1v", []string{"/spec/new"}) || covered("/spec/newer", []string{"/spec/new"}) {
		t.Fatal("a listed pointer covers itself and what is below it, nothing else")
	}
}

func TestTheLibrarysClusterWrittenFieldsAreRead(t *testing.T) {
	w, err := clusterWrittenFields()
	if err != nil {
		t.Fatal(err)
	}
	if !covered("/spec/template/spec/architecture", w["kubevirt.io/VirtualMachine"]) {
		t.Fatalf("the VM's architecture is not declared cluster-written: %v", w)
	}
	if covered("/spec/template/spec/domain/firmware/uuid", w["kubevirt.io/VirtualMachine"]) {
		t.Fatal("the firmware UUID is emitted by the library and must not be declared cluster-written")
	}
}

// vmWithFirmware is a VirtualMachine whose template carries firmware.
func vmWithFirmware(firmware string) string {
	return `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: vm, namespace: shop}
spec:
  runStrategy: Always
  template:
    spec:
      domain:` + firmware + `
        memory: {guest: 1Gi}
        devices: {}
`
}

// driftSetup turns the drift stage on with the library's list, with the
// real kubevirt-mutate (KubeVirt v1.9.0's VM mutator) as the only tool.
func driftSetup(t *testing.T) (string, func(*checker)) {
	t.Helper()
	needBinaries(t)
	real := filepath.Join(binDir(), "kubevirt-mutate")
	if _, err := os.Stat(real); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("kubevirt-mutate is not built (run npm run cluster:build)")
		}
		t.Skip("kubevirt-mutate is not built (run npm run cluster:build)")
	}
	tools := t.TempDir()
	if err := os.Symlink(real, filepath.Join(tools, "kubevirt-mutate")); err != nil {
		t.Fatal(err)
	}
	written, err := clusterWrittenFields()
	if err != nil {
		t.Fatal(err)
	}
	return tools, func(c *checker) {
		c.drift, c.written, c.failOnDrift = newDriftTally(), written, true
		c.toolFlags = map[string][]string{"kubevirt-mutate": {"--assume-kubevirt=default"}}
	}
}

func vmCRD(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "upstream-crds", "kubevirt", "virtualmachines.kubevirt.io.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestKubeVirtsVMMutatorShowsTheRandomFirmwareUUIDAsDrift(t *testing.T) {
	tools, setup := driftSetup(t)
	c, out := checkWith(t, tools, setup, [2]string{"crd.yaml", vmCRD(t)}, [2]string{"a.yaml", goodNamespace + "---\n" + vmWithFirmware("")})
	for _, field := range []string{"uuid", "serial"} {
		if !strings.Contains(out, "DRIFT VirtualMachine shop/vm /spec/template/spec/domain/firmware/"+field+": <absent> -> \"") {
			t.Fatalf("no DRIFT line for the firmware %s:\n%s", field, out)
		}
	}
	if c.drift.drifting != 1 || c.failed != 1 {
		t.Fatalf("want the VM drifting and failed, got %d drifting, %d failed:\n%s", c.drift.drifting, c.failed, out)
	}
	if !strings.Contains(c.driftSummary(), "1 objects, 1 drifting") {
		t.Fatalf("summary: %s", c.driftSummary())
	}
}

func TestAVMWithItsFirmwareIdentityDoesNotDrift(t *testing.T) {
	tools, setup := driftSetup(t)
	firmware := `
        firmware: {uuid: 66b0dae2-6aff-580d-8a77-dcdb145d324d, serial: edf8d898-1c3f-57e7-9c4b-29180687f8c4}`
	c, out := checkWith(t, tools, setup, [2]string{"crd.yaml", vmCRD(t)}, [2]string{"a.yaml", goodNamespace + "---\n" + vmWithFirmware(firmware)})
	if strings.Contains(out, "DRIFT") || c.drift.drifting != 0 || c.failed != 0 {
		t.Fatalf("want no drift, got:\n%s", out)
	}
	if c.drift.declared["VirtualMachine"] == 0 || c.drift.mutated != 1 {
		t.Fatalf("the mutator's architecture and machine type should count as declared cluster-written: %+v\n%s", c.drift, out)
	}
}

func TestAnObjectNotKeptInGitIsNotCompared(t *testing.T) {
	tools, setup := driftSetup(t)
	byHand := strings.Replace(vmWithFirmware(""), "metadata: {name: vm, namespace: shop}",
		"metadata: {name: vm, namespace: shop, annotations: {"+notKeptInGit+": processed from a template}}", 1)
	c, out := checkWith(t, tools, setup, [2]string{"crd.yaml", vmCRD(t)}, [2]string{"a.yaml", goodNamespace + "---\n" + byHand})
	if strings.Contains(out, "DRIFT") || c.drift.drifting != 0 || c.failed != 0 {
		t.Fatalf("want a VM created by hand left uncompared, got:\n%s", out)
	}
}
