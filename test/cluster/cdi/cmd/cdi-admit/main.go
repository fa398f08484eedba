// Command cdi-admit runs every CDI object of the inputs (files or folders of
// YAML, in order), and every DataVolume a VirtualMachine's templates create,
// through CDI's own validating webhooks and prints one JSON verdict each.
// With a leading --each-file, each file is judged alone and each verdict
// names its "file".
package main

import (
	"os"

	"cdk8s-kubevirt/test/cluster/cdi/internal/admit"
	"cdk8s-kubevirt/test/cluster/internal/manifests"
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
		judged, err := admit.Judged(objects)
		if err != nil {
			manifests.Fail(err)
		}
		for _, o := range judged {
			v, err := judge.Admit(o)
			if err != nil {
				manifests.Fail(err)
			}
			manifests.Emit(files[i], v)
		}
	}
}
