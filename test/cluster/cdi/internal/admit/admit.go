// Package admit runs CDI's own validating webhooks on objects, wired the way
// CDI's unit tests wire them: fake clients holding the other objects of the
// input and a CDIConfig carrying the CDI CR's configuration.
package admit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	snapclientfake "github.com/kubernetes-csi/external-snapshotter/client/v6/clientset/versioned/fake"
	admissionv1 "k8s.io/api/admission/v1"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	k8sfake "k8s.io/client-go/kubernetes/fake"
	crfake "sigs.k8s.io/controller-runtime/pkg/client/fake"

	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"
	"kubevirt.io/containerized-data-importer/pkg/apiserver/webhooks"
	cdiclientfake "kubevirt.io/containerized-data-importer/pkg/client/clientset/versioned/fake"

	"cdk8s-kubevirt/test/cluster/cdi/internal/platform"
	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// Check names the stage in every verdict.
const Check = "cdi-admission"

// User is who applies the objects: a cluster administrator.
var User = authenticationv1.UserInfo{Username: "kubernetes-admin", Groups: []string{"system:masters", "system:authenticated"}}

// Judge holds CDI's webhooks and the cluster state they read.
type Judge struct {
	handlers map[string]http.Handler
}

var resources = map[string]string{
	"DataVolume":     "datavolumes",
	"DataImportCron": "dataimportcrons",
	"CDI":            "cdis",
}

// identity is what the API server keys an object by: its group, kind,
// namespace and name.
func identity(o manifests.Object) string {
	return o.Group() + "/" + o.Kind + "/" + o.Namespace + "/" + o.Name
}

// New builds the webhooks over fake clients holding the namespaces,
// PersistentVolumeClaims, DataSources and DataVolumes of the input, and a
// CDIConfig with the CDI CR's configuration (feature gates and the rest).
// An object the input carries twice is held once, as its last copy: after
// kubectl apply the later copy is what the cluster has.
func New(objects []manifests.Object) (*Judge, error) {
	var k8sObjects, cdiObjects []runtime.Object
	last := map[string]int{}
	for i, o := range objects {
		last[identity(o)] = i
	}
	for i, o := range objects {
		if last[identity(o)] != i {
			continue
		}
		var obj runtime.Object
		var list *[]runtime.Object
		switch o.Group() + "/" + o.Kind {
		case "/Namespace":
			obj, list = &corev1.Namespace{}, &k8sObjects
		case "/PersistentVolumeClaim":
			obj, list = &corev1.PersistentVolumeClaim{}, &k8sObjects
		case "cdi.kubevirt.io/DataSource":
			obj, list = &cdiv1.DataSource{}, &cdiObjects
		case "cdi.kubevirt.io/DataVolume":
			obj, list = &cdiv1.DataVolume{}, &cdiObjects
		default:
			continue
		}
		if err := json.Unmarshal(o.JSON, obj); err != nil {
			return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
		}
		*list = append(*list, obj)
	}
	cr, err := platform.FindCDI(objects)
	if err != nil {
		return nil, err
	}
	config := &cdiv1.CDIConfig{ObjectMeta: metav1.ObjectMeta{Name: "config"}}
	if cr != nil && cr.Spec.Config != nil {
		config.Spec = *cr.Spec.Config.DeepCopy()
	}
	scheme := runtime.NewScheme()
	if err := cdiv1.AddToScheme(scheme); err != nil {
		return nil, err
	}
	k8sClient := k8sfake.NewSimpleClientset(k8sObjects...)
	cdiClient := cdiclientfake.NewSimpleClientset(cdiObjects...)
	crClient := crfake.NewClientBuilder().WithScheme(scheme).WithRuntimeObjects(config).Build()
	return &Judge{handlers: map[string]http.Handler{
		"DataVolume":     webhooks.NewDataVolumeValidatingWebhook(k8sClient, cdiClient, snapclientfake.NewSimpleClientset(), crClient),
		"DataImportCron": webhooks.NewDataImportCronValidatingWebhook(k8sClient, cdiClient),
		"CDI":            webhooks.NewCDIValidatingWebhook(cdiClient),
	}}, nil
}

// Judged returns the objects CDI's webhooks meet when the input is applied:
// its DataVolumes, DataImportCrons and CDI CR, the DataVolumes KubeVirt
// creates from each VirtualMachine's dataVolumeTemplates, and those it
// creates for each VM of a VirtualMachinePool (PoolDataVolumes).
func Judged(objects []manifests.Object) ([]manifests.Object, error) {
	var out []manifests.Object
	for _, o := range objects {
		if o.Group() == cdiv1.SchemeGroupVersion.Group && resources[o.Kind] != "" {
			out = append(out, o)
			continue
		}
		if o.Group() == "pool.kubevirt.io" && o.Kind == "VirtualMachinePool" {
			dvs, err := PoolDataVolumes(o)
			if err != nil {
				return nil, err
			}
			out = append(out, dvs...)
			continue
		}
		if o.Group() != "kubevirt.io" || o.Kind != "VirtualMachine" {
			continue
		}
		var vm struct {
			Spec struct {
				DataVolumeTemplates []template `json:"dataVolumeTemplates"`
			} `json:"spec"`
		}
		if err := json.Unmarshal(o.JSON, &vm); err != nil {
			return nil, fmt.Errorf("VirtualMachine %s/%s: %w", o.Namespace, o.Name, err)
		}
		for _, t := range vm.Spec.DataVolumeTemplates {
			name, _ := t.Metadata["name"].(string)
			dv, err := t.dataVolume(o, name)
			if err != nil {
				return nil, err
			}
			out = append(out, dv)
		}
	}
	return out, nil
}

