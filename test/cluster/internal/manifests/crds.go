package manifests

import (
	"os"
	"path/filepath"

	"sigs.k8s.io/yaml"
)

// WriteCRDs writes every CustomResourceDefinition of the files to
// <outdir>/<component>/<name>.yaml and returns how many it wrote.
func WriteCRDs(files []string, outdir, component string) (int, error) {
	objects, err := Read(files)
	if err != nil {
		return 0, err
	}
	out := filepath.Join(outdir, component)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return 0, err
	}
	n := 0
	for _, o := range objects {
		if o.Kind != "CustomResourceDefinition" {
			continue
		}
		data, err := yaml.JSONToYAML(o.JSON)
		if err != nil {
			return n, err
		}
		if err := os.WriteFile(filepath.Join(out, o.Name+".yaml"), data, 0o644); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
