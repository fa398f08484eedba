package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

const fieldManager = "check-cluster"

var (
	admissionTools = []string{"kubevirt-admit", "cdi-admit"}
	rbacTools      = []string{"kubevirt-operator-rbac", "cdi-operator-rbac"}

	crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	nsGVR  = schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
)

// checker runs the stages on one control plane and keeps the tally.
type checker struct {
	cfg    *rest.Config
	dyn    dynamic.Interface
	mapper *restmapper.DeferredDiscoveryRESTMapper
	out    io.Writer

	binDir           string
	toolFlags        map[string][]string // flags each sub-tool gets before its inputs
	skipMissingTools bool
	createNamespaces bool
	isolate          bool

	passed, failed           int
	rbacGranted, rbacRefused int
	rbacReplayed             bool

	header   string // printed before the first failure of a group
	users    map[string]dynamic.Interface
	ahead    map[string]toolRun                    // admission runs made ahead, by group and tool
	upstream map[string]*unstructured.Unstructured // installed CRDs by name

	drift       *driftTally         // nil when the drift stage is off
	written     map[string][]string // cluster-written fields by group/kind
	failOnDrift bool
}

func newChecker(cfg *rest.Config, out io.Writer) (*checker, error) {
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &checker{
		cfg:      cfg,
		dyn:      dyn,
		mapper:   restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc)),
		out:      out,
		users:    map[string]dynamic.Interface{},
		upstream: map[string]*unstructured.Unstructured{},
		ahead:    map[string]toolRun{},
	}, nil
}

// entry is one object under check in a group.
type entry struct {
	doc    doc
	failed bool
	// what the drift stage reads: the dry-run apply's answer (the API
	// server's defaulting), and where the object lives
	defaulted  *unstructured.Unstructured
	ri         dynamic.ResourceInterface
	namespaced bool
}

// ref names an object this run created, for the clean-up of a group.
type ref struct {
	gvr       schema.GroupVersionResource
	namespace string
	name      string
}

// oneLine folds a multi-line upstream message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func objName(namespace, name string) string {
	if namespace == "" {
		return name
	}
	return namespace + "/" + name
}

// refuse prints one refusal line: kind, namespace/name, check, message.
func (c *checker) refuse(kind, namespace, name, check, message string) {
	if interrupted.Load() {
		return
	}
	if c.header != "" {
		fmt.Fprintln(c.out, c.header)
		c.header = ""
	}
	fmt.Fprintf(c.out, "FAIL %s %s %s: %s\n", kind, objName(namespace, name), check, oneLine(message))
}

func (c *checker) fail(e *entry, check, message string) {
	c.refuse(e.doc.obj.GetKind(), e.doc.obj.GetNamespace(), e.doc.obj.GetName(), check, message)
	e.failed = true
}

// mapping finds the resource of a kind, refreshing discovery once when the
// kind is new (a CRD applied since the last lookup).
func (c *checker) mapping(gvk schema.GroupVersionKind) (*meta.RESTMapping, error) {
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil && meta.IsNoMatchError(err) {
		c.mapper.Reset()
		m, err = c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	return m, err
}

func (c *checker) resource(client dynamic.Interface, m *meta.RESTMapping, namespace string) dynamic.ResourceInterface {
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		return client.Resource(m.Resource).Namespace(namespace)
	}
	return client.Resource(m.Resource)
}

// apply is a server-side apply with strict field validation, as a GitOps
// tool would send it; dryRun stops before storage.
func apply(ctx context.Context, ri dynamic.ResourceInterface, obj *unstructured.Unstructured, dryRun bool) error {
	_, err := applyResult(ctx, ri, obj, dryRun)
	return err
}

// applyResult is apply, returning the object as the server answers it.
func applyResult(ctx context.Context, ri dynamic.ResourceInterface, obj *unstructured.Unstructured, dryRun bool) (*unstructured.Unstructured, error) {
	body, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, err
	}
	force := true
	opts := metav1.PatchOptions{FieldManager: fieldManager, Force: &force, FieldValidation: "Strict"}
	if dryRun {
		opts.DryRun = []string{metav1.DryRunAll}
	}
	return ri.Patch(ctx, obj.GetName(), types.ApplyPatchType, body, opts)
}

