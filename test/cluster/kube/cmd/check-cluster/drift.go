package main

// The drift stage: what the cluster stores for an object against what was
// synthesized. The stored object is built as the API server builds it on
// create: its own defaulting (the dry-run apply's answer), then the patch
// of the mutating webhook registered for the kind (KubeVirt's and CDI's own
// mutators, run by kubevirt-mutate and cdi-mutate), then its defaulting
// again when the patch changed something (a dry-run apply of the patched
// object). Server-owned metadata and status are not compared. A difference
// on a field the library declares as written by the cluster
// (src/gitops/cluster-written-fields.ts, synthesized into
// cluster-written-fields.json beside this file) is counted but does not
// fail; any other fails the object.

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
)

var mutationTools = []string{"kubevirt-mutate", "cdi-mutate"}

// clusterWrittenJSON is CLUSTER_WRITTEN_FIELDS as the library exports it; a
// jest test (test/gitops/cluster-written-fields.test.ts) keeps the two equal.
//
//go:embed cluster-written-fields.json
var clusterWrittenJSON []byte

type clusterWritten struct {
	Group        string   `json:"group"`
	Kind         string   `json:"kind"`
	JSONPointers []string `json:"jsonPointers"`
	Reason       string   `json:"reason"`
}

// clusterWrittenFields reads the library's list: group/kind -> pointers.
func clusterWrittenFields() (map[string][]string, error) {
	var list []clusterWritten
	if err := json.Unmarshal(clusterWrittenJSON, &list); err != nil {
		return nil, fmt.Errorf("cluster-written-fields.json: %w", err)
	}
	out := map[string][]string{}
	for _, f := range list {
		out[f.Group+"/"+f.Kind] = append(out[f.Group+"/"+f.Kind], f.JSONPointers...)
	}
	return out, nil
}

