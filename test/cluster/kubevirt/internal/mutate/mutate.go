// Package mutate runs KubeVirt's own mutating admission code on objects as
// the API server calls it on create: one AdmissionReview per object in, the
// JSON patch the mutator answers out. The webhooks and the kinds they mutate
// are those virt-operator registers at v1.9.0
// (pkg/virt-operator/resource/generate/components/webhooks.go:192-290,
// virt-api-mutator): virtualmachines, virtualmachineinstances and
// virtualmachineinstancemigrations (kubevirt.io) and virtualmachineclones
// (clone.kubevirt.io), each on CREATE. The cluster state the mutators read
// (the cluster configuration from the input's KubeVirt CR or the assumed
// one, instancetypes, preferences, DataSources) is the one the validating
// pass builds (package admit).
package mutate

import (
	"encoding/json"
	"fmt"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	v1 "kubevirt.io/api/core/v1"
	cdiclient "kubevirt.io/client-go/containerizeddataimporter"
	cdifake "kubevirt.io/client-go/containerizeddataimporter/fake"
	"kubevirt.io/client-go/kubecli"
	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/admit"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"

	"kubevirt.io/kubevirt/pkg/testutils"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks/mutating-webhook/mutators"
)

type mutator interface {
	Mutate(*admissionv1.AdmissionReview) *admissionv1.AdmissionResponse
}

// route is the webhook virt-operator registers for a kind: its name, the
// resource it is registered on and the mutator virt-api serves it with
// (pkg/virt-api/webhooks/mutating-webhook/mutating-webhook.go:78-92).
type route struct {
	webhook  string
	resource string
	mutator  func(*Mutators) mutator
}

var routes = map[string]route{
	"kubevirt.io/VirtualMachine": {"virtualmachines-mutator.kubevirt.io", "virtualmachines", func(m *Mutators) mutator {
		return mutators.NewVMsMutator(m.judge.Config(), m.client)
	}},
	"kubevirt.io/VirtualMachineInstance": {"virtualmachineinstances-mutator.kubevirt.io", "virtualmachineinstances", func(m *Mutators) mutator {
		presets, _ := testutils.NewFakeInformerFor(&v1.VirtualMachineInstancePreset{})
		return &mutators.VMIsMutator{
			ClusterConfig:           m.judge.Config(),
			VMIPresetInformer:       presets,
			KubeVirtServiceAccounts: webhooks.KubeVirtServiceAccounts(m.judge.KubeVirt().Namespace),
		}
	}},
	"kubevirt.io/VirtualMachineInstanceMigration": {"migrations-mutator.kubevirt.io", "virtualmachineinstancemigrations", func(*Mutators) mutator {
		return &mutators.MigrationCreateMutator{}
	}},
	"clone.kubevirt.io/VirtualMachineClone": {"virtualmachineclones-mutator.kubevirt.io", "virtualmachineclones", func(*Mutators) mutator {
		return mutators.NewCloneCreateMutator()
	}},
}

// Mutates reports whether a KubeVirt mutating webhook is registered for the
// object's group and kind.
func Mutates(o manifests.Object) bool {
	_, ok := routes[o.Group()+"/"+o.Kind]
	return ok
}

// Mutators holds the cluster state KubeVirt's mutators read.
type Mutators struct {
	judge  *admit.Judge
	client kubecli.KubevirtClient
}

// withCDI is the validating pass's fake KubeVirt client with a CDI client
// holding the input's DataSources: the VM mutator reads a DataSource's
// architecture label (pkg/defaults/defaults.go:333).
type withCDI struct {
	kubecli.KubevirtClient
	cdi cdiclient.Interface
}

func (c withCDI) CdiClient() cdiclient.Interface { return c.cdi }

// New builds the cluster state from the inputs as package admit does (the
// input's KubeVirt CR, or the one assume names when it holds none).
func New(objects []manifests.Object, assume platform.Assumption) (*Mutators, error) {
	j, err := admit.New(objects, assume)
	if err != nil {
		return nil, err
	}
	var dataSources []runtime.Object
	for _, o := range objects {
		if o.Group()+"/"+o.Kind != "cdi.kubevirt.io/DataSource" {
			continue
		}
		ds := &cdiv1.DataSource{}
		if err := json.Unmarshal(o.JSON, ds); err != nil {
			return nil, fmt.Errorf("DataSource %s/%s: %w", o.Namespace, o.Name, err)
		}
		dataSources = append(dataSources, ds)
	}
	return &Mutators{judge: j, client: withCDI{KubevirtClient: j.Client(), cdi: cdifake.NewSimpleClientset(dataSources...)}}, nil
}

// Mutate runs the mutator registered for the object's kind on its creation;
// ok is false when none is registered.
func (m *Mutators) Mutate(o manifests.Object) (out manifests.Mutation, ok bool) {
	r, ok := routes[o.Group()+"/"+o.Kind]
	if !ok {
		return out, false
	}
	version := o.APIVersion[strings.Index(o.APIVersion, "/")+1:]
	namespace := o.Namespace
	if namespace == "" {
		namespace = metav1.NamespaceDefault
	}
	review := &admissionv1.AdmissionReview{Request: &admissionv1.AdmissionRequest{
		UID:       types.UID(fmt.Sprintf("%s-%d", o.File, o.Index)),
		Kind:      metav1.GroupVersionKind{Group: o.Group(), Version: version, Kind: o.Kind},
		Resource:  metav1.GroupVersionResource{Group: o.Group(), Version: version, Resource: r.resource},
		Name:      o.Name,
		Namespace: namespace,
		Operation: admissionv1.Create,
		UserInfo:  admit.User,
		Object:    runtime.RawExtension{Raw: o.JSON},
	}}
	resp := r.mutator(m).Mutate(review)
	out = manifests.Mutation{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Mutator: r.webhook, Allowed: resp.Allowed, Assumed: string(m.judge.Assumed())}
	if !resp.Allowed {
		if resp.Result != nil {
			out.Message = resp.Result.Message
		}
		return out, true
	}
	if len(resp.Patch) > 0 {
		if resp.PatchType == nil || *resp.PatchType != admissionv1.PatchTypeJSONPatch {
			out.Allowed = false
			out.Message = "the mutator answered a patch that is not a JSON patch"
			return out, true
		}
		out.Patch = json.RawMessage(resp.Patch)
	}
	return out, true
}

// MutateAll runs the mutators on every object of the group that has one.
func (m *Mutators) MutateAll(objects []manifests.Object) []manifests.Mutation {
	var out []manifests.Mutation
	for _, o := range objects {
		if mu, ok := m.Mutate(o); ok {
			out = append(out, mu)
		}
	}
	return out
}
