package launcher

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	k8sv1 "k8s.io/api/core/v1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"
)

const fleetLabel = "kubevirt.cdk8s.io/fleet"

func read(t *testing.T, file string) []manifests.Object {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	objects, err := manifests.Parse(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return objects
}

func parse(t *testing.T, doc string) []manifests.Object {
	t.Helper()
	objects, err := manifests.Parse("inline.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return objects
}

func run(t *testing.T, objects []manifests.Object) *Report {
	t.Helper()
	r, err := Run(objects, platform.AssumeDefault, "")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mismatches(r *Report) []string {
	var out []string
	for _, m := range r.Mismatches {
		out = append(out, m.String())
	}
	return out
}

// count returns how many mismatches contain every one of the parts.
func count(r *Report, parts ...string) int {
	n := 0
next:
	for _, m := range mismatches(r) {
		for _, p := range parts {
			if !strings.Contains(m, p) {
				continue next
			}
		}
		n++
	}
	return n
}

// wantPods fails the test unless the run rendered n pods and, when clean,
// found no mismatch.
func wantPods(t *testing.T, r *Report, n int, clean bool) {
	t.Helper()
	if len(r.Pods) != n || (clean && len(r.Mismatches) != 0) {
		t.Fatalf("%d pods, want %d; mismatches:\n%s", len(r.Pods), n, strings.Join(mismatches(r), "\n"))
	}
}

// compute is the compute container of a rendered pod.
func compute(t *testing.T, p *Pod) k8sv1.Container {
	t.Helper()
	for _, c := range p.Pod.Spec.Containers {
		if c.Name == "compute" {
			return c
		}
	}
	t.Fatalf("the pod of %s has no compute container", p.VMI.Name)
	return k8sv1.Container{}
}

// vmYAML is a VirtualMachine in namespace ns, of the instancetype when one is
// named, whose template's domain holds the lines given (devices: {} when
// none).
func vmYAML(name, instancetype string, domain ...string) string {
	s := "apiVersion: kubevirt.io/v1\nkind: VirtualMachine\nmetadata: {name: " + name + ", namespace: ns}\nspec:\n"
	if instancetype != "" {
		s += "  instancetype: {kind: VirtualMachineInstancetype, name: " + instancetype + "}\n"
	}
	if len(domain) == 0 {
		return s + "  template:\n    spec:\n      domain: {devices: {}}\n"
	}
	s += "  template:\n    spec:\n      domain:\n"
	for _, l := range domain {
		s += "        " + l + "\n"
	}
	return s
}

// withTemplateLabel edits the objects as the fix does: each VM's and each
// pool's VMI template carries the fleet label of its VM, and the fleet
// given one hostname has none.
func withTemplateLabel(t *testing.T, objects []manifests.Object) []manifests.Object {
	t.Helper()
	out := make([]manifests.Object, 0, len(objects))
	for _, o := range objects {
		var doc map[string]any
		if err := json.Unmarshal(o.JSON, &doc); err != nil {
			t.Fatal(err)
		}
		var vm, meta map[string]any
		switch o.Kind {
		case "VirtualMachine":
			vm = doc
			meta = doc["metadata"].(map[string]any)
		case "VirtualMachinePool":
			tmpl := doc["spec"].(map[string]any)["virtualMachineTemplate"].(map[string]any)
			vm = tmpl
			meta = tmpl["metadata"].(map[string]any)
		default:
			out = append(out, o)
			continue
		}
		fleet := meta["labels"].(map[string]any)[fleetLabel]
		tmpl := vm["spec"].(map[string]any)["template"].(map[string]any)
		tm, _ := tmpl["metadata"].(map[string]any)
		if tm == nil {
			tm = map[string]any{}
			tmpl["metadata"] = tm
		}
		tm["labels"] = map[string]any{fleetLabel: fleet}
		spec := tmpl["spec"].(map[string]any)
		delete(spec, "hostname")
		delete(spec, "subdomain")
		js, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		o.JSON = js
		out = append(out, o)
	}
	return out
}

func TestFleetLabelOnlyOnTheVMSelectsNoPod(t *testing.T) {
	r := run(t, read(t, "testdata/launcher-fleets.yaml"))
	if len(r.Pods) != 7 {
		t.Fatalf("rendered %d pods, want 7 (3 + 2 pool VMs + 2):\n%s", len(r.Pods), strings.Join(mismatches(r), "\n"))
	}
	for _, vm := range []string{"spread-0", "spread-1", "spread-2", "spread-pool-0", "spread-pool-1"} {
		if count(r, "MISMATCH launcher/"+vm+": topologySpreadConstraints[0]", fleetLabel+"=") != 1 {
			t.Errorf("no spread mismatch for %s:\n%s", vm, strings.Join(mismatches(r), "\n"))
		}
	}
	for _, vm := range []string{"spread-0", "spread-1", "spread-2"} {
		if count(r, "MISMATCH launcher/"+vm+": podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]", "no launcher pod carries") != 1 {
			t.Errorf("no anti-affinity mismatch for %s:\n%s", vm, strings.Join(mismatches(r), "\n"))
		}
	}
	for _, p := range r.Pods {
		if _, ok := p.Pod.Labels[fleetLabel]; ok {
			t.Errorf("pod of %s carries the fleet label, though only its VM does", p.VMI.Name)
		}
	}
}

func TestOneHostnameOnAFleetIsRefused(t *testing.T) {
	r := run(t, read(t, "testdata/launcher-fleets.yaml"))
	for _, vm := range []string{"named-0", "named-1"} {
		if count(r, "MISMATCH launcher/"+vm+": renders hostname \"db\" and subdomain \"databases\"", "db.databases resolves to all of them") != 1 {
			t.Errorf("no hostname mismatch for %s:\n%s", vm, strings.Join(mismatches(r), "\n"))
		}
	}
}

func TestFixedFleetsPass(t *testing.T) {
	r := run(t, withTemplateLabel(t, read(t, "testdata/launcher-fleets.yaml")))
	wantPods(t, r, 7, true)
	for _, p := range r.Pods {
		if p.Pod.Spec.Hostname != p.VMI.Name {
			t.Errorf("pod of %s has hostname %q", p.VMI.Name, p.Pod.Spec.Hostname)
		}
	}
}

const selectors = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: launcher}
spec:
  selector: {kubevirt.cdk8s.io/fleet: spread}
  ports: [{port: 80}]
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: web, namespace: launcher}
spec:
  podSelector: {matchLabels: {kubevirt.cdk8s.io/fleet: spread}}
  ingress:
  - from:
    - podSelector: {matchLabels: {kubevirt.io: virt-launcher}}
      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: launcher}}
