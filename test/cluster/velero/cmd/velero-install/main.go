// Command velero-install prints, one JSON line each, the objects
// `velero install` creates at the pinned release (pkg/install.AllResources
// of github.com/vmware-tanzu/velero v1.18.3), in the namespace given
// (default velero), for the install the library's Velero part stands for:
//
//	velero install --provider aws --bucket vm-backups --prefix cluster-a \
//	  --backup-location-config region=minio,s3Url=https://minio.example.com:9000,s3ForcePathStyle=true \
//	  --secret-file <file> --use-node-agent --use-volume-snapshots=false \
//	  --features=EnableCSI \
//	  --plugins docker.io/velero/velero-plugin-for-aws:v1.14.3,quay.io/kubevirt/kubevirt-velero-plugin:v0.9.0
//
// with the release's own image. The platform check compares the library's
// objects with these.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/vmware-tanzu/velero/pkg/install"
)

func main() {
	ns := "velero"
	switch len(os.Args) {
	case 1:
	case 2:
		ns = os.Args[1]
	default:
		fmt.Fprintln(os.Stderr, "usage: velero-install [namespace]")
		os.Exit(2)
	}
	opts := &install.VeleroOptions{
		Namespace:    ns,
		Image:        "docker.io/velero/velero:v1.18.3",
		ProviderName: "aws",
		Bucket:       "vm-backups",
		Prefix:       "cluster-a",
		BSLConfig:    map[string]string{"region": "minio", "s3Url": "https://minio.example.com:9000", "s3ForcePathStyle": "true"},
		// the content is never printed by the platform check: it only
		// makes the install mount a credentials Secret
		SecretData:   []byte("placeholder"),
		UseNodeAgent: true,
		// the CLI's default for --kubelet-root-dir
		KubeletRootDir: install.DefaultKubeletRootDir,
		Features:       []string{"EnableCSI"},
		Plugins: []string{
			"docker.io/velero/velero-plugin-for-aws:v1.14.3",
			"quay.io/kubevirt/kubevirt-velero-plugin:v0.9.0",
		},
	}
	out := json.NewEncoder(os.Stdout)
	for _, item := range install.AllResources(opts).Items {
		if err := out.Encode(item.Object); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
