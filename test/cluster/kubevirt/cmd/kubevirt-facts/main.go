// Command kubevirt-facts prints upstream facts that the TypeScript library
// keeps by hand, read from KubeVirt's own packages at the pinned version,
// one "<fact> <value>" per line, sorted by fact; a list value is sorted and
// comma-separated. CI compares them with the library's tables
// (test/platform/upstream-facts.test.ts).
//
//	kubevirt-facts
//	kubevirt-facts --declared <key>,...   (only the declared lines)
//
// Facts:
//   - default-*: virt-config defaults;
//   - enum <package>.<Type>: every constant of that string type in the
//     pinned API module's source (kubevirt.io/api; k8s.io/api/core/v1 for
//     the claim access and volume modes);
//   - fields <package>.<Type>: the JSON names of the struct's fields, by
//     reflection (the members of a one-of such as DiskDevice);
//   - admitted <what>: the values a validating webhook's own allow-list
//     holds (read from the admitter package's variable);
//   - restricted vmi-labels: the VM instance labels the webhook refuses from
//     users (its restrictedVmiLabels);
//   - declared <key> <package>: with --declared, the package of kubevirt.io/api
//     or KubeVirt's pkg that declares each key as a string constant ("-"
//     when none does);
//   - hyperv-requires: the Hyper-V enlightenment dependencies, found by
//     running the webhook's dependency validation on each enlightenment
//     switched on with every other one switched off.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	_ "unsafe" // go:linkname below

	k8sfield "k8s.io/apimachinery/pkg/util/validation/field"

	v1 "kubevirt.io/api/core/v1"
	_ "kubevirt.io/kubevirt/pkg/network/admitter"
	"kubevirt.io/kubevirt/pkg/virt-api/webhooks"
	_ "kubevirt.io/kubevirt/pkg/virt-api/webhooks/validating-webhook/admitters"
	virtconfig "kubevirt.io/kubevirt/pkg/virt-config"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// The allow-lists the webhooks check against are package variables without
// an exported accessor; they are read as they are linked into this binary.
//
// pkg/network/admitter/netiface.go validInterfaceModels
//
//go:linkname validInterfaceModels kubevirt.io/kubevirt/pkg/network/admitter.validInterfaceModels
var validInterfaceModels map[string]struct{}

// pkg/virt-api/webhooks/validating-webhook/admitters/vmi-create-admitter.go validCPUFeaturePolicies
//
//go:linkname validCPUFeaturePolicies kubevirt.io/kubevirt/pkg/virt-api/webhooks/validating-webhook/admitters.validCPUFeaturePolicies
var validCPUFeaturePolicies map[string]*struct{}

// pkg/virt-api/webhooks/validating-webhook/admitters/vmi-create-admitter.go restrictedVmiLabels
//
//go:linkname restrictedVmiLabels kubevirt.io/kubevirt/pkg/virt-api/webhooks/validating-webhook/admitters.restrictedVmiLabels
var restrictedVmiLabels map[string]bool

const apiModule = "kubevirt.io/api"

// String types whose constants the library mirrors, by module and package folder.
var enums = map[[2]string][]string{
	{apiModule, "core/v1"}: {
		"DiskBus", "DriverCache", "DriverIO", "DiskErrorPolicy", "HostDiskType", "IOThreadsPolicy",
		"WatchdogAction", "InputBus", "EvictionStrategy", "VirtualMachineRunStrategy",
		"HPETTickPolicy", "PITTickPolicy", "RTCTickPolicy", "MigrationMethod",
	},
	{apiModule, "instancetype/v1beta1"}: {"PreferredCPUTopology"},
	// src/storage/data-volume-render.ts ACCESS_MODES and VOLUME_MODES
	{"k8s.io/api", "core/v1"}: {"PersistentVolumeAccessMode", "PersistentVolumeMode"},
}

