// Package admit runs KubeVirt's own validating admission code on objects,
// wired the way KubeVirt's unit tests wire it: a cluster configuration built
// from the KubeVirt CR, fake informers and fake clients holding the other
// objects of the input.
package admit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"go.uber.org/mock/gomock"
	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	authv1 "k8s.io/api/authorization/v1"
	k8sv1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	k8sfield "k8s.io/apimachinery/pkg/util/validation/field"
	k8sfake "k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
	"k8s.io/client-go/tools/cache"

	nadv1 "github.com/k8snetworkplumbingwg/network-attachment-definition-client/pkg/apis/k8s.cni.cncf.io/v1"
	v1 "kubevirt.io/api/core/v1"
	instancetypev1beta1 "kubevirt.io/api/instancetype/v1beta1"
	"kubevirt.io/client-go/kubecli"
	fakeclientset "kubevirt.io/client-go/kubevirt/fake"
	nadfake "kubevirt.io/client-go/networkattachmentdefinitionclient/fake"
	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"

	preferencewebhooks "kubevirt.io/kubevirt/pkg/instancetype/preference/webhooks"
	instancetypewebhooks "kubevirt.io/kubevirt/pkg/instancetype/webhooks"
	netadmitter "kubevirt.io/kubevirt/pkg/network/admitter"
	"kubevirt.io/kubevirt/pkg/testutils"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks/validating-webhook/admitters"
	virtconfig "kubevirt.io/kubevirt/pkg/virt-config"
	kvwebhooks "kubevirt.io/kubevirt/pkg/virt-operator/webhooks"
)

// Check names the stage in every verdict.
const Check = "kubevirt-admission"

// User is who applies the objects: a cluster administrator.
var User = authenticationv1.UserInfo{Username: "kubernetes-admin", Groups: []string{"system:masters", "system:authenticated"}}

type admitter interface {
	Admit(context.Context, *admissionv1.AdmissionReview) *admissionv1.AdmissionResponse
}

// route says which admitter judges a kind and under which resource name.
type route struct {
	resource string
	admitter func(*Judge) admitter
}

var routes = map[string]route{
	"kubevirt.io/VirtualMachine": {"virtualmachines", func(j *Judge) admitter {
		return admitters.NewVMsAdmitter(j.config, j.client, j.informers, webhooks.KubeVirtServiceAccounts(j.kv.Namespace))
	}},
	"kubevirt.io/VirtualMachineInstance": {"virtualmachineinstances", func(j *Judge) admitter {
		return &admitters.VMICreateAdmitter{
			ClusterConfig:           j.config,
			KubeVirtServiceAccounts: webhooks.KubeVirtServiceAccounts(j.kv.Namespace),
			SpecValidators: []admitters.SpecValidator{
				func(field *k8sfield.Path, spec *v1.VirtualMachineInstanceSpec, config *virtconfig.ClusterConfig) []metav1.StatusCause {
					return netadmitter.Validate(field, spec, config)
				},
			},
		}
	}},
	"kubevirt.io/VirtualMachineInstanceReplicaSet": {"virtualmachineinstancereplicasets", func(j *Judge) admitter {
		return &admitters.VMIRSAdmitter{ClusterConfig: j.config}
	}},
	"pool.kubevirt.io/VirtualMachinePool": {"virtualmachinepools", func(j *Judge) admitter {
		return &admitters.VMPoolAdmitter{ClusterConfig: j.config, KubeVirtServiceAccounts: webhooks.KubeVirtServiceAccounts(j.kv.Namespace)}
	}},
	"instancetype.kubevirt.io/VirtualMachineInstancetype": {"virtualmachineinstancetypes", func(*Judge) admitter {
		return &instancetypewebhooks.InstancetypeAdmitter{}
	}},
	"instancetype.kubevirt.io/VirtualMachineClusterInstancetype": {"virtualmachineclusterinstancetypes", func(*Judge) admitter {
		return &instancetypewebhooks.ClusterInstancetypeAdmitter{}
	}},
	"instancetype.kubevirt.io/VirtualMachinePreference": {"virtualmachinepreferences", func(*Judge) admitter {
		return &preferencewebhooks.PreferenceAdmitter{}
	}},
	"instancetype.kubevirt.io/VirtualMachineClusterPreference": {"virtualmachineclusterpreferences", func(*Judge) admitter {
		return &preferencewebhooks.ClusterPreferenceAdmitter{}
	}},
	"migrations.kubevirt.io/MigrationPolicy": {"migrationpolicies", func(j *Judge) admitter {
		return admitters.NewMigrationPolicyAdmitter(j.config)
	}},
	"kubevirt.io/KubeVirt": {"kubevirts", func(j *Judge) admitter { return kubeVirtAdmitter{j} }},
}

