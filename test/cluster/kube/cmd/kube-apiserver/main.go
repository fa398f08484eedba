// Command kube-apiserver is the Kubernetes API server of the pinned
// k8s.io/kubernetes release, built from the Go module proxy so the cluster
// checks run the real server's validation, admission and RBAC code.
package main

import (
	"os"
	_ "time/tzdata" // CronJob time zones, as in the release binary

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
