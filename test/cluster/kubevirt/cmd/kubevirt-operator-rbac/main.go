// Command kubevirt-operator-rbac prints every ServiceAccount, ClusterRole,
// Role, ClusterRoleBinding and RoleBinding that virt-operator's install
// strategy (KubeVirt's own generate/install and generate/rbac code) creates
// for the KubeVirt CR among the inputs, one JSON line each, with the user
// that creates it: virt-operator's service account.
package main

import (
	"fmt"
	"os"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"cdk8s-kubevirt/test/cluster/kubevirt/internal/platform"
)

func main() {
	manifests.KeepStdout()
	objects, err := manifests.Read(os.Args[1:])
	if err != nil {
		manifests.Fail(err)
	}
	kv, err := platform.FindKubeVirt(objects)
	if err != nil {
		manifests.Fail(err)
	}
	if kv == nil {
		return
	}
	strategy, err := platform.Strategy(kv)
	if err != nil {
		manifests.Fail(err)
	}
	user := fmt.Sprintf("system:serviceaccount:%s:kubevirt-operator", kv.Namespace)
	printAll(user, corev1.SchemeGroupVersion.WithKind("ServiceAccount"), strategy.ServiceAccounts())
	printAll(user, rbacv1.SchemeGroupVersion.WithKind("ClusterRole"), strategy.ClusterRoles())
	printAll(user, rbacv1.SchemeGroupVersion.WithKind("Role"), strategy.Roles())
	printAll(user, rbacv1.SchemeGroupVersion.WithKind("ClusterRoleBinding"), strategy.ClusterRoleBindings())
	printAll(user, rbacv1.SchemeGroupVersion.WithKind("RoleBinding"), strategy.RoleBindings())
}

// printAll prints each object with its apiVersion and kind set.
func printAll[T runtime.Object](user string, gvk schema.GroupVersionKind, objects []T) {
	for _, o := range objects {
		c := o.DeepCopyObject()
		c.GetObjectKind().SetGroupVersionKind(gvk)
		manifests.Print(manifests.Grant{User: user, Object: c})
	}
}
