// Command common-instancetypes prints the cluster instancetypes and
// preferences that virt-operator of the pinned KubeVirt deploys (the
// common-instancetypes bundle it embeds, read through its own decoder in
// pkg/virt-operator/resource/generate/components/instancetypes.go), as one
// JSON object: {"bundleVersion": ..., "instancetypes": {name: spec},
// "preferences": {name: spec}}. CI compares the library's CommonInstancetype
// sizes with it (test/platform/upstream-facts.test.ts).
//
//	common-instancetypes
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"kubevirt.io/kubevirt/pkg/virt-operator/resource/generate/components"
)

// The label virt-operator's bundle carries with the common-instancetypes release it was built from.
const versionLabel = "instancetype.kubevirt.io/common-instancetypes-version"

func main() {
	instancetypes, err := components.NewClusterInstancetypes()
	if err != nil {
		fail(err)
	}
	preferences, err := components.NewClusterPreferences()
	if err != nil {
		fail(err)
	}
	out := struct {
		BundleVersion string                 `json:"bundleVersion"`
		Instancetypes map[string]interface{} `json:"instancetypes"`
		Preferences   map[string]interface{} `json:"preferences"`
	}{Instancetypes: map[string]interface{}{}, Preferences: map[string]interface{}{}}
	for _, it := range instancetypes {
		out.Instancetypes[it.Name] = it.Spec
		if v := it.Labels[versionLabel]; v != "" {
			if out.BundleVersion != "" && out.BundleVersion != v {
				fail(fmt.Errorf("instancetype %s is of bundle %s, others of %s", it.Name, v, out.BundleVersion))
			}
			out.BundleVersion = v
		}
	}
	for _, p := range preferences {
		out.Preferences[p.Name] = p.Spec
	}
	if len(out.Instancetypes) == 0 || len(out.Preferences) == 0 {
		fail(fmt.Errorf("the bundle holds %d instancetypes and %d preferences", len(out.Instancetypes), len(out.Preferences)))
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "common-instancetypes:", err)
	os.Exit(1)
}
