// Package launcher renders the virt-launcher pod of every VM of the inputs
// with KubeVirt's own code, and checks the selectors of the inputs against
// the labels those pods really carry.
//
// The path a VM takes on a cluster, and the code each step calls:
//   - the VM create webhook (virt-api's VMsMutator: instancetype inference,
//     firmware and machine-type defaults);
//   - a VirtualMachinePool's VMs, named <pool>-<index> and labelled with
//     the pool's revision (the pool controller's scaleOut; its helpers are
//     unexported, so Expand repeats the two facts the pod depends on);
//   - the VM controller's startVMI: SetupVMIFromVM, the instancetype
//     controller's auto-attach preferences, AutoAttachInputDevice, the
//     default pod network interface, the instancetype controller's
//     ApplyToVMI;
//   - the VMI create webhook (ApplyNewVMIMutations: every VMI default);
//   - for a persistent TPM or EFI, the backend-storage claim, made by
//     KubeVirt's backend-storage code (CreatePVCForVMI);
//   - the VMI controller's RenderLaunchManifest, from a template service
//     configured as virt-controller configures its own.
//
// Left out: presets (deprecated), changed block tracking, and the
// WaitForFirstConsumer temporary pod. Claims the input names but does not
// define are taken as filesystem claims.
package launcher

import (
	"encoding/json"
	"fmt"
	"sort"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	admissionv1 "k8s.io/api/admission/v1"
	k8sv1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/record"

	v1 "kubevirt.io/api/core/v1"
	poolv1 "kubevirt.io/api/pool/v1beta1"
	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/admit"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"

	"kubevirt.io/kubevirt/pkg/hooks"
	"kubevirt.io/kubevirt/pkg/hypervisor"
	instancetypecontroller "kubevirt.io/kubevirt/pkg/instancetype/controller/vm"
	"kubevirt.io/kubevirt/pkg/network/netbinding"
	netannotations "kubevirt.io/kubevirt/pkg/network/pod/annotations"
	netresources "kubevirt.io/kubevirt/pkg/network/resources"
	netvmispec "kubevirt.io/kubevirt/pkg/network/vmispec"
	backendstorage "kubevirt.io/kubevirt/pkg/storage/backend-storage"
	storageannotations "kubevirt.io/kubevirt/pkg/storage/pod/annotations"
	"kubevirt.io/kubevirt/pkg/testutils"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks/mutating-webhook/mutators"
	virtconfig "kubevirt.io/kubevirt/pkg/virt-config"
	"kubevirt.io/kubevirt/pkg/virt-controller/services"
	vmcontroller "kubevirt.io/kubevirt/pkg/virt-controller/watch/vm"
)

// Settings of the template service: virt-controller's defaults
// (pkg/virt-controller/watch/application.go).
const (
	launcherImage       = "virt-launcher"
	exporterImage       = "virt-exportserver"
	launcherQemuTimeout = 240
	virtShareDir        = "/var/run/kubevirt"
	ephemeralDiskDir    = virtShareDir + "-ephemeral-disks"
	containerDiskDir    = virtShareDir + "/container-disks"
	launcherSubGid      = 107
)

// VM is one VirtualMachine of the input, as the cluster will hold it.
type VM struct {
	VM *v1.VirtualMachine
	// Owner names where the VM comes from: "" for a VirtualMachine of the
	// input, "VirtualMachinePool/<name>" for a pool's VM.
	Owner string
	// Labels are the labels of the object the input declares (the VM's,
	// or the pool's VM template's).
	Labels map[string]string
}

// Pod is the launcher pod of one VM.
type Pod struct {
	VM       VM
	VMI      *v1.VirtualMachineInstance
	Pod      *k8sv1.Pod
	Overhead resource.Quantity
	// AssumedClaims are the claims the VM names that the input does not
	// define, rendered as filesystem claims.
	AssumedClaims []string
	// VMStateStorageClass is the StorageClass of the claim KubeVirt makes
	// for a persistent TPM or EFI, or why it could not pick one; empty when
	// the VM has neither.
	VMStateStorageClass string
}

