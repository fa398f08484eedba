package main

// These tests run the real etcd and kube-apiserver (built by
// test/cluster/build.sh into .cluster/bin) and show each stage of the check
// refusing a known-bad object with the upstream message. Without the
// binaries they skip, except in CI (CI set), where they fail.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"cdk8s-kubevirt/test/cluster/internal/controlplane"
)

var (
	shared     *controlplane.Plane
	sharedErr  error
	sharedOnce sync.Once
)

// binDir is the repository's .cluster/bin, or CHECK_CLUSTER_BIN.
func binDir() string {
	if d := os.Getenv("CHECK_CLUSTER_BIN"); d != "" {
		return d
	}
	d, _ := filepath.Abs(filepath.Join("..", "..", "..", "..", "..", ".cluster", "bin"))
	return d
}

func TestMain(m *testing.M) {
	// The test binary doubles as check-cluster for the signal tests.
	if os.Getenv("CHECK_CLUSTER_AS_MAIN") == "1" {
		os.Exit(run(os.Args[1:]))
	}
	code := m.Run()
	if shared != nil {
		shared.Stop()
	}
	os.Exit(code)
}

// needBinaries skips (or in CI fails) when etcd or kube-apiserver is absent.
func needBinaries(t *testing.T) {
	t.Helper()
	for _, b := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(binDir(), b)); err != nil {
			msg := fmt.Sprintf("%s is not built in %s (run npm run cluster:build)", b, binDir())
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
}

