// Command argocd-health judges objects the way Argo CD v3.2.12 does: it
// reads an argocd-cm ConfigMap through Argo CD's own settings code
// (util/settings: the SettingsManager over a clientset holding the
// ConfigMap, then GetResourceOverrides), and judges each object with
// gitops-engine's health.GetResourceHealth and the Lua overrides of
// util/lua, the path Argo CD's controller takes (controller/sync.go:309,
// controller/health.go:39).
//
//	argocd-health samples [--markdown <file>] <argocd-cm.yaml> <samples dir>
//	    judges every sample <dir>/<group>_<kind>/<state>.yaml against the
//	    status its "# expect: <status>" line names, both with the ConfigMap
//	    and with Argo CD's built-in checks alone ("before"); prints the
//	    matrix; fails on any sample whose status differs from its expectation.
//	    With --markdown, writes the matrix as a Markdown table.
//	argocd-health waves [--built-in] <argocd-cm.yaml> <samples dir> <manifests dir>
//	    gives every object of the manifests the status it settles in (the
//	    status of the sample that is the end state of its spec) and judges
//	    it: a multi-wave sync waits until each object is Healthy
//	    (gitops-engine pkg/sync/sync_context.go:478-491), so any other answer,
//	    or no answer for a kind whose end state the pack knows, fails. With
//	    --built-in, judges with Argo CD's own checks alone.
package main

import (
	"fmt"
	"os"

	log "github.com/sirupsen/logrus"
)

func main() {
	// Argo CD's settings code logs each informer start at info level.
	log.SetLevel(log.WarnLevel)
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "samples":
		err = runSamples(os.Args[2:])
	case "waves":
		err = runWaves(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "argocd-health:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: argocd-health samples [--markdown <file>] <argocd-cm.yaml> <samples dir>\n       argocd-health waves [--built-in] <argocd-cm.yaml> <samples dir> <manifests dir>")
	os.Exit(2)
}
