package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"

	"cdk8s-kubevirt/test/cluster/internal/controlplane"
)

// admitLine is one verdict of an admission tool (kubevirt-admit, cdi-admit).
type admitLine struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Check     string `json:"check"`
	Allowed   *bool  `json:"allowed"`
	Message   string `json:"message"`
	Assumed   string `json:"assumed"` // the assumed KubeVirt, when the input has no CR
}

// rbacLine is one object an operator's own install code creates, and the
// user the operator runs as (kubevirt-operator-rbac, cdi-operator-rbac).
type rbacLine struct {
	User   string                 `json:"user"`
	Object map[string]interface{} `json:"object"`
}

// toolRun is the outcome of one sub-tool run on one group.
type toolRun struct {
	missing bool   // the binary is absent
	err     string // the tool failed to run (exit status, stderr)
	lines   [][]byte
}

// execTool runs a sub-tool with flags on the group's files and keeps its
// JSON lines. It touches no checker state, so admission runs can go ahead
// in parallel.
func execTool(ctx context.Context, binDir, tool string, flags []string, g group) toolRun {
	bin := filepath.Join(binDir, tool)
	if _, err := os.Stat(bin); err != nil {
		return toolRun{missing: true}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append(append([]string(nil), flags...), g.files...)...)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return toolRun{err: fmt.Sprintf("%v: %s", err, controlplane.LastLines(stderr.String(), 5))}
	}
	var lines [][]byte
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 1024*1024), 64*1024*1024)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		lines = append(lines, append([]byte(nil), line...))
	}
	return toolRun{lines: lines}
}

// toolLines reports a missing or failed tool (a failure unless missing
// tools are skipped) and returns the lines of one that ran.
func (c *checker) toolLines(tool string, r toolRun) ([][]byte, bool) {
	switch {
	case r.missing:
		if !c.skipMissingTools {
			c.refuse("tool", "", tool, "missing", fmt.Sprintf("%s is not built; run npm run cluster:build", filepath.Join(c.binDir, tool)))
			c.failed++
		}
		return nil, false
	case r.err != "":
		c.refuse("tool", "", tool, "tool-error", r.err)
		c.failed++
		return nil, false
	}
	return r.lines, true
}

// runTool runs a sub-tool on the group now, or takes the run made ahead.
func (c *checker) runTool(ctx context.Context, tool string, g group) ([][]byte, bool) {
	if r, ok := c.ahead[g.name+"\x00"+tool]; ok {
		return c.toolLines(tool, r)
	}
	return c.toolLines(tool, execTool(ctx, c.binDir, tool, c.toolFlags[tool], g))
}

// admitAhead runs the admission tools (which do not use the cluster) on
// every group that needs them, before the groups are checked one by one.
// Groups of one file each (--each-file) go to the tools in batches, one
// batch per job: each tool process then judges many files, each alone
// (the tools' own --each-file mode), and pays its start-up once per batch
// instead of once per file. Other groups get a run each, jobs at a time.
func (c *checker) admitAhead(ctx context.Context, groups []group, jobs int) {
	if jobs < 1 {
		jobs = 1
	}
	var single, multi []group
	for _, g := range groups {
		if !hasKubeVirtGroup(g) {
			continue
		}
		if len(g.files) == 1 {
			single = append(single, g)
		} else {
			multi = append(multi, g)
		}
	}
	type job struct {
		groups []group
		tool   string
	}
	var todo []job
	tools := admissionTools
	if c.drift != nil {
		tools = append(append([]string(nil), admissionTools...), mutationTools...)
	}
	for _, tool := range tools {
		for _, g := range multi {
			todo = append(todo, job{[]group{g}, tool})
		}
		size := (len(single) + jobs - 1) / jobs
		for start := 0; start < len(single); start += size {
			end := start + size
			if end > len(single) {
				end = len(single)
			}
			todo = append(todo, job{single[start:end], tool})
		}
	}
	results := make([]map[string]toolRun, len(todo))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, j := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, j job) {
			defer wg.Done()
			defer func() { <-sem }()
			if len(j.groups) == 1 && len(j.groups[0].files) != 1 {
				results[i] = map[string]toolRun{j.groups[0].name: execTool(ctx, c.binDir, j.tool, c.toolFlags[j.tool], j.groups[0])}
				return
			}
			results[i] = execBatch(ctx, c.binDir, j.tool, c.toolFlags[j.tool], j.groups)
		}(i, j)
	}
	wg.Wait()
	for i, j := range todo {
		for _, g := range j.groups {
			c.ahead[g.name+"\x00"+j.tool] = results[i][g.name]
		}
	}
}

