// Package storagepass follows every DataVolume of the input (standalone, and
// those VirtualMachine and VirtualMachinePool templates create) through
// CDI's own sizing and clone planning on a controller-runtime fake client
// holding the storage the user describes with Facts (the PVC CDI renders for
// each import, its size padded for file system overhead by CDI's code, the
// snapshot of it, and for each clone the size check of CDI's DataVolume
// controllers and the strategy of CDI's clone planner), then through CDI's
// own controllers on a real API server (package controlrun), whose verdict
// decides whether each disk progresses or stalls.
package storagepass

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/go-logr/logr"
	snapshotv1 "github.com/kubernetes-csi/external-snapshotter/client/v6/apis/volumesnapshot/v1"
	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/record"
	"sigs.k8s.io/controller-runtime/pkg/client"
	crfake "sigs.k8s.io/controller-runtime/pkg/client/fake"

	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"
	"kubevirt.io/containerized-data-importer/pkg/controller/clone"
	cc "kubevirt.io/containerized-data-importer/pkg/controller/common"
	dvc "kubevirt.io/containerized-data-importer/pkg/controller/datavolume"

	"cdk8s-kubevirt/test/cluster/cdi/internal/admit"
	"cdk8s-kubevirt/test/cluster/cdi/internal/controlrun"
	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

// Facts describe every storage class the input names (and the cluster's
// default class, for DataVolumes that name none).
type Facts struct {
	// Provisioner is the CSI driver of every storage class and snapshot class.
	Provisioner string
	// VolumeMode and AccessModes are the StorageProfile's first claim property set.
	VolumeMode  corev1.PersistentVolumeMode
	AccessModes []corev1.PersistentVolumeAccessMode
	// AllowExpansion is the storage classes' allowVolumeExpansion.
	AllowExpansion bool
	// Overhead is CDI's global file system overhead, as CDIConfig states it ("0.06").
	Overhead string
	// CloneStrategy is the StorageProfile's cloneStrategy; empty for CDI's default.
	CloneStrategy string
	// NoCSIDriverObject leaves out the CSIDriver object, which some CSI drivers
	// do not register: CDI then fills claims without its populators unless a
	// DataVolume asks for them.
	NoCSIDriverObject bool
}

// String names the facts in the output.
func (f Facts) String() string {
	strategy := f.CloneStrategy
	if strategy == "" {
		strategy = "(CDI default)"
	}
	return fmt.Sprintf("provisioner=%s volumeMode=%s accessModes=%v allowVolumeExpansion=%t filesystemOverhead=%s cloneStrategy=%s csiDriverObject=%t",
		f.Provisioner, f.VolumeMode, f.AccessModes, f.AllowExpansion, f.Overhead, strategy, !f.NoCSIDriverObject)
}

// DefaultClass is the storage class of DataVolumes that name none.
const DefaultClass = "default"

// Line is the verdict on one DataVolume.
type Line struct {
	Disk     string // namespace/name
	Method   string // import, upload, snapshot-restore, csi-clone or host-assisted
	Size     int64  // bytes of the claim CDI asks for (0 when unknown)
	Stalls   string // why CDI never finishes it; empty when it progresses
	Mismatch string // how the manifests' promise differs from what CDI does
	Outside  string // the clone source, when the input does not hold it (not judged)
	Source   string // the clone source's kind (VolumeSnapshot or PersistentVolumeClaim); empty for imports
	Reached  string // the phase a host-assisted copy reached (its copying pods are not run)
	Cron     string // for a DataImportCron: what CDI's controller did
}

// Plan is what a fleet's plan promises (fleet.plan in the library).
type Plan struct {
	Namespace         string   `json:"namespace"`
	Name              string   `json:"name"`
	CopyOnWriteClones int      `json:"copyOnWriteClones"`
	FullCopies        int      `json:"fullCopies"`
	Conditions        []string `json:"conditions"`
}

// FleetLabel marks the VirtualMachines (and the pool) of a fleet.
const FleetLabel = "kubevirt.cdk8s.io/fleet"