// template is a dataVolumeTemplates entry.
type template struct {
	Metadata map[string]any `json:"metadata"`
	Spec     any            `json:"spec"`
}

// dataVolume is the DataVolume named name that KubeVirt creates from the
// template of owner, in owner's namespace, with the template's labels and
// annotations.
func (t template) dataVolume(owner manifests.Object, name string) (manifests.Object, error) {
	meta := map[string]any{}
	for k, v := range t.Metadata {
		meta[k] = v
	}
	meta["name"], meta["namespace"] = name, owner.Namespace
	dv := map[string]any{"apiVersion": cdiv1.SchemeGroupVersion.String(), "kind": "DataVolume", "metadata": meta, "spec": t.Spec}
	raw, err := json.Marshal(dv)
	if err != nil {
		return manifests.Object{}, err
	}
	return manifests.Object{File: owner.File, Index: owner.Index, JSON: raw,
		APIVersion: cdiv1.SchemeGroupVersion.String(), Kind: "DataVolume", Namespace: owner.Namespace, Name: name}, nil
}

// PoolDataVolumes are the DataVolumes a VirtualMachinePool's VMs create:
// each template once per VM, named <template>-<index> (KubeVirt's pool
// controller, indexVMSpec in pkg/virt-controller/watch/pool/pool.go:772-781 at v1.9.0).
func PoolDataVolumes(o manifests.Object) ([]manifests.Object, error) {
	var pool struct {
		Spec struct {
			Replicas               int `json:"replicas"`
			VirtualMachineTemplate struct {
				Spec struct {
					DataVolumeTemplates []template `json:"dataVolumeTemplates"`
				} `json:"spec"`
			} `json:"virtualMachineTemplate"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(o.JSON, &pool); err != nil {
		return nil, fmt.Errorf("VirtualMachinePool %s/%s: %w", o.Namespace, o.Name, err)
	}
	var out []manifests.Object
	for _, t := range pool.Spec.VirtualMachineTemplate.Spec.DataVolumeTemplates {
		base, _ := t.Metadata["name"].(string)
		for i := 0; i < pool.Spec.Replicas; i++ {
			dv, err := t.dataVolume(o, fmt.Sprintf("%s-%d", base, i))
			if err != nil {
				return nil, err
			}
			out = append(out, dv)
		}
	}
	return out, nil
}

// AdmitAll judges objects in input order the way kubectl apply sends them:
// the first object of an identity is a create, a later one with the same
// identity an update of the copy before it.
func (j *Judge) AdmitAll(objects []manifests.Object) ([]manifests.Verdict, error) {
	applied := map[string]manifests.Object{}
	var out []manifests.Verdict
	for _, o := range objects {
		var v manifests.Verdict
		var err error
		if old, ok := applied[identity(o)]; ok {
			v, err = j.AdmitUpdate(o, old)
		} else {
			v, err = j.Admit(o)
		}
		if err != nil {
			return nil, err
		}
		applied[identity(o)] = o
		out = append(out, v)
	}
	return out, nil
}

// Admit judges the creation of one object the way the API server asks CDI's
// webhook: an AdmissionReview posted to its handler.
func (j *Judge) Admit(o manifests.Object) (manifests.Verdict, error) {
	return j.review(o, nil)
}

// AdmitUpdate judges the update of old to o, as kubectl apply makes it when
// the object already exists. The verdict's message says it was an update.
func (j *Judge) AdmitUpdate(o, old manifests.Object) (manifests.Verdict, error) {
	v, err := j.review(o, &old)
	if err != nil {
		return v, err
	}
	where := fmt.Sprintf("%s #%d", old.File, old.Index)
	if v.Message == "" {
		v.Message = "judged as an update of the same object at " + where
	} else {
		v.Message = "judged as an update of the same object at " + where + ": " + v.Message
	}
	return v, nil
}

func (j *Judge) review(o manifests.Object, old *manifests.Object) (manifests.Verdict, error) {
	version := o.APIVersion[strings.Index(o.APIVersion, "/")+1:]
	operation, oldObject := admissionv1.Create, runtime.RawExtension{}
	if old != nil {
		operation, oldObject = admissionv1.Update, runtime.RawExtension{Raw: old.JSON}
	}
	review := admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request: &admissionv1.AdmissionRequest{
			UID:       types.UID(fmt.Sprintf("%s-%d-%s", o.File, o.Index, o.Name)),
			Kind:      metav1.GroupVersionKind{Group: o.Group(), Version: version, Kind: o.Kind},
			Resource:  metav1.GroupVersionResource{Group: o.Group(), Version: version, Resource: resources[o.Kind]},
			Name:      o.Name,
			Namespace: o.Namespace,
			Operation: operation,
			UserInfo:  User,
			Object:    runtime.RawExtension{Raw: o.JSON},
			OldObject: oldObject,
		},
	}
	body, err := json.Marshal(review)
	if err != nil {
		return manifests.Verdict{}, err
	}
	req := httptest.NewRequest(http.MethodPost, "/validate", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	j.handlers[o.Kind].ServeHTTP(rec, req)
	var answer admissionv1.AdmissionReview
	if err := json.NewDecoder(rec.Body).Decode(&answer); err != nil || answer.Response == nil {
		return manifests.Verdict{}, fmt.Errorf("%s %s/%s: webhook answered %d without a review: %v", o.Kind, o.Namespace, o.Name, rec.Code, err)
	}
	v := manifests.Verdict{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Check: Check, Allowed: answer.Response.Allowed}
	if !v.Allowed && answer.Response.Result != nil {
		v.Message = strings.TrimSpace(answer.Response.Result.Message)
	}
	return v, nil
}