// execBatch runs a tool once on groups of one file each (--each-file) and
// hands every group the verdicts that name its file. A run that fails or a
// missing tool counts for every group of the batch.
func execBatch(ctx context.Context, binDir, tool string, flags []string, groups []group) map[string]toolRun {
	batch := group{name: "batch"}
	for _, g := range groups {
		batch.files = append(batch.files, g.files[0])
	}
	run := execTool(ctx, binDir, tool, append(append([]string(nil), flags...), "--each-file"), batch)
	out := make(map[string]toolRun, len(groups))
	if run.missing || run.err != "" {
		for _, g := range groups {
			out[g.name] = run
		}
		return out
	}
	byFile := make(map[string][][]byte, len(groups))
	for _, line := range run.lines {
		var v struct {
			File string `json:"file"`
		}
		if err := json.Unmarshal(line, &v); err != nil || v.File == "" {
			// a line that names no file cannot be placed: fail the whole batch
			bad := toolRun{err: fmt.Sprintf("verdict without its file in --each-file mode: %q", string(line))}
			for _, g := range groups {
				out[g.name] = bad
			}
			return out
		}
		byFile[v.File] = append(byFile[v.File], line)
	}
	for _, g := range groups {
		out[g.name] = toolRun{lines: byFile[g.files[0]]}
	}
	return out
}

// runAdmission feeds the group to an admission tool and records denials
// against the objects they name.
func (c *checker) runAdmission(ctx context.Context, tool string, g group, entries []*entry) {
	lines, ok := c.runTool(ctx, tool, g)
	if !ok {
		return
	}
	for _, raw := range lines {
		var l admitLine
		if err := json.Unmarshal(raw, &l); err != nil || l.Allowed == nil {
			c.refuse("tool", "", tool, "tool-error", fmt.Sprintf("unreadable verdict %q", string(raw)))
			c.failed++
			continue
		}
		if *l.Allowed {
			continue
		}
		check := l.Check
		if check == "" {
			check = tool
		}
		message := l.Message
		if l.Assumed != "" {
			message += fmt.Sprintf(" [no KubeVirt CR in the input: judged on the assumed %s KubeVirt, see --assume-kubevirt]", l.Assumed)
		}
		var hit *entry
		for _, e := range entries {
			o := e.doc.obj
			if o.GetKind() == l.Kind && o.GetName() == l.Name && (o.GetNamespace() == l.Namespace || (o.GetNamespace() == "" && l.Namespace == metav1.NamespaceDefault)) {
				hit = e
				break
			}
		}
		if hit == nil {
			// a verdict on an object the input does not hold still fails
			c.refuse(l.Kind, l.Namespace, l.Name, check, message)
			c.failed++
			continue
		}
		c.refuse(l.Kind, l.Namespace, l.Name, check, message)
		hit.failed = true
	}
}

// clientAs is a dynamic client that impersonates user (for a service
// account the server adds its groups).
func (c *checker) clientAs(user string) (dynamic.Interface, error) {
	if d, ok := c.users[user]; ok {
		return d, nil
	}
	cfg := rest.CopyConfig(c.cfg)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user}
	d, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	c.users[user] = d
	return d, nil
}

// replayRBAC creates, as the operator's own service account, every RBAC
// object the operator's install code generates for the CR in the group. A
// 403 means the operator would be refused at install time: our role for it
// misses a rule.
func (c *checker) replayRBAC(ctx context.Context, tool string, g group, created *[]ref) {
	lines, ok := c.runTool(ctx, tool, g)
	if !ok || len(lines) == 0 {
		return
	}
	c.rbacReplayed = true
	for _, raw := range lines {
		var l rbacLine
		if err := json.Unmarshal(raw, &l); err != nil || l.User == "" || l.Object == nil {
			c.refuse("tool", "", tool, "tool-error", fmt.Sprintf("unreadable object line %q", string(raw)))
			c.failed++
			continue
		}
		obj := &unstructured.Unstructured{Object: l.Object}
		if err := c.createAs(ctx, l.User, obj, created); err != nil {
			c.refuse(obj.GetKind(), obj.GetNamespace(), obj.GetName(), "operator-rbac", fmt.Sprintf("as %s: %v", l.User, err))
			c.rbacRefused++
			c.failed++
			continue
		}
		c.rbacGranted++
		c.passed++
	}
}

// createAs creates obj as user the way an operator does: create, and on
// AlreadyExists read and update it.
func (c *checker) createAs(ctx context.Context, user string, obj *unstructured.Unstructured, created *[]ref) error {
	client, err := c.clientAs(user)
	if err != nil {
		return err
	}
	m, err := c.mapping(obj.GroupVersionKind())
	if err != nil {
		return err
	}
	ns := obj.GetNamespace()
	if m.Scope.Name() == meta.RESTScopeNameNamespace && ns == "" {
		return errors.New("namespaced object without a namespace")
	}
	ri := c.resource(client, m, ns)
	_, err = ri.Create(ctx, obj, metav1.CreateOptions{FieldManager: fieldManager, FieldValidation: "Strict"})
	if err == nil {
		*created = append(*created, ref{gvr: m.Resource, namespace: nsIf(m, ns), name: obj.GetName()})
		return nil
	}
	if !apierrors.IsAlreadyExists(err) {
		return err
	}
	cur, err := ri.Get(ctx, obj.GetName(), metav1.GetOptions{})
	if err != nil {
		return err
	}
	obj.SetResourceVersion(cur.GetResourceVersion())
	_, err = ri.Update(ctx, obj, metav1.UpdateOptions{FieldManager: fieldManager, FieldValidation: "Strict"})
	return err
}

// summary is the operator RBAC line, when a replay ran.
func (c *checker) summary() string {
	if !c.rbacReplayed {
		return ""
	}
	return fmt.Sprintf("operator RBAC: %d objects granted, %d refused", c.rbacGranted, c.rbacRefused)
}
