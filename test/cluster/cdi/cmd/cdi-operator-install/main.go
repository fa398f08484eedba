// Command cdi-operator-install prints, one JSON line each, the objects of
// CDI's operator install as CDI's own generator builds them
// (pkg/operator/resources/operator, group "everything"): the cdis CRD, the
// operator's cluster and namespaced RBAC and the cdi-operator Deployment, in
// the namespace given (default cdi). The platform check compares the
// library's objects with these.
package main

import (
	"kubevirt.io/containerized-data-importer/pkg/operator/resources/namespaced"
	"kubevirt.io/containerized-data-importer/pkg/operator/resources/operator"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// version is the CDI release the images are named after.
const version = "v1.66.0"

func main() {
	manifests.KeepStdout()
	ns := manifests.NamespaceArg("cdi-operator-install", "cdi")
	image := func(name string) string { return "quay.io/kubevirt/" + name + ":" + version }
	args := &operator.FactoryArgs{
		NamespacedArgs: namespaced.FactoryArgs{
			OperatorVersion:        version,
			ControllerImage:        image("cdi-controller"),
			DeployClusterResources: "true",
			ImporterImage:          image("cdi-importer"),
			ClonerImage:            image("cdi-cloner"),
			OvirtPopulatorImage:    image("cdi-importer"),
			APIServerImage:         image("cdi-apiserver"),
			UploadProxyImage:       image("cdi-uploadproxy"),
			UploadServerImage:      image("cdi-uploadserver"),
			Verbosity:              "1",
			PullPolicy:             "IfNotPresent",
			Namespace:              ns,
		},
		Image: image("cdi-operator"),
	}
	objects, err := operator.CreateOperatorResourceGroup("everything", args)
	if err != nil {
		manifests.Fail(err)
	}
	for _, o := range objects {
		manifests.Print(o)
	}
}