// Judges reports whether the tool judges objects of this group and kind.
func Judges(o manifests.Object) bool {
	_, ok := routes[o.Group()+"/"+o.Kind]
	return ok
}

// Judge holds the cluster state the admitters read.
type Judge struct {
	kv        *v1.KubeVirt
	assumed   platform.Assumption // "" when the input holds its own KubeVirt CR
	config    *virtconfig.ClusterConfig
	client    *kubecli.MockKubevirtClient
	informers *webhooks.Informers
	created   []v1.KubeVirt
	day2      *day2State
}

// reporter turns a call the fakes were not prepared for into a tool error.
type reporter struct{}

func (reporter) Errorf(format string, args ...any) { manifests.Fail(fmt.Errorf(format, args...)) }
func (reporter) Fatalf(format string, args ...any) { manifests.Fail(fmt.Errorf(format, args...)) }

// New builds the cluster state from the inputs: the KubeVirt CR (or, when
// the inputs hold none, the one assume names), the cluster instancetypes and
// preferences virt-operator installs, and the namespaces, DataSources,
// instancetypes and preferences among the objects.
func New(objects []manifests.Object, assume platform.Assumption) (*Judge, error) {
	kv, err := platform.FindKubeVirt(objects)
	if err != nil {
		return nil, err
	}
	var assumed platform.Assumption
	if kv == nil {
		assumed = assume
		kv = platform.Assumed(assume)
	}
	config, err := platform.ClusterConfig(kv)
	if err != nil {
		return nil, err
	}
	strategy, err := platform.Strategy(kv)
	if err != nil {
		return nil, err
	}

	var virtObjects []runtime.Object
	if d := kv.Spec.Configuration.CommonInstancetypesDeployment; d == nil || d.Enabled == nil || *d.Enabled {
		for _, o := range strategy.Instancetypes() {
			virtObjects = append(virtObjects, o)
		}
		for _, o := range strategy.Preferences() {
			virtObjects = append(virtObjects, o)
		}
	}
	var nads []runtime.Object
	dataSources, _ := testutils.NewFakeInformerFor(&cdiv1.DataSource{})
	namespaces, _ := testutils.NewFakeInformerFor(&k8sv1.Namespace{})
	for _, o := range objects {
		var obj runtime.Object
		switch o.Group() + "/" + o.Kind {
		case "instancetype.kubevirt.io/VirtualMachineInstancetype":
			obj = &instancetypev1beta1.VirtualMachineInstancetype{}
		case "instancetype.kubevirt.io/VirtualMachineClusterInstancetype":
			obj = &instancetypev1beta1.VirtualMachineClusterInstancetype{}
		case "instancetype.kubevirt.io/VirtualMachinePreference":
			obj = &instancetypev1beta1.VirtualMachinePreference{}
		case "instancetype.kubevirt.io/VirtualMachineClusterPreference":
			obj = &instancetypev1beta1.VirtualMachineClusterPreference{}
		case "cdi.kubevirt.io/DataSource":
			ds := &cdiv1.DataSource{}
			if err := json.Unmarshal(o.JSON, ds); err != nil {
				return nil, err
			}
			if err := dataSources.GetStore().Add(ds); err != nil {
				return nil, err
			}
			continue
		case "k8s.cni.cncf.io/NetworkAttachmentDefinition":
			nad := &nadv1.NetworkAttachmentDefinition{}
			if err := json.Unmarshal(o.JSON, nad); err != nil {
				return nil, err
			}
			if nad.Namespace == "" {
				nad.Namespace = k8sv1.NamespaceDefault
			}
			nads = append(nads, nad)
			continue
		case "/Namespace":
			ns := &k8sv1.Namespace{}
			if err := json.Unmarshal(o.JSON, ns); err != nil {
				return nil, err
			}
			if err := namespaces.GetStore().Add(ns); err != nil {
				return nil, err
			}
			continue
		default:
			continue
		}
		if err := json.Unmarshal(o.JSON, obj); err != nil {
			return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
		}
		virtObjects = append(virtObjects, obj)
	}
	day2, err := day2Objects(objects)
	if err != nil {
		return nil, err
	}
	virtFake := fakeclientset.NewSimpleClientset(append(withoutShadowed(virtObjects), day2...)...)

	// The objects are applied by a cluster administrator: every access
	// review KubeVirt asks for on the requester's behalf is allowed.
	k8sClient := k8sfake.NewSimpleClientset()
	k8sClient.PrependReactor("create", "subjectaccessreviews", func(action k8stesting.Action) (bool, runtime.Object, error) {
		sar := action.(k8stesting.CreateAction).GetObject().(*authv1.SubjectAccessReview).DeepCopy()
		sar.Status.Allowed = true
		return true, sar, nil
	})

	j := &Judge{kv: kv, assumed: assumed, config: config, informers: &webhooks.Informers{DataSourceInformer: dataSources, NamespaceInformer: namespaces}}
	ctrl := gomock.NewController(reporter{})
	client := kubecli.NewMockKubevirtClient(ctrl)
	client.EXPECT().AuthorizationV1().Return(k8sClient.AuthorizationV1()).AnyTimes()
	client.EXPECT().AppsV1().Return(k8sClient.AppsV1()).AnyTimes()
	client.EXPECT().CoreV1().Return(k8sClient.CoreV1()).AnyTimes()
	client.EXPECT().VirtualMachineInstancetype(gomock.Any()).DoAndReturn(func(ns string) any {
		return virtFake.InstancetypeV1beta1().VirtualMachineInstancetypes(ns)
	}).AnyTimes()
	client.EXPECT().VirtualMachineClusterInstancetype().Return(virtFake.InstancetypeV1beta1().VirtualMachineClusterInstancetypes()).AnyTimes()
	client.EXPECT().VirtualMachinePreference(gomock.Any()).DoAndReturn(func(ns string) any {
		return virtFake.InstancetypeV1beta1().VirtualMachinePreferences(ns)
	}).AnyTimes()
	client.EXPECT().VirtualMachineClusterPreference().Return(virtFake.InstancetypeV1beta1().VirtualMachineClusterPreferences()).AnyTimes()
	client.EXPECT().GeneratedKubeVirtClient().Return(virtFake).AnyTimes()
	client.EXPECT().NetworkClient().Return(nadfake.NewSimpleClientset(nads...)).AnyTimes()
	kvClient := kubecli.NewMockKubeVirtInterface(ctrl)
	kvClient.EXPECT().List(gomock.Any(), gomock.Any()).DoAndReturn(func(context.Context, metav1.ListOptions) (*v1.KubeVirtList, error) {
		return &v1.KubeVirtList{Items: append([]v1.KubeVirt(nil), j.created...)}, nil
	}).AnyTimes()
	client.EXPECT().KubeVirt(gomock.Any()).Return(kvClient).AnyTimes()
	expectDay2(j, client, virtFake)
	j.client = client
	return j, nil
}

