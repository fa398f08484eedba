// Package cluster turns synthesized manifests into the objects the
// MultiNetworkPolicy enforcer watches: namespaces, NetworkAttachmentDefinitions,
// MultiNetworkPolicies and running pods with their Multus annotations. A
// VirtualMachine stands for its virt-launcher pod, named after the VM.
package cluster

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"cdk8s-kubevirt/test/cluster/internal/manifests"

	multiv1beta1 "github.com/k8snetworkplumbingwg/multi-networkpolicy/pkg/apis/k8s.cni.cncf.io/v1beta1"
	netdefv1 "github.com/k8snetworkplumbingwg/network-attachment-definition-client/pkg/apis/k8s.cni.cncf.io/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Annotation keys Multus and KubeVirt put on a pod.
const (
	NetworksAnnotation       = "k8s.v1.cni.cncf.io/networks"
	NetworkStatusAnnotation  = "k8s.v1.cni.cncf.io/network-status"
	DefaultNetworkAnnotation = "v1.multus-cni.io/default-network"
)

// Cluster holds the objects read from the manifests.
type Cluster struct {
	Namespaces []*corev1.Namespace
	NADs       []*netdefv1.NetworkAttachmentDefinition
	Policies   []*multiv1beta1.MultiNetworkPolicy
	// Pods are keyed by "namespace/name"; a VM's key is its own name.
	Pods map[string]*corev1.Pod
	// AgentArgs are the arguments of the enforcer's DaemonSet container,
	// when the manifests hold one.
	AgentArgs []string
	// HasAgent says whether the manifests hold the enforcer's DaemonSet.
	HasAgent bool
}

// EnforcerCommand is the container command of the enforcer's DaemonSet.
const EnforcerCommand = "/usr/bin/multi-networkpolicy-iptables"

// Read builds the cluster from YAML files or folders.
func Read(paths []string) (*Cluster, error) {
	objects, err := manifests.Read(paths)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Pods: map[string]*corev1.Pod{}}
	seenNS := map[string]bool{}
	for _, o := range objects {
		switch {
		case o.Kind == "Namespace" && o.Group() == "":
			ns := &corev1.Namespace{}
			if err := json.Unmarshal(o.JSON, ns); err != nil {
				return nil, fmt.Errorf("%s: %w", o.File, err)
			}
			c.addNamespace(ns, seenNS)
		case o.Kind == "NetworkAttachmentDefinition":
			nad := &netdefv1.NetworkAttachmentDefinition{}
			if err := json.Unmarshal(o.JSON, nad); err != nil {
				return nil, fmt.Errorf("%s: %w", o.File, err)
			}
			c.NADs = append(c.NADs, nad)
		case o.Kind == "MultiNetworkPolicy":
			p := &multiv1beta1.MultiNetworkPolicy{}
			if err := json.Unmarshal(o.JSON, p); err != nil {
				return nil, fmt.Errorf("%s: %w", o.File, err)
			}
			c.Policies = append(c.Policies, p)
		case o.Kind == "Pod" && o.Group() == "":
			pod := &corev1.Pod{}
			if err := json.Unmarshal(o.JSON, pod); err != nil {
				return nil, fmt.Errorf("%s: %w", o.File, err)
			}
			c.Pods[key(pod.Namespace, pod.Name)] = pod
		case o.Kind == "VirtualMachine" && o.Group() == "kubevirt.io":
			pod, err := launcherPod(o.JSON)
			if err != nil {
				return nil, fmt.Errorf("%s: VirtualMachine %s/%s: %w", o.File, o.Namespace, o.Name, err)
			}
			c.Pods[key(pod.Namespace, pod.Name)] = pod
		case o.Kind == "DaemonSet" && o.Group() == "apps":
			var ds struct {
				Spec struct {
					Template struct {
						Spec struct {
							Containers []struct {
								Command []string `json:"command"`
								Args    []string `json:"args"`
							} `json:"containers"`
						} `json:"spec"`
					} `json:"template"`
				} `json:"spec"`
			}
			if err := json.Unmarshal(o.JSON, &ds); err != nil {
				return nil, fmt.Errorf("%s: %w", o.File, err)
			}
			for _, ctr := range ds.Spec.Template.Spec.Containers {
				if len(ctr.Command) > 0 && ctr.Command[0] == EnforcerCommand {
					c.HasAgent = true
					c.AgentArgs = append([]string(nil), ctr.Args...)
				}
			}
		}
	}
	// The API server labels every namespace with its name; pods and
	// policies may name namespaces the manifests do not create.
	var implied []string
	for _, p := range c.Pods {
		implied = append(implied, p.Namespace)
	}
	for _, p := range c.Policies {
		implied = append(implied, p.Namespace)
	}
	sort.Strings(implied)
	for _, n := range implied {
		c.addNamespace(&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: n}}, seenNS)
	}
	return c, nil
}

