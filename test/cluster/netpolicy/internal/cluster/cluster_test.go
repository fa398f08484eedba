package cluster

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

const vmManifests = `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata: {name: a1, namespace: tenant-a}
spec:
  template:
    metadata: {labels: {app: db}}
    spec:
      networks:
      - {name: tenant, multus: {networkName: tenant-a-net, default: true}}
      - {name: storage, multus: {networkName: rook-ceph/ceph-public}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: multi-networkpolicy, namespace: kube-system}
spec:
  template:
    spec:
      containers:
      - name: multi-networkpolicy
        command: [/usr/bin/multi-networkpolicy-iptables]
        args: [--host-prefix=/host]
`

func TestLauncherPodCarriesKubeVirtsAnnotations(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "m.yaml"), []byte(vmManifests), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Read([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if !c.HasAgent || len(c.AgentArgs) != 1 || c.AgentArgs[0] != "--host-prefix=/host" {
		t.Errorf("agent args: %v %q", c.HasAgent, c.AgentArgs)
	}
	pod := c.Pods["tenant-a/a1"]
	if pod == nil {
		t.Fatalf("no launcher pod for the VM: %v", c.Pods)
	}
	if pod.Labels["app"] != "db" || pod.Labels["kubevirt.io"] != "virt-launcher" || pod.Labels["vmi.kubevirt.io/id"] != "a1" {
		t.Errorf("labels: %v", pod.Labels)
	}
	if got := pod.Annotations[DefaultNetworkAnnotation]; got != "tenant-a-net" {
		t.Errorf("default network annotation: %q", got)
	}
	status := `[{"name":"tenant-a/tenant-a-net","interface":"eth0","ips":["10.0.0.2"],"default":true},{"name":"rook-ceph/ceph-public","interface":"pod1a2b","ips":["10.0.1.2"]}]`
	if err := SetNetworkStatus(pod, []byte(status)); err != nil {
		t.Fatal(err)
	}
	var elements []networkElement
	if err := json.Unmarshal([]byte(pod.Annotations[NetworksAnnotation]), &elements); err != nil {
		t.Fatal(err)
	}
	want := []networkElement{{Name: "ceph-public", Namespace: "rook-ceph", Interface: "pod1a2b"}}
	if len(elements) != 1 || elements[0] != want[0] {
		t.Errorf("networks annotation: %+v, want %+v", elements, want)
	}
	if len(c.Namespaces) != 1 || c.Namespaces[0].Labels["kubernetes.io/metadata.name"] != "tenant-a" {
		t.Errorf("namespaces: %+v", c.Namespaces)
	}
}
