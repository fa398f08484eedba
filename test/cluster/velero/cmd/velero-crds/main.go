// Command velero-crds writes the CustomResourceDefinitions `velero install`
// creates (pkg/install.AllCRDs of the pinned Velero module: the velero.io
// v1 kinds of config/crd/v1 and the v2alpha1 DataUpload and DataDownload of
// config/crd/v2alpha1) to <outdir>/velero/<name>.yaml, so that the schema
// tests and check-cluster install them like every other upstream CRD.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/vmware-tanzu/velero/pkg/install"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: velero-crds <outdir>")
		os.Exit(2)
	}
	n, err := write(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if n == 0 {
		fmt.Fprintln(os.Stderr, "velero-crds: pkg/install.AllCRDs returned no CustomResourceDefinition")
		os.Exit(1)
	}
}

// write writes every CRD of install.AllCRDs and returns how many it wrote.
func write(outdir string) (int, error) {
	out := filepath.Join(outdir, "velero")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, err
	}
	n := 0
	for _, item := range install.AllCRDs().Items {
		if item.GetKind() != "CustomResourceDefinition" {
			return n, fmt.Errorf("velero-crds: unexpected %s %s among the CRDs", item.GetKind(), item.GetName())
		}
		// The labels (component: velero) are what `velero install` adds; the
		// CRD installed by check-cluster carries them as a real install does.
		data, err := yaml.Marshal(item.Object)
		if err != nil {
			return n, err
		}
		if err := os.WriteFile(filepath.Join(out, item.GetName()+".yaml"), data, 0o644); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
