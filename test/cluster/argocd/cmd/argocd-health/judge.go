package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/lua"
	"github.com/argoproj/argo-cd/v3/util/settings"
	"github.com/argoproj/gitops-engine/pkg/health"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/kubernetes/fake"
	"sigs.k8s.io/yaml"
)

// overridesFrom reads the ConfigMap file the way Argo CD reads argocd-cm:
// the ConfigMap is put in a clientset and Argo CD's SettingsManager
// (which lists ConfigMaps of its namespace labelled
// app.kubernetes.io/part-of=argocd) parses its resource.customizations.*
// keys.
func overridesFrom(file string) (map[string]v1alpha1.ResourceOverride, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var cm corev1.ConfigMap
	if err := yaml.Unmarshal(raw, &cm); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if cm.Kind != "ConfigMap" || cm.Name != "argocd-cm" {
		return nil, fmt.Errorf("%s: not the argocd-cm ConfigMap (kind %q, name %q)", file, cm.Kind, cm.Name)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mgr := settings.NewSettingsManager(ctx, fake.NewClientset(&cm), cm.Namespace)
	overrides, err := mgr.GetResourceOverrides()
	if err != nil {
		return nil, fmt.Errorf("Argo CD's settings code refused %s: %w", file, err)
	}
	health := 0
	for _, o := range overrides {
		if o.HealthLua != "" {
			health++
		}
	}
	if health == 0 {
		return nil, fmt.Errorf("Argo CD's settings code read no health check from %s (is it labelled app.kubernetes.io/part-of=argocd?)", file)
	}
	return overrides, nil
}

// judge answers what Argo CD's controller answers for obj: "none" when no
// check applies (the object counts as healthy at once).
func judge(obj *unstructured.Unstructured, overrides map[string]v1alpha1.ResourceOverride) (string, string, error) {
	h, err := health.GetResourceHealth(obj, lua.ResourceHealthOverrides(overrides))
	if err != nil {
		return "", "", err
	}
	if h == nil {
		return "none", "", nil
	}
	return string(h.Status), h.Message, nil
}

// sample is one object in one state and the status Argo CD must report.
type sample struct {
	dir, state, expect, file string
	obj                      *unstructured.Unstructured
}

// readSamples reads <dir>/<group>_<kind>/<state>.yaml, each with an
// "# expect: <status>" line.
func readSamples(dir string) ([]sample, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.yaml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no samples under %s", dir)
	}
	sort.Strings(files)
	var out []sample
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		expect := ""
		sc := bufio.NewScanner(bytes.NewReader(raw))
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "# expect:"); ok {
				expect = strings.TrimSpace(v)
			}
		}
		if expect == "" {
			return nil, fmt.Errorf("%s: no '# expect: <status>' line", f)
		}
		m := map[string]any{}
		if err := yaml.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		obj, err := toUnstructured(m)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		want := filepath.Base(filepath.Dir(f))
		if got := groupKind(obj); got != want {
			return nil, fmt.Errorf("%s: holds a %s, not a %s", f, got, want)
		}
		out = append(out, sample{dir: want, state: strings.TrimSuffix(filepath.Base(f), ".yaml"), expect: expect, file: f, obj: obj})
	}
	return out, nil
}

// groupKind is the sample folder name of an object: <group>_<kind>, or the
// kind alone for the core group.
func groupKind(obj *unstructured.Unstructured) string {
	gvk := obj.GroupVersionKind()
	if gvk.Group == "" {
		return gvk.Kind
	}
	return gvk.Group + "_" + gvk.Kind
}