---
apiVersion: migrations.kubevirt.io/v1alpha1
kind: MigrationPolicy
metadata: {name: web}
spec:
  selectors:
    namespaceSelector: {kubernetes.io/metadata.name: launcher}
    virtualMachineInstanceSelector: {kubevirt.cdk8s.io/fleet: spread}
`

func TestServicePolicySelectorsAgainstThePods(t *testing.T) {
	bad := append(read(t, "testdata/launcher-fleets.yaml"), parse(t, selectors)...)
	r := run(t, bad)
	for _, want := range [][]string{
		{"MISMATCH launcher/web: Service spec.selector selects \"" + fleetLabel + "=spread\""},
		{"MISMATCH launcher/web: MultiNetworkPolicy spec.podSelector"},
		{"MISMATCH web: MigrationPolicy spec.selectors.virtualMachineInstanceSelector", "no rendered VMI"},
	} {
		if count(r, want...) != 1 {
			t.Errorf("want one mismatch with %q:\n%s", want, strings.Join(mismatches(r), "\n"))
		}
	}
	// the peer selector names KubeVirt's own pod label and the namespace
	// by the label the API server puts on every namespace: it holds
	if count(r, "spec.ingress[0].from[0]") != 0 {
		t.Errorf("the peer selector holds:\n%s", strings.Join(mismatches(r), "\n"))
	}

	good := append(withTemplateLabel(t, read(t, "testdata/launcher-fleets.yaml")), parse(t, selectors)...)
	if r := run(t, good); len(r.Mismatches) != 0 {
		t.Errorf("mismatches on the fixed fleets:\n%s", strings.Join(mismatches(r), "\n"))
	}
}

func TestAVMKubeVirtRefusesIsAMismatch(t *testing.T) {
	r := run(t, parse(t, vmYAML("typed", "missing")))
	wantPods(t, r, 0, false)
	if count(r, "MISMATCH ns/typed: KubeVirt renders no launcher pod") != 1 {
		t.Fatalf("mismatches:\n%s", strings.Join(mismatches(r), "\n"))
	}
}

func TestRequestsComeFromKubeVirt(t *testing.T) {
	// A CPU limit without a request: KubeVirt's VMI defaults make the
	// limit the request.
	r := run(t, parse(t, vmYAML("limited", "", "devices: {}", "memory: {guest: 1Gi}", "resources:", `  limits: {cpu: "2", memory: 2Gi}`)))
	wantPods(t, r, 1, false)
	c := compute(t, r.Pods[0])
	cpu, mem := c.Resources.Requests.Cpu().String(), c.Resources.Requests.Memory().String()
	if cpu != "2" {
		t.Errorf("cpu request %s, want the limit 2", cpu)
	}
	if mem == "" || mem == "0" {
		t.Errorf("memory request %q", mem)
	}
}

// An instancetype with dedicated CPUs and memory overcommit: KubeVirt's
// instancetype code lowers the memory request below the guest memory, and
// the template service then sets the memory limit to that request (dedicated
// CPUs need equal requests and limits), so the guest can use more memory
// than its pod may: the kernel kills the pod when it does.
func TestDedicatedCPUsWithOvercommitLimitThePodBelowTheGuest(t *testing.T) {
	r := run(t, parse(t, `apiVersion: instancetype.kubevirt.io/v1beta1
