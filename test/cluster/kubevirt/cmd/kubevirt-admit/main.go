// Command kubevirt-admit runs every KubeVirt object of the inputs (files or
// folders of YAML, in order) through KubeVirt's own validating admission
// code and prints one JSON verdict per object.
package main

import (
	"os"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/admit"
)

func main() {
	manifests.KeepStdout()
	objects, err := manifests.Read(os.Args[1:])
	if err != nil {
		manifests.Fail(err)
	}
	judge, err := admit.New(objects)
	if err != nil {
		manifests.Fail(err)
	}
	for _, o := range objects {
		if v, ok := judge.Admit(o); ok {
			manifests.Print(v)
		}
	}
}
