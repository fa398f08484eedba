// Command cdi-crds writes CDI's CustomResourceDefinitions to
// <outdir>/cdi/<group>_<plural>.yaml. They are generated the way CDI
// generates its own: controller-gen's CRD generator run on the API packages
// of the pinned kubevirt.io/containerized-data-importer-api module.
// It needs the go command, which finds that module.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"sigs.k8s.io/controller-tools/pkg/crd"
	"sigs.k8s.io/controller-tools/pkg/genall"

	"cdk8s-kubevirt/test/cluster/internal/manifests"

	// Linked so the binary records the module version it generates from.
	_ "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"
)

const apiModule = "kubevirt.io/containerized-data-importer-api"

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: cdi-crds <outdir>")
		os.Exit(2)
	}
	out, err := filepath.Abs(filepath.Join(os.Args[1], "cdi"))
	if err != nil {
		manifests.Fail(err)
	}
	dir, err := manifests.ModuleDir(apiModule)
	if err != nil {
		manifests.Fail(err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		manifests.Fail(err)
	}
	// CDI runs controller-gen from the API module's root.
	if err := os.Chdir(dir); err != nil {
		manifests.Fail(err)
	}
	var gen genall.Generator = crd.Generator{CRDVersions: []string{"v1"}}
	rt, err := genall.Generators{&gen}.ForRoots("./pkg/apis/core/...", "./pkg/apis/forklift/...")
	if err != nil {
		manifests.Fail(err)
	}
	rt.OutputRules.Default = genall.OutputToDirectory(out)
	if rt.Run() {
		manifests.Fail(fmt.Errorf("controller-gen failed on %s", apiModule))
	}
}
