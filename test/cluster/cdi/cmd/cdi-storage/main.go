// Command cdi-storage follows every DataVolume of the inputs (files or
// folders of YAML), and every DataVolume a VirtualMachine's or
// VirtualMachinePool's templates create, through CDI's own claim rendering,
// clone size check and clone planner, then through CDI's own DataVolume,
// populator, import and DataSource controllers run against etcd and
// kube-apiserver (from --bin) on storage described by its flags, and prints
// one line per disk:
//
//	ns/name: <import|upload|snapshot-restore|csi-clone|host-assisted> size <bytes> <progresses|STALLS: reason>
//
// A clone the manifests ask to restore copy-on-write that CDI plans or
// copies host-assisted, or an import whose claim a snapshot names and that
// was Bound before CDI filled it, ends with "MISMATCH: ...". The exit status
// is 1 when a disk stalls or mismatches. With --plans, each fleet plan's
// copy-on-write and full-copy counts are compared with what CDI does for
// that fleet's disks.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"cdk8s-kubevirt/test/cluster/cdi/internal/storagepass"
	"cdk8s-kubevirt/test/cluster/internal/manifests"
)

func main() {
	fs := flag.NewFlagSet("cdi-storage", flag.ContinueOnError)
	provisioner := fs.String("provisioner", "csi.example.com", "CSI driver of every storage class and snapshot class")
	volumeMode := fs.String("volume-mode", "Filesystem", "volume mode of the StorageProfiles' first claim property set")
	accessModes := fs.String("access-modes", "ReadWriteOnce", "comma-separated access modes of that claim property set")
	expansion := fs.Bool("allow-volume-expansion", true, "allowVolumeExpansion of every storage class")
	overhead := fs.String("filesystem-overhead", "0.06", "CDI's global file system overhead")
	strategy := fs.String("clone-strategy", "", "the StorageProfiles' cloneStrategy (snapshot, copy, csi-clone); empty for CDI's default")
	plansFile := fs.String("plans", "", "a JSON array of fleet plans (test/cluster/fleet-plans.ts) to compare with what CDI does")
	self, _ := os.Executable()
	binDir := fs.String("bin", filepath.Dir(self), "folder holding etcd and kube-apiserver, for the run of CDI's controllers")
	crdDir := fs.String("crds", filepath.Join(filepath.Dir(self), "..", "..", "test", "upstream-crds"), "folder holding the cdi and external-snapshotter CRD folders")
	limit := fs.Duration("limit", 40*time.Second, "how long CDI's controllers may take to finish every DataVolume")
	noDriver := fs.Bool("no-csi-driver-object", false, "the CSI driver registers no CSIDriver object (CDI then imports without its populators unless asked)")
	if err := fs.Parse(os.Args[1:]); err != nil {
		manifests.Fail(fmt.Errorf("%w (usage: cdi-storage [flags] <files or folders of YAML>...)", err))
	}
	if fs.NArg() == 0 {
		manifests.Fail(fmt.Errorf("no input (usage: cdi-storage [flags] <files or folders of YAML>...)"))
	}
	// the report goes to standard output; whatever the linked CDI code prints goes to standard error
	w := os.Stdout
	manifests.KeepStdout()
	facts := storagepass.Facts{
		Provisioner:       *provisioner,
		VolumeMode:        corev1.PersistentVolumeMode(*volumeMode),
		AllowExpansion:    *expansion,
		Overhead:          *overhead,
		CloneStrategy:     *strategy,
		NoCSIDriverObject: *noDriver,
	}
	for _, m := range strings.Split(*accessModes, ",") {
		facts.AccessModes = append(facts.AccessModes, corev1.PersistentVolumeAccessMode(strings.TrimSpace(m)))
	}
	objects, err := manifests.Read(fs.Args())
	if err != nil {
		manifests.Fail(err)
	}
	lines, err := storagepass.Run(objects, facts, storagepass.Controllers{
		BinDir:  *binDir,
		CRDDirs: []string{filepath.Join(*crdDir, "cdi"), filepath.Join(*crdDir, "external-snapshotter")},
		Limit:   *limit,
	})
	if err != nil {
		manifests.Fail(err)
	}
	fmt.Fprintf(w, "storage facts: %s\n", facts)
	bad := 0
	for _, l := range lines {
		fmt.Fprintln(w, l)
		if l.Stalls != "" || l.Mismatch != "" {
			bad++
		}
	}
	if *plansFile != "" {
		data, err := os.ReadFile(*plansFile)
		if err != nil {
			manifests.Fail(err)
		}
		var plans []storagepass.Plan
		if err := json.Unmarshal(data, &plans); err != nil {
			manifests.Fail(fmt.Errorf("%s: %w", *plansFile, err))
		}
		compared, mismatches, err := storagepass.Compare(objects, lines, plans)
		if err != nil {
			manifests.Fail(err)
		}
		for _, l := range compared {
			fmt.Fprintln(w, l)
		}
		fmt.Fprintf(w, "%d fleet plans, %d mismatch\n", len(plans), mismatches)
		bad += mismatches
	}
	fmt.Fprintf(w, "%d disks, %d stall or mismatch\n", len(lines), bad)
	if bad > 0 {
		os.Exit(1)
	}
}
