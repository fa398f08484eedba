package admit

// The day-2 objects: VirtualMachineSnapshot, VirtualMachineRestore,
// VirtualMachineClone and VirtualMachineExport, judged by the admitters
// virt-api serves for them (pkg/virt-api/api.go:1012-1025 and 1048 at
// kubevirt v1.9.0):
//   - pkg/storage/admitters/vmsnapshot.go (VMSnapshotAdmitter)
//   - pkg/storage/admitters/vmrestore.go (VMRestoreAdmitter)
//   - pkg/virt-api/webhooks/validating-webhook/admitters/vmclone-admitter.go
//   - pkg/storage/admitters/vmexport.go (VMExportAdmitter)
//
// The restore admitter reads the snapshot it restores, the snapshot's
// content and the target VM (vmrestore.go:191-227): the fake client holds
// the input's VirtualMachines and each input snapshot of an input VM as the
// snapshot controller leaves it once it is ready (its status names its
// content, pkg/storage/snapshot/snapshot.go:155-161, and the source VM's
// UID; the content holds the source VM). The restores already judged stay
// in the restore informer, so a second restore of one target in the same
// input meets the "in progress" rule (vmrestore.go:137-153).

import (
	"context"
	"encoding/json"
	"fmt"

	"go.uber.org/mock/gomock"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"

	admissionv1 "k8s.io/api/admission/v1"
	v1 "kubevirt.io/api/core/v1"
	snapshotv1beta1 "kubevirt.io/api/snapshot/v1beta1"
	"kubevirt.io/client-go/kubecli"
	fakeclientset "kubevirt.io/client-go/kubevirt/fake"

	"cdk8s-kubevirt/test/cluster/internal/manifests"

	storageadmitters "kubevirt.io/kubevirt/pkg/storage/admitters"
	"kubevirt.io/kubevirt/pkg/testutils"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks/validating-webhook/admitters"
)

func init() {
	routes["snapshot.kubevirt.io/VirtualMachineSnapshot"] = route{"virtualmachinesnapshots", func(j *Judge) admitter {
		return storageadmitters.NewVMSnapshotAdmitter(j.config, j.client)
	}}
	routes["snapshot.kubevirt.io/VirtualMachineRestore"] = route{"virtualmachinerestores", func(j *Judge) admitter {
		return restoreAdmitter{j}
	}}
	routes["clone.kubevirt.io/VirtualMachineClone"] = route{"virtualmachineclones", func(j *Judge) admitter {
		return admitters.NewVMCloneAdmitter(j.config, j.client)
	}}
	routes["export.kubevirt.io/VirtualMachineExport"] = route{"virtualmachineexports", func(j *Judge) admitter {
		return storageadmitters.NewVMExportAdmitter(j.config)
	}}
}

// day2State is what the day-2 admitters read beyond the shared fakes.
type day2State struct {
	restores cache.SharedIndexInformer
}

// vmUID is the UID the fake cluster gives an input VirtualMachine.
func vmUID(namespace, name string) types.UID {
	return types.UID("vm-" + namespace + "-" + name)
}

func namespaceOf(o manifests.Object) string {
	if o.Namespace == "" {
		return "default"
	}
	return o.Namespace
}

