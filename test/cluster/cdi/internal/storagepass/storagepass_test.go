package storagepass

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

const image = `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata:
  name: fedora
  namespace: golden
spec:
  source:
    http:
      url: https://example.org/fedora.qcow2
  storage:
    resources:
      requests:
        storage: 10Gi
    storageClassName: ceph
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: fedora
  namespace: golden
spec:
  source:
    persistentVolumeClaimName: fedora
  volumeSnapshotClassName: snap
`

// vm restores the image's snapshot in another namespace, asking for size (none when empty).
func vm(size string) string {
	storage := "      storage:\n        storageClassName: ceph\n"
	if size != "" {
		storage += "        resources:\n          requests:\n            storage: " + size + "\n"
	}
	return `apiVersion: kubevirt.io/v1
kind: VirtualMachine
metadata:
  name: vm
  namespace: tenant
spec:
  dataVolumeTemplates:
  - metadata:
      name: vm-rootdisk
    spec:
      source:
        snapshot:
          name: fedora
          namespace: golden
` + storage
}

var filesystem = Facts{Provisioner: "csi.example.com", VolumeMode: corev1.PersistentVolumeFilesystem,
	AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce}, AllowExpansion: true, Overhead: "0.06"}

// controllers is where the repository keeps etcd, kube-apiserver and the
// CRDs; without them the tests skip, except in CI (CI set), where they fail.
func controllers(t *testing.T) Controllers {
	t.Helper()
	root := filepath.Join("..", "..", "..", "..", "..", ".cluster")
	for _, b := range []string{"etcd", "kube-apiserver"} {
		if _, err := os.Stat(filepath.Join(root, "bin", b)); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not built: run test/cluster/build.sh kube", b)
			}
			t.Skipf("%s is not built (test/cluster/build.sh kube)", b)
		}
	}
	return Controllers{BinDir: filepath.Join(root, "bin"),
		CRDDirs: []string{filepath.Join(root, "..", "test", "upstream-crds", "cdi"), filepath.Join(root, "..", "test", "upstream-crds", "external-snapshotter")},
		Limit:   60 * time.Second}
}

func run(t *testing.T, facts Facts, docs ...string) map[string]Line {
	t.Helper()
	objects, err := manifests.Parse("in.yaml", []byte(strings.Join(docs, "---\n")))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := Run(objects, facts, controllers(t))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Line{}
	for _, l := range lines {
		out[l.Disk] = l
	}
	return out
}

func TestAFilesystemImportIsPaddedAndAnImageSizedSnapshotCloneStalls(t *testing.T) {
	// each test runs its own control plane
	t.Parallel()
	lines := run(t, filesystem, image, vm("10Gi"))
	if got := lines["golden/fedora"].String(); got != "golden/fedora: import size 11381663335 progresses" {
		t.Errorf("import: %s", got)
	}
	clone := lines["tenant/vm-rootdisk"]
	// the event CDI's snapshot-clone DataVolume controller records, and never retries
	if !strings.Contains(clone.Stalls, "CloneValidationFailed: The clone doesn't meet the validation requirements: target resources requests storage size is smaller than the source 10737418240 < 11381663335") {
		t.Errorf("expected CDI's CloneValidationFailed, got %s", clone)
	}
}

func TestACloneWithoutSizeTakesTheRestoreSize(t *testing.T) {
	t.Parallel()
	clone := run(t, filesystem, image, vm(""))["tenant/vm-rootdisk"]
	if clone.String() != "tenant/vm-rootdisk: snapshot-restore size 11381663335 progresses" {
		t.Errorf("got %s", clone)
	}
}

func TestALargerCloneWithoutExpansionIsCopiedHostAssisted(t *testing.T) {
	t.Parallel()
	facts := filesystem
	facts.AllowExpansion = false
	clone := run(t, facts, image, vm("20Gi"))["tenant/vm-rootdisk"]
	if clone.Method != "host-assisted" || !strings.Contains(clone.Mismatch, "CDI plans host-assisted") || clone.Stalls != "" {
		t.Errorf("expected a host-assisted MISMATCH, got %s", clone)
	}
}

func TestBlockStorageNeedsNoPadding(t *testing.T) {
	t.Parallel()
	facts := filesystem
	facts.VolumeMode = corev1.PersistentVolumeBlock
	clone := run(t, facts, image, vm("10Gi"))["tenant/vm-rootdisk"]
	if clone.String() != "tenant/vm-rootdisk: snapshot-restore size 10737418240 progresses" {
		t.Errorf("got %s", clone)
	}
}

