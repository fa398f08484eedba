package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"k8s.io/client-go/rest"

	"cdk8s-kubevirt/test/cluster/internal/controlplane"
)

// newPlaneStoppedOnSignal makes a control plane that a SIGINT, SIGTERM or
// SIGHUP stops before the process exits (130); the plane's parent-death
// signal covers a SIGKILL of this process.
func newPlaneStoppedOnSignal() (*controlplane.Plane, error) {
	p, err := controlplane.New()
	if err != nil {
		return nil, err
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		s := <-sigs
		interrupted.Store(true)
		fmt.Fprintf(os.Stderr, "check-cluster: %v: stopping the control plane\n", s)
		p.Stop()
		os.Exit(130)
	}()
	return p, nil
}

// adminConfig is the client configuration of the started plane's admin,
// with limits high enough for a check that sends every object twice.
func adminConfig(p *controlplane.Plane) *rest.Config {
	return &rest.Config{
		Host:            p.Host,
		TLSClientConfig: rest.TLSClientConfig{CAData: p.CAPEM, CertData: p.CertPEM, KeyData: p.KeyPEM},
		QPS:             1000,
		Burst:           2000,
		Timeout:         60 * time.Second,
	}
}
