/**
 * The options of a SmartCloneFleet: how many VMs, their golden image or
 * source, their data disks and how they are cloned.
 */
import { Size } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { PoolAutohealing, PoolMaxUnavailable, PoolScaleInStrategy, PoolUpdateStrategy } from './pool-options';
import { INetworkAttachmentDefinition } from '../../network/network-attachment-definition-ref';
import { DataVolumeSource } from '../../storage/data-volume-source';
import { IGoldenImage } from '../../storage/golden-image-options';
import { CloneStrategy } from '../disks/boot-disk';
import { Disk } from '../disks/disk';
import { AddDiskOptions } from '../disks/disk-options';
import { VirtualMachineNetworkInterface, VirtualMachineTemplateOptions } from '../vm/template-options';

/** Props of `SmartCloneFleet`. */
export interface SmartCloneFleetProps extends VirtualMachineTemplateOptions {
  /**
   * Name of the fleet. The VMs are named `<name>-0` to
   * `<name>-<replicas - 1>` (0-based, like the VMs of a VirtualMachinePool),
   * and every one of those names must fit in 63 characters.
   *
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Namespace of the VMs and of the Secrets they share.
   *
   * @default - the namespace of the chart
   */
  readonly namespace?: string;

  /**
   * The golden image every VM boots a clone of. Exactly one of `image` and
   * `source`.
   *
   * @default - none; then `source` is required
   */
  readonly image?: IGoldenImage;

  /**
   * A DataVolume source that every VM fills its own disk from, for fleets
   * without a golden image: a snapshot (a copy-on-write restore per VM), a
   * PVC (a clone per VM), or a URL import per VM, which downloads the image
   * once per VM and so needs `allowPerVmImport: true`. Upload and blank
   * sources are refused. Exactly one of `image` and `source`.
   *
   * @default - none; then `image` is required
   */
  readonly source?: DataVolumeSource;

  /** Number of VMs, at least 1. */
  readonly replicas: number;

  /**
   * How the VMs' disks are cloned from `image`. Not used with `source`.
   *
   * @default CloneStrategy.SNAPSHOT
   */
  readonly strategy?: CloneStrategy;

  /**
   * Storage class of the VMs' disks. With the snapshot strategy it must be
   * the image's: CDI cannot restore a snapshot into another class without
   * falling back to a full copy.
   *
   * @default - the image's storage class
   */
  readonly storageClass?: string;

  /**
   * Size of each VM's disk: at least the image's size. A disk of the image's
   * size is rendered without a size, so CDI sizes each clone from its source
   * (the snapshot's restore size, which holds a Filesystem image's padding).
   * A larger disk with the snapshot strategy must hold that padding too
   * (CDI's file system overhead, 6 % by default) and needs a storage class
   * that allows volume expansion. Required with a URL import `source`;
   * optional with a snapshot or PVC `source`, whose size CDI then takes.
   *
   * @default - the image's size (with a snapshot or PVC `source`: the source's size)
   */
  readonly diskSize?: Size;

  /**
   * Access modes of each VM's disk.
   *
   * @default - the image's access modes (else the StorageProfile's)
   */
  readonly accessModes?: PersistentVolumeAccessMode[];

  /**
   * The VMs' interfaces and their networks.
   *
   * @default - one interface named `default` on the pod network with
   * masquerade binding, unless `isolatedNetwork` is set
   */
  readonly networks?: VirtualMachineNetworkInterface[];

  /**
   * Cuts every VM off the pod network, like `IsolatedVm`: this Multus
   * network becomes the only default network (interface `default`,
   * bridge binding, `autoattachPodInterface: false`). `networks` may add
   * further Multus networks, not the pod network.
   *
   * @default - not isolated
   */
  readonly isolatedNetwork?: INetworkAttachmentDefinition;

  /**
   * Emit one VirtualMachinePool (pool.kubevirt.io/v1beta1) with `replicas`
   * instead of N VirtualMachines. KubeVirt then names the VMs
   * `<name>-<index>` and each disk `<name>-rootdisk-<index>`.
   *
   * @default false
   */
  readonly pool?: boolean;

  /**
   * How the pool updates its VMs when the template changes. Needs `pool: true`.
   *
   * @default - not rendered: KubeVirt's default, proactive (VMs restarted, `poolMaxUnavailable` at a time)
   */
  readonly poolUpdateStrategy?: PoolUpdateStrategy;

  /**
   * How the pool removes VMs when `replicas` goes down. Needs `pool: true`.
   *
   * @default - not rendered: KubeVirt's default, proactive (random order, no state kept)
   */
  readonly poolScaleInStrategy?: PoolScaleInStrategy;

  /**
   * Replace VMs that keep failing to start. Needs `pool: true`.
   *
   * @default - not rendered: the pool does not replace failing VMs
   */
  readonly poolAutohealing?: PoolAutohealing;

  /**
   * How many VMs may be unavailable at a time during a proactive update.
   * Needs `pool: true`; refused with an unmanaged or opportunistic
   * `poolUpdateStrategy`, which never reads it.
   *
   * @default - not rendered: KubeVirt's default, 100%
   */
  readonly poolMaxUnavailable?: PoolMaxUnavailable;

  /**
   * Allow a URL import `source` that every VM downloads on its own (N
   * downloads of the same image). Prefer a `GoldenImage`: one import, then
   * clones.
   *
   * @default false
   */
  readonly allowPerVmImport?: boolean;

  /**
   * Data disks of every VM. A DataVolume template or a golden-image clone
   * gives each VM a DataVolume of its own, named `<vm name>-<disk name>`
   * (`<fleet name>-<disk name>-<index>` in a pool); any other disk (a
   * ConfigMap, a Secret, a shared PVC) is referenced by every VM.
   *
   * @default - none
   */
  readonly disks?: SmartCloneFleetDisk[];
}


/** A data disk of every VM of a `SmartCloneFleet`. */
export interface SmartCloneFleetDisk extends AddDiskOptions {
  /** Name of the disk (a DNS-1123 label, unique in the VM). */
  readonly name: string;
  /** The disk. A DataVolume template or golden-image clone gives every VM its own copy. */
  readonly disk: Disk;
}