// Renderer holds the cluster state the KubeVirt code reads.
type Renderer struct {
	judge  *admit.Judge
	config *virtconfig.ClusterConfig
	pvcs   cache.Store
	// storageClasses holds the input's StorageClasses; storageProfiles is
	// empty (CDI makes them on the cluster).
	storageClasses, storageProfiles cache.Store
	instancetype                    interface {
		ApplyAutoAttachPreferences(*v1.VirtualMachine, *v1.VirtualMachineInstance) error
		ApplyToVMI(*v1.VirtualMachine, *v1.VirtualMachineInstance) error
	}
	templates *services.TemplateService
}

// New builds the cluster state of the inputs: the KubeVirt CR (or the one
// assume names) and its cluster configuration, the instancetypes,
// preferences and NetworkAttachmentDefinitions, and the claims the VMs'
// volumes name.
func New(objects []manifests.Object, assume platform.Assumption) (*Renderer, error) {
	j, err := admit.New(objects, assume)
	if err != nil {
		return nil, err
	}
	config := j.Config()
	pvcs, err := claims(objects)
	if err != nil {
		return nil, err
	}
	quotas, _ := testutils.NewFakeInformerFor(&k8sv1.ResourceQuota{})
	netAnnotations := netannotations.NewGenerator(config)
	svc := services.NewTemplateService(launcherImage, launcherQemuTimeout, virtShareDir, ephemeralDiskDir, containerDiskDir,
		v1.HotplugDiskDir, "", pvcs, j.Client(), config, launcherSubGid, exporterImage, quotas.GetStore(), j.Namespaces(),
		services.WithSidecarCreator(func(vmi *v1.VirtualMachineInstance, _ *v1.KubeVirtConfiguration) (hooks.HookSidecarList, error) {
			return hooks.UnmarshalHookSidecarList(vmi)
		}),
		services.WithSidecarCreator(netbinding.NetBindingPluginSidecarList),
		services.WithNetMemoryCalculator(netresources.MemoryCalculator{}),
		services.WithAnnotationsGenerators(netAnnotations, storageannotations.Generator{}),
		services.WithNetTargetAnnotationsGenerator(netAnnotations),
	)
	// nil stores: the finders ask the client, which holds the input's
	// instancetypes and preferences and the cluster ones virt-operator
	// installs.
	itc := instancetypecontroller.New(nil, nil, nil, nil, nil, j.Client(), config, record.NewFakeRecorder(100))
	classes, err := storageClasses(objects)
	if err != nil {
		return nil, err
	}
	profiles, _ := testutils.NewFakeInformerFor(&cdiv1.StorageProfile{})
	return &Renderer{judge: j, config: config, pvcs: pvcs, storageClasses: classes, storageProfiles: profiles.GetStore(),
		instancetype: itc, templates: svc}, nil
}

// KubeVirt is the KubeVirt CR the pods are rendered against.
func (r *Renderer) KubeVirt() *v1.KubeVirt { return r.judge.KubeVirt() }

// Assumed names the assumed KubeVirt; empty when the input holds its own.
func (r *Renderer) Assumed() platform.Assumption { return r.judge.Assumed() }

// namespaceOf is where an object without a namespace is applied.
func namespaceOf(ns string) string {
	if ns == "" {
		return k8sv1.NamespaceDefault
	}
	return ns
}

// VMs returns every VM of the input: each VirtualMachine, and each VM of
// each VirtualMachinePool (spec.replicas of them, 1 when unset).
func VMs(objects []manifests.Object) ([]VM, error) {
	var out []VM
	for _, o := range objects {
		switch o.Group() + "/" + o.Kind {
		case "kubevirt.io/VirtualMachine":
			vm := &v1.VirtualMachine{}
			if err := json.Unmarshal(o.JSON, vm); err != nil {
				return nil, fmt.Errorf("VirtualMachine %s/%s: %w", o.Namespace, o.Name, err)
			}
			vm.Namespace = namespaceOf(vm.Namespace)
			out = append(out, VM{VM: vm, Labels: vm.Labels})
		case "pool.kubevirt.io/VirtualMachinePool":
			pool := &poolv1.VirtualMachinePool{}
			if err := json.Unmarshal(o.JSON, pool); err != nil {
				return nil, fmt.Errorf("VirtualMachinePool %s/%s: %w", o.Namespace, o.Name, err)
			}
			pool.Namespace = namespaceOf(pool.Namespace)
			out = append(out, Expand(pool)...)
		}
	}
	return out, nil
}

