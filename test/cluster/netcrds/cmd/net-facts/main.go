// Command net-facts prints upstream facts about the network components that
// the TypeScript library keeps by hand, one "<fact> <value>" per line (a
// list comma-separated and sorted). CI compares them with the library
// (test/platform/upstream-facts.test.ts).
//
//	net-facts --cni-plugins <version>
//
// Facts:
//   - multus-log-levels: the names Multus v4's logging package takes for
//     each of its levels (Level.String, each read back by SetLogLevel);
//   - cni-plugins-main, cni-plugins-ipam, cni-plugins-meta: the plugins of
//     containernetworking/plugins at the given version (the folders of
//     plugins/main, plugins/ipam and plugins/meta, the Windows ones left
//     out), the version the library pins;
//   - bridge-default-name: the bridge the bridge plugin of that version
//     uses when its config names none (bridge.go defaultBrName);
//   - snapshot-deletion-policies: the DeletionPolicy constants of the
//     external-snapshotter v8 API (VolumeSnapshotClass deletionPolicy);
//   - macvlan-modes: the modes the macvlan plugin of that version accepts
//     (the cases of plugins/main/macvlan/macvlan.go modeFromString).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	// linked so that the build information names the pinned snapshot API
	_ "github.com/kubernetes-csi/external-snapshotter/client/v8/apis/volumesnapshot/v1"
	"gopkg.in/k8snetworkplumbingwg/multus-cni.v4/pkg/logging"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

const (
	pluginsModule  = "github.com/containernetworking/plugins"
	snapshotModule = "github.com/kubernetes-csi/external-snapshotter/client/v8"
)

func main() {
	fs := flag.NewFlagSet("net-facts", flag.ContinueOnError)
	version := fs.String("cni-plugins", "", "the containernetworking/plugins version to read (the library's Versions.CNI_PLUGINS)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		manifests.Fail(err)
	}
	if *version == "" {
		manifests.Fail(fmt.Errorf("--cni-plugins <version> is required"))
	}
	facts := map[string][]string{"multus-log-levels": multusLogLevels()}
	dir, err := manifests.DownloadModule(pluginsModule, *version)
	if err != nil {
		manifests.Fail(err)
	}
	for _, group := range []string{"main", "ipam", "meta"} {
		facts["cni-plugins-"+group] = pluginFolders(filepath.Join(dir, "plugins", group))
	}
	bridgeName, err := manifests.ConstantNamed(filepath.Join(dir, "plugins", "main", "bridge"), "defaultBrName")
	if err != nil {
		manifests.Fail(err)
	}
	facts["bridge-default-name"] = []string{bridgeName}
	snapshotDir, err := manifests.ModuleDir(snapshotModule)
	if err != nil {
		manifests.Fail(err)
	}
	policies, err := manifests.StringConstants(filepath.Join(snapshotDir, "apis", "volumesnapshot", "v1"), "DeletionPolicy")
	if err != nil {
		manifests.Fail(err)
	}
	facts["snapshot-deletion-policies"] = policies
	modes, err := manifests.CaseStrings(filepath.Join(dir, "plugins", "main", "macvlan", "macvlan.go"), "modeFromString")
	if err != nil {
		manifests.Fail(err)
	}
	facts["macvlan-modes"] = modes
	names := make([]string, 0, len(facts))
	for k := range facts {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		sort.Strings(facts[k])
		fmt.Printf("%s %s\n", k, strings.Join(facts[k], ","))
	}
}

// multusLogLevels names every level below MaxLevel and checks that Multus
// reads the name back as that level.
func multusLogLevels() []string {
	var out []string
	for l := logging.PanicLevel; l < logging.MaxLevel; l++ {
		logging.SetLogLevel(l.String())
		if logging.GetLoggingLevel() != l {
			manifests.Fail(fmt.Errorf("multus reads its level name %q as level %d, not %d", l.String(), logging.GetLoggingLevel(), l))
		}
		out = append(out, l.String())
	}
	return out
}

// pluginFolders lists the plugin folders of a group, the Windows ones left out.
func pluginFolders(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		manifests.Fail(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && e.Name() != "windows" {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		manifests.Fail(fmt.Errorf("no plugin in %s", dir))
	}
	return out
}
