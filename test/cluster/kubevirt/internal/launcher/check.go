package launcher

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	k8sv1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	migrationsv1 "kubevirt.io/api/migrations/v1alpha1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// Mismatch is one selector or name that does not hold against the
// rendered pods.
type Mismatch struct {
	Namespace string
	Name      string
	Message   string
}

func (m Mismatch) String() string {
	if m.Namespace == "" {
		return fmt.Sprintf("MISMATCH %s: %s", m.Name, m.Message)
	}
	return fmt.Sprintf("MISMATCH %s/%s: %s", m.Namespace, m.Name, m.Message)
}

// Result is what Check found.
type Result struct {
	Mismatches []Mismatch
	// Checked counts the selectors and names checked.
	Checked int
}

// checker holds the rendered pods and the namespaces' labels.
type checker struct {
	pods       []*Pod
	namespaces map[string]map[string]string
	// keys are the label keys a selector must name to be checked: every
	// label key of the input's VMs (metadata and template) and of the
	// rendered pods' KubeVirt labels.
	keys   map[string]bool
	result Result
}

// launcherKeys are the label keys KubeVirt itself puts on launcher pods.
func isLauncherKey(key string) bool {
	return key == "kubevirt.io" || strings.HasPrefix(key, "kubevirt.io/") || strings.HasPrefix(key, "vm.kubevirt.io/")
}

// Check checks, against the rendered pods:
//   - each pod's topology spread constraints select the pod itself;
//   - each pod's (anti-)affinity terms, each Service's selector, each
//     NetworkPolicy's and MultiNetworkPolicy's pod selectors and each
//     MigrationPolicy's VMI selector that names a VM's label or a label
//     KubeVirt puts on launcher pods select at least one rendered pod (a
//     MigrationPolicy: one VMI) in the namespaces they apply to;
//   - no two pods of one namespace share hostname and subdomain;
//   - the library's documented request defaults hold (see requests);
//   - when the list of what the nodes must provide is given (the text of
//     node-requirements.md), it names what the pods ask of their nodes.
func Check(objects []manifests.Object, pods []*Pod, defaults Defaults, nodeRequirements string) (Result, error) {
	c := &checker{pods: pods, namespaces: map[string]map[string]string{}, keys: map[string]bool{}}
	for _, o := range objects {
		if o.Group() == "" && o.Kind == "Namespace" {
			ns := &k8sv1.Namespace{}
			if err := json.Unmarshal(o.JSON, ns); err != nil {
				return c.result, err
			}
			c.namespaceLabels(ns.Name)
			for k, v := range ns.Labels {
				c.namespaces[ns.Name][k] = v
			}
		}
	}
	for _, p := range pods {
		c.namespaceLabels(p.Pod.Namespace)
		for k := range p.VM.Labels {
			c.keys[k] = true
		}
		for k := range p.VMI.Labels {
			c.keys[k] = true
		}
		for k := range p.Pod.Labels {
			if isLauncherKey(k) {
				c.keys[k] = true
			}
		}
	}
	for _, p := range pods {
		c.podSelectors(p)
	}
	for _, o := range objects {
		if err := c.object(o); err != nil {
			return c.result, err
		}
	}
	c.hostnames()
	c.requests(defaults)
	if nodeRequirements != "" {
		c.nodeRequirements(nodeRequirements)
	}
	return c.result, nil
}

// namespaceLabels returns the labels of a namespace: those of its object
// in the input, and the kubernetes.io/metadata.name label the API server
// puts on every namespace.
func (c *checker) namespaceLabels(name string) map[string]string {
	l, ok := c.namespaces[name]
	if !ok {
		l = map[string]string{k8sv1.LabelMetadataName: name}
		c.namespaces[name] = l
	}
	return l
}

func (c *checker) fail(ns, name, format string, args ...any) {
	c.result.Mismatches = append(c.result.Mismatches, Mismatch{Namespace: ns, Name: name, Message: fmt.Sprintf(format, args...)})
}

// names reports whether a selector names a label the check knows: a VM's
// label or a launcher pod's KubeVirt label.
func (c *checker) names(sel *metav1.LabelSelector) bool {
	if sel == nil {
		return false
	}
	for k := range sel.MatchLabels {
		if c.keys[k] {
			return true
		}
	}
	for _, e := range sel.MatchExpressions {
		if c.keys[e.Key] {
			return true
		}
	}
	return false
}

// scope says which namespaces a selector applies to.
type scope func(ns string) bool

func oneNamespace(name string) scope { return func(ns string) bool { return ns == name } }