// Expand returns the VMs the pool controller creates for a pool. Its
// scaleOut (pkg/virt-controller/watch/pool/pool.go) names them <pool>-<i>,
// copies the VM template's labels and annotations, and labels VM and VMI
// template with the pool's revision, <pool>-<generation>; the renaming of
// dataVolumeTemplates per index does not change the pod's labels,
// selectors, resources or hostname, and is left out.
func Expand(pool *poolv1.VirtualMachinePool) []VM {
	replicas := 1
	if pool.Spec.Replicas != nil {
		replicas = int(*pool.Spec.Replicas)
	}
	generation := pool.Generation
	if generation == 0 {
		generation = 1 // the API server's first generation
	}
	revision := fmt.Sprintf("%s-%d", pool.Name, generation)
	var out []VM
	for i := 0; i < replicas; i++ {
		vm := &v1.VirtualMachine{
			TypeMeta:   metav1.TypeMeta{APIVersion: v1.GroupVersion.String(), Kind: "VirtualMachine"},
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("%s-%d", pool.Name, i), Namespace: pool.Namespace},
		}
		tmpl := pool.Spec.VirtualMachineTemplate
		if tmpl == nil {
			continue
		}
		vm.Labels = copyMap(tmpl.ObjectMeta.Labels)
		vm.Annotations = copyMap(tmpl.ObjectMeta.Annotations)
		vm.Spec = *tmpl.Spec.DeepCopy()
		vm.Labels[v1.VirtualMachinePoolRevisionName] = revision
		if vm.Spec.Template != nil {
			if vm.Spec.Template.ObjectMeta.Labels == nil {
				vm.Spec.Template.ObjectMeta.Labels = map[string]string{}
			}
			vm.Spec.Template.ObjectMeta.Labels[v1.VirtualMachinePoolRevisionName] = revision
		}
		out = append(out, VM{VM: vm, Owner: "VirtualMachinePool/" + pool.Name, Labels: tmpl.ObjectMeta.Labels})
	}
	return out
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Render builds the VMI of a VM and renders its launcher pod.
func (r *Renderer) Render(in VM) (*Pod, error) {
	vm, err := r.mutateVM(in.VM)
	if err != nil {
		return nil, err
	}
	if vm.Spec.Template == nil {
		return nil, fmt.Errorf("VirtualMachine %s/%s has no spec.template", vm.Namespace, vm.Name)
	}
	vm.UID = types.UID("uid-" + vm.Namespace + "-" + vm.Name)
	assumedClaims, err := r.ensureClaims(vm)
	if err != nil {
		return nil, err
	}

	// The VM controller's startVMI (pkg/virt-controller/watch/vm/vm.go),
	// in its order.
	vmi := vmcontroller.SetupVMIFromVM(vm)
	if err := r.instancetype.ApplyAutoAttachPreferences(vm, vmi); err != nil {
		return nil, fmt.Errorf("auto-attach preferences: %w", err)
	}
	vmcontroller.AutoAttachInputDevice(vmi)
	if err := netvmispec.SetDefaultNetworkInterface(r.config, &vmi.Spec); err != nil {
		return nil, fmt.Errorf("default network interface: %w", err)
	}
	if err := r.instancetype.ApplyToVMI(vm, vmi); err != nil {
		return nil, fmt.Errorf("instancetype: %w", err)
	}

	// The VMI create webhook.
	if err := mutators.ApplyNewVMIMutations(vmi, r.config); err != nil {
		return nil, fmt.Errorf("VMI defaults: %w", err)
	}
	vmi.UID = types.UID("uid-vmi-" + vm.Namespace + "-" + vm.Name)
	vmi.Status.Phase = v1.Pending

	// virt-controller creates the backend-storage claim (persistent TPM or
	// EFI) with KubeVirt's backend-storage code before it renders the pod.
	vmState := ""
	if backendstorage.IsBackendStorageNeeded(vmi) {
		bs := backendstorage.NewBackendStorage(r.judge.Client(), r.config, r.storageClasses, r.storageProfiles, r.pvcs)
		pvc, err := bs.CreatePVCForVMI(vmi)
		if err != nil {
			// The cluster's default StorageClass may still provide it.
			vmState = "unresolved (" + err.Error() + "; the input sets no vmStateStorageClass and holds no default StorageClass)"
			pvc = &k8sv1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{
				Name: "persistent-state-for-" + vmi.Name, Namespace: vmi.Namespace,
				Labels: map[string]string{backendstorage.PVCPrefix: vmi.Name},
			}}
		} else {
			vmState = *pvc.Spec.StorageClassName
			if pvc.Name == "" {
				pvc.Name = pvc.GenerateName + "0" // the fake client generates no names
			}
			pvc.Namespace = vmi.Namespace
		}
		if err := r.pvcs.Add(pvc); err != nil {
			return nil, err
		}
	}

	pod, err := r.templates.RenderLaunchManifest(vmi)
	if err != nil {
		return nil, fmt.Errorf("render launch manifest: %w", err)
	}
	// The VMI controller creates the pod in the VMI's namespace
	// (pkg/virt-controller/watch/vmi/lifecycle.go).
	pod.Namespace = vmi.Namespace
	overhead := services.CalculateMemoryOverhead(r.config, netresources.MemoryCalculator{}, vmi,
		hypervisor.NewLauncherHypervisorResources(r.config.GetHypervisor().Name))
	return &Pod{VM: in, VMI: vmi, Pod: pod, Overhead: overhead, AssumedClaims: assumedClaims, VMStateStorageClass: vmState}, nil
}

