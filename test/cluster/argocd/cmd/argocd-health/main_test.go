package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	log "github.com/sirupsen/logrus"
)

func TestMain(m *testing.M) {
	log.SetLevel(log.WarnLevel)
	os.Exit(m.Run())
}

// The samples folder of the repository.
const samplesDir = "../../../../gitops/health-samples"

// A ConfigMap whose only health check calls every VM Healthy.
const healthyVMs = `apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
  labels:
    app.kubernetes.io/part-of: argocd
data:
  resource.customizations.health.kubevirt.io_VirtualMachine: |
    return { status = "Healthy", message = "always" }
`

func write(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Argo CD's settings code reads only ConfigMaps labelled part-of argocd: an
// unlabelled argocd-cm carries no health check.
func TestSettingsRefuseUnlabelledConfigMap(t *testing.T) {
	dir := t.TempDir()
	if _, err := overridesFrom(write(t, dir, "ok.yaml", healthyVMs)); err != nil {
		t.Fatalf("labelled ConfigMap refused: %v", err)
	}
	unlabelled := strings.Replace(healthyVMs, "  labels:\n    app.kubernetes.io/part-of: argocd\n", "", 1)
	if _, err := overridesFrom(write(t, dir, "bad.yaml", unlabelled)); err == nil {
		t.Fatal("an unlabelled argocd-cm was read")
	}
}

// Argo CD's built-in checks keep a stopped VM Suspended and a DataVolume on
// WaitForFirstConsumer storage Progressing: the waves check must fail on
// them without the pack.
func TestBuiltInChecksBlockTheWaves(t *testing.T) {
	samples, err := readSamples(samplesDir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"kubevirt.io_VirtualMachine/stopped-halted":          "Suspended",
		"cdi.kubevirt.io_DataVolume/wait-for-first-consumer": "Progressing",
	}
	for _, s := range samples {
		if w, ok := want[s.dir+"/"+s.state]; ok {
			got, _, err := judge(s.obj, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("%s/%s: Argo CD's built-in check says %s, want %s", s.dir, s.state, got, w)
			}
			delete(want, s.dir+"/"+s.state)
		}
	}
	if len(want) > 0 {
		t.Fatalf("samples missing: %v", want)
	}
	dir := t.TempDir()
	cm := write(t, dir, "argocd-cm.yaml", healthyVMs)
	manifests := filepath.Join(dir, "manifests")
	if err := os.Mkdir(manifests, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, manifests, "vm.yaml", "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata:\n  name: stopped\n  namespace: vms\n  annotations:\n    argocd.argoproj.io/sync-wave: \"1\"\nspec:\n  runStrategy: Halted\n")
	if err := runWaves([]string{"--built-in", cm, samplesDir, manifests}); err == nil {
		t.Error("a Halted VM passed the waves check with Argo CD's built-in checks")
	}
	if err := runWaves([]string{cm, samplesDir, manifests}); err != nil {
		t.Errorf("a Halted VM judged Healthy by the ConfigMap failed the waves check: %v", err)
	}
	write(t, manifests, "dv.yaml", "apiVersion: cdi.kubevirt.io/v1beta1\nkind: DataVolume\nmetadata:\n  name: disk\n  namespace: vms\nspec:\n  source:\n    http:\n      url: https://example.org/disk.img\n")
	if err := runWaves([]string{cm, samplesDir, manifests}); err == nil {
		t.Error("a DataVolume on WaitForFirstConsumer storage passed with Argo CD's built-in DataVolume check")
	}
}
