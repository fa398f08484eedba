// Command kubevirt-admit runs every KubeVirt object of the inputs (files or
// folders of YAML, in order) through KubeVirt's own validating admission
// code and prints one JSON verdict per object. With --each-file, each file
// is judged alone and each verdict names its "file".
//
//	kubevirt-admit [--each-file] [--assume-kubevirt=default|open] <files or folders of YAML>...
//
// Inputs that hold a KubeVirt CR are judged against it. Inputs without one
// are judged against the KubeVirt --assume-kubevirt names: "default" (the
// default), a KubeVirt CR with no settings; "open", one with every feature
// gate KubeVirt can enable and any machine type (see platform.OpenKubeVirt),
// the cluster a program that leaves the platform out targets. Verdicts on
// such inputs name the assumption in "assumed".
package main

import (
	"flag"
	"os"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/admit"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"
)

func main() {
	fs := flag.NewFlagSet("kubevirt-admit", flag.ContinueOnError)
	assume := fs.String("assume-kubevirt", string(platform.AssumeDefault), "the KubeVirt an input without a KubeVirt CR is judged against: default (no settings) or open (every feature gate, any machine type)")
	manifests.AdmissionMain(fs, os.Args[1:], func() (manifests.Judge, error) {
		a, err := platform.ParseAssumption(*assume)
		if err != nil {
			return nil, err
		}
		return func(objects []manifests.Object) ([]manifests.Verdict, error) {
			j, err := admit.New(objects, a)
			if err != nil {
				return nil, err
			}
			return j.JudgeAll(objects), nil
		}, nil
	})
}