// mutateVM runs the VM create webhook on the VM and applies its patch.
func (r *Renderer) mutateVM(vm *v1.VirtualMachine) (*v1.VirtualMachine, error) {
	vm = vm.DeepCopy()
	vm.TypeMeta = metav1.TypeMeta{APIVersion: v1.GroupVersion.String(), Kind: "VirtualMachine"}
	raw, err := json.Marshal(vm)
	if err != nil {
		return nil, err
	}
	review := &admissionv1.AdmissionReview{Request: &admissionv1.AdmissionRequest{
		UID:       types.UID("mutate-" + vm.Namespace + "-" + vm.Name),
		Kind:      metav1.GroupVersionKind{Group: v1.GroupVersion.Group, Version: v1.GroupVersion.Version, Kind: "VirtualMachine"},
		Resource:  webhooks.VirtualMachineGroupVersionResource,
		Name:      vm.Name,
		Namespace: vm.Namespace,
		Operation: admissionv1.Create,
		UserInfo:  admit.User,
		Object:    runtime.RawExtension{Raw: raw},
	}}
	resp := mutators.NewVMsMutator(r.config, r.judge.Client()).Mutate(review)
	if !resp.Allowed {
		msg := ""
		if resp.Result != nil {
			msg = resp.Result.Message
		}
		return nil, fmt.Errorf("VM create webhook refused %s/%s: %s", vm.Namespace, vm.Name, msg)
	}
	if len(resp.Patch) == 0 {
		return vm, nil
	}
	patch, err := jsonpatch.DecodePatch(resp.Patch)
	if err != nil {
		return nil, err
	}
	patched, err := patch.Apply(raw)
	if err != nil {
		return nil, err
	}
	out := &v1.VirtualMachine{}
	if err := json.Unmarshal(patched, out); err != nil {
		return nil, err
	}
	return out, nil
}

