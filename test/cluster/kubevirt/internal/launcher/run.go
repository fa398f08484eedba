package launcher

import (
	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"
)

// Report is the whole run on one input.
type Report struct {
	Pods       []*Pod
	Mismatches []Mismatch
	Checked    int
	// KubeVirt names the input's KubeVirt CR (<namespace>/<name>); Assumed
	// names the assumption when the input holds none.
	KubeVirt string
	Assumed  string
}

// Run renders the launcher pod of every VM of the objects and checks the
// objects against them. A VM whose pod KubeVirt refuses to render is a
// mismatch that names KubeVirt's error. nodeRequirements is the text of the
// list of what the nodes must provide, or "" when there is none.
func Run(objects []manifests.Object, assume platform.Assumption, nodeRequirements string) (*Report, error) {
	r, err := New(objects, assume)
	if err != nil {
		return nil, err
	}
	vms, err := VMs(objects)
	if err != nil {
		return nil, err
	}
	kv := r.KubeVirt()
	report := &Report{KubeVirt: kv.Namespace + "/" + kv.Name, Assumed: string(r.Assumed())}
	var failed []Mismatch
	for _, vm := range vms {
		pod, err := r.Render(vm)
		if err != nil {
			failed = append(failed, Mismatch{Namespace: vm.VM.Namespace, Name: vm.VM.Name, Message: "KubeVirt renders no launcher pod: " + err.Error()})
			continue
		}
		report.Pods = append(report.Pods, pod)
	}
	defaults := Defaults{CPUAllocationRatio: r.config.GetCPUAllocationRatio(), MemoryOvercommit: r.config.GetMemoryOvercommit()}
	result, err := Check(objects, report.Pods, defaults, nodeRequirements)
	if err != nil {
		return nil, err
	}
	report.Mismatches = append(failed, result.Mismatches...)
	report.Checked = result.Checked + len(vms)
	return report, nil
}