// serverOwned are the metadata fields the API server writes on every object.
var serverOwned = []string{"uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "selfLink"}

// comparable is the object without server-owned metadata and status, in
// plain JSON types.
func comparable(obj map[string]interface{}) (map[string]interface{}, error) {
	b, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	var out map[string]interface{}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	delete(out, "status")
	if md, ok := out["metadata"].(map[string]interface{}); ok {
		for _, f := range serverOwned {
			delete(md, f)
		}
		for _, f := range []string{"annotations", "labels", "finalizers"} {
			if v, ok := md[f]; ok && v == nil {
				delete(md, f)
			}
		}
	}
	return out, nil
}

// difference is one field that differs; a side that lacks it is nil and
// absent.
type difference struct {
	pointer             string
	ours, cluster       interface{}
	oursSet, clusterSet bool
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// diff lists the leaves where a and b differ. Maps are compared key by key
// (a key only one side has is reported leaf by leaf), lists item by item.
func diff(pointer string, a, b interface{}, aSet, bSet bool, out *[]difference) {
	am, aMap := a.(map[string]interface{})
	bm, bMap := b.(map[string]interface{})
	if (aMap || !aSet) && (bMap || !bSet) && (aMap || bMap) {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			av, ain := am[k]
			bv, bin := bm[k]
			diff(pointer+"/"+escapePointer(k), av, bv, ain, bin, out)
		}
		return
	}
	al, aList := a.([]interface{})
	bl, bList := b.([]interface{})
	if (aList || !aSet) && (bList || !bSet) && (aList || bList) {
		n := len(al)
		if len(bl) > n {
			n = len(bl)
		}
		for i := 0; i < n; i++ {
			var av, bv interface{}
			ain, bin := i < len(al), i < len(bl)
			if ain {
				av = al[i]
			}
			if bin {
				bv = bl[i]
			}
			diff(pointer+"/"+strconv.Itoa(i), av, bv, ain, bin, out)
		}
		return
	}
	if aSet == bSet && reflect.DeepEqual(a, b) {
		return
	}
	*out = append(*out, difference{pointer: pointer, ours: a, cluster: b, oursSet: aSet, clusterSet: bSet})
}

// covered reports whether a listed pointer is the field or one of its
// parents (a listed field covers what is below it, as Argo CD's
// jsonPointers do).
func covered(pointer string, listed []string) bool {
	for _, l := range listed {
		if pointer == l || strings.HasPrefix(pointer, l+"/") {
			return true
		}
	}
	return false
}

func shown(v interface{}, set bool) string {
	if !set {
		return "<absent>"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// mutationLine is one line of kubevirt-mutate or cdi-mutate.
type mutationLine struct {
	Kind      string          `json:"kind"`
	Namespace string          `json:"namespace"`
	Name      string          `json:"name"`
	Mutator   string          `json:"mutator"`
	Patch     json.RawMessage `json:"patch"`
	Allowed   *bool           `json:"allowed"`
	Message   string          `json:"message"`
}

// driftTally counts the drift stage: objects compared, objects with a
// difference, and differences by kind (declared ones apart).
type driftTally struct {
	objects, drifting   int
	byKind, declared    map[string]int
	objectsByKind       map[string]int
	driftingByKind      map[string]int
	mutated, redefaults int
}

func newDriftTally() *driftTally {
	return &driftTally{byKind: map[string]int{}, declared: map[string]int{}, objectsByKind: map[string]int{}, driftingByKind: map[string]int{}}
}

// inDriftScope says which objects the stage compares: those of KubeVirt's
// and CDI's API groups, the kinds their mutating webhooks and CRD defaults
// write to. Core and other kinds get the API server's defaulting of
// built-in types, which GitOps tools already discount (they compare only
// the fields the manifest sets).
func inDriftScope(group string) bool {
	return group == "kubevirt.io" || strings.HasSuffix(group, ".kubevirt.io")
}

// mutations reads the mutation tools' lines for the group, by kind,
// namespace and name.
func (c *checker) mutations(ctx context.Context, g group) map[string][]mutationLine {
	out := map[string][]mutationLine{}
	for _, tool := range mutationTools {
		lines, ok := c.runTool(ctx, tool, g)
		if !ok {
			continue
		}
		for _, raw := range lines {
			var l mutationLine
			if err := json.Unmarshal(raw, &l); err != nil || l.Allowed == nil {
				c.refuse("tool", "", tool, "tool-error", fmt.Sprintf("unreadable mutation %q", string(raw)))
				c.failed++
				continue
			}
			ns := l.Namespace
			if ns == "" {
				ns = "default"
			}
			key := l.Kind + "/" + ns + "/" + l.Name
			out[key] = append(out[key], l)
		}
	}
	return out
}

// checkDrift builds the stored form of every object of the group that went
// through the dry-run and compares it with the synthesized one.
// notKeptInGit is the annotation on an input object that a user creates by
// hand and no GitOps tool keeps in sync, such as a VM processed from a
// template (virtctl template process | kubectl create): the cluster's values
// for what it leaves out are its own, so it is not compared. Its value says
// where the object comes from; the webhooks still run and must allow it.
const notKeptInGit = "check-cluster.cdk8s-kubevirt.io/not-kept-in-git"

func (c *checker) checkDrift(ctx context.Context, g group, entries []*entry) {
	if c.drift == nil {
		return
	}
	var muts map[string][]mutationLine
	if hasKubeVirtGroup(g) {
		muts = c.mutations(ctx, g)
	}
	for _, e := range entries {
		if e.failed || e.defaulted == nil || !inDriftScope(e.doc.obj.GroupVersionKind().Group) {
			continue
		}
		obj := e.doc.obj
		ns := obj.GetNamespace()
		if e.namespaced && ns == "" {
			ns = "default"
		}
		stored := e.defaulted.DeepCopy()
		patched := false
		for _, m := range muts[obj.GetKind()+"/"+ns+"/"+obj.GetName()] {
			if !*m.Allowed {
				c.fail(e, "mutation", fmt.Sprintf("%s: %s", m.Mutator, m.Message))
				break
			}
			if len(m.Patch) == 0 || string(m.Patch) == "null" {
				continue
			}
			next, err := applyPatch(stored, m.Patch)
			if err != nil {
				c.fail(e, "mutation", fmt.Sprintf("%s: its patch does not apply: %v", m.Mutator, err))
				break
			}
			stored, patched = next, true
		}
		if e.failed {
			continue
		}
		if _, byHand := obj.GetAnnotations()[notKeptInGit]; byHand {
			continue
		}
		if patched {
			c.drift.mutated++
			again, err := c.redefault(ctx, e.ri, stored)
			if err != nil {
				c.fail(e, "mutation", fmt.Sprintf("the API server refuses the mutated object: %v", err))
				continue
			}
			c.drift.redefaults++
			stored = again
		}
		c.compare(e, stored)
	}
}

// applyPatch applies a JSON patch to a copy of obj.
func applyPatch(obj *unstructured.Unstructured, patch []byte) (*unstructured.Unstructured, error) {
	doc, err := json.Marshal(obj.Object)
	if err != nil {
		return nil, err
	}
	p, err := jsonpatch.DecodePatch(patch)
	if err != nil {
		return nil, err
	}
	out, err := p.Apply(doc)
	if err != nil {
		return nil, err
	}
	next := &unstructured.Unstructured{}
	if err := next.UnmarshalJSON(out); err != nil {
		return nil, err
	}
	return next, nil
}

// redefault sends the mutated object through the API server's defaulting
// once more (a dry-run apply), as the server does after mutating webhooks.
func (c *checker) redefault(ctx context.Context, ri dynamic.ResourceInterface, obj *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	send := obj.DeepCopy()
	md, _ := send.Object["metadata"].(map[string]interface{})
	for _, f := range serverOwned {
		delete(md, f)
	}
	delete(send.Object, "status")
	return applyResult(ctx, ri, send, true)
}

// compare prints one DRIFT line per difference and fails the object on an
// undeclared one.
func (c *checker) compare(e *entry, stored *unstructured.Unstructured) {
	obj := e.doc.obj
	ours, err := comparable(obj.Object)
	if md, ok := ours["metadata"].(map[string]interface{}); ok && e.namespaced && md["namespace"] == nil {
		// an object without a namespace lands in the one it is applied to
		// (here "default", for a GitOps tool the application's)
		md["namespace"] = "default"
	}
	if err == nil {
		var theirs map[string]interface{}
		theirs, err = comparable(stored.Object)
		if err == nil {
			c.compareMaps(e, ours, theirs)
			return
		}
	}
	c.fail(e, "drift", err.Error())
}

func (c *checker) compareMaps(e *entry, ours, theirs map[string]interface{}) {
	obj := e.doc.obj
	kind := obj.GetKind()
	gk := obj.GroupVersionKind().Group + "/" + kind
	var diffs []difference
	diff("", ours, theirs, true, true, &diffs)
	c.drift.objects++
	c.drift.objectsByKind[kind]++
	undeclared := 0
	for _, d := range diffs {
		if covered(d.pointer, c.written[gk]) {
			c.drift.declared[kind]++
			continue
		}
		undeclared++
		c.drift.byKind[kind]++
		ns := obj.GetNamespace()
		if e.namespaced && ns == "" {
			ns = "default"
		}
		if c.header != "" && !interrupted.Load() {
			fmt.Fprintln(c.out, c.header)
			c.header = ""
		}
		fmt.Fprintf(c.out, "DRIFT %s %s %s: %s -> %s\n", kind, objName(ns, obj.GetName()), d.pointer, shown(d.ours, d.oursSet), shown(d.cluster, d.clusterSet))
	}
	if undeclared > 0 {
		c.drift.drifting++
		c.drift.driftingByKind[kind]++
		if c.failOnDrift {
			e.failed = true
		}
	}
}

// driftSummary is the stage's closing lines: the count, then the drifting
// fields by kind.
func (c *checker) driftSummary() string {
	if c.drift == nil {
		return ""
	}
	d := c.drift
	var b strings.Builder
	kinds := make([]string, 0, len(d.objectsByKind))
	for k := range d.objectsByKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		fmt.Fprintf(&b, "drift %s: %d objects, %d drifting, %d drifting fields, %d declared cluster-written\n", k, d.objectsByKind[k], d.driftingByKind[k], d.byKind[k], d.declared[k])
	}
	fmt.Fprintf(&b, "mutating webhooks changed %d objects (defaulted again after)\n", d.mutated)
	fmt.Fprintf(&b, "%d objects, %d drifting", d.objects, d.drifting)
	return b.String()
}
