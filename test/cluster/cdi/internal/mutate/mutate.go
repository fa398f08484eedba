// Package mutate runs CDI's own DataVolume mutating webhook on the
// DataVolumes of the input as the API server calls it on create: one
// AdmissionReview in, the JSON patch the webhook answers out.
//
// CDI is pinned at v1.65.0 because the Go module proxy does not serve
// v1.66.0. The DataVolume mutator is the same code at both tags: upstream's
// git history has no change between v1.65.0 and v1.66.0 under
// pkg/apiserver/webhooks, pkg/token or the API's authorize.go. On create it
// authorizes a clone source as
// the requesting user and, for a clone, writes a signed clone token
// (annotation cdi.kubevirt.io/storage.clone.token, datavolume-mutate.go:142
// at v1.65.0), a JWT that expires five minutes after the create
// (handler.go:99-101): a value no synthesizer can know.
package mutate

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	admissionv1 "k8s.io/api/admission/v1"
	authv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	k8sfake "k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"
	"kubevirt.io/containerized-data-importer/pkg/apiserver/webhooks"
	cdiclientfake "kubevirt.io/containerized-data-importer/pkg/client/clientset/versioned/fake"

	"cdk8s-kubevirt/test/cluster/cdi/internal/admit"
	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// Webhook is the name cdi-operator registers the mutator under
// (datavolume-mutate.cdi.kubevirt.io).
const Webhook = "datavolume-mutate.cdi.kubevirt.io"

// key signs clone tokens; one per process, as one per CDI install.
var key *rsa.PrivateKey

// Mutator is CDI's DataVolume mutating webhook over fake clients holding
// the namespaces, claims, DataSources and DataVolumes of the input.
type Mutator struct{ handler http.Handler }

// New builds the webhook over the objects of one group. With
// createNamespaces the input is one piece of a larger app (check-cluster
// --create-namespaces): the cluster also holds every namespace the objects
// live in or a DataVolume clones from, and, for a DataSource a DataVolume's
// sourceRef names but the input lacks, one that points at the claim of its
// own name and namespace (the webhook resolves it to authorize the clone).
func New(objects []manifests.Object, createNamespaces bool) (*Mutator, error) {
	if key == nil {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return nil, err
		}
		key = k
	}
	var k8sObjects, cdiObjects []runtime.Object
	for _, o := range objects {
		var obj runtime.Object
		list := &k8sObjects
		switch o.Group() + "/" + o.Kind {
		case "/Namespace":
			obj = &corev1.Namespace{}
		case "/PersistentVolumeClaim":
			obj = &corev1.PersistentVolumeClaim{}
		case "cdi.kubevirt.io/DataSource":
			obj, list = &cdiv1.DataSource{}, &cdiObjects
		default:
			continue
		}
		if err := json.Unmarshal(o.JSON, obj); err != nil {
			return nil, fmt.Errorf("%s %s/%s: %w", o.Kind, o.Namespace, o.Name, err)
		}
		*list = append(*list, obj)
	}
	if createNamespaces {
		k8sObjects = append(k8sObjects, usedNamespaces(objects)...)
		cdiObjects = append(cdiObjects, missingDataSources(objects)...)
	}
	k8sClient := k8sfake.NewSimpleClientset(k8sObjects...)
	// The objects are applied by a cluster administrator: the access
	// reviews the webhook asks for on the requester's behalf are allowed.
	k8sClient.PrependReactor("create", "subjectaccessreviews", func(action k8stesting.Action) (bool, runtime.Object, error) {
		sar := action.(k8stesting.CreateAction).GetObject().(*authv1.SubjectAccessReview).DeepCopy()
		sar.Status.Allowed = true
		return true, sar, nil
	})
	cdiClient := cdiclientfake.NewSimpleClientset(cdiObjects...)
	return &Mutator{handler: webhooks.NewDataVolumeMutatingWebhook(k8sClient, cdiClient, key)}, nil
}

// Mutates reports whether the webhook is registered for the object's kind.
func Mutates(o manifests.Object) bool {
	return o.Group() == cdiv1.SchemeGroupVersion.Group && o.Kind == "DataVolume"
}

