// Package controlplane starts a throw-away Kubernetes control plane, in the
// manner of controller-runtime's envtest: one etcd and one kube-apiserver
// from a folder of built binaries, on free loopback ports, with a fresh CA,
// serving certificate, admin client certificate and service account keys.
// It waits until both answer ready, writes an admin kubeconfig on request,
// and stops both (also when its owner dies) and removes what it wrote.
//
// It uses the standard library only, so a module of any Kubernetes line can
// start it and build its own client from Host and the admin credentials.
package controlplane

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
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
)

// dirPrefix starts the name of every plane's temporary directory.
const dirPrefix = "check-cluster-"

// Plane is one etcd and one kube-apiserver on loopback. The admin user
// authenticates with a client certificate in system:masters; everything else
// goes through RBAC. Host and the PEM fields are set once Start succeeds.
type Plane struct {
	// Host is the API server's URL (https://127.0.0.1:<port>).
	Host string
	// CAPEM is the CA that signed the serving and admin certificates.
	CAPEM []byte
	// CertPEM and KeyPEM are the admin client certificate and its key.
	CertPEM, KeyPEM []byte
	// APIServerFlags are added to kube-apiserver's flags (set before Start).
	APIServerFlags []string

	dir   string
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

// New makes a plane with its own temporary directory; Start runs it.
// Directories left by runs that were killed outright are removed first.
func New() (*Plane, error) {
	removeStaleDirs()
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return nil, err
	}
	return &Plane{dir: dir}, nil
}

// removeStaleDirs deletes the directories of planes whose owner has died
// (SIGKILL leaves no chance to clean up; the processes die with the owner).
func removeStaleDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
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

// Start runs etcd and kube-apiserver from binDir and waits until the API
// server reports ready. The caller stops the plane, also when Start fails.
func (p *Plane) Start(ctx context.Context, binDir string) error {
	for _, b := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(binDir, b)); err != nil {
			return fmt.Errorf("%s is not built (%s is absent): run npm run cluster:build", b, filepath.Join(binDir, b))
		}
	}
	etcdURL, err := p.startEtcd(ctx, binDir)
	if err != nil {
		return err
	}
	return p.startAPIServer(ctx, binDir, etcdURL)
}

// loopbackURLs returns a URL on a free loopback port for each scheme.
func loopbackURLs(schemes ...string) ([]string, error) {
	var out []string
	for _, s := range schemes {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		out = append(out, s+"://127.0.0.1:"+strconv.Itoa(port))
	}
	return out, nil
}

// startEtcd runs a single-member etcd and returns its client URL once it
// reports healthy.
func (p *Plane) startEtcd(ctx context.Context, binDir string) (string, error) {
	urls, err := loopbackURLs("http", "http")
	if err != nil {
		return "", err
	}
	client, peer := urls[0], urls[1]
	if err := p.spawn(filepath.Join(binDir, "etcd"),
		"--name=default",
		"--data-dir="+filepath.Join(p.dir, "etcd"),
		"--listen-client-urls="+client,
		"--advertise-client-urls="+client,
		"--listen-peer-urls="+peer,
		"--initial-advertise-peer-urls="+peer,
		"--initial-cluster=default="+peer,
		// the data dies with the run: skip the disk flushes
		"--unsafe-no-fsync=true",
		"--log-level=warn",
	); err != nil {
		return "", err
	}
	return client, p.waitHTTP(ctx, "etcd", client+"/health", http.DefaultClient, 60*time.Second)
}

// startAPIServer runs kube-apiserver on etcdURL with fresh certificates and
// waits for /readyz as the admin user.
func (p *Plane) startAPIServer(ctx context.Context, binDir, etcdURL string) error {
	pki, err := writePKI(filepath.Join(p.dir, "pki"))
	if err != nil {
		return err
	}
	urls, err := loopbackURLs("https")
	if err != nil {
		return err
	}
	host := urls[0]
	flags := append([]string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + host[strings.LastIndex(host, ":")+1:],
		"--cert-dir=" + filepath.Join(p.dir, "certs"),
		"--tls-cert-file=" + pki.serverCert,
		"--tls-private-key-file=" + pki.serverKey,
		"--client-ca-file=" + pki.caCert,
		"--authorization-mode=RBAC",
		"--service-account-issuer=" + host,
		"--service-account-key-file=" + pki.saPub,
		"--service-account-signing-key-file=" + pki.saKey,
		"--service-cluster-ip-range=10.0.0.0/24",
		"--allow-privileged=true",
	}, p.APIServerFlags...)
	if err := p.spawn(filepath.Join(binDir, "kube-apiserver"), flags...); err != nil {
		return err
	}
	p.Host, p.CAPEM, p.CertPEM, p.KeyPEM = host, pki.caPEM, pki.adminCertPEM, pki.adminKeyPEM
	tlsConfig, err := p.TLSConfig()
	if err != nil {
		return err
	}
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsConfig}, Timeout: 5 * time.Second}
	return p.waitHTTP(ctx, "kube-apiserver", host+"/readyz", c, 180*time.Second)
}

// TLSConfig trusts the plane's CA and presents the admin certificate.
func (p *Plane) TLSConfig() (*tls.Config, error) {
	if p.Host == "" {
		return nil, errors.New("the control plane has not started")
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(p.CAPEM) {
		return nil, errors.New("the control plane's CA does not parse")
	}
	cert, err := tls.X509KeyPair(p.CertPEM, p.KeyPEM)
	if err != nil {
		return nil, err
	}
	return &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// spawn starts a binary in its own process group, logging to a file in the
// plane's directory. Pdeathsig kills it if this process dies without
// cleaning up (even on SIGKILL).
func (p *Plane) spawn(bin string, args ...string) error {
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
func (p *Plane) waitHTTP(ctx context.Context, what, url string, c *http.Client, limit time.Duration) error {
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
			lastErr = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, LastLines(body.String(), 5))
		} else {
			lastErr = err.Error()
		}
		if last.hasExited() {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	b, _ := os.ReadFile(filepath.Join(p.dir, what+".log"))
	return fmt.Errorf("%s did not become ready (%s); end of its log:\n%s", what, lastErr, LastLines(string(b), 20))
}

// LastLines is the last n lines of s.
func LastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Stop ends the API server, then etcd (each process group: SIGTERM, then
// SIGKILL after 10s), and removes the plane's directory. Safe to call twice,
// on a nil plane and from a signal handler.
func (p *Plane) Stop() {
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
