// Command kubevirt-infra-placement reads a KubeVirt CR (JSON) on stdin and
// prints, as one JSON line, the node selector, affinity and tolerations that
// virt-operator gives the infra Deployments (virt-api, virt-controller) for
// it: placement.InjectPlacementMetadata with spec.infra and
// RequireControlPlanePreferNonWorker, as syncDeployment does
// (pkg/virt-operator/resource/apply/apps.go at v1.9.0), applied to an empty
// pod spec.
//
//	kubevirt-infra-placement < kubevirt.json
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	corev1 "k8s.io/api/core/v1"
	v1 "kubevirt.io/api/core/v1"

	"kubevirt.io/kubevirt/pkg/virt-operator/resource/placement"
)

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fail(err)
	}
	kv := &v1.KubeVirt{}
	if err := json.Unmarshal(in, kv); err != nil {
		fail(fmt.Errorf("stdin is not a KubeVirt CR: %w", err))
	}
	if kv.Kind != "KubeVirt" {
		fail(fmt.Errorf("stdin is a %q, not a KubeVirt CR", kv.Kind))
	}
	spec := &corev1.PodSpec{}
	placement.InjectPlacementMetadata(kv.Spec.Infra, spec, placement.RequireControlPlanePreferNonWorker)
	out, err := json.Marshal(map[string]any{"nodeSelector": spec.NodeSelector, "affinity": spec.Affinity, "tolerations": spec.Tolerations})
	if err != nil {
		fail(err)
	}
	fmt.Println(string(out))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kubevirt-infra-placement:", err)
	os.Exit(1)
}
