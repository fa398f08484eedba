// Command kubevirt-facts prints upstream facts that the TypeScript library
// keeps by hand, read from KubeVirt's own packages at the pinned version,
// one "<fact> <value>" per line, sorted by fact. CI compares them with the
// library's tables (test/platform/upstream-facts.test.ts).
//
//	kubevirt-facts
package main

import (
	"fmt"
	"sort"

	virtconfig "kubevirt.io/kubevirt/pkg/virt-config"
)

func main() {
	facts := map[string]string{
		// src/compute/platform-rules.ts DEFAULT_AMD64_EMULATED_MACHINES
		"default-amd64-emulated-machines": virtconfig.DefaultAMD64EmulatedMachines,
		// src/compute/machine.ts MachineType.Q35
		"default-amd64-machine-type": virtconfig.DefaultAMD64MachineType,
	}
	keys := make([]string, 0, len(facts))
	for k := range facts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s %s\n", k, facts[k])
	}
}
