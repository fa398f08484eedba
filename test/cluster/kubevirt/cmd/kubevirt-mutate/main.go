// Command kubevirt-mutate runs every KubeVirt object of the inputs (files or
// folders of YAML, in order) through the mutating webhook virt-operator
// registers for its kind, as the API server calls it on create, and prints
// one JSON line per object: the webhook's name and the JSON patch it
// answers. With --each-file, each file is taken alone and each line names
// its "file".
//
//	kubevirt-mutate [--each-file] [--assume-kubevirt=default|open] <files or folders of YAML>...
//
// The cluster configuration the mutators read (machine type, architecture,
// feature gates) comes from the input's KubeVirt CR, or from the one
// --assume-kubevirt names, as for kubevirt-admit.
package main

import (
	"flag"
	"os"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/mutate"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"
)

func main() {
	fs := flag.NewFlagSet("kubevirt-mutate", flag.ContinueOnError)
	assume := fs.String("assume-kubevirt", string(platform.AssumeDefault), "the KubeVirt an input without a KubeVirt CR is mutated against: default (no settings) or open (every feature gate, any machine type)")
	manifests.MutationMain(fs, os.Args[1:], func() (manifests.Mutate, error) {
		a, err := platform.ParseAssumption(*assume)
		if err != nil {
			return nil, err
		}
		return func(objects []manifests.Object) ([]manifests.Mutation, error) {
			m, err := mutate.New(objects, a)
			if err != nil {
				return nil, err
			}
			return m.MutateAll(objects), nil
		}, nil
	})
}