// sharedPlane starts one control plane for the tests that check objects.
func sharedPlane(t *testing.T) *controlplane.Plane {
	t.Helper()
	needBinaries(t)
	sharedOnce.Do(func() {
		p, err := controlplane.New()
		if err != nil {
			sharedErr = err
			return
		}
		shared = p
		sharedErr = p.Start(context.Background(), binDir())
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// check runs one isolated group made of the given YAML files (name →
// content, in order) with tools from toolDir, and returns the checker and
// what it printed.
func check(t *testing.T, toolDir string, files ...[2]string) (*checker, string) {
	t.Helper()
	return checkWith(t, toolDir, nil, files...)
}

// checkWith is check with setup run on the checker before the group.
func checkWith(t *testing.T, toolDir string, setup func(*checker), files ...[2]string) (*checker, string) {
	t.Helper()
	p := sharedPlane(t)
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		path := filepath.Join(dir, f[0])
		if err := os.WriteFile(path, []byte(f[1]), 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	groups, err := readGroups(paths, false)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	c, err := newChecker(adminConfig(p), &out)
	if err != nil {
		t.Fatal(err)
	}
	if toolDir == "" {
		toolDir = t.TempDir()
	}
	c.binDir = toolDir
	c.skipMissingTools = true
	c.isolate = true
	if setup != nil {
		setup(c)
	}
	if err := c.checkGroup(context.Background(), groups[0]); err != nil {
		t.Fatal(err)
	}
	return c, out.String()
}

func assertRefused(t *testing.T, out, line, upstream string) {
	t.Helper()
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, line) && strings.Contains(l, upstream) {
			return
		}
	}
	t.Fatalf("expected a line starting %q with %q, got:\n%s", line, upstream, out)
}

const goodNamespace = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`

// shopSettings is the namespace shop and a valid ConfigMap in it.
const shopSettings = goodNamespace + `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  a: b
`

// assertTally fails unless the checker counted passed and failed objects.
func assertTally(t *testing.T, c *checker, out string, passed, failed int) {
	t.Helper()
	if c.passed != passed || c.failed != failed {
		t.Fatalf("want %d passed, %d failed; got %d passed, %d failed:\n%s", passed, failed, c.passed, c.failed, out)
	}
}

func TestGoodObjectsPass(t *testing.T) {
	c, out := check(t, "", [2]string{"a.yaml", shopSettings})
	assertTally(t, c, out, 2, 0)
}

func TestStrictDryRunRefusesUnknownField(t *testing.T) {
	c, out := check(t, "", [2]string{"a.yaml", shopSettings + "colour: blue\n"})
	assertRefused(t, out, "FAIL ConfigMap shop/settings dry-run:", `.colour: field not declared in schema`)
	assertTally(t, c, out, 1, 1)
}

// widgetCRD is a test kind in a *.kubevirt.io group, so the admission and
// RBAC tools run on groups that hold one.
const widgetCRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.test.kubevirt.io
spec:
  group: test.kubevirt.io
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer, minimum: 1}
`

// widgetsInShop is the namespace shop, the widget CRD and a valid widget.
const widgetsInShop = goodNamespace + "---\n" + widgetCRD + "---\n" + widget

func TestCustomResourcesWaitForTheirCRDAndAreStrict(t *testing.T) {
	c, out := check(t, "", [2]string{"a.yaml", widgetsInShop + `---
apiVersion: test.kubevirt.io/v1
kind: Widget
metadata: {name: typo, namespace: shop}
spec: {sise: 2}
---
apiVersion: test.kubevirt.io/v1
kind: Widget
metadata: {name: small, namespace: shop}
spec: {size: 0}
`})
	assertRefused(t, out, "FAIL Widget shop/typo dry-run:", `.spec.sise: field not declared in schema`)
	assertRefused(t, out, "FAIL Widget shop/small dry-run:", `spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1`)
	assertTally(t, c, out, 3, 2)
}

func TestNamespacedObjectBeforeItsNamespaceFails(t *testing.T) {
	c, out := check(t, "", [2]string{"a.yaml", `apiVersion: v1
kind: ConfigMap
metadata:
  name: early
  namespace: later
---
apiVersion: v1
kind: Namespace
metadata:
  name: later
`})
	assertRefused(t, out, "FAIL ConfigMap later/early order:", `namespaces "later" not found`)
	if c.failed != 1 {
		t.Fatalf("want 1 failed, got %d", c.failed)
	}
}

func TestCoreValidationRefusesDeploymentWithoutContainers(t *testing.T) {
	_, out := check(t, "", [2]string{"a.yaml", goodNamespace + `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: empty, namespace: shop}
spec:
  selector: {matchLabels: {app: empty}}
  template:
    metadata: {labels: {app: empty}}
    spec:
      containers: []
`})
	assertRefused(t, out, "FAIL Deployment shop/empty dry-run:", `spec.template.spec.containers: Required value`)
}

// writeTool writes a stand-in for a sub-tool that prints fixed lines, to
// drive the contract from a test; the real tools live in other modules.
func writeTool(t *testing.T, dir, name string, lines ...string) {
	t.Helper()
	script := "#!/bin/sh\ncat <<'EOF'\n" + strings.Join(lines, "\n") + "\nEOF\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
}

const widget = `apiVersion: test.kubevirt.io/v1
kind: Widget
metadata: {name: w, namespace: shop}
spec: {size: 1}
`

const operator = `apiVersion: v1
kind: Namespace
metadata: {name: ops}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: widget-operator, namespace: ops}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: widget-operator}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list]
- apiGroups: [rbac.authorization.k8s.io]
  resources: [clusterroles]
  verbs: [create, get, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: widget-operator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: widget-operator}
subjects:
- {kind: ServiceAccount, name: widget-operator, namespace: ops}
`

func TestRBACReplayRefusesEscalation(t *testing.T) {
	tools := t.TempDir()
	user := "system:serviceaccount:ops:widget-operator"
	writeTool(t, tools, "kubevirt-operator-rbac",
		`{"user":"`+user+`","object":{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"widget-reader"},"rules":[{"apiGroups":[""],"resources":["configmaps"],"verbs":["get"]}]}}`,
		`{"user":"`+user+`","object":{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"widget-secrets"},"rules":[{"apiGroups":[""],"resources":["secrets"],"verbs":["list"]}]}}`,
	)
	c, out := check(t, tools, [2]string{"a.yaml", operator + "---\n" + widgetsInShop})
	assertRefused(t, out, "FAIL ClusterRole widget-secrets operator-rbac:", `is attempting to grant RBAC permissions not currently held`)
	if got := c.summary(); got != "operator RBAC: 1 objects granted, 1 refused" {
		t.Fatalf("summary %q:\n%s", got, out)
	}
	// the replay's objects are gone with the group
	roles := schema.GroupVersionResource{Group: "rbac.authorization.k8s.io", Version: "v1", Resource: "clusterroles"}
	if _, err := c.dyn.Resource(roles).Get(context.Background(), "widget-reader", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("clusterrole widget-reader is still there: %v", err)
	}
}

// settingsInShop is a namespace, a ConfigMap in it and a custom resource.
var settingsInShop = goodNamespace + `---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
---
` + widgetCRD + "---\n" + widget

func TestAdmissionDenialsFailTheirObject(t *testing.T) {
	tools := t.TempDir()
	writeTool(t, tools, "kubevirt-admit",
		`{"kind":"ConfigMap","namespace":"shop","name":"settings","check":"kubevirt-admission","allowed":false,"message":"spec.template.spec.networks[0].name 'x' not found."}`,
		`{"kind":"Namespace","namespace":"","name":"shop","check":"kubevirt-admission","allowed":true,"message":""}`,
	)
	c, out := check(t, tools, [2]string{"a.yaml", settingsInShop})
	assertRefused(t, out, "FAIL ConfigMap shop/settings kubevirt-admission:", `not found.`)
	assertTally(t, c, out, 3, 1)
}

func TestADenialOnAnAssumedKubeVirtSaysSo(t *testing.T) {
	tools := t.TempDir()
	writeTool(t, tools, "kubevirt-admit",
		`{"kind":"ConfigMap","namespace":"shop","name":"settings","check":"kubevirt-admission","allowed":false,"message":"HostDisk feature gate is not enabled","assumed":"default"}`,
	)
	_, out := check(t, tools, [2]string{"a.yaml", settingsInShop})
	assertRefused(t, out, "FAIL ConfigMap shop/settings kubevirt-admission: HostDisk feature gate is not enabled", "judged on the assumed default KubeVirt, see --assume-kubevirt")
}

func TestAnUnknownAssumedKubeVirtIsAUsageError(t *testing.T) {
	if code := run([]string{"--assume-kubevirt=wide", "x.yaml"}); code != 2 {
		t.Fatalf("exit status %d, want 2", code)
	}
}

func TestMissingToolFailsUnlessSkipped(t *testing.T) {
	p := sharedPlane(t)
	var out bytes.Buffer
	c, err := newChecker(adminConfig(p), &out)
	if err != nil {
		t.Fatal(err)
	}
	c.binDir = t.TempDir()
	c.isolate = true
	vm := &unstructured.Unstructured{Object: map[string]interface{}{
		"apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine", "metadata": map[string]interface{}{"name": "vm", "namespace": "default"},
	}}
	if err := c.checkGroup(context.Background(), group{name: "vm", docs: []doc{{file: "vm.yaml", index: 1, obj: vm}}}); err != nil {
		t.Fatal(err)
	}
	// no KubeVirt CRDs here: the VM itself fails its dry-run, and each
	// absent tool is one failure
	assertRefused(t, out.String(), "FAIL VirtualMachine default/vm dry-run:", `no matches for kind "VirtualMachine" in version "kubevirt.io/v1"`)
	if c.failed != 5 || !strings.Contains(out.String(), "FAIL tool kubevirt-admit missing:") {
		t.Fatalf("want the VM and the 4 absent tools failed, got %d:\n%s", c.failed, out.String())
	}
}

func TestIsolatedGroupsLeaveNothingBehind(t *testing.T) {
	c, out := check(t, "", [2]string{"a.yaml", widgetsInShop})
	if c.failed != 0 {
		t.Fatal(out)
	}
	ctx := context.Background()
	if _, err := c.dyn.Resource(nsGVR).Get(ctx, "shop", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("namespace shop is still there: %v", err)
	}
	if _, err := c.dyn.Resource(crdGVR).Get(ctx, "widgets.test.kubevirt.io", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("CRD widgets.test.kubevirt.io is still there: %v", err)
	}
}

func TestBatchedAdmissionHandsEachFileItsVerdicts(t *testing.T) {
	tools := t.TempDir()
	// a stand-in that judges in --each-file mode, after the flags the
	// checker passes it: one denial for a.yaml only
	script := "#!/bin/sh\n[ \"$1\" = --assume-kubevirt=open ] || exit 3\n[ \"$2\" = --each-file ] || exit 4\nshift 2\nfor f in \"$@\"; do\n" +
		"  case \"$f\" in *a.yaml) echo '{\"kind\":\"ConfigMap\",\"namespace\":\"shop\",\"name\":\"settings\",\"allowed\":false,\"message\":\"no\",\"file\":\"'\"$f\"'\"}';; esac\ndone\n"
	if err := os.WriteFile(filepath.Join(tools, "kubevirt-admit"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	a := group{name: "dir/a.yaml", files: []string{"dir/a.yaml"}}
	b := group{name: "dir/b.yaml", files: []string{"dir/b.yaml"}}
	flags := []string{"--assume-kubevirt=open"}
	got := execBatch(context.Background(), tools, "kubevirt-admit", flags, []group{a, b})
	if r := got[a.name]; r.err != "" || len(r.lines) != 1 || !strings.Contains(string(r.lines[0]), `"name":"settings"`) {
		t.Fatalf("a.yaml: %+v", r)
	}
	if r := got[b.name]; r.err != "" || len(r.lines) != 0 {
		t.Fatalf("b.yaml: %+v", r)
	}

	// a verdict that names no file cannot be placed: the whole batch fails
	writeTool(t, tools, "kubevirt-admit", `{"kind":"ConfigMap","namespace":"shop","name":"settings","allowed":false,"message":"no"}`)
	got = execBatch(context.Background(), tools, "kubevirt-admit", flags, []group{a, b})
	for _, g := range []group{a, b} {
		if !strings.Contains(got[g.name].err, "verdict without its file") {
			t.Fatalf("%s: want a batch error, got %+v", g.name, got[g.name])
		}
	}
}
