// Package agent runs the MultiNetworkPolicy enforcer (multi-networkpolicy-iptables,
// its pkg/server and pkg/controllers at the pinned commit) in process, for
// one node: its command-line options parsed from the agent's arguments, its
// server built by its own constructor, its informers fed by in-memory
// clientsets, and a container runtime that answers the one question the
// enforcer asks of it (which network namespace a pod's container runs in).
// The enforcer then writes the pod's rules with iptables itself, in that
// network namespace.
package agent

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/containernetworking/plugins/pkg/ns"
	"github.com/k8snetworkplumbingwg/multi-networkpolicy-iptables/pkg/server"
	multiv1beta1 "github.com/k8snetworkplumbingwg/multi-networkpolicy/pkg/apis/k8s.cni.cncf.io/v1beta1"
	multifake "github.com/k8snetworkplumbingwg/multi-networkpolicy/pkg/client/clientset/versioned/fake"
	netdefv1 "github.com/k8snetworkplumbingwg/network-attachment-definition-client/pkg/apis/k8s.cni.cncf.io/v1"
	netdeffake "github.com/k8snetworkplumbingwg/network-attachment-definition-client/pkg/client/clientset/versioned/fake"
	"github.com/spf13/pflag"
	"google.golang.org/grpc"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	k8sfake "k8s.io/client-go/kubernetes/fake"
	pb "k8s.io/cri-api/pkg/apis/runtime/v1"
	"k8s.io/klog"
)

// Input is what one run of the enforcer sees.
type Input struct {
	// Args are the enforcer's command-line arguments as the DaemonSet passes them.
	Args []string
	// Node is the name of the node the enforcer runs on; Pod is on it, the
	// other pods are elsewhere.
	Node       string
	Pod        *corev1.Pod
	OtherPods  []*corev1.Pod
	Namespaces []*corev1.Namespace
	NADs       []*netdefv1.NetworkAttachmentDefinition
	Policies   []*multiv1beta1.MultiNetworkPolicy
	// NetNS is the network namespace the enforcer writes the pod's rules
	// into; empty for a fresh one that lives as long as the run.
	NetNS string
	// Timeout bounds the wait for the enforcer's first full sync.
	Timeout time.Duration
	// Log receives the enforcer's log lines (may be nil).
	Log io.Writer
}

// Result is the state the enforcer left in the pod's network namespace.
type Result struct {
	// IPv4 and IPv6 are iptables-save output of the filter and nat tables,
	// valid iptables-restore input that rebuilds them.
	IPv4, IPv6 string
	// Effective are the arguments the enforcer parsed: Args plus the
	// overrides that point it at this run's stand-ins.
	Effective []string
}

