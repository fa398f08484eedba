package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"sort"
	"strings"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
	"github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

const (
	waveAnnotation   = "argocd.argoproj.io/sync-wave"
	bindImmediate    = "cdi.kubevirt.io/storage.bind.immediate.requested"
	usePopulator     = "cdi.kubevirt.io/storage.usePopulator"
	dataVolumeKind   = "cdi.kubevirt.io_DataVolume"
	dvSucceededState = "succeeded"
)

// readManifests reads every object of the folder as a GitOps tool applies
// it (internal/manifests: file order, then document order).
func readManifests(dir string) ([]*unstructured.Unstructured, error) {
	objs, err := manifests.Read([]string{dir})
	if err != nil {
		return nil, err
	}
	out := make([]*unstructured.Unstructured, 0, len(objs))
	for _, o := range objs {
		obj := &unstructured.Unstructured{}
		if err := obj.UnmarshalJSON(o.JSON); err != nil {
			return nil, fmt.Errorf("%s #%d: %w", o.File, o.Index, err)
		}
		out = append(out, obj)
	}
	return out, nil
}

// runStrategy is a VM spec's run strategy, from the deprecated running
// field when runStrategy is unset.
func runStrategy(spec map[string]any) string {
	if s, ok := spec["runStrategy"].(string); ok {
		return s
	}
	if r, ok := spec["running"].(bool); ok && r {
		return "Always"
	}
	return "Halted"
}

// settledState names the sample whose status obj ends in: the state a
// sync waits for. dvStates holds the settled state of every DataVolume seen,
// by namespace/name (DataVolumes are read first).
func settledState(obj *unstructured.Unstructured, dvStates map[string]string) (string, string) {
	spec, _, _ := unstructured.NestedMap(obj.Object, "spec")
	ann := obj.GetAnnotations()
	switch groupKind(obj) {
	case "kubevirt.io_VirtualMachine":
		switch s := runStrategy(spec); s {
		case "Halted", "Manual":
			return "stopped-halted", "runStrategy " + s + " keeps it stopped"
		default:
			return "running", "runStrategy " + s
		}
	case dataVolumeKind:
		if _, upload, _ := unstructured.NestedMap(obj.Object, "spec", "source", "upload"); upload && ann[bindImmediate] == "true" {
			return "upload-ready", "an upload source: the data comes from virtctl image-upload"
		}
		if ann[bindImmediate] == "true" {
			return dvSucceededState, "binds at once (" + bindImmediate + ")"
		}
		if ann[usePopulator] == "false" {
			return "wait-for-first-consumer", "storage that may be WaitForFirstConsumer"
		}
		return "pending-population", "storage that may be WaitForFirstConsumer, through CDI's populators"
	case "snapshot.storage.k8s.io_VolumeSnapshot":
		pvc, _, _ := unstructured.NestedString(obj.Object, "spec", "source", "persistentVolumeClaimName")
		if st, ok := dvStates[obj.GetNamespace()+"/"+pvc]; ok && st != dvSucceededState && st != "upload-ready" {
			return "pending", "its DataVolume " + pvc + " ends in " + st + ", so the claim may never bind"
		}
		return "ready", "snapshot of a bound claim"
	case "pool.kubevirt.io_VirtualMachinePool":
		tmpl, _, _ := unstructured.NestedMap(obj.Object, "spec", "virtualMachineTemplate", "spec")
		if s := runStrategy(tmpl); s == "Halted" || s == "Manual" {
			return "stopped", "its VMs' runStrategy " + s + " keeps them stopped"
		}
		return "ready", "every replica ready"
	case "kubevirt.io_KubeVirt", "cdi.kubevirt.io_CDI":
		return "deployed", "the operator deployed it"
	case "nmstate.io_NodeNetworkConfigurationPolicy":
		return "available", "applied on its nodes"
	case "migrations.kubevirt.io_MigrationPolicy", "instancetype.kubevirt.io_VirtualMachineInstancetype",
		"instancetype.kubevirt.io_VirtualMachineClusterInstancetype", "instancetype.kubevirt.io_VirtualMachinePreference",
		"instancetype.kubevirt.io_VirtualMachineClusterPreference":
		return "configured", "has no status"
	case "cdi.kubevirt.io_DataImportCron":
		return "up-to-date", "newest import done"
	case "cdi.kubevirt.io_DataSource":
		return "ready", "its source is ready"
	case "snapshot.kubevirt.io_VirtualMachineSnapshot", "clone.kubevirt.io_VirtualMachineClone":
		return "succeeded", "done"
	case "snapshot.kubevirt.io_VirtualMachineRestore":
		return "complete", "done"
	case "export.kubevirt.io_VirtualMachineExport":
		return "ready", "serving"
	case "template.kubevirt.io_VirtualMachineTemplate":
		return "ready", "ready to be processed"
	case "velero.io_Schedule":
		return "enabled", "validated"
	case "velero.io_BackupStorageLocation":
		return "available", "its bucket answers"
	}
	return "", ""
}

