// Command kubevirt-operator-install prints, one JSON line each, the objects
// of KubeVirt's operator install as KubeVirt's own generators build them for
// its release manifest: the kubevirts CRD, the priority class, the operator's
// RBAC and the virt-operator Deployment, in the namespace given (default
// kubevirt). The platform check compares the library's objects with these.
package main

import (
	corev1 "k8s.io/api/core/v1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"

	"kubevirt.io/kubevirt/pkg/virt-operator/resource/generate/components"
	"kubevirt.io/kubevirt/pkg/virt-operator/resource/generate/rbac"
)

// version is the KubeVirt release the images are named after.
const version = "v1.9.0"

func main() {
	manifests.KeepStdout()
	ns := manifests.NamespaceArg("kubevirt-operator-install", "kubevirt")
	crd, err := components.NewKubeVirtCrd()
	if err != nil {
		manifests.Fail(err)
	}
	crd.APIVersion, crd.Kind = "apiextensions.k8s.io/v1", "CustomResourceDefinition"
	manifests.Print(crd)
	pc := components.NewKubeVirtPriorityClassCR()
	pc.APIVersion, pc.Kind = "scheduling.k8s.io/v1", "PriorityClass"
	manifests.Print(pc)
	for _, o := range rbac.GetAllOperator(ns) {
		manifests.Print(o)
	}
	// The release manifest's values: images under quay.io/kubevirt at the
	// release tag, verbosity 2, no per-component image overrides.
	image := "quay.io/kubevirt/virt-operator:" + version
	dep := components.NewOperatorDeployment(ns, "quay.io/kubevirt", "", version, "2", version, "",
		"", "", "", "", "", "", "", "", "", "", "", "", image, corev1.PullIfNotPresent)
	dep.APIVersion, dep.Kind = "apps/v1", "Deployment"
	manifests.Print(dep)
}
