package controlplane

// TestPlaneServesItsAdminOnly runs the real etcd and kube-apiserver (built
// by test/cluster/build.sh into .cluster/bin); without them it skips, except
// in CI (CI set), where it fails.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// binDir is the repository's .cluster/bin, or CHECK_CLUSTER_BIN.
func binDir() string {
	if d := os.Getenv("CHECK_CLUSTER_BIN"); d != "" {
		return d
	}
	d, _ := filepath.Abs(filepath.Join("..", "..", "..", "..", ".cluster", "bin"))
	return d
}

func TestStartNamesTheMissingBinary(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	err = p.Start(context.Background(), t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "etcd is not built") {
		t.Fatalf("want etcd named as not built, got %v", err)
	}
}

func parseCert(t *testing.T, data []byte) *x509.Certificate {
	t.Helper()
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatal("no PEM block")
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCertificatesServeLoopbackAndNameTheAdmin(t *testing.T) {
	f, err := writePKI(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(parseCert(t, f.caPEM))
	serverPEM, err := os.ReadFile(f.serverCert)
	if err != nil {
		t.Fatal(err)
	}
	server := parseCert(t, serverPEM)
	for _, name := range []string{"127.0.0.1", "10.0.0.1", "localhost", "kubernetes.default.svc"} {
		if _, err := server.Verify(x509.VerifyOptions{DNSName: name, Roots: roots}); err != nil {
			t.Errorf("serving certificate for %s: %v", name, err)
		}
	}
	if _, err := server.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: roots}); err == nil {
		t.Error("the serving certificate verified for example.com")
	}
	admin := parseCert(t, f.adminCertPEM)
	if _, err := admin.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
		t.Errorf("admin certificate: %v", err)
	}
	if _, err := admin.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err == nil {
		t.Error("the admin certificate verified for serving")
	}
	if admin.Subject.CommonName != AdminUser || len(admin.Subject.Organization) != 1 || admin.Subject.Organization[0] != AdminGroup {
		t.Errorf("admin subject %v", admin.Subject)
	}
}

func TestPlaneServesItsAdminOnly(t *testing.T) {
	for _, b := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(binDir(), b)); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not built in %s", b, binDir())
			}
			t.Skipf("%s is not built in %s (run npm run cluster:build)", b, binDir())
		}
	}
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if err := p.Start(context.Background(), binDir()); err != nil {
		t.Fatal(err)
	}
	tlsConfig, err := p.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	get := func(cfg *tls.Config, path string) int {
		t.Helper()
		c := &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 10 * time.Second}
		resp, err := c.Get(p.Host + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := get(tlsConfig, "/api/v1/namespaces/kube-system/secrets"); code != http.StatusOK {
		t.Fatalf("admin listing secrets: HTTP %d", code)
	}
	// without the admin certificate the server's RBAC refuses
	anonymous := &tls.Config{RootCAs: tlsConfig.RootCAs, MinVersion: tls.VersionTLS12}
	if code := get(anonymous, "/api/v1/namespaces/kube-system/secrets"); code != http.StatusForbidden && code != http.StatusUnauthorized {
		t.Fatalf("anonymous listing secrets: HTTP %d, want 401 or 403", code)
	}

	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	if err := p.WriteKubeconfig(kubeconfig); err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Clusters []struct {
			Cluster struct {
				Server string `json:"server"`
			} `json:"cluster"`
		} `json:"clusters"`
	}
	data, err := os.ReadFile(kubeconfig)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &cfg); err != nil || len(cfg.Clusters) != 1 || cfg.Clusters[0].Cluster.Server != p.Host {
		t.Fatalf("kubeconfig names %+v (%v), want %s", cfg, err, p.Host)
	}

	var pids []int
	for _, pr := range p.procs {
		pids = append(pids, pr.cmd.Process.Pid)
	}
	dir := p.dir
	p.Stop()
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); err != syscall.ESRCH {
			t.Errorf("process %d is still there after Stop (%v)", pid, err)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("%s is still there after Stop", dir)
	}
}
