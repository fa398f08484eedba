// Package controlrun runs CDI's own DataVolume, populator, import,
// DataSource and DataImportCron controllers (the constructors cdi-controller calls,
// cmd/cdi-controller/controller.go at v1.65.0) in a controller-runtime
// manager against a real kube-apiserver and etcd, with CDI's and the
// snapshot CRDs installed, and lets them decide what becomes of every
// DataVolume. What a cluster adds around CDI and is absent here is stood in
// for by small loops in this package: a CSI provisioner that binds each claim
// to a volume of the storage's mode and the size the claim asks for, a
// snapshotter that makes a snapshot of a Bound claim ready with the claim's
// capacity as its restore size, a kubelet that marks every pod CDI
// starts as Succeeded, and the registry poller of a DataImportCron, which
// reports a digest of the cron's image. CDI's admission (its DataVolume mutating webhook,
// which signs the clone tokens) runs on each DataVolume before it is created.
package controlrun

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"github.com/go-logr/logr"
	snapshotv1 "github.com/kubernetes-csi/external-snapshotter/client/v6/apis/volumesnapshot/v1"
	admissionv1 "k8s.io/api/admission/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	k8serrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/klog/v2"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/config"
	"sigs.k8s.io/controller-runtime/pkg/envtest"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	"sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	cdiv1 "kubevirt.io/containerized-data-importer-api/pkg/apis/core/v1beta1"
	"kubevirt.io/containerized-data-importer/pkg/apiserver/webhooks"
	cdiclient "kubevirt.io/containerized-data-importer/pkg/client/clientset/versioned"
	"kubevirt.io/containerized-data-importer/pkg/common"
	cdictrl "kubevirt.io/containerized-data-importer/pkg/controller"
	cc "kubevirt.io/containerized-data-importer/pkg/controller/common"
	dvc "kubevirt.io/containerized-data-importer/pkg/controller/datavolume"
	"kubevirt.io/containerized-data-importer/pkg/controller/populators"
	"kubevirt.io/containerized-data-importer/pkg/util"

	"cdk8s-kubevirt/test/cluster/cdi/internal/admit"
	"cdk8s-kubevirt/test/cluster/internal/controlplane"
)

// Input is what the run puts in the cluster.
type Input struct {
	// Cluster holds the storage classes, StorageProfiles (with status),
	// CSIDriver, snapshot classes, CDI CR and CDIConfig (with status).
	Cluster     []client.Object
	DataVolumes []cdiv1.DataVolume
	Snapshots   []snapshotv1.VolumeSnapshot
	DataSources []cdiv1.DataSource
	// Crons are DataImportCrons, run by CDI's DataImportCron controller.
	Crons []cdiv1.DataImportCron
	// Claims are filled outside CDI's controllers (an upload): created as
	// they are, for the stand-in provisioner to bind.
	Claims []corev1.PersistentVolumeClaim
	// VolumeMode is the mode of every volume the stand-in provisioner makes.
	VolumeMode corev1.PersistentVolumeMode
	// Driver names the CSI driver of the volumes and snapshot contents.
	Driver string
}

// Verdict is what CDI's controllers made of one DataVolume.
type Verdict struct {
	Phase cdiv1.DataVolumePhase
	// UsePopulator is the decision CDI's DataVolume controller records in
	// the cdi.kubevirt.io/storage.usePopulator annotation.
	UsePopulator string
	// CloneType is the strategy CDI records (cdi.kubevirt.io/cloneType).
	CloneType string
	// Size is the storage request of the claim CDI created (0 if none).
	Size int64
	// Stall is the reason and message of the warning CDI gave up on, or the
	// last warning when the DataVolume did not finish in time.
	Stall string
	// EarlySnapshot names a VolumeSnapshot of the DataVolume's claim, which
	// was Bound (so could be snapshotted) before CDI had filled it.
	EarlySnapshot string
}

// stallReasons are recorded by CDI as Normal events but say why a
// DataVolume does not go on (CloneValidationFailed:
// snapshot-clone-controller.go:343-355 and pvc-clone-controller.go:448-460 at
// v1.65.0 keep the phase and end the reconcile without error, so nothing
// retries it unless the source changes).
var stallReasons = map[string]bool{"CloneValidationFailed": true}

// Quiet is how long nothing may change before the run is taken as settled.
const Quiet = 3 * time.Second