// day2Objects are the input's VirtualMachines (with UIDs) and its snapshots
// of them, ready, with their contents.
func day2Objects(objects []manifests.Object) ([]runtime.Object, error) {
	vms := map[string]*v1.VirtualMachine{}
	var out []runtime.Object
	for _, o := range objects {
		if o.Group()+"/"+o.Kind != "kubevirt.io/VirtualMachine" {
			continue
		}
		vm := &v1.VirtualMachine{}
		if err := json.Unmarshal(o.JSON, vm); err != nil {
			return nil, fmt.Errorf("VirtualMachine %s/%s: %w", o.Namespace, o.Name, err)
		}
		vm.Namespace = namespaceOf(o)
		vm.UID = vmUID(vm.Namespace, vm.Name)
		vms[vm.Namespace+"/"+vm.Name] = vm
		out = append(out, vm)
	}
	for _, o := range objects {
		if o.Group()+"/"+o.Kind != "snapshot.kubevirt.io/VirtualMachineSnapshot" {
			continue
		}
		s := &snapshotv1beta1.VirtualMachineSnapshot{}
		if err := json.Unmarshal(o.JSON, s); err != nil {
			return nil, fmt.Errorf("VirtualMachineSnapshot %s/%s: %w", o.Namespace, o.Name, err)
		}
		s.Namespace = namespaceOf(o)
		source, ok := vms[s.Namespace+"/"+s.Spec.Source.Name]
		if !ok || s.Spec.Source.Kind != "VirtualMachine" {
			// a snapshot of a VM the input does not hold: the restore
			// admitter finds it but not its source, as on a cluster where
			// the snapshot has not run yet
			out = append(out, s)
			continue
		}
		content := "vmsnapshot-content-" + s.Name
		uid := source.UID
		ready := true
		s.Status = &snapshotv1beta1.VirtualMachineSnapshotStatus{SourceUID: &uid, VirtualMachineSnapshotContentName: &content, ReadyToUse: &ready}
		out = append(out, s, &snapshotv1beta1.VirtualMachineSnapshotContent{
			ObjectMeta: metav1.ObjectMeta{Name: content, Namespace: s.Namespace},
			Spec: snapshotv1beta1.VirtualMachineSnapshotContentSpec{
				VirtualMachineSnapshotName: &s.Name,
				Source: snapshotv1beta1.SourceSpec{VirtualMachine: &snapshotv1beta1.VirtualMachine{
					ObjectMeta: metav1.ObjectMeta{Name: source.Name, Namespace: source.Namespace, UID: source.UID},
					Spec:       source.Spec,
				}},
			},
		})
	}
	return out, nil
}

// expectDay2 lets the mock client answer the day-2 admitters' lookups from
// the fake clientset, and gives the judge its restore informer.
func expectDay2(j *Judge, client *kubecli.MockKubevirtClient, virtFake *fakeclientset.Clientset) {
	client.EXPECT().VirtualMachine(gomock.Any()).DoAndReturn(func(ns string) kubecli.VirtualMachineInterface {
		return virtFake.KubevirtV1().VirtualMachines(ns)
	}).AnyTimes()
	client.EXPECT().VirtualMachineSnapshot(gomock.Any()).DoAndReturn(func(ns string) any {
		return virtFake.SnapshotV1beta1().VirtualMachineSnapshots(ns)
	}).AnyTimes()
	client.EXPECT().VirtualMachineSnapshotContent(gomock.Any()).DoAndReturn(func(ns string) any {
		return virtFake.SnapshotV1beta1().VirtualMachineSnapshotContents(ns)
	}).AnyTimes()
	restores, _ := testutils.NewFakeInformerFor(&snapshotv1beta1.VirtualMachineRestore{})
	j.day2 = &day2State{restores: restores}
}

// restoreAdmitter runs the restore admitter, then keeps an admitted restore
// in the informer: it is in progress while the rest of the input is judged.
type restoreAdmitter struct{ j *Judge }

func (a restoreAdmitter) Admit(ctx context.Context, review *admissionv1.AdmissionReview) *admissionv1.AdmissionResponse {
	resp := storageadmitters.NewVMRestoreAdmitter(a.j.config, a.j.client, a.j.day2.restores).Admit(ctx, review)
	if !resp.Allowed {
		return resp
	}
	r := &snapshotv1beta1.VirtualMachineRestore{}
	if err := json.Unmarshal(review.Request.Object.Raw, r); err != nil {
		return &admissionv1.AdmissionResponse{Result: &metav1.Status{Message: err.Error()}}
	}
	r.Namespace = review.Request.Namespace
	if err := a.j.day2.restores.GetStore().Add(r); err != nil {
		return &admissionv1.AdmissionResponse{Result: &metav1.Status{Message: err.Error()}}
	}
	return resp
}
