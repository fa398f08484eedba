// Command nmstate-handler-install prints, one JSON line each, the
// kubernetes-nmstate handler DaemonSet and the handler's RBAC as the nmstate
// operator of the pinned release renders them for an NMState CR with no
// settings, in the namespace given (default nmstate): its templates
// (deploy/handler/operator.yaml, which the operator image holds as
// handler/handler.yaml, and the RBAC files of its rbac/ folder,
// build/Dockerfile.operator) through the operator's own render code with the
// values applyRBAC and applyHandler give them
// (controllers/operator/nmstate_controller.go at v0.86.0) on a Kubernetes
// cluster without OpenShift's cluster-reader role, and the environment the
// release manifest sets (Makefile defaults: no handler prefix, the released
// handler image, IfNotPresent). The platform check compares the library's
// objects with these. The webhook, cert-manager and metrics objects of the
// same template are left out: the library does not run them.
package main

import (
	"os"
	"path/filepath"

	nmstaterender "github.com/nmstate/kubernetes-nmstate/pkg/render"
	"github.com/openshift/cluster-network-operator/pkg/render"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

const (
	module  = "github.com/nmstate/kubernetes-nmstate"
	version = "v0.86.0"
)

func main() {
	manifests.KeepStdout()
	ns := manifests.NamespaceArg("nmstate-handler-install", "nmstate")
	src, err := manifests.ModuleDir(module)
	if err != nil {
		manifests.Fail(err)
	}
	// the operator image's folders (build/Dockerfile.operator)
	dir, err := os.MkdirTemp("", "nmstate-bindata-")
	if err != nil {
		manifests.Fail(err)
	}
	defer os.RemoveAll(dir)
	copies := map[string]string{
		"deploy/handler/operator.yaml":        "handler/handler.yaml",
		"deploy/handler/service_account.yaml": "rbac/service_account.yaml",
		"deploy/handler/role.yaml":            "rbac/role.yaml",
		"deploy/handler/role_binding.yaml":    "rbac/role_binding.yaml",
		"deploy/handler/cluster_role.yaml":    "rbac/cluster_role.yaml",
	}
	for from, to := range copies {
		data, err := os.ReadFile(filepath.Join(src, from))
		if err != nil {
			manifests.Fail(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(to)), 0o755); err != nil {
			manifests.Fail(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
			manifests.Fail(err)
		}
	}
	env := map[string]any{
		"HandlerNamespace":  ns,
		"OperatorNamespace": ns,
		"HandlerImage":      "quay.io/nmstate/kubernetes-nmstate-handler:" + version,
		"HandlerPullPolicy": string(corev1.PullIfNotPresent),
		"HandlerPrefix":     "",
		"IsOpenShift":       false,
	}

	// applyRBAC
	rbac := render.MakeRenderData()
	for k, v := range env {
		rbac.Data[k] = v
	}
	rbac.Data["ClusterReaderExists"] = false
	printAll(filepath.Join(dir, "rbac"), &rbac, func(string) bool { return true })

	// applyHandler, with the defaults it takes for an NMState CR without settings
	handler := render.MakeRenderData()
	handler.Funcs["toYaml"] = nmstaterender.ToYaml
	for k, v := range env {
		handler.Data[k] = v
	}
	linux := map[string]string{corev1.LabelOSStable: "linux"}
	controlPlane := []corev1.Toleration{
		{Key: "node-role.kubernetes.io/master", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
		{Key: "node-role.kubernetes.io/control-plane", Operator: corev1.TolerationOpExists, Effect: corev1.TaintEffectNoSchedule},
	}
	handler.Data["MonitoringNamespace"] = "monitoring"
	handler.Data["KubeRBACProxyImage"] = "quay.io/openshift/origin-kube-rbac-proxy:4.10.0"
	handler.Data["InfraNodeSelector"] = linux
	handler.Data["InfraTolerations"] = controlPlane
	handler.Data["WebhookAffinity"] = &corev1.Affinity{}
	handler.Data["WebhookReplicas"] = 2
	handler.Data["WebhookMinReplicas"] = 1
	handler.Data["HandlerNodeSelector"] = linux
	handler.Data["HandlerTolerations"] = []corev1.Toleration{{Operator: corev1.TolerationOpExists}}
	handler.Data["HandlerAffinity"] = &corev1.Affinity{}
	// the operator passes structs of its API module (a nested module the proxy
	// does not serve at this version); the templates read these fields of them
	handler.Data["SelfSignConfiguration"] = map[string]string{
		"CARotateInterval": "8760h0m0s", "CAOverlapInterval": "24h0m0s", "CertRotateInterval": "4380h0m0s", "CertOverlapInterval": "24h0m0s",
	}
	// an NMState CR without settings as the API server stores it: the CRD
	// defaults spec.probeConfiguration.dns.host (deploy/crds/nmstate.io_nmstates.yaml)
	handler.Data["ProbeConfiguration"] = map[string]any{"DNS": map[string]string{"Host": "root-servers.net"}}
	handler.Data["MetricsConfiguration"] = map[string]string{"BindAddress": ":8089"}
	handler.Data["LogLevelHandlerCommandArg"] = ""
	handler.Data["HandlerReadinessProbeExtraArg"] = ""
	printAll(filepath.Join(dir, "handler"), &handler, func(kind string) bool { return kind == "DaemonSet" })
}

// printAll renders a folder and prints the objects of the kinds keep keeps.
func printAll(dir string, data *render.RenderData, keep func(kind string) bool) {
	objs, err := render.RenderDir(dir, data)
	if err != nil {
		manifests.Fail(err)
	}
	for _, o := range objs {
		// the operator skips the empty objects the nested templates leave
		if o.GetName() == "" || !keep(o.GetKind()) {
			continue
		}
		// as the API server keeps them: no namespace on cluster-scoped objects, its own creation time
		if o.GetKind() == "ClusterRole" || o.GetKind() == "ClusterRoleBinding" {
			o.SetNamespace("")
		}
		unstructured.RemoveNestedField(o.Object, "metadata", "creationTimestamp")
		manifests.Print(o.Object)
	}
}