// CronVerdict is what CDI's DataImportCron controller made of one cron.
type CronVerdict struct {
	// Import is the DataVolume CDI created for the newest digest, and its phase.
	Import string
	Phase  cdiv1.DataVolumePhase
	// DataSource is the managed DataSource; Ready its Ready condition
	// (status, reason) and Source what it points at.
	DataSource string
	Ready      string
	Source     string
}

// Result is the verdict on every DataVolume and DataImportCron (namespace/name).
type Result struct {
	DataVolumes map[string]Verdict
	Crons       map[string]CronVerdict
}

// Run starts etcd and kube-apiserver from binDir (the shared control plane
// of the cluster tools), installs the CRDs of crdDirs, runs CDI's
// controllers over in and returns a verdict per DataVolume (namespace/name)
// once each has Succeeded or stalled, or when limit has passed.
func Run(ctx context.Context, binDir string, crdDirs []string, in Input, limit time.Duration) (*Result, error) {
	// the controllers' and client-go's logs (each watch says it ended when the
	// run stops); what decides is read from the API server
	ctrl.SetLogger(logr.Discard())
	klog.SetLogger(logr.Discard())
	plane, err := controlplane.New()
	if err != nil {
		return nil, err
	}
	defer plane.Stop()
	// No controller manager makes the namespaces' default service accounts,
	// so kube-apiserver's ServiceAccount admission would refuse the pods CDI
	// starts; envtest turns it off for the same reason
	// (controller-runtime v0.19.5 pkg/internal/testing/controlplane/apiserver.go:333-337).
	plane.APIServerFlags = []string{"--disable-admission-plugins=ServiceAccount"}
	if err := plane.Start(ctx, binDir); err != nil {
		return nil, fmt.Errorf("starting etcd and kube-apiserver from %s: %w", binDir, err)
	}
	cfg := &rest.Config{
		Host:            plane.Host,
		TLSClientConfig: rest.TLSClientConfig{CAData: plane.CAPEM, CertData: plane.CertPEM, KeyData: plane.KeyPEM},
		QPS:             1000,
		Burst:           2000,
	}
	// envtest's own CRD installer, which waits until each CRD is served
	if _, err := envtest.InstallCRDs(cfg, envtest.CRDInstallOptions{Paths: crdDirs, ErrorIfPathMissing: true}); err != nil {
		return nil, fmt.Errorf("installing the CRDs of %v: %w", crdDirs, err)
	}
	return run(ctx, cfg, in, limit)
}

func newScheme() (*runtime.Scheme, error) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{clientgoscheme.AddToScheme, cdiv1.AddToScheme, snapshotv1.AddToScheme, extv1.AddToScheme} {
		if err := add(scheme); err != nil {
			return nil, err
		}
	}
	return scheme, nil
}