kind: VirtualMachineInstancetype
metadata: {name: pinned, namespace: ns}
spec:
  cpu: {guest: 2, dedicatedCPUPlacement: true}
  memory: {guest: 4Gi, overcommitPercent: 25}
---
`+vmYAML("pinned", "pinned")))
	wantPods(t, r, 1, false)
	p := r.Pods[0]
	var limit, request string
	for _, c := range p.Pod.Spec.Containers {
		if c.Name == "compute" {
			limit = c.Resources.Limits.Memory().String()
			request = c.Resources.Requests.Memory().String()
			guest := p.VMI.Spec.Domain.Memory.Guest.DeepCopy()
			guest.Add(p.Overhead)
			if c.Resources.Limits.Memory().Cmp(guest) >= 0 {
				t.Errorf("memory limit %s is not below guest %s plus overhead %s", limit, p.VMI.Spec.Domain.Memory.Guest, p.Overhead.String())
			}
			if c.Resources.Limits.Cpu().String() != "2" {
				t.Errorf("cpu limit %s, want 2 dedicated CPUs", c.Resources.Limits.Cpu())
			}
		}
	}
	t.Logf("guest 4Gi, overhead %s: memory request %s, limit %s", p.Overhead.String(), request, limit)
}

const pinnedVM = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: database, namespace: hp}
spec:
  template:
    spec:
      nodeSelector: {disktype: nvme}
      domain:
        cpu: {cores: 4, dedicatedCpuPlacement: true}
        memory: {guest: 16Gi, hugepages: {pageSize: 1Gi}}
        devices:
          gpus:
          - {name: gpu1, deviceName: nvidia.com/TU104GL_Tesla_T4}
`

// nodeList is a list of what the nodes must provide, in the shape
// synthesis writes it, holding the lines whose requirements are given.
func nodeList(hugepages string, lines ...string) string {
	all := map[string]string{
		"kvm":      "- device: **/dev/kvm (hardware virtualization)** (the nodes must have it); needed by 1 VM (any node)",
		"gpu":      "- device: **nvidia.com/TU104GL_Tesla_T4 (device-plugin resource)** (the nodes must have it); needed by VirtualMachine hp/database (any node)",
		"cpu":      "- kubelet: **CPU manager policy static (--cpu-manager-policy=static)** (the nodes must have it); needed by VirtualMachine hp/database (any node)",
		"label":    "- node label: **disktype=nvme** (the nodes must have it); needed by VirtualMachine hp/database (any node)",
		"hugepage": "- hugepages: **hugepages-1Gi: at least " + hugepages + " reserved in all** (the nodes must have it); needed by VirtualMachine hp/database (any node)",
	}
	out := []string{"# What the nodes need", ""}
	for _, l := range lines {
		out = append(out, all[l])
	}
	return strings.Join(append(out, "", "n requirements", ""), "\n")
}

