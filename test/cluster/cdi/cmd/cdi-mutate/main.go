// Command cdi-mutate runs every DataVolume of the inputs (files or folders
// of YAML, in order) through CDI's own DataVolume mutating webhook, as the
// API server calls it on create, and prints one JSON line per DataVolume:
// the webhook's name and the JSON patch it answers. With --each-file, each
// file is taken alone and each line names its "file".
//
//	cdi-mutate [--each-file] [--create-namespaces] <files or folders of YAML>...
//
// With --create-namespaces the cluster the webhook reads holds every
// namespace the objects live in or clone from (check-cluster passes it
// with its own --create-namespaces).
package main

import (
	"flag"
	"os"

	"cdk8s-kubevirt/test/cluster/cdi/internal/mutate"
	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

func main() {
	fs := flag.NewFlagSet("cdi-mutate", flag.ContinueOnError)
	createNamespaces := fs.Bool("create-namespaces", false, "hold every namespace the objects live in or a DataVolume clones from, as check-cluster --create-namespaces does")
	manifests.MutationMain(fs, os.Args[1:], func() (manifests.Mutate, error) {
		return func(objects []manifests.Object) ([]manifests.Mutation, error) {
			m, err := mutate.New(objects, *createNamespaces)
			if err != nil {
				return nil, err
			}
			return m.MutateAll(objects)
		}, nil
	})
}
