// Package platform finds the KubeVirt CR among the inputs and builds what
// KubeVirt's own code derives from it: the cluster configuration its webhooks
// read, and the install strategy its operator applies.
package platform

import (
	"encoding/json"
	"fmt"
	"sort"

	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kubevirt.io/api/core/v1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"

	"kubevirt.io/kubevirt/pkg/testutils"
	virtconfig "kubevirt.io/kubevirt/pkg/virt-config"
	"kubevirt.io/kubevirt/pkg/virt-config/featuregate"
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

// Assumption names the KubeVirt an input without a KubeVirt CR of its own is
// judged against.
type Assumption string

const (
	// AssumeDefault is a KubeVirt CR with no settings.
	AssumeDefault Assumption = "default"
	// AssumeOpen is a KubeVirt configured for whatever the input uses (see
	// OpenKubeVirt): the cluster a program that leaves the platform out
	// targets.
	AssumeOpen Assumption = "open"
)

// ParseAssumption reads the value of --assume-kubevirt.
func ParseAssumption(s string) (Assumption, error) {
	switch a := Assumption(s); a {
	case AssumeDefault, AssumeOpen:
		return a, nil
	}
	return "", fmt.Errorf("--assume-kubevirt=%q: want %q (a KubeVirt CR with no settings) or %q (every feature gate on, any machine type)", s, AssumeDefault, AssumeOpen)
}

// Assumed is the KubeVirt CR of the assumption.
func Assumed(a Assumption) *v1.KubeVirt {
	if a == AssumeOpen {
		return OpenKubeVirt()
	}
	return DefaultKubeVirt()
}

// notOpened are feature gates OpenKubeVirt leaves as they are by default,
// though KubeVirt lets them be enabled: enabled, they refuse input a
// cluster without them admits.
var notOpened = map[string]string{
	// refuses NVIDIA host device and GPU requests whose permitted PCI
	// selector is ambiguous
	featuregate.GraceIOVirtualization: "refuses NVIDIA device requests with an ambiguous permitted selector",
}

// OpenFeatureGates are the feature gates of OpenKubeVirt, sorted: every gate
// KubeVirt's own registry holds that can be enabled (Alpha, Beta and
// Deprecated; a GA gate is always on, and a Discontinued one cannot be
// enabled: listed, Passt and Macvtap make admission refuse the VMs that use
// their API), except notOpened.
func OpenFeatureGates() []string {
	var gates []string
	for name, fg := range featuregate.GetRegisteredFeatureGates() {
		if _, skip := notOpened[name]; skip {
			continue
		}
		switch fg.State {
		case featuregate.Alpha, featuregate.Beta, featuregate.Deprecated:
			gates = append(gates, name)
		}
	}
	sort.Strings(gates)
	return gates
}

// AnyMachine is the emulated machine pattern of OpenKubeVirt: KubeVirt
// matches machine types against it as a shell pattern, so every machine
// type is admitted.
const AnyMachine = "*"

// OpenKubeVirt is the CR of a cluster configured for whatever an input
// uses, on every setting KubeVirt's admission code reads: every feature
// gate OpenFeatureGates lists, and emulated machines that admit any
// machine type on every architecture. The other settings admission reads
// stay at their defaults, which already admit the most: the VM rollout
// strategy (LiveUpdate), bridge binding on the pod network (permitted), the
// eviction strategy (unset) and permitted host devices (none: the only
// admission rule reading them, GraceIOVirtualization's, then has nothing to
// refuse).
func OpenKubeVirt() *v1.KubeVirt {
	kv := DefaultKubeVirt()
	machines := []string{AnyMachine}
	kv.Spec.Configuration.DeveloperConfiguration = &v1.DeveloperConfiguration{FeatureGates: OpenFeatureGates()}
	kv.Spec.Configuration.ArchitectureConfiguration = &v1.ArchConfiguration{
		Amd64: &v1.ArchSpecificConfiguration{EmulatedMachines: machines},
		Arm64: &v1.ArchSpecificConfiguration{EmulatedMachines: machines},
		S390x: &v1.ArchSpecificConfiguration{EmulatedMachines: machines},
	}
	return kv
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