func (c *Cluster) addNamespace(ns *corev1.Namespace, seen map[string]bool) {
	if seen[ns.Name] {
		return
	}
	seen[ns.Name] = true
	if ns.Labels == nil {
		ns.Labels = map[string]string{}
	}
	ns.Labels["kubernetes.io/metadata.name"] = ns.Name
	c.Namespaces = append(c.Namespaces, ns)
}

func key(namespace, name string) string { return namespace + "/" + name }

// vm is the part of a VirtualMachine that shapes its launcher pod's
// labels and Multus annotations.
type vm struct {
	Metadata metav1.ObjectMeta `json:"metadata"`
	Spec     struct {
		Template struct {
			Metadata metav1.ObjectMeta `json:"metadata"`
			Spec     struct {
				Networks []struct {
					Name   string `json:"name"`
					Multus *struct {
						NetworkName string `json:"networkName"`
						Default     bool   `json:"default"`
					} `json:"multus"`
				} `json:"networks"`
			} `json:"spec"`
		} `json:"template"`
	} `json:"spec"`
}

// launcherPod is the running virt-launcher pod of a VM, as KubeVirt v1.9.0
// labels and annotates it: the template's labels plus kubevirt.io=virt-launcher
// and vmi.kubevirt.io/id (virt-controller/services/template.go), the secondary
// Multus networks in the networks annotation and the default Multus network
// in its own annotation (network/pod/annotations/generator.go). The pod
// interface names come with the network-status (SetNetworkStatus).
func launcherPod(data []byte) (*corev1.Pod, error) {
	var v vm
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	ns := v.Metadata.Namespace
	if ns == "" {
		ns = "default"
	}
	labels := map[string]string{}
	for k, val := range v.Spec.Template.Metadata.Labels {
		labels[k] = val
	}
	labels["kubevirt.io"] = "virt-launcher"
	labels["vmi.kubevirt.io/id"] = v.Metadata.Name
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: v.Metadata.Name, Namespace: ns, Labels: labels, Annotations: map[string]string{}},
	}
	var elements []networkElement
	for _, n := range v.Spec.Template.Spec.Networks {
		if n.Multus == nil {
			continue
		}
		if n.Multus.Default {
			pod.Annotations[DefaultNetworkAnnotation] = n.Multus.NetworkName
			continue
		}
		e := networkElement{Namespace: ns, Name: n.Multus.NetworkName}
		if i := strings.Index(e.Name, "/"); i >= 0 {
			e.Namespace, e.Name = e.Name[:i], e.Name[i+1:]
		}
		elements = append(elements, e)
	}
	if len(elements) > 0 {
		b, err := json.Marshal(elements)
		if err != nil {
			return nil, err
		}
		pod.Annotations[NetworksAnnotation] = string(b)
	}
	return pod, nil
}

// NetworkStatus is one entry of the network-status annotation.
type NetworkStatus struct {
	Name      string   `json:"name"`
	Interface string   `json:"interface,omitempty"`
	IPs       []string `json:"ips,omitempty"`
	Mac       string   `json:"mac,omitempty"`
	Default   bool     `json:"default,omitempty"`
}

// networkElement is one entry of the networks annotation.
type networkElement struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Interface string `json:"interface,omitempty"`
}

// SetNetworkStatus gives a pod its network-status annotation; the entries
// of its networks annotation get the interface names the status reports.
func SetNetworkStatus(pod *corev1.Pod, raw []byte) error {
	var statuses []NetworkStatus
	if err := json.Unmarshal(raw, &statuses); err != nil {
		return fmt.Errorf("network-status of %s/%s: %w", pod.Namespace, pod.Name, err)
	}
	if pod.Annotations == nil {
		pod.Annotations = map[string]string{}
	}
	pod.Annotations[NetworkStatusAnnotation] = string(raw)
	var elements []networkElement
	if err := json.Unmarshal([]byte(pod.Annotations[NetworksAnnotation]), &elements); err != nil {
		// a list of names ("a,b") or no annotation: nothing to name
		return nil
	}
	for i, e := range elements {
		for _, s := range statuses {
			if s.Name == key(e.Namespace, e.Name) && !s.Default && e.Interface == "" {
				elements[i].Interface = s.Interface
			}
		}
	}
	b, err := json.Marshal(elements)
	if err != nil {
		return err
	}
	pod.Annotations[NetworksAnnotation] = string(b)
	return nil
}

// Run marks a pod as running on a node, with one container the runtime
// knows by id.
func Run(pod *corev1.Pod, node string) {
	pod.UID = types.UID(strings.ReplaceAll(key(pod.Namespace, pod.Name), "/", "."))
	pod.Spec.NodeName = node
	pod.Status.Phase = corev1.PodRunning
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "compute", ContainerID: "containerd://" + string(pod.UID)}}
	if pod.Annotations == nil {
		pod.Annotations = map[string]string{}
	}
}
