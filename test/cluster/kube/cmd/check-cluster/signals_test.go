package main

// The process tests: check-cluster leaves no etcd or kube-apiserver behind,
// whatever signal ends it.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// children lists the processes whose parent is pid.
func children(pid int) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndex(s, ")")+1:])
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			out = append(out, child)
		}
	}
	return out
}

func alive(pid int) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndex(s, ")")+1:])
	return len(fields) > 0 && fields[0] != "Z"
}

// TestNoProcessLeftBehind runs check-cluster (this test binary in its
// place), interrupts it once etcd and kube-apiserver run, and checks that
// both are gone: SIGINT and SIGTERM go through the clean stop, SIGKILL
// through the parent-death signal.
func TestNoProcessLeftBehind(t *testing.T) {
	needBinaries(t)
	input := filepath.Join(t.TempDir(), "a.yaml")
	if err := os.WriteFile(input, []byte(goodNamespace), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGKILL} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "--bin", binDir(), "--crds", t.TempDir(), "--skip-missing-tools", input)
			cmd.Env = append(os.Environ(), "CHECK_CLUSTER_AS_MAIN=1")
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var kids []int
			deadline := time.Now().Add(60 * time.Second)
			for time.Now().Before(deadline) && len(kids) < 2 {
				time.Sleep(50 * time.Millisecond)
				kids = children(cmd.Process.Pid)
			}
			if len(kids) < 2 {
				_ = cmd.Process.Kill()
				t.Fatalf("etcd and kube-apiserver did not start (children %v)", kids)
			}
			_ = cmd.Process.Signal(sig)
			_ = cmd.Wait()
			deadline = time.Now().Add(20 * time.Second)
			for _, k := range kids {
				for alive(k) && time.Now().Before(deadline) {
					time.Sleep(50 * time.Millisecond)
				}
				if alive(k) {
					_ = syscall.Kill(k, syscall.SIGKILL)
					t.Fatalf("process %d outlived check-cluster after %v", k, sig)
				}
			}
		})
	}
}