func run(ctx context.Context, cfg *rest.Config, in Input, limit time.Duration) (*Result, error) {
	scheme, err := newScheme()
	if err != nil {
		return nil, err
	}
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		return nil, err
	}
	// namespaces, then the cluster's storage and CDI configuration
	namespaces := map[string]bool{}
	for _, d := range in.DataVolumes {
		namespaces[d.Namespace] = true
	}
	for _, s := range in.Snapshots {
		namespaces[s.Namespace] = true
	}
	for _, d := range in.DataSources {
		namespaces[d.Namespace] = true
	}
	for _, p := range in.Claims {
		namespaces[p.Namespace] = true
	}
	for _, cr := range in.Crons {
		namespaces[cr.Namespace] = true
	}
	// CDI's own namespace, where the DataImportCron controller puts its poller jobs
	namespaces[util.GetNamespace()] = true
	for ns := range namespaces {
		if err := c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			return nil, err
		}
	}
	for _, o := range in.Cluster {
		if err := createWithStatus(ctx, c, o); err != nil {
			return nil, fmt.Errorf("%T %s: %w", o, o.GetName(), err)
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	mgr, err := manager.New(cfg, manager.Options{Scheme: scheme, Metrics: server.Options{BindAddress: "0"}, HealthProbeBindAddress: "0",
		// each run has its own manager; the names are unique within it
		Controller: config.Controller{SkipNameValidation: ptr.To(true)}})
	if err != nil {
		return nil, err
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	log := logr.Discard()
	const image, policy = "cdi-image", string(corev1.PullIfNotPresent)
	if err := dvc.CreateCommonIndexes(mgr); err != nil {
		return nil, err
	}
	if err := populators.CreateCommonPopulatorIndexes(mgr); err != nil {
		return nil, err
	}
	for what, start := range map[string]func() error{
		"DataVolume import controller": func() error { _, err := dvc.NewImportController(ctx, mgr, log, nil); return err },
		"DataVolume PVC clone controller": func() error {
			_, err := dvc.NewPvcCloneController(ctx, mgr, log, image, image, policy, &key.PublicKey, key, nil)
			return err
		},
		"DataVolume snapshot clone controller": func() error {
			_, err := dvc.NewSnapshotCloneController(ctx, mgr, log, image, image, policy, &key.PublicKey, key, nil)
			return err
		},
		"import controller":     func() error { _, err := cdictrl.NewImportController(mgr, log, image, policy, "1", nil); return err },
		"DataSource controller": func() error { _, err := cdictrl.NewDataSourceController(mgr, log, nil); return err },
		"DataImportCron controller": func() error {
			_, err := cdictrl.NewDataImportCronController(mgr, log, image, policy, nil)
			return err
		},
		"import populator": func() error { _, err := populators.NewImportPopulator(ctx, mgr, log, nil); return err },
		"clone populator": func() error {
			_, err := populators.NewClonePopulator(ctx, mgr, log, image, policy, nil, &key.PublicKey)
			return err
		},
	} {
		if err := start(); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
	}
	stand := &standIns{c: mgr.GetClient(), mode: in.VolumeMode, driver: in.Driver, early: map[string]bool{}}
	if err := stand.add(mgr); err != nil {
		return nil, err
	}
	mgrDone := make(chan error, 1)
	go func() { mgrDone <- mgr.Start(ctx) }()
	if !mgr.GetCache().WaitForCacheSync(ctx) {
		return nil, fmt.Errorf("the controllers' caches did not sync")
	}

	// the input as kubectl apply would send it: DataSources and snapshots,
	// then each DataVolume through CDI's mutating webhook
	for i := range in.DataSources {
		d := in.DataSources[i].DeepCopy()
		d.ResourceVersion, d.Status = "", cdiv1.DataSourceStatus{}
		if err := c.Create(ctx, d); err != nil {
			return nil, fmt.Errorf("DataSource %s/%s: %w", d.Namespace, d.Name, err)
		}
	}
	for i := range in.Crons {
		cr := in.Crons[i].DeepCopy()
		cr.ResourceVersion, cr.Status = "", cdiv1.DataImportCronStatus{}
		if err := c.Create(ctx, cr); err != nil {
			return nil, fmt.Errorf("DataImportCron %s/%s: %w", cr.Namespace, cr.Name, err)
		}
	}
	for i := range in.Claims {
		p := in.Claims[i].DeepCopy()
		p.ResourceVersion, p.Status = "", corev1.PersistentVolumeClaimStatus{}
		if err := c.Create(ctx, p); err != nil {
			return nil, fmt.Errorf("PersistentVolumeClaim %s/%s: %w", p.Namespace, p.Name, err)
		}
	}
	for i := range in.Snapshots {
		s := in.Snapshots[i].DeepCopy()
		s.ResourceVersion, s.Status = "", nil
		if err := c.Create(ctx, s); err != nil {
			return nil, fmt.Errorf("VolumeSnapshot %s/%s: %w", s.Namespace, s.Name, err)
		}
	}
	k8s, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	cdi, err := cdiclient.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	mutate := webhooks.NewDataVolumeMutatingWebhook(k8s, cdi, key)
	for i := range in.DataVolumes {
		dv, err := admitted(mutate, in.DataVolumes[i])
		if err != nil {
			return nil, err
		}
		if err := c.Create(ctx, dv); err != nil {
			return nil, fmt.Errorf("DataVolume %s/%s: %w", dv.Namespace, dv.Name, err)
		}
	}

	verdicts, crons, err := await(ctx, c, in.DataVolumes, in.Crons, limit)
	if err != nil {
		return nil, err
	}
	stand.mu.Lock()
	for _, snap := range in.Snapshots {
		if snap.Spec.Source.PersistentVolumeClaimName == nil {
			continue
		}
		k := snap.Namespace + "/" + *snap.Spec.Source.PersistentVolumeClaimName
		if v, ok := verdicts[k]; ok && stand.early[k] {
			v.EarlySnapshot = snap.Namespace + "/" + snap.Name
			verdicts[k] = v
		}
	}
	stand.mu.Unlock()
	cancel()
	if err := <-mgrDone; err != nil {
		return nil, fmt.Errorf("controller manager: %w", err)
	}
	return &Result{DataVolumes: verdicts, Crons: crons}, nil
}

// createWithStatus creates o and then writes the status it carries.
func createWithStatus(ctx context.Context, c client.Client, o client.Object) error {
	status := o.DeepCopyObject().(client.Object)
	if err := c.Create(ctx, o); err != nil {
		return err
	}
	switch s := status.(type) {
	case *cdiv1.StorageProfile, *cdiv1.CDIConfig:
		s.SetResourceVersion(o.GetResourceVersion())
		err := c.Status().Update(ctx, s)
		if k8serrors.IsNotFound(err) {
			// a CRD without a status subresource takes the status with the object
			err = c.Update(ctx, s)
		}
		return err
	}
	return nil
}

// admitted is dv as CDI's DataVolume mutating webhook lets an administrator create it.
func admitted(h http.Handler, dv cdiv1.DataVolume) (*cdiv1.DataVolume, error) {
	dv.APIVersion, dv.Kind = cdiv1.SchemeGroupVersion.String(), "DataVolume"
	raw, err := json.Marshal(dv)
	if err != nil {
		return nil, err
	}
	review := admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request: &admissionv1.AdmissionRequest{
			UID:       types.UID(dv.Namespace + "-" + dv.Name),
			Kind:      metav1.GroupVersionKind{Group: cdiv1.SchemeGroupVersion.Group, Version: cdiv1.SchemeGroupVersion.Version, Kind: "DataVolume"},
			Resource:  metav1.GroupVersionResource{Group: cdiv1.SchemeGroupVersion.Group, Version: cdiv1.SchemeGroupVersion.Version, Resource: "datavolumes"},
			Name:      dv.Name,
			Namespace: dv.Namespace,
			Operation: admissionv1.Create,
			UserInfo:  admit.User,
			Object:    runtime.RawExtension{Raw: raw},
		},
	}
	body, err := json.Marshal(review)
	if err != nil {
		return nil, err
	}
	req := httptest.NewRequest(http.MethodPost, "/mutate", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var answer admissionv1.AdmissionReview
	if err := json.NewDecoder(rec.Body).Decode(&answer); err != nil || answer.Response == nil {
		return nil, fmt.Errorf("DataVolume %s/%s: CDI's mutating webhook answered %d without a review: %v", dv.Namespace, dv.Name, rec.Code, err)
	}
	if !answer.Response.Allowed {
		msg := ""
		if answer.Response.Result != nil {
			msg = answer.Response.Result.Message
		}
		return nil, fmt.Errorf("DataVolume %s/%s: CDI's mutating webhook refuses it: %s", dv.Namespace, dv.Name, msg)
	}
	if len(answer.Response.Patch) > 0 {
		patch, err := jsonpatch.DecodePatch(answer.Response.Patch)
		if err != nil {
			return nil, err
		}
		if raw, err = patch.Apply(raw); err != nil {
			return nil, err
		}
	}
	out := &cdiv1.DataVolume{}
	if err := json.Unmarshal(raw, out); err != nil {
		return nil, err
	}
	return out, nil
}

// await polls the DataVolumes until each has Succeeded, or nothing has
// changed for the Quiet period, or limit has passed.
func await(ctx context.Context, c client.Client, dvs []cdiv1.DataVolume, crons []cdiv1.DataImportCron, limit time.Duration) (map[string]Verdict, map[string]CronVerdict, error) {
	deadline := time.Now().Add(limit)
	last, since := "", time.Now()
	for {
		verdicts, state, finished, err := look(ctx, c, dvs)
		if err != nil {
			return nil, nil, err
		}
		cronVerdicts, cronState, cronsDone, err := lookCrons(ctx, c, crons)
		if err != nil {
			return nil, nil, err
		}
		state += cronState
		if state != last {
			last, since = state, time.Now()
		}
		if (finished && cronsDone) || time.Since(since) > Quiet || time.Now().After(deadline) {
			return verdicts, cronVerdicts, nil
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// lookCrons reads each DataImportCron, the import DataVolume CDI made for
// it and its managed DataSource; done is true once every DataSource is Ready.
func lookCrons(ctx context.Context, c client.Client, crons []cdiv1.DataImportCron) (map[string]CronVerdict, string, bool, error) {
	out := map[string]CronVerdict{}
	state := &strings.Builder{}
	done := true
	for _, in := range crons {
		var cron cdiv1.DataImportCron
		if err := c.Get(ctx, client.ObjectKeyFromObject(&in), &cron); err != nil {
			return nil, "", false, err
		}
		fmt.Fprintf(state, "%s/%s=%s;", cron.Namespace, cron.Name, cron.ResourceVersion)
		v := CronVerdict{DataSource: cron.Namespace + "/" + cron.Spec.ManagedDataSource}
		name := ""
		if len(cron.Status.CurrentImports) > 0 {
			name = cron.Status.CurrentImports[0].DataVolumeName
		} else if cron.Status.LastImportedPVC != nil {
			name = cron.Status.LastImportedPVC.Name
		}
		if name != "" {
			v.Import = cron.Namespace + "/" + name
			var dv cdiv1.DataVolume
			if err := c.Get(ctx, client.ObjectKey{Namespace: cron.Namespace, Name: name}, &dv); err == nil {
				v.Phase = dv.Status.Phase
				fmt.Fprintf(state, "%s=%s;", v.Import, dv.ResourceVersion)
			} else if !k8serrors.IsNotFound(err) {
				return nil, "", false, err
			}
		}
		var ds cdiv1.DataSource
		if err := c.Get(ctx, client.ObjectKey{Namespace: cron.Namespace, Name: cron.Spec.ManagedDataSource}, &ds); err == nil {
			fmt.Fprintf(state, "%s=%s;", v.DataSource, ds.ResourceVersion)
			for _, cond := range ds.Status.Conditions {
				if cond.Type == cdiv1.DataSourceReady {
					v.Ready = string(cond.Status) + " (" + cond.Reason + ")"
				}
			}
			switch {
			case ds.Spec.Source.PVC != nil:
				v.Source = "PVC " + ds.Spec.Source.PVC.Namespace + "/" + ds.Spec.Source.PVC.Name
			case ds.Spec.Source.Snapshot != nil:
				v.Source = "VolumeSnapshot " + ds.Spec.Source.Snapshot.Namespace + "/" + ds.Spec.Source.Snapshot.Name
			}
		} else if !k8serrors.IsNotFound(err) {
			return nil, "", false, err
		}
		if !strings.HasPrefix(v.Ready, string(corev1.ConditionTrue)) {
			done = false
		}
		out[cron.Namespace+"/"+cron.Name] = v
	}
	return out, state.String(), done, nil
}

// look reads each DataVolume, its claim and the events about it. state
// changes whenever any of them does; finished is true once all Succeeded.
func look(ctx context.Context, c client.Client, dvs []cdiv1.DataVolume) (map[string]Verdict, string, bool, error) {
	var events corev1.EventList
	if err := c.List(ctx, &events); err != nil {
		return nil, "", false, err
	}
	// in the order the API server stored them
	revision := func(e corev1.Event) int64 { n, _ := strconv.ParseInt(e.ResourceVersion, 10, 64); return n }
	sort.SliceStable(events.Items, func(i, j int) bool { return revision(events.Items[i]) < revision(events.Items[j]) })
	stalls := map[string]string{}
	state := &strings.Builder{}
	for _, e := range events.Items {
		if e.InvolvedObject.Kind != "DataVolume" {
			continue
		}
		fmt.Fprintf(state, "%s/%d;", e.ResourceVersion, e.Count)
		// the latest event says whether the DataVolume is held up
		k := e.InvolvedObject.Namespace + "/" + e.InvolvedObject.Name
		if e.Type == corev1.EventTypeWarning || stallReasons[e.Reason] {
			stalls[k] = e.Reason + ": " + e.Message
		} else {
			delete(stalls, k)
		}
	}
	out := map[string]Verdict{}
	finished := true
	for _, d := range dvs {
		k := d.Namespace + "/" + d.Name
		var dv cdiv1.DataVolume
		if err := c.Get(ctx, client.ObjectKey{Namespace: d.Namespace, Name: d.Name}, &dv); err != nil {
			return nil, "", false, err
		}
		fmt.Fprintf(state, "%s=%s;", k, dv.ResourceVersion)
		v := Verdict{Phase: dv.Status.Phase, UsePopulator: dv.Annotations[cc.AnnUsePopulator], CloneType: dv.Annotations[cc.AnnCloneType]}
		var pvc corev1.PersistentVolumeClaim
		if err := c.Get(ctx, client.ObjectKey{Namespace: d.Namespace, Name: d.Name}, &pvc); err == nil {
			q := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
			v.Size = q.Value()
			if v.CloneType == "" {
				v.CloneType = pvc.Annotations[cc.AnnCloneType]
			}
		} else if !k8serrors.IsNotFound(err) {
			return nil, "", false, err
		}
		if dv.Status.Phase != cdiv1.Succeeded {
			v.Stall = stalls[k]
			finished = false
		}
		out[k] = v
	}
	return out, state.String(), finished, nil
}

// standIns play the CSI provisioner, the snapshot controller and the kubelet.
type standIns struct {
	c      client.Client
	mode   corev1.PersistentVolumeMode
	driver string
	mu     sync.Mutex
	early  map[string]bool // DataVolume claims (namespace/name) bound before they were filled
}

func (s *standIns) add(mgr manager.Manager) error {
	for name, r := range map[string]struct {
		obj client.Object
		fn  reconcile.Func
	}{
		"stand-in-provisioner": {&corev1.PersistentVolumeClaim{}, s.provision},
		"stand-in-binder":      {&corev1.PersistentVolume{}, s.bind},
		"stand-in-snapshotter": {&snapshotv1.VolumeSnapshot{}, s.snapshot},
		"stand-in-kubelet":     {&corev1.Pod{}, s.runPod},
		"stand-in-poller":      {&batchv1.Job{}, s.poll},
	} {
		if err := ctrl.NewControllerManagedBy(mgr).Named(name).For(r.obj).Complete(r.fn); err != nil {
			return err
		}
	}
	return nil
}

// provision binds a Pending claim that needs no populator to a new volume
// of the claim's size, as a CSI provisioner with immediate binding does.
// A claim whose dataSourceRef names one of CDI's populator kinds is left to
// CDI, as the external provisioner leaves it.
func (s *standIns) provision(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	var pvc corev1.PersistentVolumeClaim
	if err := s.c.Get(ctx, req.NamespacedName, &pvc); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if pvc.DeletionTimestamp != nil || pvc.Spec.VolumeName != "" || pvc.Status.Phase == corev1.ClaimBound {
		return reconcile.Result{}, nil
	}
	if ref := pvc.Spec.DataSourceRef; ref != nil && ref.APIGroup != nil && *ref.APIGroup == cc.AnnAPIGroup {
		return reconcile.Result{}, nil
	}
	size := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
	mode := s.mode
	if pvc.Spec.VolumeMode != nil {
		mode = *pvc.Spec.VolumeMode
	}
	class := ""
	if pvc.Spec.StorageClassName != nil {
		class = *pvc.Spec.StorageClassName
	}
	pv := &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{Name: "pv-" + string(pvc.UID)},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: size},
			AccessModes:                   pvc.Spec.AccessModes,
			VolumeMode:                    &mode,
			StorageClassName:              class,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			PersistentVolumeSource:        corev1.PersistentVolumeSource{CSI: &corev1.CSIPersistentVolumeSource{Driver: s.driver, VolumeHandle: string(pvc.UID)}},
			ClaimRef:                      &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1", Namespace: pvc.Namespace, Name: pvc.Name, UID: pvc.UID},
		},
	}
	if err := s.c.Create(ctx, pv); err != nil && !k8serrors.IsAlreadyExists(err) {
		return reconcile.Result{}, err
	}
	return reconcile.Result{}, s.bindClaim(ctx, &pvc, pv)
}

// bind completes a binding a volume's claimRef asks for (CDI's populators
// move a filled volume to the target claim this way; the PV controller
// then binds the claim).
func (s *standIns) bind(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	var pv corev1.PersistentVolume
	if err := s.c.Get(ctx, req.NamespacedName, &pv); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	ref := pv.Spec.ClaimRef
	if ref == nil {
		return reconcile.Result{}, nil
	}
	var pvc corev1.PersistentVolumeClaim
	if err := s.c.Get(ctx, client.ObjectKey{Namespace: ref.Namespace, Name: ref.Name}, &pvc); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if ref.UID != "" && ref.UID != pvc.UID {
		return reconcile.Result{}, nil
	}
	if pvc.Spec.VolumeName == pv.Name && pvc.Status.Phase == corev1.ClaimBound {
		return reconcile.Result{}, nil
	}
	if pvc.Spec.VolumeName != "" && pvc.Spec.VolumeName != pv.Name {
		return reconcile.Result{}, nil
	}
	return reconcile.Result{}, s.bindClaim(ctx, &pvc, &pv)
}

func (s *standIns) bindClaim(ctx context.Context, pvc *corev1.PersistentVolumeClaim, pv *corev1.PersistentVolume) error {
	// A DataVolume's claim bound before CDI notes its import finished
	// (import-controller.go:435; the populators copy the note to the target
	// claim before they hand it the volume, populator-base.go:250): a
	// snapshot controller snapshots it from here on, empty.
	var dv cdiv1.DataVolume
	if err := s.c.Get(ctx, client.ObjectKeyFromObject(pvc), &dv); err == nil && imports(&dv) && pvc.Annotations[cc.AnnPodPhase] != string(corev1.PodSucceeded) {
		s.mu.Lock()
		s.early[pvc.Namespace+"/"+pvc.Name] = true
		s.mu.Unlock()
	}
	if pvc.Spec.VolumeName != pv.Name {
		pvc.Spec.VolumeName = pv.Name
		if err := s.c.Update(ctx, pvc); err != nil {
			return err
		}
	}
	pvc.Status = corev1.PersistentVolumeClaimStatus{Phase: corev1.ClaimBound, AccessModes: pv.Spec.AccessModes, Capacity: pv.Spec.Capacity}
	if err := s.c.Status().Update(ctx, pvc); err != nil {
		return err
	}
	pv.Status.Phase = corev1.VolumeBound
	return client.IgnoreNotFound(s.c.Status().Update(ctx, pv))
}

// imports tells whether CDI fills the DataVolume with an importer pod.
func imports(dv *cdiv1.DataVolume) bool {
	src := dv.Spec.Source
	return dv.Spec.SourceRef == nil && src != nil && src.PVC == nil && src.Snapshot == nil && src.Upload == nil
}

// snapshot makes a snapshot of a Bound claim ready, restoring the claim's
// capacity, as a CSI snapshotter does once the claim is bound.
func (s *standIns) snapshot(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	var snap snapshotv1.VolumeSnapshot
	if err := s.c.Get(ctx, req.NamespacedName, &snap); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if snap.Status != nil && snap.Status.ReadyToUse != nil && *snap.Status.ReadyToUse {
		return reconcile.Result{}, nil
	}
	if snap.Spec.Source.PersistentVolumeClaimName == nil {
		return reconcile.Result{}, nil
	}
	var pvc corev1.PersistentVolumeClaim
	if err := s.c.Get(ctx, client.ObjectKey{Namespace: snap.Namespace, Name: *snap.Spec.Source.PersistentVolumeClaimName}, &pvc); err != nil {
		if k8serrors.IsNotFound(err) {
			return reconcile.Result{RequeueAfter: 200 * time.Millisecond}, nil
		}
		return reconcile.Result{}, err
	}
	if pvc.Status.Phase != corev1.ClaimBound {
		return reconcile.Result{RequeueAfter: 200 * time.Millisecond}, nil
	}
	contentName := "snapcontent-" + string(snap.UID)
	mode := s.mode
	if pvc.Spec.VolumeMode != nil {
		mode = *pvc.Spec.VolumeMode
	}
	handle := string(pvc.UID)
	content := &snapshotv1.VolumeSnapshotContent{
		ObjectMeta: metav1.ObjectMeta{Name: contentName},
		Spec: snapshotv1.VolumeSnapshotContentSpec{
			Driver:                  s.driver,
			DeletionPolicy:          snapshotv1.VolumeSnapshotContentDelete,
			SourceVolumeMode:        &mode,
			Source:                  snapshotv1.VolumeSnapshotContentSource{VolumeHandle: &handle},
			VolumeSnapshotRef:       corev1.ObjectReference{Kind: "VolumeSnapshot", APIVersion: snapshotv1.SchemeGroupVersion.String(), Namespace: snap.Namespace, Name: snap.Name, UID: snap.UID},
			VolumeSnapshotClassName: snap.Spec.VolumeSnapshotClassName,
		},
	}
	if err := s.c.Create(ctx, content); err != nil && !k8serrors.IsAlreadyExists(err) {
		return reconcile.Result{}, err
	}
	ready := true
	size := pvc.Status.Capacity[corev1.ResourceStorage]
	now := metav1.Now()
	snap.Status = &snapshotv1.VolumeSnapshotStatus{BoundVolumeSnapshotContentName: &contentName, ReadyToUse: &ready, RestoreSize: &size, CreationTime: &now}
	return reconcile.Result{}, s.c.Status().Update(ctx, &snap)
}

// sizeDetected is the termination message of CDI's size-detection pod
// (pvc-clone-controller.go:651, the image's virtual size in bytes): the
// size the DataVolume that filled the source claim asked for, which the
// image fits; empty for every other pod.
func (s *standIns) sizeDetected(ctx context.Context, pod *corev1.Pod) (string, error) {
	if !strings.HasPrefix(pod.Name, "size-detection-") {
		return "", nil
	}
	for _, v := range pod.Spec.Volumes {
		if v.PersistentVolumeClaim == nil {
			continue
		}
		key := client.ObjectKey{Namespace: pod.Namespace, Name: v.PersistentVolumeClaim.ClaimName}
		var pvc corev1.PersistentVolumeClaim
		if err := s.c.Get(ctx, key, &pvc); err != nil {
			return "", err
		}
		size := pvc.Spec.Resources.Requests[corev1.ResourceStorage]
		var dv cdiv1.DataVolume
		if err := s.c.Get(ctx, key, &dv); err == nil && dv.Spec.Storage != nil {
			if q, ok := dv.Spec.Storage.Resources.Requests[corev1.ResourceStorage]; ok {
				size = q
			}
		}
		return strconv.FormatInt(size.Value(), 10), nil
	}
	return "", nil
}

// poll plays the registry poller that CDI's DataImportCron controller starts
// as a Job (cdi-source-update-poller): it records a digest of the cron's
// image as the cron's desired digest (dataimportcron-controller.go:92), the
// same digest for the same URL.
func (s *standIns) poll(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	var job batchv1.Job
	if err := s.c.Get(ctx, req.NamespacedName, &job); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	name, ns := job.Labels[common.DataImportCronLabel], job.Labels[common.DataImportCronNsLabel]
	if name == "" || ns == "" {
		return reconcile.Result{}, nil
	}
	var cron cdiv1.DataImportCron
	if err := s.c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &cron); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	src := cron.Spec.Template.Spec.Source
	if src == nil || src.Registry == nil || src.Registry.URL == nil || cron.Annotations[cdictrl.AnnSourceDesiredDigest] != "" {
		return reconcile.Result{}, nil
	}
	sum := sha256.Sum256([]byte(*src.Registry.URL))
	cc.AddAnnotation(&cron, cdictrl.AnnSourceDesiredDigest, "sha256:"+hex.EncodeToString(sum[:]))
	return reconcile.Result{}, s.c.Update(ctx, &cron)
}

// runPod marks a pod CDI starts (importer, cloner, upload server) as run
// to completion.
func (s *standIns) runPod(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	var pod corev1.Pod
	if err := s.c.Get(ctx, req.NamespacedName, &pod); err != nil {
		return reconcile.Result{}, client.IgnoreNotFound(err)
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.DeletionTimestamp != nil || len(pod.Spec.Containers) == 0 {
		return reconcile.Result{}, nil
	}
	now := metav1.Now()
	message, err := s.sizeDetected(ctx, &pod)
	if err != nil {
		return reconcile.Result{}, err
	}
	pod.Status = corev1.PodStatus{
		Phase: corev1.PodSucceeded,
		ContainerStatuses: []corev1.ContainerStatus{{
			Name:  pod.Spec.Containers[0].Name,
			Image: pod.Spec.Containers[0].Image,
			State: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: 0, Reason: "Completed", Message: message, StartedAt: now, FinishedAt: now}},
		}},
	}
	return reconcile.Result{}, s.c.Status().Update(ctx, &pod)
}
