package platform

import (
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"

	"kubevirt.io/containerized-data-importer/pkg/operator/resources/cluster"
)

func TestTheOperatorCreatesTheControllerClusterRole(t *testing.T) {
	objects, err := cluster.CreateAllStaticResources(&cluster.FactoryArgs{Namespace: DefaultNamespace})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range objects {
		if r, ok := o.(*rbacv1.ClusterRole); ok && r.Name == "cdi" && len(r.Rules) > 0 {
			return
		}
	}
	t.Fatal("no cdi ClusterRole with rules")
}