func (c *checker) namespaceScope(own string, names []string, nsSel *metav1.LabelSelector) (scope, error) {
	if nsSel != nil {
		sel, err := metav1.LabelSelectorAsSelector(nsSel)
		if err != nil {
			return nil, err
		}
		return func(ns string) bool { return sel.Matches(labels.Set(c.namespaceLabels(ns))) }, nil
	}
	if len(names) > 0 {
		return func(ns string) bool {
			for _, n := range names {
				if n == ns {
					return true
				}
			}
			return false
		}, nil
	}
	return oneNamespace(own), nil
}

// selected returns the pods (vmi: the VMIs) in scope whose labels the
// selector matches.
func (c *checker) selected(sel labels.Selector, in scope, vmi bool) []string {
	var out []string
	for _, p := range c.pods {
		if !in(p.Pod.Namespace) {
			continue
		}
		l := p.Pod.Labels
		if vmi {
			l = p.VMI.Labels
		}
		if sel.Matches(labels.Set(l)) {
			out = append(out, p.Pod.Namespace+"/"+p.VMI.Name)
		}
	}
	return out
}

func showLabels(m map[string]string) string {
	return labels.Set(m).String()
}

const templateHint = "the VMI and its launcher pod carry only spec.template.metadata.labels, so put the label there"

// podSelectors checks the selectors the pod itself carries.
func (c *checker) podSelectors(p *Pod) {
	ns, name := p.Pod.Namespace, p.VMI.Name
	for i, t := range p.Pod.Spec.TopologySpreadConstraints {
		if t.LabelSelector == nil {
			continue
		}
		c.result.Checked++
		sel, err := metav1.LabelSelectorAsSelector(t.LabelSelector)
		if err != nil {
			c.fail(ns, name, "topologySpreadConstraints[%d]: %v", i, err)
			continue
		}
		// matchLabelKeys: the scheduler adds key=<the pod's value>.
		for _, k := range t.MatchLabelKeys {
			if v, ok := p.Pod.Labels[k]; ok {
				r, err := labels.NewRequirement(k, "=", []string{v})
				if err == nil {
					sel = sel.Add(*r)
				}
			}
		}
		if !sel.Matches(labels.Set(p.Pod.Labels)) {
			c.fail(ns, name, "topologySpreadConstraints[%d] (topologyKey %s) selects %q, and the launcher pod carries {%s}: the constraint counts none of the replicas it spreads, so all can land in one domain; %s",
				i, t.TopologyKey, sel.String(), showLabels(p.Pod.Labels), templateHint)
		}
	}
	a := p.Pod.Spec.Affinity
	if a == nil {
		return
	}
	type term struct {
		where string
		t     k8sv1.PodAffinityTerm
	}
	var terms []term
	collect := func(kind string, req []k8sv1.PodAffinityTerm, pref []k8sv1.WeightedPodAffinityTerm) {
		for i, t := range req {
			terms = append(terms, term{fmt.Sprintf("%s.requiredDuringSchedulingIgnoredDuringExecution[%d]", kind, i), t})
		}
		for i, t := range pref {
			terms = append(terms, term{fmt.Sprintf("%s.preferredDuringSchedulingIgnoredDuringExecution[%d]", kind, i), t.PodAffinityTerm})
		}
	}
	if a.PodAffinity != nil {
		collect("podAffinity", a.PodAffinity.RequiredDuringSchedulingIgnoredDuringExecution, a.PodAffinity.PreferredDuringSchedulingIgnoredDuringExecution)
	}
	if a.PodAntiAffinity != nil {
		collect("podAntiAffinity", a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution, a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution)
	}
	for _, t := range terms {
		if !c.names(t.t.LabelSelector) {
			continue
		}
		c.result.Checked++
		sel, err := metav1.LabelSelectorAsSelector(t.t.LabelSelector)
		if err != nil {
			c.fail(ns, name, "%s: %v", t.where, err)
			continue
		}
		in, err := c.namespaceScope(ns, t.t.Namespaces, t.t.NamespaceSelector)
		if err != nil {
			c.fail(ns, name, "%s: %v", t.where, err)
			continue
		}
		if len(c.selected(sel, in, false)) == 0 {
			c.fail(ns, name, "%s (topologyKey %s) selects %q, which no launcher pod carries (this one carries {%s}); %s",
				t.where, t.t.TopologyKey, sel.String(), showLabels(p.Pod.Labels), templateHint)
		}
	}
}

