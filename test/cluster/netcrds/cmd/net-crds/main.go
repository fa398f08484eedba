// Command net-crds writes the CustomResourceDefinitions of the networking
// and snapshot components the library's output uses, taken from the pinned
// Go modules that ship them, to <outdir>/<component>/<name>.yaml:
//   - multus: the NetworkAttachmentDefinition CRD Multus v4 installs
//     (deployments/multus-daemonset-thick.yml)
//   - whereabouts: doc/crds/*.yaml
//   - external-snapshotter: client/config/crd/*.yaml
//   - multi-networkpolicy: scheme.yml
//   - nmstate: deploy/crds/*.yaml of kubernetes-nmstate (NMState,
//     NodeNetworkConfigurationPolicy, NodeNetworkConfigurationEnactment,
//     NodeNetworkState)
//
// It needs the go command, which finds the modules.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"cdk8s-kubevirt/test/cluster/internal/manifests"

	// Linked so the binary records the module versions it reads from.
	_ "github.com/k8snetworkplumbingwg/multi-networkpolicy/pkg/apis/k8s.cni.cncf.io/v1beta1"
	_ "github.com/k8snetworkplumbingwg/whereabouts/pkg/api/whereabouts.cni.cncf.io/v1alpha1"
	_ "github.com/kubernetes-csi/external-snapshotter/client/v8/apis/volumesnapshot/v1"
	// The API packages of kubernetes-nmstate live in a nested module that
	// is not published; pkg/file imports only the standard library.
	_ "github.com/nmstate/kubernetes-nmstate/pkg/file"
	_ "gopkg.in/k8snetworkplumbingwg/multus-cni.v4/pkg/logging"
)

type source struct {
	component string
	module    string
	globs     []string
}

var sources = []source{
	{"multus", "gopkg.in/k8snetworkplumbingwg/multus-cni.v4", []string{"deployments/multus-daemonset-thick.yml"}},
	{"whereabouts", "github.com/k8snetworkplumbingwg/whereabouts", []string{"doc/crds/whereabouts.cni.cncf.io_*.yaml"}},
	{"external-snapshotter", "github.com/kubernetes-csi/external-snapshotter/client/v8", []string{"config/crd/*.yaml"}},
	{"multi-networkpolicy", "github.com/k8snetworkplumbingwg/multi-networkpolicy", []string{"scheme.yml"}},
	{"nmstate", "github.com/nmstate/kubernetes-nmstate", []string{"deploy/crds/nmstate.io_*.yaml"}},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: net-crds <outdir>")
		os.Exit(2)
	}
	for _, s := range sources {
		if err := write(s, os.Args[1]); err != nil {
			manifests.Fail(err)
		}
	}
}

func write(s source, outdir string) error {
	dir, err := manifests.ModuleDir(s.module)
	if err != nil {
		return err
	}
	var files []string
	for _, g := range s.globs {
		found, err := filepath.Glob(filepath.Join(dir, g))
		if err != nil {
			return err
		}
		files = append(files, found...)
	}
	sort.Strings(files)
	n, err := manifests.WriteCRDs(files, outdir, s.component)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: no CustomResourceDefinition in %v", s.module, s.globs)
	}
	return nil
}
