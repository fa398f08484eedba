// Package core names the API group of KubeVirt's VM templates.
package core

// The API group and resource names of VirtualMachineTemplate.
const (
	GroupName            = "template.kubevirt.io"
	PluralResourceName   = "virtualmachinetemplates"
	SingularResourceName = "virtualmachinetemplate"
)
