package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/client-go/rest"
)

// plane is a throw-away control plane: one etcd and one kube-apiserver on
// loopback, in the manner of controller-runtime's envtest. The admin user
// authenticates with a client certificate in system:masters; everything else
// goes through RBAC.
type plane struct {
	dir   string
	cfg   *rest.Config
	once  sync.Once
	mu    sync.Mutex
	procs []*proc
	done  bool
}

// proc is a started process and a channel closed once it has been reaped.
type proc struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

func (p *proc) hasExited() bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// freePort asks the kernel for an unused loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// newPlane makes a plane with its own temporary directory; start runs it.
// Directories left by runs that were killed outright are removed first.
func newPlane() (*plane, error) {
	removeStaleDirs()
	dir, err := os.MkdirTemp("", "check-cluster-")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return nil, err
	}
	return &plane{dir: dir}, nil
}

// removeStaleDirs deletes the directories of planes whose owner has died
// (SIGKILL leaves no chance to clean up; the processes die with the owner).
func removeStaleDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "check-cluster-*"))
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if syscall.Kill(pid, 0) == syscall.ESRCH {
			_ = os.RemoveAll(d)
		}
	}
}

// start runs etcd and kube-apiserver from binDir and waits until the API
// server reports ready. The caller stops the plane, also when start fails.
func (p *plane) start(ctx context.Context, binDir string) error {
	for _, b := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(binDir, b)); err != nil {
			return fmt.Errorf("%s is not built (%s is absent): run npm run cluster:build", b, filepath.Join(binDir, b))
		}
	}
	dir := p.dir
	etcdPort, err := freePort()
	if err != nil {
		return err
	}
	peerPort, err := freePort()
	if err != nil {
		return err
	}
	etcdURL := "http://127.0.0.1:" + strconv.Itoa(etcdPort)
	peerURL := "http://127.0.0.1:" + strconv.Itoa(peerPort)
	if err := p.spawn(filepath.Join(binDir, "etcd"),
		"--name=default",
		"--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+etcdURL,
		"--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL,
		"--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=default="+peerURL,
		// the data dies with the run: skip the disk flushes
		"--unsafe-no-fsync=true",
		"--log-level=warn",
	); err != nil {
		return err
	}
	if err := p.waitHTTP(ctx, "etcd", etcdURL+"/health", http.DefaultClient, 60*time.Second); err != nil {
		return err
	}

	pki, err := writePKI(filepath.Join(dir, "pki"))
	if err != nil {
		return err
	}
	apiPort, err := freePort()
	if err != nil {
		return err
	}
	host := "https://127.0.0.1:" + strconv.Itoa(apiPort)
	if err := p.spawn(filepath.Join(binDir, "kube-apiserver"),
		"--etcd-servers="+etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(apiPort),
		"--cert-dir="+filepath.Join(dir, "certs"),
		"--tls-cert-file="+pki.serverCert,
		"--tls-private-key-file="+pki.serverKey,
		"--client-ca-file="+pki.caCert,
		"--authorization-mode=RBAC",
		"--service-account-issuer="+host,
		"--service-account-key-file="+pki.saPub,
		"--service-account-signing-key-file="+pki.saKey,
		"--service-cluster-ip-range=10.0.0.0/24",
		"--allow-privileged=true",
	); err != nil {
		return err
	}
	p.cfg = &rest.Config{
		Host:            host,
		TLSClientConfig: rest.TLSClientConfig{CAData: pki.caPEM, CertData: pki.adminCertPEM, KeyData: pki.adminKeyPEM},
		QPS:             1000,
		Burst:           2000,
		Timeout:         60 * time.Second,
	}
	tr, err := rest.TransportFor(p.cfg)
	if err != nil {
		return err
	}
	if err := p.waitHTTP(ctx, "kube-apiserver", host+"/readyz", &http.Client{Transport: tr, Timeout: 5 * time.Second}, 180*time.Second); err != nil {
		return err
	}
	return nil
}

// spawn starts a binary in its own process group, logging to a file in the
// plane's directory. Pdeathsig kills it if this process dies without
// cleaning up (even on SIGKILL).
func (p *plane) spawn(bin string, args ...string) error {
	name := filepath.Base(bin)
	logf, err := os.Create(filepath.Join(p.dir, name+".log"))
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		logf.Close()
		return fmt.Errorf("not starting %s: the plane is stopping", name)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("starting %s: %w", name, err)
	}
	pr := &proc{cmd: cmd, exited: make(chan struct{})}
	p.procs = append(p.procs, pr)
	go func() {
		_ = cmd.Wait()
		logf.Close()
		close(pr.exited)
	}()
	return nil
}