// fleetDisks maps each DataVolume a fleet's VMs create, and each DataVolume
// carrying the fleet label, (namespace/name) to its fleet (namespace/fleet).
func fleetDisks(objects []manifests.Object) (map[string]string, error) {
	out := map[string]string{}
	for _, o := range objects {
		isVM := o.Group() == "kubevirt.io" && o.Kind == "VirtualMachine"
		isPool := o.Group() == "pool.kubevirt.io" && o.Kind == "VirtualMachinePool"
		isDV := o.Group() == cdiv1.SchemeGroupVersion.Group && o.Kind == "DataVolume"
		if !isVM && !isPool && !isDV {
			continue
		}
		var meta struct {
			Metadata struct {
				Labels map[string]string `json:"labels"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(o.JSON, &meta); err != nil {
			return nil, err
		}
		fleet := meta.Metadata.Labels[FleetLabel]
		if fleet == "" {
			continue
		}
		var dvs []manifests.Object
		var err error
		if isDV {
			// a fleet's own DataVolume (a copy of its image)
			dvs = []manifests.Object{o}
		} else {
			dvs, err = admit.Judged([]manifests.Object{o})
		}
		if err != nil {
			return nil, err
		}
		for _, d := range dvs {
			out[d.Namespace+"/"+d.Name] = o.Namespace + "/" + fleet
		}
	}
	return out, nil
}

// Compare sets what CDI does for each fleet's disks against its plan: one
// line per plan, ending with MISMATCH when the counts differ. A clone from
// a snapshot that CDI restores counts as copy-on-write; a clone from a PVC
// (whatever CDI picks) and a snapshot clone CDI copies host-assisted count
// as full copies.
func Compare(objects []manifests.Object, lines []Line, plans []Plan) ([]string, int, error) {
	owners, err := fleetDisks(objects)
	if err != nil {
		return nil, 0, err
	}
	type count struct{ cow, full, stalls int }
	counts := map[string]*count{}
	for _, l := range lines {
		fleet, ok := owners[l.Disk]
		if !ok || l.Source == "" {
			continue
		}
		c := counts[fleet]
		if c == nil {
			c = &count{}
			counts[fleet] = c
		}
		switch {
		case l.Stalls != "":
			c.stalls++
		case l.Source == "PersistentVolumeClaim" || l.Method == "host-assisted":
			c.full++
		default:
			c.cow++
		}
	}
	var out []string
	bad := 0
	for _, p := range plans {
		c := counts[p.Namespace+"/"+p.Name]
		if c == nil {
			c = &count{}
		}
		line := fmt.Sprintf("plan %s/%s: %d copy-on-write, %d full copies; CDI: %d copy-on-write, %d full copies, %d stalled",
			p.Namespace, p.Name, p.CopyOnWriteClones, p.FullCopies, c.cow, c.full, c.stalls)
		if c.cow != p.CopyOnWriteClones || c.full != p.FullCopies || c.stalls > 0 {
			bad++
			line += " MISMATCH"
			if len(p.Conditions) > 0 {
				line += " (the plan's conditions: " + strings.Join(p.Conditions, "; ") + ")"
			}
		}
		out = append(out, line)
	}
	return out, bad, nil
}

func (l Line) String() string {
	state := "progresses"
	if l.Outside != "" {
		state = "progresses once " + l.Outside + " exists (not in the input, not judged)"
	}
	if l.Reached != "" && l.Stalls == "" {
		state = "progresses to phase " + l.Reached + " (the host-assisted copy itself is not run)"
	}
	if l.Method == "upload" && l.Stalls == "" {
		state = "progresses once the image is uploaded (not run: the clones see the claim as uploaded)"
	}
	if l.Stalls != "" {
		state = "STALLS: " + l.Stalls
	}
	if l.Cron != "" {
		return fmt.Sprintf("%s (DataImportCron): %s %s", l.Disk, l.Cron, state)
	}
	s := fmt.Sprintf("%s: %s size %d %s", l.Disk, l.Method, l.Size, state)
	if l.Mismatch != "" {
		s += " MISMATCH: " + l.Mismatch
	}
	return s
}

type dataVolume struct {
	namespace, name string
	dv              cdiv1.DataVolume
}

// Controllers says where the binaries and CRDs of the controller run are.
type Controllers struct {
	BinDir  string        // holds etcd and kube-apiserver
	CRDDirs []string      // CDI's and the snapshot CRDs
	Limit   time.Duration // how long the DataVolumes may take to finish
}

// Run judges every DataVolume of objects under facts: sizes and strategies
// from CDI's claim rendering and clone planner on a fake client, then the
// verdict of CDI's own controllers run on a real API server.
func Run(objects []manifests.Object, facts Facts, ctrls Controllers) ([]Line, error) {
	ctx := context.Background()
	judged, err := admit.Judged(objects)
	if err != nil {
		return nil, err
	}
	var dvs []dataVolume
	classes := map[string]bool{DefaultClass: true}
	for _, o := range judged {
		if o.Kind != "DataVolume" {
			continue
		}
		var dv cdiv1.DataVolume
		if err := json.Unmarshal(o.JSON, &dv); err != nil {
			return nil, fmt.Errorf("DataVolume %s/%s: %w", o.Namespace, o.Name, err)
		}
		dv.Namespace = o.Namespace
		if dv.Spec.Storage != nil && dv.Spec.Storage.StorageClassName != nil {
			classes[*dv.Spec.Storage.StorageClassName] = true
		}
		dvs = append(dvs, dataVolume{o.Namespace, o.Name, dv})
	}
	snapshots := map[string]snapshotv1.VolumeSnapshot{}
	dataSources := map[string]cdiv1.DataSource{}
	live := controlrun.Input{VolumeMode: facts.VolumeMode, Driver: facts.Provisioner}
	snapClasses := map[string]bool{}
	for _, o := range objects {
		switch o.Group() + "/" + o.Kind {
		case "snapshot.storage.k8s.io/VolumeSnapshot":
			var s snapshotv1.VolumeSnapshot
			if err := json.Unmarshal(o.JSON, &s); err != nil {
				return nil, err
			}
			s.Namespace = o.Namespace
			snapshots[o.Namespace+"/"+o.Name] = s
			live.Snapshots = append(live.Snapshots, *s.DeepCopy())
			if s.Spec.VolumeSnapshotClassName != nil {
				snapClasses[*s.Spec.VolumeSnapshotClassName] = true
			}
		case "cdi.kubevirt.io/DataSource":
			var d cdiv1.DataSource
			if err := json.Unmarshal(o.JSON, &d); err != nil {
				return nil, err
			}
			d.Namespace = o.Namespace
			dataSources[o.Namespace+"/"+o.Name] = d
			live.DataSources = append(live.DataSources, *d.DeepCopy())
		}
	}

	c, err := cluster(facts, classes, snapClasses)
	if err != nil {
		return nil, err
	}
	// the claims CDI renders for the imports and blank disks, as they stand once filled
	claims := map[string]*corev1.PersistentVolumeClaim{}
	var lines []Line
	for _, d := range dvs {
		src := d.dv.Spec.Source
		if d.dv.Spec.SourceRef != nil || (src != nil && (src.PVC != nil || src.Snapshot != nil)) {
			continue
		}
		pvc := claimOf(d)
		line := Line{Disk: d.namespace + "/" + d.name, Method: "import"}
		upload := src != nil && src.Upload != nil
		if upload {
			line.Method = "upload"
		}
		if err := dvc.RenderPvc(ctx, c, pvc); err != nil {
			line.Stalls = err.Error()
		} else {
			q := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
			line.Size = q.Value()
			if upload {
				// nobody uploads here: the controller run gets the claim as it stands once uploaded
				uploaded := pvc.DeepCopy()
				uploaded.Annotations[cc.AnnPodPhase] = string(corev1.PodSucceeded)
				live.Claims = append(live.Claims, *uploaded)
			}
			pvc.Status = corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound, Capacity: corev1.ResourceList{corev1.ResourceStorage: q}}
			if err := c.Create(ctx, pvc); err != nil {
				return nil, err
			}
			claims[line.Disk] = pvc
		}
		lines = append(lines, line)
	}
	// each VolumeSnapshot of a filled claim, ready, restoring the claim's size
	makeSnapshots := func() error {
		for key, s := range snapshots {
			if s.Spec.Source.PersistentVolumeClaimName == nil || s.Status != nil {
				continue
			}
			claim := claims[s.Namespace+"/"+*s.Spec.Source.PersistentVolumeClaimName]
			if claim == nil {
				continue
			}
			size := claim.Status.Capacity[corev1.ResourceStorage]
			contentName := "content-" + s.Namespace + "-" + s.Name
			ready := true
			s.Status = &snapshotv1.VolumeSnapshotStatus{BoundVolumeSnapshotContentName: &contentName, ReadyToUse: &ready, RestoreSize: &size}
			content := &snapshotv1.VolumeSnapshotContent{
				ObjectMeta: metav1.ObjectMeta{Name: contentName},
				Spec: snapshotv1.VolumeSnapshotContentSpec{
					Driver:            facts.Provisioner,
					SourceVolumeMode:  claim.Spec.VolumeMode,
					Source:            snapshotv1.VolumeSnapshotContentSource{VolumeHandle: &contentName},
					VolumeSnapshotRef: corev1.ObjectReference{Namespace: s.Namespace, Name: s.Name},
				},
			}
			snap := s
			if err := c.Create(ctx, content); err != nil {
				return err
			}
			if err := c.Create(ctx, &snap); err != nil {
				return err
			}
			snapshots[key] = snap
		}
		return nil
	}
	if err := makeSnapshots(); err != nil {
		return nil, err
	}

	// PVC clones first: a snapshot may be taken of a clone, and restored in turn
	planner := &clone.Planner{Client: c, Recorder: record.NewFakeRecorder(1000)}
	for pass := 0; pass < 2; pass++ {
		for _, d := range dvs {
			src := d.dv.Spec.Source
			kind, ns, name := "", "", ""
			switch {
			case d.dv.Spec.SourceRef != nil:
				refNS := d.namespace
				if d.dv.Spec.SourceRef.Namespace != nil {
					refNS = *d.dv.Spec.SourceRef.Namespace
				}
				ds, ok := dataSources[refNS+"/"+d.dv.Spec.SourceRef.Name]
				if !ok {
					lines = append(lines, Line{Disk: d.namespace + "/" + d.name, Method: "clone", Stalls: "DataSource " + refNS + "/" + d.dv.Spec.SourceRef.Name + " is not in the input"})
					continue
				}
				if ds.Spec.Source.Snapshot != nil {
					kind, ns, name = "VolumeSnapshot", ds.Spec.Source.Snapshot.Namespace, ds.Spec.Source.Snapshot.Name
				} else if ds.Spec.Source.PVC != nil {
					kind, ns, name = "PersistentVolumeClaim", ds.Spec.Source.PVC.Namespace, ds.Spec.Source.PVC.Name
				}
			case src != nil && src.Snapshot != nil:
				kind, ns, name = "VolumeSnapshot", src.Snapshot.Namespace, src.Snapshot.Name
			case src != nil && src.PVC != nil:
				kind, ns, name = "PersistentVolumeClaim", src.PVC.Namespace, src.PVC.Name
			default:
				continue
			}
			if ns == "" {
				ns = d.namespace
			}
			if (pass == 0) != (kind == "PersistentVolumeClaim") {
				continue
			}
			line, filled := cloneLine(ctx, c, planner, d, kind, ns, name, snapshots, claims)
			if filled != nil {
				if err := c.Create(ctx, filled); err != nil {
					return nil, err
				}
				claims[line.Disk] = filled
			}
			lines = append(lines, line)
		}
		if err := makeSnapshots(); err != nil {
			return nil, err
		}
	}
	for _, d := range dvs {
		if d.dv.Spec.Source != nil && d.dv.Spec.Source.Upload != nil {
			continue
		}
		dv := d.dv.DeepCopy()
		dv.Namespace, dv.Name = d.namespace, d.name
		live.DataVolumes = append(live.DataVolumes, *dv)
	}
	for _, o := range objects {
		if o.Group() == cdiv1.SchemeGroupVersion.Group && o.Kind == "DataImportCron" {
			var cron cdiv1.DataImportCron
			if err := json.Unmarshal(o.JSON, &cron); err != nil {
				return nil, fmt.Errorf("DataImportCron %s/%s: %w", o.Namespace, o.Name, err)
			}
			cron.Namespace = o.Namespace
			live.Crons = append(live.Crons, cron)
			if st := cron.Spec.Template.Spec.Storage; st != nil && st.StorageClassName != nil {
				classes[*st.StorageClassName] = true
			}
		}
	}
	live.Cluster = clusterObjects(facts, classes, snapClasses)
	result, err := controlrun.Run(ctx, ctrls.BinDir, ctrls.CRDDirs, live, ctrls.Limit)
	if err != nil {
		return nil, err
	}
	for i := range lines {
		judge(&lines[i], result.DataVolumes[lines[i].Disk], ctrls.Limit)
	}
	for _, cron := range live.Crons {
		k := cron.Namespace + "/" + cron.Name
		lines = append(lines, cronLine(k, result.Crons[k]))
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].Disk < lines[j].Disk })
	return lines, nil
}

// cronLine says what CDI's DataImportCron controller made of a cron: the
// import it started for the newest digest and whether the DataSource it
// manages became Ready.
func cronLine(k string, v controlrun.CronVerdict) Line {
	l := Line{Disk: k, Cron: "imports " + v.Import + " (" + string(v.Phase) + "), DataSource " + v.DataSource + " -> " + v.Source}
	if v.Import == "" {
		l.Cron = "no import started, DataSource " + v.DataSource
	}
	if !strings.HasPrefix(v.Ready, string(corev1.ConditionTrue)) {
		l.Stalls = "the DataSource CDI manages is not Ready (" + v.Ready + ")"
	}
	return l
}

// methods names CDI's recorded clone types (cdi.kubevirt.io/cloneType) as the lines do.
var methods = map[string]string{
	string(cdiv1.CloneStrategySnapshot):     "snapshot-restore",
	string(cdiv1.CloneStrategyCsiClone):     "csi-clone",
	string(cdiv1.CloneStrategyHostAssisted): "host-assisted",
}

// hostAssisted tells whether CDI chose (or the planner chose) a host-assisted copy.
func hostAssisted(l *Line, v controlrun.Verdict) bool {
	return v.CloneType == string(cdiv1.CloneStrategyHostAssisted) || (v.CloneType == "" && l.Method == "host-assisted")
}

// judge sets what CDI's controllers did with a disk on its line: whether it
// finished, the claim size and clone strategy they recorded, and a snapshot
// taken of an import's claim before the import finished (the order CDI's
// DataVolume controller allows when it decides against its populators).
func judge(l *Line, v controlrun.Verdict, limit time.Duration) {
	if l.Outside != "" || l.Method == "upload" {
		return
	}
	if v.Phase == cdiv1.Succeeded {
		l.Stalls = ""
		if v.Size > 0 {
			l.Size = v.Size
		}
	} else if stall := v.Stall; stall != "" && !hostAssisted(l, v) {
		l.Stalls = stall
	} else if hostAssisted(l, v) && !strings.HasPrefix(stall, "CloneValidationFailed") {
		// the copy itself runs in CDI's cloner and upload server pods, which need
		// the data path this run lacks; CDI's controllers got it as far as this phase
		l.Reached = string(v.Phase)
	} else {
		l.Stalls = fmt.Sprintf("CDI's controllers left it in phase %q (nothing changed for %s, or %s passed)", v.Phase, controlrun.Quiet, limit)
	}
	if m, ok := methods[v.CloneType]; ok && l.Source != "" && m != l.Method {
		if l.Source == "VolumeSnapshot" && m != "snapshot-restore" {
			l.Mismatch = "the manifests ask for a copy-on-write snapshot-restore, CDI's controllers copied it " + m
		}
		l.Method = m
	}
	if v.EarlySnapshot != "" {
		l.Mismatch = "VolumeSnapshot " + v.EarlySnapshot + " may be taken before the import finishes: CDI's DataVolume controller decided " +
			cc.AnnUsePopulator + "=" + v.UsePopulator + ", so the claim was Bound before it was filled"
	}
}

// cloneLine judges one clone: CDI's size check, then its planner's strategy.
func cloneLine(ctx context.Context, c client.Client, planner *clone.Planner, d dataVolume, kind, ns, name string,
	snapshots map[string]snapshotv1.VolumeSnapshot, claims map[string]*corev1.PersistentVolumeClaim) (Line, *corev1.PersistentVolumeClaim) {
	line := Line{Disk: d.namespace + "/" + d.name, Method: "snapshot-restore", Source: kind}
	promised := "snapshot-restore"
	if kind == "PersistentVolumeClaim" {
		line.Method, promised = "csi-clone", ""
	}
	storage := d.dv.Spec.Storage
	if storage == nil {
		storage = &cdiv1.StorageSpec{}
	}
	requested, hasSize := storage.Resources.Requests[corev1.ResourceStorage]
	var sourceSize resource.Quantity
	if kind == "VolumeSnapshot" {
		snap, ok := snapshots[ns+"/"+name]
		if !ok || snap.Status == nil {
			line.Stalls = "CloneWithoutSource: snapshot " + ns + "/" + name + " is not the snapshot of an import in the input"
			return line, nil
		}
		sourceSize = *snap.Status.RestoreSize
		// the snapshot-clone DataVolume controller's size validation, from CDI's own pieces
		if err := cc.IsSnapshotValidForClone(&snap); err != nil {
			line.Stalls = "CloneValidationFailed: " + err.Error()
			return line, nil
		}
		if hasSize {
			target, err := cc.GetEffectiveStorageResources(ctx, c, storage.Resources, storage.StorageClassName, d.dv.Spec.ContentType, logr.Discard())
			if err == nil {
				err = cc.ValidateRequestedCloneSize(corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: sourceSize}}, target)
			}
			if err != nil {
				line.Size = requested.Value()
				line.Stalls = "CloneValidationFailed: " + err.Error()
				return line, nil
			}
		}
	} else {
		claim := claims[ns+"/"+name]
		if claim == nil {
			// a claim made elsewhere: CDI waits for it (CloneWithoutSource) until it exists
			line.Outside = "PVC " + ns + "/" + name
			return line, nil
		}
		sourceSize = claim.Status.Capacity[corev1.ResourceStorage]
		// the PVC-clone DataVolume controller checks the size only for a Block source
		if hasSize && claim.Spec.VolumeMode != nil && *claim.Spec.VolumeMode == corev1.PersistentVolumeBlock {
			target, err := cc.GetEffectiveStorageResources(ctx, c, storage.Resources, storage.StorageClassName, d.dv.Spec.ContentType, logr.Discard())
			if err == nil {
				err = cc.ValidateRequestedCloneSize(claim.Spec.Resources, target)
			}
			if err != nil {
				line.Size = requested.Value()
				line.Stalls = "CloneValidationFailed: " + err.Error()
				return line, nil
			}
		}
	}

	// the target claim as the DataVolume controller renders it
	target := claimOf(d)
	if !hasSize {
		target.Spec.Resources.Requests = corev1.ResourceList{corev1.ResourceStorage: sourceSize}
	}
	if err := dvc.RenderPvc(ctx, c, target); err != nil {
		line.Stalls = err.Error()
		return line, nil
	}
	if !hasSize {
		// CDI takes the source's size as it is, without padding it again
		target.Spec.Resources.Requests[corev1.ResourceStorage] = sourceSize
	}
	q := target.Spec.Resources.Requests[corev1.ResourceStorage]
	line.Size = q.Value()

	res, err := planner.ChooseStrategy(ctx, &clone.ChooseStrategyArgs{
		Log:         logr.Discard(),
		TargetClaim: target,
		DataSource: &cdiv1.VolumeCloneSource{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "source"},
			Spec:       cdiv1.VolumeCloneSourceSpec{Source: corev1.TypedLocalObjectReference{Kind: kind, Name: name}},
		},
	})
	if err != nil {
		line.Stalls = "clone planner: " + err.Error()
		return line, nil
	}
	if res == nil {
		line.Stalls = "clone planner chose no strategy"
		return line, nil
	}
	switch res.Strategy {
	case cdiv1.CloneStrategyHostAssisted:
		line.Method = "host-assisted"
	case cdiv1.CloneStrategyCsiClone:
		line.Method = "csi-clone"
	case cdiv1.CloneStrategySnapshot:
		line.Method = "snapshot-restore"
	}
	if promised != "" && line.Method != promised {
		reason := ""
		if res.FallbackReason != nil {
			reason = ": " + *res.FallbackReason
		}
		line.Mismatch = "the manifests ask for a copy-on-write " + promised + ", CDI plans " + line.Method + reason
	}
	target.Status = corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound, Capacity: corev1.ResourceList{corev1.ResourceStorage: q}}
	return line, target
}

// claimOf is the claim a DataVolume asks for before CDI renders it.
func claimOf(d dataVolume) *corev1.PersistentVolumeClaim {
	pvc := &corev1.PersistentVolumeClaim{ObjectMeta: metav1.ObjectMeta{Namespace: d.namespace, Name: d.name, Annotations: map[string]string{}}}
	if s := d.dv.Spec.Storage; s != nil {
		pvc.Spec.AccessModes = append(pvc.Spec.AccessModes, s.AccessModes...)
		pvc.Spec.VolumeMode = s.VolumeMode
		pvc.Spec.Resources = *s.Resources.DeepCopy()
		pvc.Spec.StorageClassName = s.StorageClassName
	}
	if pvc.Spec.StorageClassName == nil {
		class := DefaultClass
		pvc.Spec.StorageClassName = &class
	}
	return pvc
}

// cluster is the fake cluster the facts describe.
func cluster(f Facts, classes, snapClasses map[string]bool) (client.Client, error) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, cdiv1.AddToScheme, snapshotv1.AddToScheme, extv1.AddToScheme} {
		if err := add(scheme); err != nil {
			return nil, err
		}
	}
	var objs []client.Object
	for _, crd := range []string{"volumesnapshotclasses", "volumesnapshotcontents", "volumesnapshots"} {
		objs = append(objs, &extv1.CustomResourceDefinition{ObjectMeta: metav1.ObjectMeta{Name: crd + "." + snapshotv1.GroupName}})
	}
	// no status subresources: the objects are created with the status they have once ready
	return crfake.NewClientBuilder().WithScheme(scheme).WithObjects(append(objs, clusterObjects(f, classes, snapClasses)...)...).Build(), nil
}

// clusterObjects are the storage classes, StorageProfiles, CSIDriver,
// snapshot classes and CDI configuration the facts describe, in a fixed order.
func clusterObjects(f Facts, classes, snapClasses map[string]bool) []client.Object {
	objs := []client.Object{
		&cdiv1.CDI{ObjectMeta: metav1.ObjectMeta{Name: "cdi"}},
		&cdiv1.CDIConfig{ObjectMeta: metav1.ObjectMeta{Name: "config"},
			Status: cdiv1.CDIConfigStatus{FilesystemOverhead: &cdiv1.FilesystemOverhead{Global: cdiv1.Percent(f.Overhead)}}},
	}
	if !f.NoCSIDriverObject {
		objs = append(objs, &storagev1.CSIDriver{ObjectMeta: metav1.ObjectMeta{Name: f.Provisioner}})
	}
	expand := f.AllowExpansion
	for _, name := range sortedKeys(classes) {
		sc := &storagev1.StorageClass{ObjectMeta: metav1.ObjectMeta{Name: name}, Provisioner: f.Provisioner, AllowVolumeExpansion: &expand}
		if name == DefaultClass {
			sc.Annotations = map[string]string{"storageclass.kubernetes.io/is-default-class": "true"}
		}
		mode := f.VolumeMode
		profile := &cdiv1.StorageProfile{ObjectMeta: metav1.ObjectMeta{Name: name}, Status: cdiv1.StorageProfileStatus{
			StorageClass:      &sc.Name,
			Provisioner:       &f.Provisioner,
			ClaimPropertySets: []cdiv1.ClaimPropertySet{{AccessModes: f.AccessModes, VolumeMode: &mode}},
		}}
		if f.CloneStrategy != "" {
			s := cdiv1.CDICloneStrategy(f.CloneStrategy)
			profile.Status.CloneStrategy = &s
		}
		objs = append(objs, sc, profile)
	}
	for _, name := range sortedKeys(snapClasses) {
		objs = append(objs, &snapshotv1.VolumeSnapshotClass{ObjectMeta: metav1.ObjectMeta{Name: name}, Driver: f.Provisioner, DeletionPolicy: snapshotv1.VolumeSnapshotContentDelete})
	}
	return objs
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
