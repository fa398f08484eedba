// Command netpolicy-rules prints the iptables rules the MultiNetworkPolicy
// enforcer (multi-networkpolicy-iptables at the commit the library pins)
// writes into one pod's network namespace, for synthesized manifests.
//
//	netpolicy-rules --manifests <dir> --pod <ns/name> --network-status <file> [-- <enforcer args>]
//
// --manifests (repeatable) holds the MultiNetworkPolicies, NADs,
// namespaces, pods and VirtualMachines (a VM stands for its virt-launcher
// pod, named after the VM). --network-status is a JSON file holding either
// the pod's k8s.v1.cni.cncf.io/network-status annotation as Multus thick
// writes it (a list), or an object from "ns/name" to such a list for any
// number of pods (the peers' addresses come from theirs). Pods without a
// status have no secondary interface the enforcer knows of.
//
// The enforcer's arguments follow "--"; without them, those of the
// multi-networkpolicy-iptables DaemonSet in the manifests are used, and
// without such a DaemonSet, none (the enforcer's defaults). The run points
// the host prefix, runtime socket, kubeconfig and pod-iptables folder at
// stand-ins and says so on standard error.
//
// Standard output is iptables-save output of the filter and nat tables the
// enforcer left in the pod's network namespace (a fresh one unless --netns
// names one): iptables-restore input that rebuilds them. --ip6 prints the
// IPv6 tables instead. Runs as root, with iptables on PATH.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"cdk8s-kubevirt/test/cluster/netpolicy/internal/agent"
	"cdk8s-kubevirt/test/cluster/netpolicy/internal/cluster"

	corev1 "k8s.io/api/core/v1"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	fs := flag.NewFlagSet("netpolicy-rules", flag.ContinueOnError)
	var paths listFlag
	fs.Var(&paths, "manifests", "YAML file or folder of synthesized manifests (repeatable)")
	podName := fs.String("pod", "", "namespace/name of the pod (or VirtualMachine) whose rules to print")
	statusFile := fs.String("network-status", "", "JSON file: the pod's network-status list, or an object from ns/name to such lists")
	node := fs.String("node", "node-1", "name of the node the enforcer and the pod run on")
	netns := fs.String("netns", "", "network namespace (a path) the enforcer writes into; default: a fresh one")
	ip6 := fs.Bool("ip6", false, "print the IPv6 tables instead of the IPv4 ones")
	timeout := fs.Duration("timeout", 30*time.Second, "how long to wait for the enforcer's first full sync")
	verbose := fs.Bool("verbose", false, "copy the enforcer's log to standard error")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2)
	}
	if len(paths) == 0 || *podName == "" {
		fail(errors.New("--manifests and --pod are required"))
	}

	c, err := cluster.Read(paths)
	if err != nil {
		fail(err)
	}
	statuses, err := readStatuses(*statusFile, *podName)
	if err != nil {
		fail(err)
	}
	keys := make([]string, 0, len(c.Pods))
	for k := range c.Pods {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pod, ok := c.Pods[*podName]
	if !ok {
		fail(fmt.Errorf("no pod or VirtualMachine %s in the manifests (they hold: %s)", *podName, strings.Join(keys, ", ")))
	}
	for k, raw := range statuses {
		p, ok := c.Pods[k]
		if !ok {
			fail(fmt.Errorf("--network-status names %s, which is no pod or VirtualMachine of the manifests", k))
		}
		if err := cluster.SetNetworkStatus(p, raw); err != nil {
			fail(err)
		}
	}
	var others []*corev1.Pod
	for _, k := range keys {
		if k == *podName {
			cluster.Run(c.Pods[k], *node)
			continue
		}
		// elsewhere: the enforcer reads their addresses, not their netns
		cluster.Run(c.Pods[k], *node+"-peer")
		others = append(others, c.Pods[k])
	}

	args := fs.Args()
	source := "given after --"
	if len(args) == 0 {
		args = c.AgentArgs
		source = "of the " + cluster.EnforcerCommand + " DaemonSet in the manifests"
		if !c.HasAgent {
			source = "none: the manifests hold no enforcer DaemonSet"
		}
	}
	var log *os.File
	if *verbose {
		log = os.Stderr
	}
	in := agent.Input{
		Args: args, Node: *node, Pod: pod, OtherPods: others,
		Namespaces: c.Namespaces, NADs: c.NADs, Policies: c.Policies,
		NetNS: *netns, Timeout: *timeout,
	}
	if log != nil {
		in.Log = log
	}
	res, err := agent.Run(in)
	if res != nil {
		fmt.Fprintf(os.Stderr, "netpolicy-rules: enforcer arguments (%s): %q; run with %q\n", source, args, res.Effective[len(args):])
	}
	if err != nil {
		if res == nil {
			fail(err)
		}
		fmt.Fprintf(os.Stderr, "netpolicy-rules: %v\n", err)
	}
	if *ip6 {
		fmt.Print(res.IPv6)
	} else {
		fmt.Print(res.IPv4)
	}
	if err != nil {
		os.Exit(1)
	}
}

// readStatuses reads the network-status file: a list for pod, or an object
// keyed by pod.
func readStatuses(file, pod string) (map[string]json.RawMessage, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	trimmed := strings.TrimSpace(string(data))
	if strings.HasPrefix(trimmed, "[") {
		return map[string]json.RawMessage{pod: json.RawMessage(trimmed)}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: neither a network-status list nor an object of them: %w", file, err)
	}
	return m, nil
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "netpolicy-rules: %v\n", err)
	os.Exit(2)
}