// waitEstablished waits for a CRD's Established condition.
func (c *checker) waitEstablished(ctx context.Context, name string) error {
	deadline := time.Now().Add(60 * time.Second)
	last := "no conditions yet"
	for time.Now().Before(deadline) {
		crd, err := c.dyn.Resource(crdGVR).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
		for _, raw := range conds {
			cond, _ := raw.(map[string]interface{})
			t, _ := cond["type"].(string)
			st, _ := cond["status"].(string)
			msg, _ := cond["message"].(string)
			if t == "Established" && st == "True" {
				return nil
			}
			if t == "NamesAccepted" && st == "False" {
				return fmt.Errorf("names not accepted: %s", msg)
			}
			if t == "Established" || t == "NamesAccepted" {
				last = t + "=" + st + ": " + msg
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("not Established after 60s (%s)", last)
}

// installCRDs applies every CRD under dir and waits for each to be served.
func (c *checker) installCRDs(ctx context.Context, dir string) (int, error) {
	if _, err := os.Stat(dir); err != nil {
		fmt.Fprintf(c.out, "no upstream CRDs: %s is absent (the repository keeps them in test/upstream-crds; npm run cluster:crds writes them); objects of their kinds will be refused\n", dir)
		return 0, nil
	}
	files, err := expandInputs([]string{dir})
	if err != nil {
		return 0, err
	}
	var names []string
	for _, f := range files {
		docs, err := readFile(f)
		if err != nil {
			return 0, err
		}
		for _, d := range docs {
			if d.obj.GetKind() != "CustomResourceDefinition" {
				continue
			}
			if err := apply(ctx, c.dyn.Resource(crdGVR), d.obj, false); err != nil {
				c.refuse("CustomResourceDefinition", "", d.obj.GetName(), "install-crds", fmt.Sprintf("%s (from %s)", err, filepath.Base(f)))
				c.failed++
				continue
			}
			names = append(names, d.obj.GetName())
			c.upstream[d.obj.GetName()] = d.obj
		}
	}
	for _, n := range names {
		if err := c.waitEstablished(ctx, n); err != nil {
			c.refuse("CustomResourceDefinition", "", n, "install-crds", err.Error())
			c.failed++
		}
	}
	c.mapper.Reset()
	return len(names), nil
}

// ensureNamespaces creates the namespaces the group's objects use but do
// not define, so one piece of a larger app can be checked alone.
func (c *checker) ensureNamespaces(ctx context.Context, g group, created *[]ref) error {
	defined := map[string]bool{}
	for _, d := range g.docs {
		if d.obj.GetKind() == "Namespace" && d.obj.GroupVersionKind().Group == "" {
			defined[d.obj.GetName()] = true
		}
	}
	for _, d := range g.docs {
		ns := d.obj.GetNamespace()
		if ns == "" || defined[ns] {
			continue
		}
		defined[ns] = true
		if _, err := c.dyn.Resource(nsGVR).Get(ctx, ns, metav1.GetOptions{}); err == nil {
			continue
		}
		obj := &unstructured.Unstructured{Object: map[string]interface{}{
			"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]interface{}{"name": ns},
		}}
		if _, err := c.dyn.Resource(nsGVR).Create(ctx, obj, metav1.CreateOptions{FieldManager: fieldManager}); err != nil {
			return fmt.Errorf("creating namespace %s: %w", ns, err)
		}
		*created = append(*created, ref{gvr: nsGVR, name: ns})
	}
	return nil
}

// checkGroup runs every stage on one group and, when groups are isolated,
// removes what it created afterwards.
func (c *checker) checkGroup(ctx context.Context, g group) error {
	c.header = ""
	if c.isolate {
		c.header = "== " + g.name
	}
	var created []ref
	var replaced []string // upstream CRDs the group's own CRDs replaced
	if c.isolate {
		defer func() { c.cleanup(ctx, created, replaced) }()
	}
	if c.createNamespaces {
		if err := c.ensureNamespaces(ctx, g, &created); err != nil {
			return err
		}
	}
	entries := make([]*entry, len(g.docs))
	nsAt := map[string]int{}
	for i, d := range g.docs {
		entries[i] = &entry{doc: d}
		if d.obj.GetKind() == "Namespace" && d.obj.GroupVersionKind().Group == "" {
			if _, seen := nsAt[d.obj.GetName()]; !seen {
				nsAt[d.obj.GetName()] = i
			}
		}
	}

	for i, e := range entries {
		obj := e.doc.obj
		gvk := obj.GroupVersionKind()
		m, err := c.mapping(gvk)
		if err != nil {
			c.fail(e, "dry-run", err.Error())
			continue
		}
		ns := obj.GetNamespace()
		if m.Scope.Name() == meta.RESTScopeNameNamespace && ns == "" {
			ns = metav1.NamespaceDefault
		}
		ri := c.resource(c.dyn, m, ns)
		_, getErr := ri.Get(ctx, obj.GetName(), metav1.GetOptions{})
		existed := getErr == nil

		defaulted, err := applyResult(ctx, ri, obj, true)
		if err != nil {
			check := "dry-run"
			if at, later := nsAt[ns]; later && at > i && apierrors.IsNotFound(err) && m.Scope.Name() == meta.RESTScopeNameNamespace {
				check = "order"
				err = fmt.Errorf("%w (its Namespace comes later: document %d of %s)", err, g.docs[at].index, g.docs[at].file)
			}
			c.fail(e, check, err.Error())
			continue
		}
		e.defaulted, e.ri, e.namespaced = defaulted, ri, m.Scope.Name() == meta.RESTScopeNameNamespace
		if err := apply(ctx, ri, obj, false); err != nil {
			c.fail(e, "apply", err.Error())
			continue
		}
		if !existed {
			created = append(created, ref{gvr: m.Resource, namespace: nsIf(m, ns), name: obj.GetName()})
		} else if _, up := c.upstream[obj.GetName()]; up && m.Resource == crdGVR {
			replaced = append(replaced, obj.GetName())
		}
		if m.Resource == crdGVR {
			if err := c.waitEstablished(ctx, obj.GetName()); err != nil {
				c.fail(e, "crd-established", err.Error())
				continue
			}
			c.mapper.Reset()
		}
	}

	// The tools judge only KubeVirt's and CDI's API groups (*.kubevirt.io);
	// a group without such objects has nothing for them.
	if hasKubeVirtGroup(g) {
		for _, tool := range admissionTools {
			c.runAdmission(ctx, tool, g, entries)
		}
		for _, tool := range rbacTools {
			c.replayRBAC(ctx, tool, g, &created)
		}
	}
	c.checkDrift(ctx, g, entries)

	for _, e := range entries {
		if e.failed {
			c.failed++
		} else {
			c.passed++
		}
	}
	return nil
}

func hasKubeVirtGroup(g group) bool {
	for _, d := range g.docs {
		grp := d.obj.GroupVersionKind().Group
		if grp == "kubevirt.io" || strings.HasSuffix(grp, ".kubevirt.io") {
			return true
		}
	}
	return false
}

func nsIf(m *meta.RESTMapping, ns string) string {
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		return ns
	}
	return ""
}

// cleanup deletes what a group created: namespaced objects and other
// cluster objects first (newest first), then CRDs, then namespaces. With no
// controller manager running, finalizers nobody would remove are dropped
// and namespaces are finalized directly, so the next group starts clean.
// Upstream CRDs the group replaced with its own are put back.
func (c *checker) cleanup(ctx context.Context, created []ref, replaced []string) {
	for _, name := range replaced {
		err := apply(ctx, c.dyn.Resource(crdGVR), c.upstream[name], false)
		if err == nil {
			err = c.waitEstablished(ctx, name)
		}
		if err != nil {
			fmt.Fprintf(c.out, "clean-up: restoring upstream CRD %s: %v\n", name, err)
		}
	}
	for pass := 0; pass < 3; pass++ {
		for i := len(created) - 1; i >= 0; i-- {
			r := created[i]
			p := 0
			switch r.gvr {
			case crdGVR:
				p = 1
			case nsGVR:
				p = 2
			}
			if p != pass {
				continue
			}
			if err := c.remove(ctx, r); err != nil {
				fmt.Fprintf(c.out, "clean-up: %s %s: %v\n", r.gvr.Resource, objName(r.namespace, r.name), err)
			}
		}
	}
	c.mapper.Reset()
}

func (c *checker) remove(ctx context.Context, r ref) error {
	var ri dynamic.ResourceInterface = c.dyn.Resource(r.gvr)
	if r.namespace != "" {
		ri = c.dyn.Resource(r.gvr).Namespace(r.namespace)
	}
	bg := metav1.DeletePropagationBackground
	if err := ri.Delete(ctx, r.name, metav1.DeleteOptions{PropagationPolicy: &bg}); err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		obj, err := ri.Get(ctx, r.name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if r.gvr == nsGVR {
			if fin, _, _ := unstructured.NestedSlice(obj.Object, "spec", "finalizers"); len(fin) > 0 {
				_ = unstructured.SetNestedSlice(obj.Object, []interface{}{}, "spec", "finalizers")
				if _, err := ri.Update(ctx, obj, metav1.UpdateOptions{}, "finalize"); err != nil && !apierrors.IsNotFound(err) {
					return err
				}
			}
		}
		if len(obj.GetFinalizers()) > 0 && r.gvr != crdGVR {
			patch := []byte(`{"metadata":{"finalizers":null}}`)
			if _, err := ri.Patch(ctx, r.name, types.MergePatchType, patch, metav1.PatchOptions{}); err != nil && !apierrors.IsNotFound(err) {
				return err
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("still present after 30s")
}
