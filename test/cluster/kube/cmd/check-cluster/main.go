// Command check-cluster proves manifests on a real control plane: it starts
// etcd and kube-apiserver on loopback, installs the upstream CRDs, dry-runs
// every object with strict field validation, applies them in order, runs
// KubeVirt's and CDI's own admission code on their objects, replays the
// operators' RBAC as the operators' service accounts and compares what the
// cluster stores after KubeVirt's and CDI's mutating webhooks with what was
// synthesized (drift.go).
//
//	check-cluster [flags] <files or folders of YAML>...
//	check-cluster --serve <kubeconfig> [--crds <folder>]
//
// With --serve it checks nothing: it keeps the control plane up for real
// clients (see serve.go).
//
// KubeVirt's admission rules that read the platform (feature gates, emulated
// machines) judge an input against its own KubeVirt CR; an input without
// one is judged against the KubeVirt --assume-kubevirt names: "default", a
// KubeVirt CR with no settings, or "open", one with every feature gate
// KubeVirt can enable and any machine type (the cluster a program that
// leaves the platform out targets).
//
// It prints one line per refused object and ends with "N passed, N failed";
// the exit status is 1 when anything failed, 2 when the check could not run.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"
)

// assumedKubeVirts are the values of --assume-kubevirt, and what each
// stands for.
var assumedKubeVirts = map[string]string{
	"default": "a KubeVirt CR with no settings",
	"open":    "a KubeVirt with every feature gate KubeVirt can enable and any machine type",
}

// interrupted is set on a signal: what fails after it is the stop, not the
// input, and is not reported.
var interrupted atomic.Bool

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("check-cluster", flag.ContinueOnError)
	exe, _ := os.Executable()
	binDir := fs.String("bin", filepath.Dir(exe), "folder holding etcd, kube-apiserver and the admission and RBAC tools")
	crdDir := fs.String("crds", "", "folder of upstream CRDs to install first (default: the repository's test/upstream-crds, <bin>/../../test/upstream-crds)")
	eachFile := fs.Bool("each-file", false, "check each file alone on a clean cluster: its objects are deleted after it")
	createNS := fs.Bool("create-namespaces", false, "create the namespaces a group's objects use but do not define")
	jobs := fs.Int("jobs", 4, "admission tool runs at a time (they do not use the cluster)")
	assume := fs.String("assume-kubevirt", "default", "the KubeVirt an input (a file with --each-file) without a KubeVirt CR is judged against by kubevirt-admit: default (a KubeVirt CR with no settings) or open (every feature gate KubeVirt can enable, any machine type); an input with a KubeVirt CR is always judged against its own")
	skipMissing := fs.Bool("skip-missing-tools", false, "skip, instead of failing, an admission or RBAC tool that is not built")
	drift := fs.Bool("drift", true, "compare what the cluster stores (API server defaulting, then KubeVirt's and CDI's mutating webhooks, then defaulting again) with each KubeVirt or CDI object; print DRIFT lines and the count")
	failOnDrift := fs.Bool("fail-on-drift", true, "fail an object whose stored form differs on a field the library does not declare as cluster-written")
	serveTo := fs.String("serve", "", "check nothing: start the control plane, install the CRDs of --crds, write an admin kubeconfig to this file and stay up until a signal or the end of standard input")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: check-cluster [flags] <files or folders of YAML>...")
		fmt.Fprintln(fs.Output(), "KubeVirt's admission judges an input with a KubeVirt CR against it, and one without against --assume-kubevirt;")
		fmt.Fprintln(fs.Output(), "the test corpus is checked with --each-file --create-namespaces --assume-kubevirt=open .tmp/corpus/synth-docs")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *crdDir == "" {
		*crdDir = filepath.Join(*binDir, "..", "..", "test", "upstream-crds")
	}
	if *serveTo != "" && fs.NArg() == 0 {
		return serve(*binDir, *crdDir, *serveTo)
	}
	if fs.NArg() == 0 || *serveTo != "" {
		fs.Usage()
		return 2
	}
	assumed, ok := assumedKubeVirts[*assume]
	if !ok {
		fmt.Fprintf(os.Stderr, "check-cluster: --assume-kubevirt=%q: want default or open\n", *assume)
		return 2
	}
	files, err := expandInputs(fs.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster:", err)
		return 2
	}
	groups, err := readGroups(files, *eachFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster:", err)
		return 2
	}

	p, err := newPlaneStoppedOnSignal()
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster:", err)
		return 2
	}
	defer p.Stop()
	defer func() {
		if r := recover(); r != nil {
			p.Stop()
			panic(r)
		}
	}()

	ctx := context.Background()
	start := time.Now()
	if err := p.Start(ctx, *binDir); err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster: control plane:", err)
		return 2
	}
	fmt.Printf("control plane up in %.1fs (etcd, kube-apiserver on 127.0.0.1)\n", time.Since(start).Seconds())

	c, err := newChecker(adminConfig(p), os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster:", err)
		return 2
	}
	c.binDir = *binDir
	c.toolFlags = map[string][]string{"kubevirt-admit": {"--assume-kubevirt=" + *assume}, "kubevirt-mutate": {"--assume-kubevirt=" + *assume}}
	if *drift {
		written, err := clusterWrittenFields()
		if err != nil {
			fmt.Fprintln(os.Stderr, "check-cluster:", err)
			return 2
		}
		c.drift, c.written, c.failOnDrift = newDriftTally(), written, *failOnDrift
	}
	c.skipMissingTools = *skipMissing
	c.createNamespaces = *createNS
	if *createNS {
		c.toolFlags["cdi-mutate"] = []string{"--create-namespaces"}
	}
	c.isolate = *eachFile
	t := time.Now()
	n, err := c.installCRDs(ctx, *crdDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster: installing CRDs:", err)
		return 2
	}
	if n > 0 {
		fmt.Printf("installed %d upstream CRDs in %.1fs\n", n, time.Since(t).Seconds())
	}
	if *skipMissing {
		for _, tool := range append(append(append([]string{}, admissionTools...), rbacTools...), mutationTools...) {
			if _, err := os.Stat(filepath.Join(*binDir, tool)); err != nil {
				fmt.Printf("skipped: %s is not built\n", tool)
			}
		}
	}

	fmt.Printf("KubeVirt admission: an input with a KubeVirt CR is judged against it; one without, against %s (--assume-kubevirt=%s)\n", assumed, *assume)
	t = time.Now()
	if *jobs < 1 {
		*jobs = 1
	}
	c.admitAhead(ctx, groups, *jobs)
	if len(c.ahead) > 0 {
		fmt.Printf("admission tools ran %d times in %.1fs\n", len(c.ahead), time.Since(t).Seconds())
	}
	t = time.Now()
	objects := 0
	for _, g := range groups {
		objects += len(g.docs)
		if err := c.checkGroup(ctx, g); err != nil {
			fmt.Fprintf(os.Stderr, "check-cluster: %s: %v\n", g.name, err)
			return 2
		}
	}
	fmt.Printf("checked %d objects in %d files (%d groups) in %.1fs\n", objects, len(files), len(groups), time.Since(t).Seconds())
	if s := c.summary(); s != "" {
		fmt.Println(s)
	}
	if s := c.driftSummary(); s != "" {
		fmt.Println(s)
	}
	fmt.Printf("%d passed, %d failed\n", c.passed, c.failed)
	if c.failed > 0 {
		return 1
	}
	return 0
}