func main() {
	fs := flag.NewFlagSet("kubevirt-facts", flag.ContinueOnError)
	declared := fs.String("declared", "", "comma-separated annotation and label keys to look up among the string constants of kubevirt.io/api and KubeVirt's pkg")
	if err := fs.Parse(os.Args[1:]); err != nil {
		fail(err)
	}
	if *declared != "" {
		if err := manifests.PrintDeclared(os.Stdout, *declared, [][2]string{{apiModule, ""}, {"kubevirt.io/kubevirt", "pkg"}}); err != nil {
			fail(err)
		}
		return
	}
	facts := map[string]string{
		// src/compute/vm/rules/platform.ts DEFAULT_AMD64_EMULATED_MACHINES
		"default-amd64-emulated-machines": virtconfig.DefaultAMD64EmulatedMachines,
		// src/compute/vm/machine.ts MachineType.Q35
		"default-amd64-machine-type": virtconfig.DefaultAMD64MachineType,
		// src/compute/performance/cpu.ts CpuModel
		"cpu-modes": list([]string{v1.CPUModeHostModel, v1.CPUModeHostPassthrough}),
	}
	for at, types := range enums {
		module, pkg := at[0], at[1]
		dir, err := manifests.ModuleDir(module)
		if err != nil {
			fail(err)
		}
		prefix := filepath.Base(pkg)
		if module != apiModule {
			prefix = module + "/" + pkg
		}
		for _, t := range types {
			values, err := manifests.StringConstants(filepath.Join(dir, pkg), t)
			if err != nil {
				fail(err)
			}
			// an empty constant (RunStrategyUnknown) is no value a user sets
			facts["enum "+prefix+"."+t] = list(nonEmpty(values))
		}
	}
	for _, s := range []interface{}{
		v1.DiskDevice{}, v1.FeatureHyperv{}, v1.InterfaceBindingMethod{}, v1.NetworkSource{},
		v1.Timer{}, v1.ClockOffset{},
	} {
		t := reflect.TypeOf(s)
		facts["fields "+filepath.Base(t.PkgPath())+"."+t.Name()] = list(manifests.JSONFields(t))
	}
	facts["admitted interface-models"] = list(keys(validInterfaceModels))
	facts["admitted cpu-feature-policies"] = list(keys(validCPUFeaturePolicies))
	facts["restricted vmi-labels"] = list(keys(restrictedVmiLabels))
	facts["hyperv-requires"] = list(hypervRequires())

	names := make([]string, 0, len(facts))
	for k := range facts {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Printf("%s %s\n", k, facts[k])
	}
}

var requiresMessage = regexp.MustCompile(`^'spec\.domain\.features\.hyperv\.(\w+)' requires 'spec\.domain\.features\.hyperv\.(\w+)'`)

// hypervRequires switches each enlightenment of FeatureHyperv that has an
// Enabled switch on, every other one off, and reads which one the webhook's
// dependency validation says it requires: "feature:needs" pairs.
func hypervRequires() []string {
	t := reflect.TypeOf(v1.FeatureHyperv{})
	var out []string
	for on := 0; on < t.NumField(); on++ {
		hv := reflect.New(t).Elem()
		switchable := true
		for i := 0; i < t.NumField(); i++ {
			state := reflect.New(t.Field(i).Type.Elem())
			enabled := state.Elem().FieldByName("Enabled")
			if !enabled.IsValid() {
				if i == on {
					switchable = false
				}
				continue
			}
			b := i == on
			enabled.Set(reflect.ValueOf(&b))
			hv.Field(i).Set(state)
		}
		if !switchable {
			continue
		}
		features := hv.Addr().Interface().(*v1.FeatureHyperv)
		spec := &v1.VirtualMachineInstanceSpec{Domain: v1.DomainSpec{
			Features: &v1.Features{Hyperv: features},
			// evmcs also requires the vmx CPU feature; give it so that only
			// enlightenment dependencies are reported
			CPU: &v1.CPU{Features: []v1.CPUFeature{{Name: "vmx", Policy: "require"}}},
		}}
		for _, cause := range webhooks.ValidateVirtualMachineInstanceHypervFeatureDependencies(k8sfield.NewPath("spec"), spec) {
			m := requiresMessage.FindStringSubmatch(cause.Message)
			if m == nil {
				fail(fmt.Errorf("hyperv dependency message not understood: %q", cause.Message))
			}
			out = append(out, m[1]+":"+m[2])
		}
	}
	if len(out) == 0 {
		fail(fmt.Errorf("the webhook reported no Hyper-V dependency"))
	}
	return out
}

// keys lists a map's keys but the empty one (an unset value the lists allow).
func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return nonEmpty(out)
}

func nonEmpty(values []string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func list(values []string) string {
	s := append([]string(nil), values...)
	sort.Strings(s)
	return strings.Join(s, ",")
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "kubevirt-facts:", err)
	os.Exit(1)
}
