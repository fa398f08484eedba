package admit

import (
	"strings"
	"testing"
)

// pool renders a VirtualMachinePool of one VM whose spec ends with extra,
// the options the library's SmartCloneFleet renders with pool: true.
func pool(extra string) string {
	return `apiVersion: pool.kubevirt.io/v1beta1
kind: VirtualMachinePool
metadata:
  name: workers
  namespace: ns
spec:
  replicas: 4
  selector:
    matchLabels: {kubevirt.cdk8s.io/fleet: workers}
  virtualMachineTemplate:
    metadata:
      labels: {kubevirt.cdk8s.io/fleet: workers}
    spec:
      runStrategy: Halted
      template:
        spec:
          domain:
            devices:
              disks:
              - name: root
                disk: {bus: virtio}
            resources:
              requests:
                memory: 128Mi
          volumes:
          - name: root
            containerDisk:
              image: quay.io/containerdisks/fedora:41
` + extra
}

func TestAllowsEveryPoolOptionTheLibraryRenders(t *testing.T) {
	v := only(t, judge(t, pool(`  maxUnavailable: 25%
  scaleInStrategy:
    proactive:
      selectionPolicy: {sortPolicy: DescendingOrder}
      statePreservation: Offline
  updateStrategy:
    proactive:
      selectionPolicy:
        sortPolicy: Oldest
        selectors:
          labelSelector:
            matchLabels: {tier: canary}
  autohealing:
    startUpFailureThreshold: 5
    minFailingToStartDuration: 600s
`)), "VirtualMachinePool")
	if !v.Allowed {
		t.Fatalf("refused: %s", v.Message)
	}
}

// The rules the library applies at synthesis, refused by KubeVirt's own
// pool admitter (vmpool-admitter.go:138-181).
func TestRefusesWhatThePoolOptionsRulesRefuse(t *testing.T) {
	for _, c := range []struct{ name, extra, message string }{
		{"a count of 0", "  maxUnavailable: 0\n", "maxUnavailable must be greater than 0"},
		{"a percentage over 100", "  maxUnavailable: 150%\n", "must be between 1 and 100"},
		{"two update strategies", "  updateStrategy:\n    unmanaged: {}\n    proactive: {}\n", "only one strategy can be configured at a time"},
	} {
		v := only(t, judge(t, pool(c.extra)), "VirtualMachinePool")
		if v.Allowed || !strings.Contains(v.Message, c.message) {
			t.Fatalf("%s: expected a refusal containing %q, got %+v", c.name, c.message, v)
		}
		t.Logf("%s: %s", c.name, v.Message)
	}
}