// storageClasses holds the input's StorageClasses.
func storageClasses(objects []manifests.Object) (cache.Store, error) {
	informer, _ := testutils.NewFakeInformerFor(&storagev1.StorageClass{})
	for _, o := range objects {
		if o.Group() != "storage.k8s.io" || o.Kind != "StorageClass" {
			continue
		}
		sc := &storagev1.StorageClass{}
		if err := json.Unmarshal(o.JSON, sc); err != nil {
			return nil, err
		}
		if err := informer.GetStore().Add(sc); err != nil {
			return nil, err
		}
	}
	return informer.GetStore(), nil
}

// claims holds a claim for every volume a VM can name: the input's
// PersistentVolumeClaims and DataVolumes, and the VMs' and pools'
// dataVolumeTemplates. A claim the input names but does not define (made
// by CDI or by hand on the cluster) is taken as a filesystem claim when
// the pod is rendered (see ensureClaims).
func claims(objects []manifests.Object) (cache.Store, error) {
	informer, _ := testutils.NewFakeInformerFor(&k8sv1.PersistentVolumeClaim{})
	store := informer.GetStore()
	add := func(ns, name string, mode *k8sv1.PersistentVolumeMode, access []k8sv1.PersistentVolumeAccessMode) error {
		pvc := &k8sv1.PersistentVolumeClaim{
			ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespaceOf(ns)},
			Spec:       k8sv1.PersistentVolumeClaimSpec{VolumeMode: mode, AccessModes: access},
		}
		return store.Add(pvc)
	}
	addDV := func(ns, name string, spec cdiv1.DataVolumeSpec) error {
		switch {
		case spec.PVC != nil:
			return add(ns, name, spec.PVC.VolumeMode, spec.PVC.AccessModes)
		case spec.Storage != nil:
			return add(ns, name, spec.Storage.VolumeMode, spec.Storage.AccessModes)
		}
		return add(ns, name, nil, nil)
	}
	for _, o := range objects {
		switch o.Group() + "/" + o.Kind {
		case "/PersistentVolumeClaim":
			pvc := &k8sv1.PersistentVolumeClaim{}
			if err := json.Unmarshal(o.JSON, pvc); err != nil {
				return nil, err
			}
			pvc.Namespace = namespaceOf(pvc.Namespace)
			if err := store.Add(pvc); err != nil {
				return nil, err
			}
		case "cdi.kubevirt.io/DataVolume":
			dv := &cdiv1.DataVolume{}
			if err := json.Unmarshal(o.JSON, dv); err != nil {
				return nil, err
			}
			if err := addDV(dv.Namespace, dv.Name, dv.Spec); err != nil {
				return nil, err
			}
		}
	}
	vms, err := VMs(objects)
	if err != nil {
		return nil, err
	}
	for _, vm := range vms {
		for _, t := range vm.VM.Spec.DataVolumeTemplates {
			if err := addDV(vm.VM.Namespace, t.Name, t.Spec); err != nil {
				return nil, err
			}
		}
	}
	return store, nil
}

// ensureClaims adds a filesystem claim for every claim the VM names that
// the input does not define, as CDI or an administrator would have made.
// It returns the names it added, sorted.
func (r *Renderer) ensureClaims(vm *v1.VirtualMachine) ([]string, error) {
	if vm.Spec.Template == nil {
		return nil, nil
	}
	var added []string
	for _, vol := range vm.Spec.Template.Spec.Volumes {
		name := ""
		switch {
		case vol.PersistentVolumeClaim != nil:
			name = vol.PersistentVolumeClaim.ClaimName
		case vol.DataVolume != nil:
			name = vol.DataVolume.Name
		case vol.Ephemeral != nil && vol.Ephemeral.PersistentVolumeClaim != nil:
			name = vol.Ephemeral.PersistentVolumeClaim.ClaimName
		default:
			continue
		}
		key := vm.Namespace + "/" + name
		if _, exists, _ := r.pvcs.GetByKey(key); exists {
			continue
		}
		pvc := &k8sv1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: vm.Namespace}}
		if err := r.pvcs.Add(pvc); err != nil {
			return nil, err
		}
		added = append(added, name)
	}
	sort.Strings(added)
	return added, nil
}