// Run starts the enforcer, waits for a full sync after every informer has
// synced and returns what it wrote into the pod's network namespace. It
// runs once per process: the enforcer registers its flags on the process's
// flag set, and its server never stops.
func Run(in Input) (*Result, error) {
	scratch, err := os.MkdirTemp("", "netpolicy-rules-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)

	netnsPath := in.NetNS
	if netnsPath == "" {
		holder := exec.Command("sleep", "600")
		holder.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNET, Pdeathsig: syscall.SIGKILL}
		if err := holder.Start(); err != nil {
			return nil, fmt.Errorf("cannot start a process in a new network namespace (run as root): %w", err)
		}
		defer func() { _ = holder.Process.Kill(); _, _ = holder.Process.Wait() }()
		netnsPath = fmt.Sprintf("/proc/%d/ns/net", holder.Process.Pid)
	}

	// The enforcer finds a pod's network namespace at
	// <host-prefix>/proc/<pid>/ns/net, the pid coming from the runtime's
	// container status, and dials the runtime at <host-prefix><endpoint>:
	// the scratch folder stands in for the host's root.
	const pid = 1
	if err := os.MkdirAll(filepath.Join(scratch, "proc", fmt.Sprint(pid), "ns"), 0o755); err != nil {
		return nil, err
	}
	if err := os.Symlink(netnsPath, filepath.Join(scratch, "proc", fmt.Sprint(pid), "ns", "net")); err != nil {
		return nil, err
	}

	opts := server.NewOptions()
	fs := pflag.NewFlagSet("multi-networkpolicy-iptables", pflag.ContinueOnError)
	opts.AddFlags(fs)
	if err := fs.Parse(in.Args); err != nil {
		return nil, fmt.Errorf("the enforcer refuses its arguments %q: %w", in.Args, err)
	}
	endpoint := fs.Lookup("container-runtime-endpoint").Value.String()
	if endpoint == "" {
		endpoint = "/run/containerd/containerd.sock"
	}
	kubeconfig := filepath.Join(scratch, "kubeconfig")
	if err := os.WriteFile(kubeconfig, []byte(kubeconfigText), 0o600); err != nil {
		return nil, err
	}
	overrides := []string{
		"--host-prefix=" + scratch,
		"--container-runtime-endpoint=" + endpoint,
		"--hostname-override=" + in.Node,
		"--kubeconfig=" + kubeconfig,
		"--pod-iptables=" + filepath.Join(scratch, "pod-iptables"),
		"--sync-period=1",
		"--logtostderr=false",
		"--v=4",
	}
	if err := fs.Parse(overrides); err != nil {
		return nil, err
	}
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("the enforcer refuses its arguments %q: %w", in.Args, err)
	}

	socket := scratch + endpoint
	if err := os.MkdirAll(filepath.Dir(socket), 0o755); err != nil {
		return nil, err
	}
	stopRuntime, err := serveRuntime(socket, pid)
	if err != nil {
		return nil, err
	}
	defer stopRuntime()

	watch := newLogWatch(in.Log)
	klog.SetOutput(watch)

	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("the enforcer's server: %w", err)
	}
	var kube []runtime.Object
	for _, n := range in.Namespaces {
		kube = append(kube, n.DeepCopy())
	}
	kube = append(kube, in.Pod.DeepCopy())
	for _, p := range in.OtherPods {
		kube = append(kube, p.DeepCopy())
	}
	s.Client = k8sfake.NewSimpleClientset(kube...)
	// The fake clientsets guess a kind's resource name by lowercasing it;
	// these two resources have dashes, so their objects go in by name.
	policies := multifake.NewSimpleClientset()
	for _, p := range in.Policies {
		if err := policies.Tracker().Create(policyResource, p.DeepCopy(), p.Namespace); err != nil {
			return nil, fmt.Errorf("MultiNetworkPolicy %s/%s: %w", p.Namespace, p.Name, err)
		}
	}
	nads := netdeffake.NewSimpleClientset()
	for _, n := range in.NADs {
		if err := nads.Tracker().Create(nadResource, n.DeepCopy(), n.Namespace); err != nil {
			return nil, fmt.Errorf("NetworkAttachmentDefinition %s/%s: %w", n.Namespace, n.Name, err)
		}
	}
	s.NetworkPolicyClient = policies
	s.NetDefClient = nads

	go s.Run(in.Node, make(chan struct{}))

	timeout := in.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	select {
	case <-watch.done:
	case <-time.After(timeout):
		return nil, fmt.Errorf("the enforcer did not finish a sync within %s; its last log lines:\n%s", timeout, watch.tail())
	}

	res := &Result{Effective: append(append([]string(nil), in.Args...), overrides...)}
	err = ns.WithNetNSPath(netnsPath, func(ns.NetNS) error {
		var err error
		if res.IPv4, err = save("iptables-save"); err != nil {
			return err
		}
		res.IPv6, err = save("ip6tables-save")
		return err
	})
	if err != nil {
		return nil, err
	}
	if msgs := watch.errors(); len(msgs) > 0 {
		return res, fmt.Errorf("the enforcer logged errors:\n%s", strings.Join(msgs, "\n"))
	}
	return res, nil
}