// settle gives obj the status of its settled state's sample.
func settle(obj *unstructured.Unstructured, s sample) *unstructured.Unstructured {
	out := obj.DeepCopy()
	if st, ok := s.obj.Object["status"]; ok {
		out.Object["status"] = runtimeCopy(st)
	} else {
		delete(out.Object, "status")
	}
	if groupKind(obj) == "pool.kubevirt.io_VirtualMachinePool" {
		n, found, _ := unstructured.NestedInt64(obj.Object, "spec", "replicas")
		if !found {
			n = 1
		}
		_ = unstructured.SetNestedField(out.Object, n, "status", "replicas")
		if s.state == "ready" {
			_ = unstructured.SetNestedField(out.Object, n, "status", "readyReplicas")
		}
	}
	return out
}

// toUnstructured converts a decoded document the way the API machinery
// does (whole numbers become int64).
func toUnstructured(m map[string]any) (*unstructured.Unstructured, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	obj := &unstructured.Unstructured{}
	return obj, obj.UnmarshalJSON(raw)
}

func runtimeCopy(v any) any {
	return (&unstructured.Unstructured{Object: map[string]any{"v": v}}).DeepCopy().Object["v"]
}

type waveRow struct {
	wave, kind, state, why, before, after string
}

func runWaves(args []string) error {
	fs := flag.NewFlagSet("waves", flag.ExitOnError)
	builtInOnly := fs.Bool("built-in", false, "judge with Argo CD's built-in checks alone, as without the health pack")
	_ = fs.Parse(args)
	args = fs.Args()
	if len(args) != 3 {
		usage()
	}
	overrides, err := overridesFrom(args[0])
	if err != nil {
		return err
	}
	if *builtInOnly {
		overrides = map[string]v1alpha1.ResourceOverride{}
	}
	samples, err := readSamples(args[1])
	if err != nil {
		return err
	}
	byName := map[string]sample{}
	for _, s := range samples {
		byName[s.dir+"/"+s.state] = s
	}
	objs, err := readManifests(args[2])
	if err != nil {
		return err
	}
	// DataVolumes first: a VolumeSnapshot's end state follows its claim's.
	sort.SliceStable(objs, func(i, j int) bool {
		return groupKind(objs[i]) == dataVolumeKind && groupKind(objs[j]) != dataVolumeKind
	})
	dvStates := map[string]string{}
	builtIn := map[string]v1alpha1.ResourceOverride{}
	counts := map[waveRow]int{}
	skipped := map[string]int{}
	var failures []string
	for _, obj := range objs {
		gk := groupKind(obj)
		state, why := settledState(obj, dvStates)
		if state == "" {
			if o, ok := overrides[strings.Replace(gk, "_", "/", 1)]; ok && o.HealthLua != "" {
				failures = append(failures, fmt.Sprintf("%s %s/%s: the pack has a check for it but no end state is known here", gk, obj.GetNamespace(), obj.GetName()))
			} else {
				skipped[gk]++
			}
			continue
		}
		if gk == dataVolumeKind {
			dvStates[obj.GetNamespace()+"/"+obj.GetName()] = state
		}
		s, ok := byName[gk+"/"+state]
		if !ok {
			return fmt.Errorf("no sample %s/%s.yaml for %s/%s", gk, state, obj.GetNamespace(), obj.GetName())
		}
		settled := settle(obj, s)
		before, _, err := judge(settled, builtIn)
		if err != nil {
			return err
		}
		after, msg, err := judge(settled, overrides)
		if err != nil {
			return err
		}
		wave := obj.GetAnnotations()[waveAnnotation]
		if wave == "" {
			wave = "0"
		}
		counts[waveRow{wave, gk, state, why, before, after}]++
		switch after {
		case "Healthy":
		case "none":
			failures = append(failures, fmt.Sprintf("wave %s %s %s/%s: Argo CD has no check for it, so the next wave does not wait for it at all", wave, gk, obj.GetNamespace(), obj.GetName()))
		default:
			failures = append(failures, fmt.Sprintf("wave %s %s %s/%s settles in %s (%s): Argo CD says %s (%s), and the sync waits for it forever", wave, gk, obj.GetNamespace(), obj.GetName(), state, why, after, msg))
		}
	}
	rows := make([]waveRow, 0, len(counts))
	for r := range counts {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.wave != b.wave {
			return a.wave < b.wave
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.state < b.state
	})
	total := 0
	for _, r := range rows {
		fmt.Printf("wave %-3s %3d x %-45s settles in %-24s before %-11s after %-11s (%s)\n", r.wave, counts[r], r.kind, r.state, r.before, r.after, r.why)
		total += counts[r]
	}
	var names []string
	for k, n := range skipped {
		names = append(names, fmt.Sprintf("%s x%d", k, n))
	}
	sort.Strings(names)
	fmt.Printf("%d objects judged in their end state; not judged here (Kubernetes' own kinds, whose health gitops-engine reads from their rollout, or kinds without a check): %s\n", total, strings.Join(names, ", "))
	for _, f := range failures {
		fmt.Println("BLOCKS:", f)
	}
	if len(failures) > 0 {
		return fmt.Errorf("%d objects would keep a sync waiting", len(failures))
	}
	fmt.Println("every judged object ends Healthy: the waves finish")
	return nil
}