// A snapshot of a PVC clone is restored in turn: the clone is planned first.
func TestASnapshotOfACloneIsRestoredFromTheClonesSize(t *testing.T) {
	t.Parallel()
	copyAndSnapshot := `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataVolume
metadata:
  name: copy
  namespace: tenant
spec:
  source:
    pvc:
      name: fedora
      namespace: golden
  storage:
    storageClassName: ceph
---
apiVersion: snapshot.storage.k8s.io/v1
kind: VolumeSnapshot
metadata:
  name: copy
  namespace: tenant
spec:
  source:
    persistentVolumeClaimName: copy
  volumeSnapshotClassName: snap
`
	restore := strings.ReplaceAll(vm(""), "name: fedora\n          namespace: golden", "name: copy\n          namespace: tenant")
	lines := run(t, filesystem, image, copyAndSnapshot, restore)
	if got := lines["tenant/copy"].String(); got != "tenant/copy: snapshot-restore size 11381663335 progresses" {
		t.Errorf("copy: %s", got)
	}
	if got := lines["tenant/vm-rootdisk"].String(); got != "tenant/vm-rootdisk: snapshot-restore size 11381663335 progresses" {
		t.Errorf("restore: %s", got)
	}
}

// Without a CSIDriver object CDI's DataVolume controller decides against its
// populators: the claim binds before it is filled and the snapshot precedes
// the import, unless the DataVolume asks for the populators.
func TestAnImportSnapshottedWithoutPopulatorsIsAMismatch(t *testing.T) {
	t.Parallel()
	facts := filesystem
	facts.NoCSIDriverObject = true
	if l := run(t, facts, image)["golden/fedora"]; !strings.Contains(l.Mismatch, "VolumeSnapshot golden/fedora may be taken before the import finishes: CDI's DataVolume controller decided cdi.kubevirt.io/storage.usePopulator=false") {
		t.Errorf("expected a MISMATCH, got %s", l)
	}
	forced := strings.Replace(image, "  namespace: golden\nspec:\n  source:\n    http:", "  namespace: golden\n  annotations:\n    cdi.kubevirt.io/storage.usePopulator: \"true\"\nspec:\n  source:\n    http:", 1)
	if l := run(t, facts, forced)["golden/fedora"]; l.Mismatch != "" {
		t.Errorf("the usePopulator annotation makes the order safe, got %s", l)
	}
}

func TestComparesAFleetPlanWithWhatCDIDoes(t *testing.T) {
	t.Parallel()
	labelled := strings.Replace(vm(""), "  namespace: tenant\n", "  namespace: tenant\n  labels:\n    kubevirt.cdk8s.io/fleet: web\n", 1)
	objects, err := manifests.Parse("in.yaml", []byte(image+"---\n"+labelled))
	if err != nil {
		t.Fatal(err)
	}
	lines, err := Run(objects, filesystem, controllers(t))
	if err != nil {
		t.Fatal(err)
	}
	out, bad, err := Compare(objects, lines, []Plan{
		{Namespace: "tenant", Name: "web", CopyOnWriteClones: 1},
		{Namespace: "tenant", Name: "other", FullCopies: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"plan tenant/web: 1 copy-on-write, 0 full copies; CDI: 1 copy-on-write, 0 full copies, 0 stalled",
		"plan tenant/other: 0 copy-on-write, 2 full copies; CDI: 0 copy-on-write, 0 full copies, 0 stalled MISMATCH",
	}
	if bad != 1 || strings.Join(out, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %d mismatches:\n%s", bad, strings.Join(out, "\n"))
	}
}

// cron is a DataImportCron as GoldenImage renders it, with the template's storage.
func cron(storage string) string {
	return `apiVersion: cdi.kubevirt.io/v1beta1
kind: DataImportCron
metadata:
  name: fedora
  namespace: golden
spec:
  managedDataSource: fedora
  schedule: 0 3 * * 1
  template:
    spec:
      preallocation: true
      source:
        registry:
          url: docker://quay.io/containerdisks/fedora:41
      storage:
` + storage
}

// CDI's DataImportCron controller imports the newest digest and points the
// DataSource it manages at the import; without a size its import never
// starts and the DataSource stays not Ready.
func TestADataImportCronFillsItsDataSource(t *testing.T) {
	t.Parallel()
	good := run(t, filesystem, cron("        resources:\n          requests:\n            storage: 10Gi\n        storageClassName: ceph\n"))["golden/fedora"]
	if good.Stalls != "" || !strings.Contains(good.String(), "(Succeeded), DataSource golden/fedora -> PVC golden/fedora-") {
		t.Errorf("expected the DataSource filled, got %s", good)
	}
	bad := run(t, filesystem, cron("        storageClassName: ceph\n"))["golden/fedora"]
	if !strings.Contains(bad.Stalls, "the DataSource CDI manages is not Ready") {
		t.Errorf("expected a stall, got %s", bad)
	}
}