// waitHTTP polls url until it answers 200, the last process dies or the
// time runs out; a failure quotes the end of the process's log.
func (p *plane) waitHTTP(ctx context.Context, what, url string, c *http.Client, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	p.mu.Lock()
	last := p.procs[len(p.procs)-1]
	p.mu.Unlock()
	var lastErr string
	for time.Now().Before(deadline) {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		resp, err := c.Get(url)
		if err == nil {
			body := new(bytes.Buffer)
			_, _ = body.ReadFrom(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			lastErr = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, lastLines(body.String(), 5))
		} else {
			lastErr = err.Error()
		}
		if last.hasExited() {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s did not become ready (%s); end of its log:\n%s", what, lastErr, p.logTail(what, 20))
}

func (p *plane) logTail(name string, n int) string {
	b, _ := os.ReadFile(filepath.Join(p.dir, name+".log"))
	return lastLines(string(b), n)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// pids lists the process ids the plane started.
func (p *plane) pids() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int
	for _, c := range p.procs {
		out = append(out, c.cmd.Process.Pid)
	}
	return out
}

// stop ends the API server, then etcd (each process group: SIGTERM, then
// SIGKILL after 10s), and removes the plane's directory. Safe to call twice
// and from a signal handler.
func (p *plane) stop() {
	if p == nil {
		return
	}
	p.once.Do(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.done = true
		for i := len(p.procs) - 1; i >= 0; i-- {
			pr := p.procs[i]
			pid := pr.cmd.Process.Pid
			_ = syscall.Kill(-pid, syscall.SIGTERM)
			select {
			case <-pr.exited:
			case <-time.After(10 * time.Second):
			}
			// whatever is left of its process group
			_ = syscall.Kill(-pid, syscall.SIGKILL)
			select {
			case <-pr.exited:
			case <-time.After(5 * time.Second):
			}
		}
		_ = os.RemoveAll(p.dir)
	})
}

type pkiFiles struct {
	caCert, serverCert, serverKey, saKey, saPub string
	caPEM, adminCertPEM, adminKeyPEM            []byte
}

// writePKI makes a fresh CA, a serving certificate for 127.0.0.1/localhost,
// an admin client certificate (group system:masters) and the service
// account signing key pair.
func writePKI(dir string) (*pkiFiles, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "check-cluster-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	leaf := func(serial int64, subject pkix.Name, usage x509.ExtKeyUsage, ips []net.IP, dns []string) ([]byte, []byte, error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      subject,
			NotBefore:    now.Add(-time.Hour),
			NotAfter:     now.Add(24 * time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
			IPAddresses:  ips,
			DNSNames:     dns,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return nil, nil, err
		}
		keyDER, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			return nil, nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
			pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), nil
	}
	serverCert, serverKey, err := leaf(2, pkix.Name{CommonName: "kube-apiserver"}, x509.ExtKeyUsageServerAuth,
		[]net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.0.0.1")}, []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"})
	if err != nil {
		return nil, err
	}
	adminCert, adminKey, err := leaf(3, pkix.Name{CommonName: "check-cluster-admin", Organization: []string{"system:masters"}}, x509.ExtKeyUsageClientAuth, nil, nil)
	if err != nil {
		return nil, err
	}
	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	saPub, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return nil, err
	}
	f := &pkiFiles{
		caCert:       filepath.Join(dir, "ca.crt"),
		serverCert:   filepath.Join(dir, "server.crt"),
		serverKey:    filepath.Join(dir, "server.key"),
		saKey:        filepath.Join(dir, "sa.key"),
		saPub:        filepath.Join(dir, "sa.pub"),
		caPEM:        pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		adminCertPEM: adminCert,
		adminKeyPEM:  adminKey,
	}
	for path, data := range map[string][]byte{
		f.caCert:     f.caPEM,
		f.serverCert: serverCert,
		f.serverKey:  serverKey,
		f.saKey:      pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(saKey)}),
		f.saPub:      pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: saPub}),
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return nil, err
		}
	}
	return f, nil
}