// object checks the selectors of one input object.
func (c *checker) object(o manifests.Object) error {
	ns := namespaceOf(o.Namespace)
	switch o.Group() + "/" + o.Kind {
	case "/Service":
		svc := &k8sv1.Service{}
		if err := json.Unmarshal(o.JSON, svc); err != nil {
			return err
		}
		if len(svc.Spec.Selector) == 0 {
			return nil
		}
		c.expect(ns, o.Name, "Service spec.selector", &metav1.LabelSelector{MatchLabels: svc.Spec.Selector}, oneNamespace(ns), false)
	case "networking.k8s.io/NetworkPolicy", "k8s.cni.cncf.io/MultiNetworkPolicy":
		// MultiNetworkPolicy's spec has NetworkPolicy's shape.
		np := &networkingv1.NetworkPolicy{}
		if err := json.Unmarshal(o.JSON, np); err != nil {
			return err
		}
		c.expect(ns, o.Name, o.Kind+" spec.podSelector", &np.Spec.PodSelector, oneNamespace(ns), false)
		peers := func(where string, list []networkingv1.NetworkPolicyPeer) error {
			for i, peer := range list {
				if peer.PodSelector == nil {
					continue
				}
				in, err := c.namespaceScope(ns, nil, peer.NamespaceSelector)
				if err != nil {
					return err
				}
				c.expect(ns, o.Name, fmt.Sprintf("%s %s[%d].podSelector", o.Kind, where, i), peer.PodSelector, in, false)
			}
			return nil
		}
		for i, r := range np.Spec.Ingress {
			if err := peers(fmt.Sprintf("spec.ingress[%d].from", i), r.From); err != nil {
				return err
			}
		}
		for i, r := range np.Spec.Egress {
			if err := peers(fmt.Sprintf("spec.egress[%d].to", i), r.To); err != nil {
				return err
			}
		}
	case "migrations.kubevirt.io/MigrationPolicy":
		mp := &migrationsv1.MigrationPolicy{}
		if err := json.Unmarshal(o.JSON, mp); err != nil {
			return err
		}
		if mp.Spec.Selectors == nil || len(mp.Spec.Selectors.VirtualMachineInstanceSelector) == 0 {
			return nil
		}
		in := func(string) bool { return true }
		if nsSel := mp.Spec.Selectors.NamespaceSelector; len(nsSel) > 0 {
			sel := labels.SelectorFromSet(labels.Set(nsSel))
			in = func(ns string) bool { return sel.Matches(labels.Set(c.namespaceLabels(ns))) }
		}
		c.expect("", o.Name, "MigrationPolicy spec.selectors.virtualMachineInstanceSelector",
			&metav1.LabelSelector{MatchLabels: mp.Spec.Selectors.VirtualMachineInstanceSelector}, in, true)
	}
	return nil
}

// expect checks that a selector naming a known label selects at least one
// rendered pod (vmi: VMI) in scope.
func (c *checker) expect(ns, name, where string, ls *metav1.LabelSelector, in scope, vmi bool) {
	if !c.names(ls) {
		return
	}
	c.result.Checked++
	sel, err := metav1.LabelSelectorAsSelector(ls)
	if err != nil {
		c.fail(ns, name, "%s: %v", where, err)
		return
	}
	if len(c.selected(sel, in, vmi)) == 0 {
		what := "launcher pod"
		if vmi {
			what = "VMI"
		}
		c.fail(ns, name, "%s selects %q, which no rendered %s in its namespaces carries; %s", where, sel.String(), what, templateHint)
	}
}

// hostnames checks that no two pods of a namespace share hostname and
// subdomain.
func (c *checker) hostnames() {
	seen := map[string][]string{}
	var keys []string
	for _, p := range c.pods {
		k := p.Pod.Namespace + "\x00" + p.Pod.Spec.Hostname + "\x00" + p.Pod.Spec.Subdomain
		if _, ok := seen[k]; !ok {
			keys = append(keys, k)
		}
		seen[k] = append(seen[k], p.VMI.Name)
	}
	c.result.Checked += len(c.pods)
	sort.Strings(keys)
	for _, k := range keys {
		vms := seen[k]
		if len(vms) < 2 {
			continue
		}
		parts := strings.Split(k, "\x00")
		ns, host, sub := parts[0], parts[1], parts[2]
		name := host
		if sub != "" {
			name = host + "." + sub
		}
		for _, vm := range vms {
			c.fail(ns, vm, "renders hostname %q and subdomain %q like %d VMs of its namespace (%s): each guest gets the same name, and %s resolves to all of them; leave hostname and subdomain unset on fleets and pools, or give each VM its own",
				host, sub, len(vms), strings.Join(vms, ", "), name)
		}
	}
}
