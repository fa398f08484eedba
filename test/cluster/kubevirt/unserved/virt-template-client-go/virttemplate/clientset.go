// Package virttemplate gives a REST client for the template.kubevirt.io group.
package virttemplate

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
)

// Clientset reaches the template API group.
type Clientset struct {
	v1beta1 *V1beta1Client
}

// V1beta1Client reaches template.kubevirt.io/v1beta1.
type V1beta1Client struct {
	client rest.Interface
}

// RESTClient returns the underlying REST client.
func (c *V1beta1Client) RESTClient() rest.Interface { return c.client }

// TemplateV1beta1 returns the v1beta1 client.
func (c *Clientset) TemplateV1beta1() *V1beta1Client { return c.v1beta1 }

// NewForConfig builds a client set for the given configuration.
func NewForConfig(c *rest.Config) (*Clientset, error) {
	config := *c
	config.GroupVersion = &schema.GroupVersion{Group: "template.kubevirt.io", Version: "v1beta1"}
	config.APIPath = "/apis"
	config.NegotiatedSerializer = serializer.WithoutConversionCodecFactory{CodecFactory: scheme.Codecs}
	client, err := rest.RESTClientFor(&config)
	if err != nil {
		return nil, err
	}
	return &Clientset{v1beta1: &V1beta1Client{client: client}}, nil
}
