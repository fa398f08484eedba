// Command cdi-mutate runs every DataVolume of the inputs (files or folders
// of YAML, in order) through CDI's own DataVolume mutating webhook, as the
// API server calls it on create, and prints one JSON line per DataVolume:
// the webhook's name and the JSON patch it answers. With --each-file, each
// file is taken alone and each line names its "file".
//
//	cdi-mutate [--each-file] <files or folders of YAML>...
package main

import (
	"flag"
	"os"

	"cdk8s-kubevirt/test/cluster/cdi/internal/mutate"
	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

func main() {
	fs := flag.NewFlagSet("cdi-mutate", flag.ContinueOnError)
	manifests.MutationMain(fs, os.Args[1:], func() (manifests.Mutate, error) {
		return func(objects []manifests.Object) ([]manifests.Mutation, error) {
			m, err := mutate.New(objects)
			if err != nil {
				return nil, err
			}
			return m.MutateAll(objects)
		}, nil
	})
}