// Mutate runs the webhook on the creation of one DataVolume.
func (m *Mutator) Mutate(o manifests.Object) (manifests.Mutation, error) {
	version := o.APIVersion[strings.Index(o.APIVersion, "/")+1:]
	namespace := o.Namespace
	if namespace == "" {
		namespace = metav1.NamespaceDefault
	}
	review := admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request: &admissionv1.AdmissionRequest{
			UID:       types.UID(fmt.Sprintf("%s-%d", o.File, o.Index)),
			Kind:      metav1.GroupVersionKind{Group: o.Group(), Version: version, Kind: o.Kind},
			Resource:  metav1.GroupVersionResource{Group: o.Group(), Version: version, Resource: "datavolumes"},
			Name:      o.Name,
			Namespace: namespace,
			Operation: admissionv1.Create,
			UserInfo:  admit.User,
			Object:    runtime.RawExtension{Raw: o.JSON},
		},
	}
	body, err := json.Marshal(review)
	if err != nil {
		return manifests.Mutation{}, err
	}
	req := httptest.NewRequest(http.MethodPost, "/datavolume-mutate", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	m.handler.ServeHTTP(rec, req)
	var answer admissionv1.AdmissionReview
	if err := json.NewDecoder(rec.Body).Decode(&answer); err != nil || answer.Response == nil {
		return manifests.Mutation{}, fmt.Errorf("%s %s/%s: webhook answered %d without a review: %v", o.Kind, o.Namespace, o.Name, rec.Code, err)
	}
	out := manifests.Mutation{Kind: o.Kind, Namespace: o.Namespace, Name: o.Name, Mutator: Webhook, Allowed: answer.Response.Allowed}
	if !out.Allowed {
		if answer.Response.Result != nil {
			out.Message = strings.TrimSpace(answer.Response.Result.Message)
		}
		return out, nil
	}
	if len(answer.Response.Patch) > 0 && string(answer.Response.Patch) != "[]" {
		out.Patch = json.RawMessage(answer.Response.Patch)
	}
	return out, nil
}

// MutateAll runs the webhook on every DataVolume of the group.
func (m *Mutator) MutateAll(objects []manifests.Object) ([]manifests.Mutation, error) {
	var out []manifests.Mutation
	for _, o := range objects {
		if !Mutates(o) {
			continue
		}
		mu, err := m.Mutate(o)
		if err != nil {
			return nil, err
		}
		out = append(out, mu)
	}
	return out, nil
}

// usedNamespaces are the namespaces the objects live in or a DataVolume
// clones from (spec.source.pvc, spec.source.snapshot, spec.sourceRef) that
// no Namespace object of the input defines.
func usedNamespaces(objects []manifests.Object) []runtime.Object {
	defined, used := map[string]bool{}, map[string]bool{}
	for _, o := range objects {
		if o.Group() == "" && o.Kind == "Namespace" {
			defined[o.Name] = true
			continue
		}
		if o.Namespace != "" {
			used[o.Namespace] = true
		}
		if !Mutates(o) {
			continue
		}
		dv := &cdiv1.DataVolume{}
		if json.Unmarshal(o.JSON, dv) != nil {
			continue
		}
		if src := dv.Spec.Source; src != nil && src.PVC != nil && src.PVC.Namespace != "" {
			used[src.PVC.Namespace] = true
		}
		if src := dv.Spec.Source; src != nil && src.Snapshot != nil && src.Snapshot.Namespace != "" {
			used[src.Snapshot.Namespace] = true
		}
		if ref := dv.Spec.SourceRef; ref != nil && ref.Namespace != nil && *ref.Namespace != "" {
			used[*ref.Namespace] = true
		}
	}
	var out []runtime.Object
	for ns := range used {
		if !defined[ns] {
			out = append(out, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
		}
	}
	return out
}

// missingDataSources are stand-ins for the DataSources the DataVolumes'
// sourceRefs name that no DataSource of the input defines: each points at
// the PersistentVolumeClaim of its own namespace and name.
func missingDataSources(objects []manifests.Object) []runtime.Object {
	defined := map[string]bool{}
	for _, o := range objects {
		if o.Group()+"/"+o.Kind == "cdi.kubevirt.io/DataSource" {
			defined[o.Namespace+"/"+o.Name] = true
		}
	}
	var out []runtime.Object
	for _, o := range objects {
		if !Mutates(o) {
			continue
		}
		dv := &cdiv1.DataVolume{}
		if json.Unmarshal(o.JSON, dv) != nil || dv.Spec.SourceRef == nil || dv.Spec.SourceRef.Kind != cdiv1.DataVolumeDataSource {
			continue
		}
		ns := o.Namespace
		if dv.Spec.SourceRef.Namespace != nil && *dv.Spec.SourceRef.Namespace != "" {
			ns = *dv.Spec.SourceRef.Namespace
		}
		if ns == "" {
			ns = metav1.NamespaceDefault
		}
		name := dv.Spec.SourceRef.Name
		if defined[ns+"/"+name] {
			continue
		}
		defined[ns+"/"+name] = true
		out = append(out, &cdiv1.DataSource{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec:       cdiv1.DataSourceSpec{Source: cdiv1.DataSourceSource{PVC: &cdiv1.DataVolumeSourcePVC{Namespace: ns, Name: name}}},
		})
	}
	return out
}
