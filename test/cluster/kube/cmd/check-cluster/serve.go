package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

// serve starts a control plane, installs the CRDs under crdDir, writes an
// admin kubeconfig to kubeconfig and stays up until SIGINT, SIGTERM or
// SIGHUP (exit 130), or until its standard input closes (the caller died), for
// programs that run real clients against it (the data-plane pass runs
// whereabouts' CNI plugin this way). Its last line before it blocks is
// "serving <URL>"; a failure to start exits 2.
func serve(binDir, crdDir, kubeconfig string) int {
	p, err := newPlaneStoppedOnSignal()
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster:", err)
		return 2
	}
	defer p.stop()
	stdinClosed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stdinClosed)
	}()

	ctx := context.Background()
	start := time.Now()
	if err := p.start(ctx, binDir); err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster: control plane:", err)
		return 2
	}
	c, err := newChecker(p.cfg, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster:", err)
		return 2
	}
	n, err := c.installCRDs(ctx, crdDir)
	if err == nil && n == 0 {
		err = fmt.Errorf("no CRD under %s", crdDir)
	}
	if err != nil || c.failed > 0 {
		fmt.Fprintln(os.Stderr, "check-cluster: installing CRDs:", err)
		return 2
	}
	if err := writeKubeconfig(kubeconfig, p); err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster: writing the kubeconfig:", err)
		return 2
	}
	fmt.Printf("control plane up in %.1fs with %d CRDs from %s; admin kubeconfig %s\n", time.Since(start).Seconds(), n, crdDir, kubeconfig)
	fmt.Printf("serving %s\n", p.cfg.Host)
	<-stdinClosed
	return 0
}

// writeKubeconfig writes the plane's admin credentials as a kubeconfig
// (JSON, which every kubeconfig reader accepts), readable by root only.
func writeKubeconfig(file string, p *plane) error {
	b64 := base64.StdEncoding.EncodeToString
	cfg := map[string]interface{}{
		"apiVersion": "v1",
		"kind":       "Config",
		"clusters": []interface{}{map[string]interface{}{
			"name":    "check-cluster",
			"cluster": map[string]interface{}{"server": p.cfg.Host, "certificate-authority-data": b64(p.cfg.CAData)},
		}},
		"users": []interface{}{map[string]interface{}{
			"name": "check-cluster-admin",
			"user": map[string]interface{}{"client-certificate-data": b64(p.cfg.CertData), "client-key-data": b64(p.cfg.KeyData)},
		}},
		"contexts": []interface{}{map[string]interface{}{
			"name":    "check-cluster",
			"context": map[string]interface{}{"cluster": "check-cluster", "user": "check-cluster-admin"},
		}},
		"current-context": "check-cluster",
	}
	body, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append(body, '\n'), 0o600)
}
