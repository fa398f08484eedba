// Package platform finds the KubeVirt CR among the inputs and builds what
// KubeVirt's own code derives from it: the cluster configuration its webhooks
// read, and the install strategy its operator applies.
package platform

import (
	"encoding/json"
	"fmt"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kubevirt.io/api/core/v1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"

	"kubevirt.io/kubevirt/pkg/testutils"
	virtconfig "kubevirt.io/kubevirt/pkg/virt-config"
	"kubevirt.io/kubevirt/pkg/virt-operator/resource/generate/install"
	operatorutil "kubevirt.io/kubevirt/pkg/virt-operator/util"
)

// DefaultNamespace is where KubeVirt runs when no KubeVirt CR is given.
const DefaultNamespace = "kubevirt"

// Arch is the CPU architecture of the nodes the cluster configuration assumes.
const Arch = "amd64"

// FindKubeVirt returns the first KubeVirt CR among the objects, or nil.
func FindKubeVirt(objects []manifests.Object) (*v1.KubeVirt, error) {
	for _, o := range objects {
		if o.Group() != v1.KubeVirtGroupVersionKind.Group || o.Kind != "KubeVirt" {
			continue
		}
		kv := &v1.KubeVirt{}
		if err := json.Unmarshal(o.JSON, kv); err != nil {
			return nil, fmt.Errorf("KubeVirt %s/%s: %w", o.Namespace, o.Name, err)
		}
		return kv, nil
	}
	return nil, nil
}

// DefaultKubeVirt is the CR of a cluster that runs KubeVirt with no settings.
func DefaultKubeVirt() *v1.KubeVirt {
	return &v1.KubeVirt{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1.GroupVersion.String(), Kind: "KubeVirt"},
		ObjectMeta: metav1.ObjectMeta{Name: "kubevirt", Namespace: DefaultNamespace},
	}
}

// ClusterConfig builds the configuration virt-api reads from a deployed
// KubeVirt CR, the way KubeVirt's own unit tests build it (fake informers
// holding the CR and the CDI DataVolume CRD).
func ClusterConfig(kv *v1.KubeVirt) (*virtconfig.ClusterConfig, error) {
	kv = kv.DeepCopy()
	kv.ResourceVersion = "1"
	kv.Status.Phase = v1.KubeVirtPhaseDeployed
	kv.Status.DefaultArchitecture = Arch
	crdInformer, _ := testutils.NewFakeInformerFor(&extv1.CustomResourceDefinition{})
	kvInformer, _ := testutils.NewFakeInformerFor(&v1.KubeVirt{})
	if err := kvInformer.GetStore().Add(kv); err != nil {
		return nil, err
	}
	testutils.AddDataVolumeAPI(crdInformer)
	return virtconfig.NewClusterConfigWithCPUArch(crdInformer, kvInformer, kv.Namespace, Arch)
}

// Strategy generates the install strategy virt-operator applies for the CR.
func Strategy(kv *v1.KubeVirt) (*install.Strategy, error) {
	config := operatorutil.GetTargetConfigFromKV(kv)
	return install.GenerateCurrentInstallStrategy(config, "", kv.Namespace)
}