// KubeVirt is the KubeVirt CR the judge reads: the input's, or the assumed one.
func (j *Judge) KubeVirt() *v1.KubeVirt { return j.kv }

// Assumed names the assumption the judge stands on; empty when the input
// holds its own KubeVirt CR.
func (j *Judge) Assumed() platform.Assumption { return j.assumed }

// Config is the cluster configuration built from the KubeVirt CR.
func (j *Judge) Config() *virtconfig.ClusterConfig { return j.config }

// Client is the fake KubeVirt client holding the input's instancetypes,
// preferences and NetworkAttachmentDefinitions, and the cluster
// instancetypes and preferences virt-operator installs.
func (j *Judge) Client() kubecli.KubevirtClient { return j.client }

// Namespaces is the store of the input's Namespace objects.
func (j *Judge) Namespaces() cache.Store { return j.informers.NamespaceInformer.GetStore() }

// Admit judges one object as its creation would be judged; ok is false when
// no KubeVirt admitter handles its kind.
func (j *Judge) Admit(o manifests.Object) (v manifests.Verdict, ok bool) {
	r, ok := routes[o.Group()+"/"+o.Kind]
	if !ok {
		return v, false
	}
	version := o.APIVersion[strings.Index(o.APIVersion, "/")+1:]
	review := &admissionv1.AdmissionReview{Request: &admissionv1.AdmissionRequest{
		UID:       types.UID(fmt.Sprintf("%s-%d", o.File, o.Index)),
		Kind:      metav1.GroupVersionKind{Group: o.Group(), Version: version, Kind: o.Kind},
		Resource:  metav1.GroupVersionResource{Group: o.Group(), Version: version, Resource: r.resource},
		Name:      o.Name,
		Namespace: o.Namespace,
		Operation: admissionv1.Create,
		UserInfo:  User,
		Object:    runtime.RawExtension{Raw: o.JSON},
	}}
	resp := r.admitter(j).Admit(context.Background(), review)
	v = manifests.Verdict{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Check: Check, Allowed: resp.Allowed, Assumed: string(j.assumed)}
	if !resp.Allowed && resp.Result != nil {
		v.Message = resp.Result.Message
	}
	return v, true
}

