// Command feature-gates prints the feature gates KubeVirt registers at the
// pinned version (featuregate.GetRegisteredFeatureGates), one per line,
// sorted by name: "<name> <stage>", where the stage is Alpha, Beta, GA,
// Deprecated or Discontinued. The TypeScript catalogue in
// src/platform/feature-gate.ts is compared with this list in CI.
//
//	feature-gates
package main

import (
	"fmt"
	"os"
	"sort"

	"kubevirt.io/kubevirt/pkg/virt-config/featuregate"
)

// stageWord names a stage the way the TypeScript catalogue does.
func stageWord(s featuregate.State) (string, error) {
	switch s {
	case featuregate.Alpha:
		return "Alpha", nil
	case featuregate.Beta:
		return "Beta", nil
	case featuregate.GA:
		return "GA", nil
	case featuregate.Deprecated:
		return "Deprecated", nil
	case featuregate.Discontinued:
		return "Discontinued", nil
	}
	return "", fmt.Errorf("unknown feature gate state %q", s)
}

func main() {
	gates := featuregate.GetRegisteredFeatureGates()
	names := make([]string, 0, len(gates))
	for name := range gates {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		stage, err := stageWord(gates[name].State)
		if err != nil {
			fmt.Fprintf(os.Stderr, "feature-gates: %s: %v\n", name, err)
			os.Exit(1)
		}
		fmt.Printf("%s %s\n", name, stage)
	}
}
