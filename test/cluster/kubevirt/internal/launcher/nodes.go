package launcher

import (
	"regexp"
	"sort"
	"strings"

	k8sv1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// NodeRequirementsFile is the name of the list of what the nodes must
// provide that synthesis writes beside the manifests.
const NodeRequirementsFile = "node-requirements.md"

// requirementLine is one line of the list: "- <kind>: **<requirement>** ...".
var requirementLine = regexp.MustCompile(`^- ([^:]+): \*\*(.+?)\*\*`)

// reservedAmount reads "<resource>: at least <quantity> reserved in all".
var reservedAmount = regexp.MustCompile(`^(\S+): at least (\S+)( and more)? reserved in all$`)

type nodeRequirements struct {
	has      map[string]bool // "<kind>\x00<requirement>"
	reserved map[string]*resource.Quantity
	unknown  map[string]bool // sizes listed with "and more"
}

func parseNodeRequirements(text string) nodeRequirements {
	n := nodeRequirements{has: map[string]bool{}, reserved: map[string]*resource.Quantity{}, unknown: map[string]bool{}}
	for _, line := range strings.Split(text, "\n") {
		m := requirementLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		kind, req := m[1], m[2]
		if r := reservedAmount.FindStringSubmatch(req); r != nil {
			req = r[1]
			if q, err := resource.ParseQuantity(r[2]); err == nil {
				n.reserved[req] = &q
			}
			if r[3] != "" {
				n.unknown[req] = true
			}
		}
		n.has[kind+"\x00"+req] = true
	}
	return n
}

// platformLabel reports whether KubeVirt or the kubelet puts a node label
// on its own: the labels KubeVirt's node labeller and virt-handler set,
// and the kubelet's well-known ones. kubevirt.io/cpumanager is among them,
// but virt-handler sets it only on nodes whose kubelet runs the static CPU
// manager policy, so it stands for that kubelet setting.
func platformLabel(key string) bool {
	return strings.Contains(key, "kubevirt.io") || strings.HasPrefix(key, "kubernetes.io/") ||
		strings.HasPrefix(key, "node.kubernetes.io/") || strings.HasPrefix(key, "topology.kubernetes.io/")
}

// nodeRequirements checks the rendered pods against the list of what the
// nodes must provide: every hugepages size (and in all, at least what the
// pods request), every device-plugin resource and /dev/kvm the pods ask
// for, the static CPU manager policy when a pod selects
// kubevirt.io/cpumanager=true, and every other node label a pod selects.
func (c *checker) nodeRequirements(text string) {
	n := parseNodeRequirements(text)
	need := func(p *Pod, kind, req, why string) {
		c.result.Checked++
		if !n.has[kind+"\x00"+req] {
			c.fail(p.Pod.Namespace, p.VMI.Name, "its launcher pod %s, and %s lists no %s %q", why, NodeRequirementsFile, kind, req)
		}
	}
	hugepages := map[string]*resource.Quantity{}
	var sizes []string
	for _, p := range c.pods {
		names := map[k8sv1.ResourceName]bool{}
		for _, ct := range p.Pod.Spec.Containers {
			for name := range ct.Resources.Limits {
				names[name] = true
			}
			for name, q := range ct.Resources.Requests {
				names[name] = true
				if strings.HasPrefix(string(name), k8sv1.ResourceHugePagesPrefix) {
					if hugepages[string(name)] == nil {
						hugepages[string(name)] = resource.NewQuantity(0, resource.BinarySI)
						sizes = append(sizes, string(name))
					}
					hugepages[string(name)].Add(q)
				}
			}
		}
		var list []string
		for name := range names {
			list = append(list, string(name))
		}
		sort.Strings(list)
		for _, name := range list {
			switch {
			case strings.HasPrefix(name, k8sv1.ResourceHugePagesPrefix):
				need(p, "hugepages", name, "requests "+name)
			case name == "devices.kubevirt.io/kvm":
				need(p, "device", "/dev/kvm (hardware virtualization)", "asks for "+name)
			case strings.HasPrefix(name, "devices.kubevirt.io/"):
				// tun, vhost-net and the like: virt-handler's own device plugins
			case strings.Contains(name, "/"):
				need(p, "device", name+" (device-plugin resource)", "asks for "+name)
			}
		}
		keys := make([]string, 0, len(p.Pod.Spec.NodeSelector))
		for k := range p.Pod.Spec.NodeSelector {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := p.Pod.Spec.NodeSelector[k]
			switch {
			case k == "kubevirt.io/cpumanager":
				need(p, "kubelet", "CPU manager policy static (--cpu-manager-policy=static)", "selects nodes with "+k+"="+v)
			case !platformLabel(k):
				need(p, "node label", k+"="+v, "selects nodes with "+k+"="+v)
			}
		}
	}
	sort.Strings(sizes)
	for _, size := range sizes {
		listed := n.reserved[size]
		if listed == nil || n.unknown[size] {
			continue
		}
		c.result.Checked++
		if listed.Cmp(*hugepages[size]) < 0 {
			c.fail("", NodeRequirementsFile, "lists %s: at least %s reserved in all, and the launcher pods request %s of it", size, listed.String(), hugepages[size].String())
		}
	}
}
