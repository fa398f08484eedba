// Command launcher-pods renders the virt-launcher pod of every VM of the
// inputs (files or folders of YAML) with KubeVirt's own code, prints one
// line per pod (labels, node selector, the compute container's requests
// and limits, the memory overhead, hostname and subdomain), and checks the
// inputs' selectors and the pods' names against those pods, and, when a
// folder holds the node-requirements.md synthesis writes, what the pods ask
// of their nodes against that list. Each failed
// check prints a MISMATCH line; the last line counts pods, checks and
// mismatches.
//
//	launcher-pods [--assume-kubevirt=default|open] <files or folders of YAML>...
//
// Exit status: 0 when every check holds, 1 on a mismatch, 2 on a tool error.
// See internal/launcher for the KubeVirt code each step calls.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	k8sv1 "k8s.io/api/core/v1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/launcher"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"
)

func main() {
	// Whatever the linked KubeVirt code prints goes to standard error.
	out := os.Stdout
	os.Stdout = os.Stderr
	os.Exit(run(os.Args[1:], out))
}

func run(args []string, out io.Writer) int {
	fs := flag.NewFlagSet("launcher-pods", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	assume := fs.String("assume-kubevirt", string(platform.AssumeDefault), "the KubeVirt an input without a KubeVirt CR is rendered against: default (no settings) or open (every feature gate, any machine type)")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		if err == nil {
			err = fmt.Errorf("no input")
		}
		manifests.Fail(fmt.Errorf("%w (usage: launcher-pods [--assume-kubevirt=default|open] <files or folders of YAML>...)", err))
	}
	a, err := platform.ParseAssumption(*assume)
	if err != nil {
		manifests.Fail(err)
	}
	objects, err := manifests.Read(fs.Args())
	if err != nil {
		manifests.Fail(err)
	}
	nodes, nodesFile, err := nodeRequirements(fs.Args())
	if err != nil {
		manifests.Fail(err)
	}
	report, err := launcher.Run(objects, a, nodes)
	if err != nil {
		manifests.Fail(err)
	}
	for _, l := range Lines(report, nodesFile) {
		fmt.Fprintln(out, l)
	}
	if len(report.Mismatches) > 0 {
		return 1
	}
	return 0
}

// nodeRequirements reads the list of what the nodes must provide that
// synthesis writes beside the manifests: the first folder argument holding
// one names it. It returns "" when no folder holds one.
func nodeRequirements(args []string) (text, file string, err error) {
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil || !info.IsDir() {
			continue
		}
		file = filepath.Join(arg, launcher.NodeRequirementsFile)
		data, err := os.ReadFile(file)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return "", "", err
		}
		return string(data), file, nil
	}
	return "", "", nil
}

// Lines prints a report: one line per pod, one per mismatch, a count line.
// nodesFile names the node requirements the pods were checked against.
func Lines(r *launcher.Report, nodesFile string) []string {
	var lines []string
	pools := 0
	for _, p := range r.Pods {
		lines = append(lines, PodLine(p))
		if p.VM.Owner != "" {
			pools++
		}
	}
	for _, m := range r.Mismatches {
		lines = append(lines, m.String())
	}
	against := "the input's KubeVirt " + r.KubeVirt
	if r.Assumed != "" {
		against = "an assumed KubeVirt (" + r.Assumed + ")"
	}
	nodes := "no " + launcher.NodeRequirementsFile + " given"
	if nodesFile != "" {
		nodes = "node requirements from " + nodesFile
	}
	lines = append(lines, fmt.Sprintf("%d launcher pods rendered (%d of pool VMs) against %s, %s, %d checks, %d mismatches",
		len(r.Pods), pools, against, nodes, r.Checked, len(r.Mismatches)))
	return lines
}

// PodLine is the line of one rendered pod.
func PodLine(p *launcher.Pod) string {
	var compute *k8sv1.Container
	for i := range p.Pod.Spec.Containers {
		if p.Pod.Spec.Containers[i].Name == "compute" {
			compute = &p.Pod.Spec.Containers[i]
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s/%s", p.Pod.Namespace, p.VMI.Name)
	if p.VM.Owner != "" {
		fmt.Fprintf(&b, " (%s)", p.VM.Owner)
	}
	fmt.Fprintf(&b, ": labels={%s} nodeSelector={%s}", pairs(p.Pod.Labels), pairs(p.Pod.Spec.NodeSelector))
	if compute != nil {
		fmt.Fprintf(&b, " requests={%s} limits={%s}", resources(compute.Resources.Requests), resources(compute.Resources.Limits))
	}
	fmt.Fprintf(&b, " overhead=%s hostname=%s subdomain=%s", p.Overhead.String(), p.Pod.Spec.Hostname, orDash(p.Pod.Spec.Subdomain))
	if p.VMStateStorageClass != "" {
		fmt.Fprintf(&b, " vmStateStorageClass=%s", p.VMStateStorageClass)
	}
	if len(p.AssumedClaims) > 0 {
		fmt.Fprintf(&b, " assumedFilesystemClaims=%s", strings.Join(p.AssumedClaims, ","))
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func pairs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + m[k]
	}
	return strings.Join(keys, ",")
}

// resources prints CPU, memory and hugepages, the quantities the checks
// and the docs speak of, in that order; device resources follow.
func resources(l k8sv1.ResourceList) string {
	var first, rest []string
	for _, name := range []k8sv1.ResourceName{k8sv1.ResourceCPU, k8sv1.ResourceMemory} {
		if q, ok := l[name]; ok {
			first = append(first, string(name)+"="+q.String())
		}
	}
	for name, q := range l {
		if name == k8sv1.ResourceCPU || name == k8sv1.ResourceMemory {
			continue
		}
		rest = append(rest, string(name)+"="+q.String())
	}
	sort.Strings(rest)
	return strings.Join(append(first, rest...), ",")
}
