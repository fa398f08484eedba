// Command cdi-admit runs every CDI object of the inputs (files or folders of
// YAML, in order), and every DataVolume the templates of a VirtualMachine or
// of each VM of a VirtualMachinePool create,
// through CDI's own validating webhooks and prints one JSON verdict each.
// With --each-file, each file is judged alone and each verdict names its
// "file". An object the input carries twice is judged the second time as an
// update of the first, as kubectl apply would send it.
package main

import (
	"flag"
	"os"

	"cdk8s-kubevirt/test/cluster/cdi/internal/admit"
	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

func main() {
	fs := flag.NewFlagSet("cdi-admit", flag.ContinueOnError)
	manifests.AdmissionMain(fs, os.Args[1:], func() (manifests.Judge, error) { return judge, nil })
}

// judge runs CDI's webhooks on the objects of one group.
func judge(objects []manifests.Object) ([]manifests.Verdict, error) {
	j, err := admit.New(objects)
	if err != nil {
		return nil, err
	}
	judged, err := admit.Judged(objects)
	if err != nil {
		return nil, err
	}
	// an object the input carries twice is judged as kubectl apply sends it: an update
	return j.AdmitAll(judged)
}