func TestPodsAgainstTheNodeRequirements(t *testing.T) {
	objects := parse(t, pinnedVM)
	r, err := Run(objects, platform.AssumeDefault, nodeList("16Gi", "kvm", "gpu", "cpu", "label", "hugepage"))
	if err != nil {
		t.Fatal(err)
	}
	wantPods(t, r, 1, true)

	r, err = Run(objects, platform.AssumeDefault, nodeList("8Gi", "kvm", "hugepage"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range [][]string{
		{"MISMATCH hp/database: its launcher pod asks for nvidia.com/TU104GL_Tesla_T4", `no device "nvidia.com/TU104GL_Tesla_T4 (device-plugin resource)"`},
		{"MISMATCH hp/database: its launcher pod selects nodes with kubevirt.io/cpumanager=true", `no kubelet "CPU manager policy static`},
		{"MISMATCH hp/database: its launcher pod selects nodes with disktype=nvme", `no node label "disktype=nvme"`},
		{"MISMATCH node-requirements.md: lists hugepages-1Gi: at least 8Gi reserved in all, and the launcher pods request 16Gi of it"},
	} {
		if count(r, want...) != 1 {
			t.Errorf("want one mismatch with %q:\n%s", want, strings.Join(mismatches(r), "\n"))
		}
	}
	if len(r.Mismatches) != 4 {
		t.Errorf("want 4 mismatches:\n%s", strings.Join(mismatches(r), "\n"))
	}
}

var persistentVM = vmYAML("win", "", "devices: {tpm: {persistent: true}}", "memory: {guest: 1Gi}")

// A persistent TPM needs a claim, whose StorageClass KubeVirt's backend-
// storage code takes from the KubeVirt CR's vmStateStorageClass or else the
// default StorageClass: with neither in the input it stays unresolved.
func TestPersistentStateStorageClass(t *testing.T) {
	for _, c := range []struct{ extra, want string }{
		{"", "unresolved (no default storage class found"},
		{`---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: rancher.io/local-path
`, "local"},
		{`---
apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata: {name: kubevirt, namespace: kubevirt}
spec:
  configuration: {vmStateStorageClass: rwx-state}
`, "rwx-state"},
	} {
		r := run(t, parse(t, persistentVM+c.extra))
		wantPods(t, r, 1, false)
		if got := r.Pods[0].VMStateStorageClass; !strings.HasPrefix(got, c.want) {
			t.Errorf("vmStateStorageClass %q, want %q", got, c.want)
		}
	}
}

// The documented request defaults, against a KubeVirt CR that overcommits
// CPU and memory: they hold, and the check fails when told other defaults.
func TestDocumentedRequestDefaults(t *testing.T) {
	objects := parse(t, `apiVersion: kubevirt.io/v1
kind: KubeVirt
metadata: {name: kubevirt, namespace: kubevirt}
spec:
  configuration:
    developerConfiguration: {cpuAllocationRatio: 5, memoryOvercommit: 150}
---
`+vmYAML("plain", "", "devices: {}", "cpu: {cores: 4}", "memory: {guest: 3Gi}")+"---\n"+
		vmYAML("limited", "", "devices: {}", "cpu: {cores: 4}", "memory: {guest: 1Gi}", "resources:", `  limits: {cpu: "2", memory: 2Gi}`))
	r := run(t, objects)
	wantPods(t, r, 2, true)
	for _, p := range r.Pods {
		requests := compute(t, p).Resources.Requests
		if cpu := requests.Cpu().String(); p.VMI.Name == "plain" && cpu != "800m" {
			t.Errorf("plain requests cpu %s, want 4 vCPUs / 5 = 800m", cpu)
		}
	}
	res, err := Check(objects, r.Pods, Defaults{CPUAllocationRatio: 10, MemoryOvercommit: 100}, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range res.Mismatches {
		got = append(got, m.String())
	}
	if len(got) != 2 || !strings.Contains(got[0], "MISMATCH ns/plain: its launcher pod requests cpu 800m, and the cpuRequest docs promise 400m") ||
		!strings.Contains(got[1], "MISMATCH ns/plain: its launcher pod requests memory") {
		t.Errorf("want the plain VM's cpu and memory mismatches:\n%s", strings.Join(got, "\n"))
	}
}
