// Command cdi-feature-gates prints the feature gates of the CDI module this
// tool is built with, one name per line, sorted. CDI keeps no registry of
// its gates: they are the string constants of its feature-gates package, so
// the tool finds that package's source in the module cache (the version is
// read from the tool's own build information, as go.mod pins it) and reads
// the constants with go/parser. The TypeScript catalogue in
// src/platform/feature-gate.ts is compared with this list in CI.
//
//	cdi-feature-gates
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"cdk8s-kubevirt/test/cluster/internal/manifests"

	// linked so that the build information names the pinned CDI module
	_ "kubevirt.io/containerized-data-importer/pkg/feature-gates"
)

const (
	cdiModule  = "kubevirt.io/containerized-data-importer"
	gatePkgDir = "pkg/feature-gates"
)

func main() {
	dir, err := manifests.ModuleDir(cdiModule)
	if err == nil {
		var names []string
		names, err = manifests.StringConstants(filepath.Join(dir, gatePkgDir), "")
		if err == nil {
			// the module folder is named <module>@<version>
			fmt.Printf("# %s\n", filepath.Base(dir))
			for _, n := range names {
				fmt.Println(n)
			}
			return
		}
	}
	fmt.Fprintf(os.Stderr, "cdi-feature-gates: %v\n", err)
	os.Exit(1)
}