// save prints the filter and nat tables of the current network namespace.
func save(tool string) (string, error) {
	var out bytes.Buffer
	for _, table := range []string{"filter", "nat"} {
		cmd := exec.Command(tool, "-t", table)
		var stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("%s -t %s: %v: %s", tool, table, err, strings.TrimSpace(stderr.String()))
		}
	}
	return out.String(), nil
}

var (
	policyResource = schema.GroupVersionResource{Group: "k8s.cni.cncf.io", Version: "v1beta1", Resource: "multi-networkpolicies"}
	nadResource    = schema.GroupVersionResource{Group: "k8s.cni.cncf.io", Version: "v1", Resource: "network-attachment-definitions"}
)

const kubeconfigText = `apiVersion: v1
kind: Config
clusters:
- name: none
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: none
  context:
    cluster: none
    user: none
current-context: none
users:
- name: none
  user:
    token: none
`

// runtimeService answers ContainerStatus with the pid whose /proc entry
// the scratch root holds; the enforcer asks nothing else.
type runtimeService struct {
	pb.UnimplementedRuntimeServiceServer
	pid int
}

func (r *runtimeService) ContainerStatus(_ context.Context, req *pb.ContainerStatusRequest) (*pb.ContainerStatusResponse, error) {
	return &pb.ContainerStatusResponse{
		Status: &pb.ContainerStatus{Id: req.ContainerId, State: pb.ContainerState_CONTAINER_RUNNING},
		Info:   map[string]string{"info": fmt.Sprintf(`{"pid": %d}`, r.pid)},
	}, nil
}

func serveRuntime(socket string, pid int) (func(), error) {
	lis, err := listenUnix(socket)
	if err != nil {
		return nil, err
	}
	g := grpc.NewServer()
	pb.RegisterRuntimeServiceServer(g, &runtimeService{pid: pid})
	go func() { _ = g.Serve(lis) }()
	return g.Stop, nil
}

// logWatch reads the enforcer's log. The sync runner runs one sync at a
// time, so the start of a sync marks the end of the one before. The first
// sync after the pod informer has synced may still miss pods whose events
// are on their way (the enforcer says "cannot get ... podInfo" and retries
// on its next period); the second one, a period later, sees them all. The
// run waits for the start of the third and reports the second's errors.
type logWatch struct {
	mu      sync.Mutex
	out     io.Writer
	partial []byte
	lines   []string
	synced  bool
	// starts holds the line index of each sync started after OnPodSynced.
	starts []int
	done   chan struct{}
	closed bool
}

func newLogWatch(out io.Writer) *logWatch {
	return &logWatch{out: out, done: make(chan struct{})}
}

func (w *logWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.out != nil {
		_, _ = w.out.Write(p)
	}
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		line := string(w.partial[:i])
		w.partial = w.partial[i+1:]
		w.lines = append(w.lines, line)
		switch {
		case strings.HasSuffix(line, "] OnPodSynced"):
			w.synced = true
		case strings.HasSuffix(line, "] syncMultiPolicy") && w.synced:
			w.starts = append(w.starts, len(w.lines)-1)
			if len(w.starts) == 3 && !w.closed {
				w.closed = true
				close(w.done)
			}
		}
	}
	return len(p), nil
}

func (w *logWatch) tail() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	from := len(w.lines) - 20
	if from < 0 {
		from = 0
	}
	return strings.Join(w.lines[from:], "\n")
}

// errors are the error lines (klog severity E) of the second full sync.
func (w *logWatch) errors() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	if len(w.starts) < 3 {
		return out
	}
	for _, l := range w.lines[w.starts[1]:w.starts[2]] {
		if strings.HasPrefix(l, "E") {
			out = append(out, l)
		}
	}
	return out
}
