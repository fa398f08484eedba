// Package platform finds the CDI CR and CDI's install namespace among the
// inputs.
package platform

import (
	"encoding/json"
	"fmt"

	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// DefaultNamespace is where CDI runs when the inputs do not say.
const DefaultNamespace = "cdi"

// OperatorName names the CDI operator's ServiceAccount and Deployment.
const OperatorName = "cdi-operator"

// FindCDI returns the first CDI CR among the objects, or nil.
func FindCDI(objects []manifests.Object) (*cdiv1.CDI, error) {
	for _, o := range objects {
		if o.Group() != cdiv1.SchemeGroupVersion.Group || o.Kind != "CDI" {
			continue
		}
		cr := &cdiv1.CDI{}
		if err := json.Unmarshal(o.JSON, cr); err != nil {
			return nil, fmt.Errorf("CDI %s: %w", o.Name, err)
		}
		return cr, nil
	}
	return nil, nil
}

// Namespace returns the namespace of the CDI operator's ServiceAccount (or
// Deployment) among the objects: the namespace CDI installs itself into.
func Namespace(objects []manifests.Object) string {
	for _, kind := range []string{"ServiceAccount", "Deployment"} {
		for _, o := range objects {
			if o.Kind == kind && o.Name == OperatorName && o.Namespace != "" {
				return o.Namespace
			}
		}
	}
	return DefaultNamespace
}
