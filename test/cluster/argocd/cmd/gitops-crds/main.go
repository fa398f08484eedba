// Command gitops-crds writes the CustomResourceDefinitions of the GitOps
// tools the README's examples (examples/gitops) are written for, taken from
// the files their pinned Go modules ship, to <outdir>/<component>/<name>.yaml:
//   - argocd: manifests/crds/{application,appproject}-crd.yaml of
//     github.com/argoproj/argo-cd/v3 (pinned in go.mod);
//   - flux: config/crd/bases of github.com/fluxcd/source-controller
//     (GitRepository) and github.com/fluxcd/kustomize-controller
//     (Kustomization), at fluxVersion. Both are main modules, which no
//     go.mod can require, so their version is pinned here; v1.10 needs
//     Go 1.27.
//
// It needs the go command, which finds the modules.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"cdk8s-kubevirt/test/cluster/internal/manifests"

	// Linked so the binary records the module version it reads from.
	_ "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
)

// fluxVersion is the Flux controllers' release the CRDs come from.
const fluxVersion = "v1.9.6"

type source struct {
	component, module, version string
	globs                      []string
}

var sources = []source{
	{"argocd", "github.com/argoproj/argo-cd/v3", "", []string{"manifests/crds/application-crd.yaml", "manifests/crds/appproject-crd.yaml"}},
	{"flux", "github.com/fluxcd/source-controller", fluxVersion, []string{"config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml"}},
	{"flux", "github.com/fluxcd/kustomize-controller", fluxVersion, []string{"config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml"}},
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gitops-crds <outdir>")
		os.Exit(2)
	}
	for _, s := range sources {
		if err := write(s, os.Args[1]); err != nil {
			manifests.Fail(err)
		}
	}
}

func write(s source, outdir string) error {
	var dir string
	var err error
	if s.version == "" {
		dir, err = manifests.ModuleDir(s.module)
	} else {
		dir, err = manifests.DownloadModule(s.module, s.version)
	}
	if err != nil {
		return err
	}
	files := make([]string, 0, len(s.globs))
	for _, g := range s.globs {
		files = append(files, filepath.Join(dir, g))
	}
	sort.Strings(files)
	n, err := manifests.WriteCRDs(files, outdir, s.component)
	if err != nil {
		return err
	}
	if n != len(s.globs) {
		return fmt.Errorf("%s: %d CustomResourceDefinitions in %v, want %d", s.module, n, s.globs, len(s.globs))
	}
	return nil
}
