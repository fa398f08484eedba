package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
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
	defer p.Stop()
	stdinClosed := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		close(stdinClosed)
	}()

	ctx := context.Background()
	start := time.Now()
	if err := p.Start(ctx, binDir); err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster: control plane:", err)
		return 2
	}
	c, err := newChecker(adminConfig(p), os.Stdout)
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
	warmWrites(ctx, c)
	if err := p.WriteKubeconfig(kubeconfig); err != nil {
		fmt.Fprintln(os.Stderr, "check-cluster: writing the kubeconfig:", err)
		return 2
	}
	fmt.Printf("control plane up in %.1fs with %d CRDs from %s; admin kubeconfig %s\n", time.Since(start).Seconds(), n, crdDir, kubeconfig)
	fmt.Printf("serving %s\n", p.Host)
	<-stdinClosed
	return 0
}

// warmWrites sends a server-side dry-run create of an empty object of each
// installed CRD's kind, all at once: kube-apiserver builds a custom
// resource's write path on its first write (about two seconds each on a
// small machine), and the first real client should not wait for it. What
// the dry runs answer does not matter.
func warmWrites(ctx context.Context, c *checker) {
	var wg sync.WaitGroup
	for _, crd := range c.upstream {
		group, _, _ := unstructured.NestedString(crd.Object, "spec", "group")
		kind, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "kind")
		plural, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "plural")
		scope, _, _ := unstructured.NestedString(crd.Object, "spec", "scope")
		versions, _, _ := unstructured.NestedSlice(crd.Object, "spec", "versions")
		for _, v := range versions {
			version, _ := v.(map[string]interface{})
			if stored, _ := version["storage"].(bool); !stored {
				continue
			}
			name, _ := version["name"].(string)
			obj := &unstructured.Unstructured{Object: map[string]interface{}{
				"apiVersion": group + "/" + name, "kind": kind, "metadata": map[string]interface{}{"name": "warm-up"},
			}}
			gvr := schema.GroupVersionResource{Group: group, Version: name, Resource: plural}
			var ri dynamic.ResourceInterface = c.dyn.Resource(gvr)
			if scope == "Namespaced" {
				ri = c.dyn.Resource(gvr).Namespace(metav1.NamespaceDefault)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = ri.Create(ctx, obj, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}, FieldManager: fieldManager})
			}()
		}
	}
	wg.Wait()
}
