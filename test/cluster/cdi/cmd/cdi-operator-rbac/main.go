// Command cdi-operator-rbac prints every ServiceAccount, ClusterRole, Role,
// ClusterRoleBinding and RoleBinding the CDI operator creates for the CDI CR
// among the inputs (CDI's own operator resource factories, cluster-scoped and
// namespaced), one JSON line each, with the user that creates it: the CDI
// operator's service account.
package main

import (
	"fmt"
	"os"
	"sort"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"kubevirt.io/containerized-data-importer/pkg/operator/resources/cluster"
	"kubevirt.io/containerized-data-importer/pkg/operator/resources/namespaced"

	"cdk8s-kubevirt/test/cluster/cdi/internal/platform"
	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// order is the order the kinds are printed in: accounts and roles before the
// bindings that name them.
var order = map[string]int{"ServiceAccount": 0, "ClusterRole": 1, "Role": 2, "ClusterRoleBinding": 3, "RoleBinding": 4}

func main() {
	manifests.KeepStdout()
	objects, err := manifests.Read(os.Args[1:])
	if err != nil {
		manifests.Fail(err)
	}
	cr, err := platform.FindCDI(objects)
	if err != nil {
		manifests.Fail(err)
	}
	if cr == nil {
		return
	}
	ns := platform.Namespace(objects)
	all, err := cluster.CreateAllStaticResources(&cluster.FactoryArgs{Namespace: ns})
	if err != nil {
		manifests.Fail(err)
	}
	nsArgs := &namespaced.FactoryArgs{Namespace: ns, Verbosity: "1", PullPolicy: "IfNotPresent"}
	if cr.Spec.Config != nil && len(cr.Spec.Config.ImagePullSecrets) > 0 {
		nsArgs.ImagePullSecrets = cr.Spec.Config.ImagePullSecrets
	}
	nsObjects, err := namespaced.CreateAllResources(nsArgs)
	if err != nil {
		manifests.Fail(err)
	}
	all = append(all, nsObjects...)
	dynamic, err := cluster.CreateAllDynamicResources(&cluster.FactoryArgs{Namespace: ns})
	if err != nil {
		manifests.Fail(err)
	}
	all = append(all, dynamic...)

	var rbac []client.Object
	for _, o := range all {
		if _, ok := order[kind(o)]; ok {
			rbac = append(rbac, o)
		}
	}
	// The factories are kept in maps; sort for a stable output.
	sort.SliceStable(rbac, func(a, b int) bool {
		ka, kb := order[kind(rbac[a])], order[kind(rbac[b])]
		if ka != kb {
			return ka < kb
		}
		if rbac[a].GetNamespace() != rbac[b].GetNamespace() {
			return rbac[a].GetNamespace() < rbac[b].GetNamespace()
		}
		return rbac[a].GetName() < rbac[b].GetName()
	})
	user := fmt.Sprintf("system:serviceaccount:%s:%s", ns, platform.OperatorName)
	for _, o := range rbac {
		manifests.Print(manifests.Grant{User: user, Object: o})
	}
}

func kind(o client.Object) string {
	return o.GetObjectKind().GroupVersionKind().Kind
}
