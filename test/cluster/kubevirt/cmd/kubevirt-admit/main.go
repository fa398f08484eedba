// Command kubevirt-admit runs every KubeVirt object of the inputs (files or
// folders of YAML, in order) through KubeVirt's own validating admission
// code and prints one JSON verdict per object. With a leading --each-file,
// each file is judged alone and each verdict names its "file".
package main

import (
	"os"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/admit"
)

func main() {
	manifests.KeepStdout()
	files, groups, err := manifests.Groups(os.Args[1:])
	if err != nil {
		manifests.Fail(err)
	}
	for i, objects := range groups {
		judge, err := admit.New(objects)
		if err != nil {
			manifests.Fail(err)
		}
		for _, o := range objects {
			if v, ok := judge.Admit(o); ok {
				manifests.Emit(files[i], v)
			}
		}
	}
}
