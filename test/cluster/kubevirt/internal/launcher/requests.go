package launcher

import (
	k8sv1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"kubevirt.io/kubevirt/pkg/util/hardware"
)

// Defaults are the KubeVirt CR's settings the documented request defaults
// depend on.
type Defaults struct {
	// CPUAllocationRatio: vCPUs per requested CPU.
	CPUAllocationRatio int
	// MemoryOvercommit: the guest memory in percent of the requested memory.
	MemoryOvercommit int
}

// requests checks the library's documented defaults of the VM's resources
// against the pod KubeVirt renders, for every VM without an instancetype,
// dedicated CPUs or hugepages:
//   - without a CPU request, the pod requests the CPU limit when there is
//     one, else one CPU per CPUAllocationRatio vCPUs;
//   - without a memory request, the pod requests the memory limit when
//     there is one, else the guest memory scaled by MemoryOvercommit, plus
//     KubeVirt's overhead; with a memory limit, the pod's limit is it plus
//     the overhead.
func (c *checker) requests(d Defaults) {
	for _, p := range c.pods {
		vm := p.VM.VM
		if vm.Spec.Instancetype != nil || vm.Spec.Template == nil {
			continue
		}
		dom := vm.Spec.Template.Spec.Domain
		if (dom.CPU != nil && dom.CPU.DedicatedCPUPlacement) || (dom.Memory != nil && dom.Memory.Hugepages != nil) {
			continue
		}
		var compute *k8sv1.Container
		for i := range p.Pod.Spec.Containers {
			if p.Pod.Spec.Containers[i].Name == "compute" {
				compute = &p.Pod.Spec.Containers[i]
			}
		}
		if compute == nil {
			continue
		}
		ns, name := p.Pod.Namespace, p.VMI.Name
		declared := dom.Resources
		if _, ok := declared.Requests[k8sv1.ResourceCPU]; !ok && d.CPUAllocationRatio > 0 {
			want, how := resource.Quantity{}, ""
			if limit, ok := declared.Limits[k8sv1.ResourceCPU]; ok {
				want, how = limit, "the CPU limit"
			} else {
				vcpus := hardware.GetNumberOfVCPUs(p.VMI.Spec.Domain.CPU)
				want = *resource.NewMilliQuantity(vcpus*1000/int64(d.CPUAllocationRatio), resource.DecimalSI)
				how = "its vCPUs over the CPU allocation ratio"
			}
			c.result.Checked++
			if got := compute.Resources.Requests[k8sv1.ResourceCPU]; got.Cmp(want) != 0 {
				c.fail(ns, name, "its launcher pod requests cpu %s, and the cpuRequest docs promise %s, %s", got.String(), want.String(), how)
			}
		}
		if _, ok := declared.Requests[k8sv1.ResourceMemory]; ok || d.MemoryOvercommit <= 0 {
			continue
		}
		base, how := resource.Quantity{}, ""
		limit, limited := declared.Limits[k8sv1.ResourceMemory]
		switch {
		case limited:
			base, how = limit.DeepCopy(), "the memory limit"
		case dom.Memory != nil && dom.Memory.Guest != nil:
			base = *resource.NewQuantity(dom.Memory.Guest.Value()*100/int64(d.MemoryOvercommit), resource.BinarySI)
			how = "the guest memory scaled by the memory overcommit"
		default:
			continue
		}
		base.Add(p.Overhead)
		c.result.Checked++
		if got := compute.Resources.Requests[k8sv1.ResourceMemory]; got.Cmp(base) != 0 {
			c.fail(ns, name, "its launcher pod requests memory %s, and the memoryRequest docs promise %s, %s plus the overhead %s", got.String(), base.String(), how, p.Overhead.String())
		}
		if limited {
			want := limit.DeepCopy()
			want.Add(p.Overhead)
			c.result.Checked++
			if got := compute.Resources.Limits[k8sv1.ResourceMemory]; got.Cmp(want) != 0 {
				c.fail(ns, name, "its launcher pod's memory limit is %s, and the memoryLimit docs promise %s, the limit plus the overhead %s", got.String(), want.String(), p.Overhead.String())
			}
		}
	}
}
