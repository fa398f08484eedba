// The throw-away control plane of the cluster tools: etcd and kube-apiserver
// on loopback with their own certificates, standard library only, so that
// every module can start it whatever Kubernetes line it pins.
module cdk8s-kubevirt/test/cluster/internal/controlplane

go 1.24.0
