package agent

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"cdk8s-kubevirt/test/cluster/netpolicy/internal/cluster"

	corev1 "k8s.io/api/core/v1"
)

// Two pods on a bridge NAD and a macvlan NAD, one policy for both networks.
const twoNetworks = `apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: tenant, namespace: t}
spec: {config: '{"cniVersion":"0.3.1","name":"tenant","type":"bridge","bridge":"br-t"}'}
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata: {name: storage, namespace: t}
spec: {config: '{"cniVersion":"0.3.1","name":"storage","type":"macvlan","master":"eth1"}'}
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: own-pods, namespace: t, annotations: {k8s.v1.cni.cncf.io/policy-for: "tenant,storage"}}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {}}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: t, annotations: {k8s.v1.cni.cncf.io/networks: "tenant,storage"}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: t, annotations: {k8s.v1.cni.cncf.io/networks: "tenant,storage"}}
spec: {containers: [{name: c, image: x}]}
`

// The enforcer registers its flags on the process's flag set and its server
// never stops, so Run runs once per process: each case runs in a child
// process of the test binary, which prints Run's output.
func TestMain(m *testing.M) {
	if args := os.Getenv("NETPOLICY_AGENT_ARGS"); args != "" {
		res, err := Run(input(strings.Fields(args)))
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(0)
		}
		fmt.Print(res.IPv4)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runCase runs the enforcer with args in a child process and returns what it printed.
func runCase(t *testing.T, args ...string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("the enforcer writes iptables rules in a network namespace: run as root")
	}
	if _, err := exec.LookPath("iptables-save"); err != nil {
		t.Skip("iptables is not installed")
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "NETPOLICY_AGENT_ARGS="+strings.Join(args, " "))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return string(out)
}

func input(args []string) Input {
	dir, err := os.MkdirTemp("", "netpolicy-agent-test-")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "m.yaml"), []byte(twoNetworks), 0o600); err != nil {
		panic(err)
	}
	c, err := cluster.Read([]string{dir})
	if err != nil {
		panic(err)
	}
	statuses := map[string]string{
		"t/a": `[{"name":"t/tenant","interface":"net1","ips":["10.1.0.1"]},{"name":"t/storage","interface":"net2","ips":["10.2.0.1"]}]`,
		"t/b": `[{"name":"t/tenant","interface":"net1","ips":["10.1.0.2"]},{"name":"t/storage","interface":"net2","ips":["10.2.0.2"]}]`,
	}
	for k, s := range statuses {
		if err := cluster.SetNetworkStatus(c.Pods[k], []byte(s)); err != nil {
			panic(err)
		}
	}
	cluster.Run(c.Pods["t/a"], "node-1")
	cluster.Run(c.Pods["t/b"], "node-2")
	return Input{Args: args, Node: "node-1", Pod: c.Pods["t/a"], OtherPods: []*corev1.Pod{c.Pods["t/b"]},
		Namespaces: c.Namespaces, NADs: c.NADs, Policies: c.Policies}
}

func TestEnforcerRefusesAnUnknownArgument(t *testing.T) {
	out := runCase(t, "--no-such-flag")
	if !strings.Contains(out, "unknown flag: --no-such-flag") {
		t.Fatalf("want the enforcer's flag parser to refuse, got %s", out)
	}
}

func TestEnforcerFiltersOnlyTheNADTypesItIsGiven(t *testing.T) {
	// its default --network-plugins is macvlan: the bridge NAD's interface gets no rule
	out := runCase(t, "--host-prefix=/host")
	if !strings.Contains(out, "-A INPUT -i net2 -j MULTI-INGRESS") || strings.Contains(out, "-i net1") {
		t.Errorf("want rules for net2 (macvlan) only:\n%s", out)
	}
	if !strings.Contains(out, "-A MULTI-0-INGRESS-0-FROM -s 10.2.0.2/32 -i net2 -j MARK --set-xmark 0x20000/0x20000") {
		t.Errorf("want b's storage address admitted:\n%s", out)
	}
	out = runCase(t, "--host-prefix=/host", "--network-plugins=bridge,macvlan")
	if !strings.Contains(out, "-A INPUT -i net1 -j MULTI-INGRESS") || !strings.Contains(out, "-s 10.1.0.2/32 -i net1 -j MARK") {
		t.Errorf("want rules for net1 (bridge) too:\n%s", out)
	}
}