// JudgeAll judges every object of the group a KubeVirt admitter handles.
func (j *Judge) JudgeAll(objects []manifests.Object) []manifests.Verdict {
	var out []manifests.Verdict
	for _, o := range objects {
		if v, ok := j.Admit(o); ok {
			out = append(out, v)
		}
	}
	return out
}

// kubeVirtAdmitter judges a KubeVirt CR the way the cluster meets it: the
// create webhook (only one KubeVirt per cluster), then the update webhook
// that holds the configuration rules, as virt-operator's first update of
// the CR triggers it.
type kubeVirtAdmitter struct{ j *Judge }

func (a kubeVirtAdmitter) Admit(ctx context.Context, review *admissionv1.AdmissionReview) *admissionv1.AdmissionResponse {
	resp := kvwebhooks.NewKubeVirtCreateAdmitter(a.j.client).Admit(ctx, review)
	if !resp.Allowed {
		return resp
	}
	kv := &v1.KubeVirt{}
	if err := json.Unmarshal(review.Request.Object.Raw, kv); err != nil {
		return &admissionv1.AdmissionResponse{Result: &metav1.Status{Message: err.Error()}}
	}
	a.j.created = append(a.j.created, *kv)
	old := &v1.KubeVirt{TypeMeta: kv.TypeMeta, ObjectMeta: metav1.ObjectMeta{Name: kv.Name, Namespace: kv.Namespace}}
	oldRaw, err := json.Marshal(old)
	if err != nil {
		return &admissionv1.AdmissionResponse{Result: &metav1.Status{Message: err.Error()}}
	}
	update := review.DeepCopy()
	update.Request.Operation = admissionv1.Update
	update.Request.OldObject = runtime.RawExtension{Raw: oldRaw}
	return kvwebhooks.NewKubeVirtUpdateAdmitter(k8sfake.NewSimpleClientset(), a.j.config).Admit(ctx, update)
}

// withoutShadowed keeps, of objects with one kind, namespace and name, the
// last: an input object that defines a cluster instancetype or preference
// of the same name as one virt-operator installs replaces it, as applying
// it to the cluster would.
func withoutShadowed(objects []runtime.Object) []runtime.Object {
	key := func(o runtime.Object) string {
		m, err := meta.Accessor(o)
		if err != nil {
			return ""
		}
		return fmt.Sprintf("%T/%s/%s", o, m.GetNamespace(), m.GetName())
	}
	last := make(map[string]int, len(objects))
	for i, o := range objects {
		last[key(o)] = i
	}
	var out []runtime.Object
	for i, o := range objects {
		if last[key(o)] == i {
			out = append(out, o)
		}
	}
	return out
}
