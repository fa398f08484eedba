// Command cnao-linux-bridge prints the linux-bridge CNI DaemonSet that
// cluster-network-addons-operator installs for its linuxBridge component,
// one JSON object per line: the operator's own data/linux-bridge template,
// rendered by the operator's own render package with the values the
// operator passes on a cluster without OpenShift's security context
// constraints and with the default NetworkAddonsConfig (default image,
// pull policy and workload placement, the plain CNI binary folder).
//
//	cnao-linux-bridge [namespace]
//
// The namespace is the operator's own (its OPERAND_NAMESPACE), the
// installer's choice; it defaults to kube-system. It needs the go command,
// which finds the module.
package main

import (
	"path/filepath"

	"github.com/kubevirt/cluster-network-addons-operator/pkg/network/cni"
	"github.com/kubevirt/cluster-network-addons-operator/pkg/render"
	corev1 "k8s.io/api/core/v1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

const module = "github.com/kubevirt/cluster-network-addons-operator"

// The operator's defaults, which live in packages that need a version of
// github.com/openshift/api the Go module proxy does not serve, so they are
// restated here as facts: pkg/components (LinuxBridgeCniImageDefault),
// pkg/network/image-pull-policy.go
// (defaultImagePullPolicy) and pkg/network/placement_configuration.go
// (GetDefaultPlacementConfiguration's Workloads).
const linuxBridgeImage = "quay.io/kubevirt/cni-default-plugins@sha256:976a24392c2a096c38c2663d234b2d3131f5c24558889196d30b9ac1b6716788"

// placement has the fields of the operator's Placement the template reads.
type placement struct {
	NodeSelector map[string]string
	Affinity     corev1.Affinity
	Tolerations  []corev1.Toleration
}

var workloads = placement{
	NodeSelector: map[string]string{corev1.LabelOSStable: "linux"},
	Tolerations: []corev1.Toleration{{
		Key:      corev1.TaintNodeUnschedulable,
		Operator: corev1.TolerationOpExists,
		Effect:   corev1.TaintEffectNoSchedule,
	}},
}

// The template of the DaemonSet that installs the plugin binaries; the
// other files of data/linux-bridge are the namespace, the optional
// OpenShift RBAC and the bridge marker, which CniPlugins does not install.
const template = "data/linux-bridge/002-linux-bridge.yaml"

func main() {
	manifests.KeepStdout()
	namespace := manifests.NamespaceArg("cnao-linux-bridge", "kube-system")
	objects, err := linuxBridge(values(namespace))
	if err != nil {
		manifests.Fail(err)
	}
	for _, o := range objects {
		manifests.Print(o)
	}
}

// values are what the operator passes the linux-bridge templates.
func values(namespace string) map[string]interface{} {
	return map[string]interface{}{
		"Namespace":        namespace,
		"LinuxBridgeImage": linuxBridgeImage,
		"ImagePullPolicy":  corev1.PullIfNotPresent,
		"CNIBinDir":        cni.BinDir,
		"EnableSCC":        false,
		"Placement":        workloads,
	}
}

// linuxBridge renders the template with the operator's render package.
func linuxBridge(data map[string]interface{}) ([]map[string]interface{}, error) {
	dir, err := manifests.ModuleDir(module)
	if err != nil {
		return nil, err
	}
	d := render.MakeRenderData()
	d.Data = data
	objects, err := render.RenderTemplate(filepath.Join(dir, template), &d)
	if err != nil {
		return nil, err
	}
	out := make([]map[string]interface{}, 0, len(objects))
	for _, o := range objects {
		out = append(out, o.Object)
	}
	return out, nil
}
