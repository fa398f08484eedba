/**
 * Internal contracts of the compute area, kept out of the package exports:
 * between a VM and its boot disk (factories in other areas, such as
 * DataVolume sources, implement BootDiskSource and wrap it with
 * BootDisk._fromSource()), and between a VM and its cloud-init Secret.
 */
import { IConstruct } from 'constructs';

/** The VM a boot disk is bound to. */
export interface BootDiskBindContext {
  /** Name of the VM. */
  readonly name: string;
  /** Namespace of the VM. */
  readonly namespace: string;
  /** Name of the volume (and disk) in the VM spec. */
  readonly volumeName: string;
}

/** What a boot disk contributes to the VM spec. */
export interface BootDiskBinding {
  /** The `spec.template.spec.volumes[]` entry, named `volumeName`. */
  readonly volume: any;
  /**
   * A `spec.dataVolumeTemplates[]` entry (`metadata` + `spec`) when the
   * volume is a DataVolume owned by the VM.
   */
  readonly dataVolumeTemplate?: any;
  /**
   * Access modes of the storage behind the volume when known. When absent,
   * the VM reads them from `dataVolumeTemplate.spec.storage.accessModes`
   * (or `spec.pvc.accessModes`); when those are absent too, they are unknown
   * (CDI's StorageProfile decides, or the claim was made elsewhere) and the
   * live-migration check skips the volume.
   */
  readonly accessModes?: string[];
  /**
   * Whether the volume moves with a live migration whatever its access modes
   * (container disks: every node pulls its own copy).
   */
  readonly migratable?: boolean;
}

/**
 * The internal contract of a boot disk source. Other areas (DataVolume
 * sources) create boot disks through `BootDisk._fromSource()`.
 */
export interface BootDiskSource {
  /** Short text for error messages, e.g. `containerDisk 'quay.io/x:1'`. */
  readonly description: string;
  /** Throws the library error when the source is unusable for this VM. */
  validate(scope: IConstruct, prop: string): void;
  /**
   * Adds what the disk needs beside the VM once its namespace is known (the
   * clone grant of a golden image in another namespace). Runs once per VM
   * construct, in its constructor.
   */
  prepare?(scope: IConstruct, namespace: string): void;
  /**
   * Renders the volume (and DataVolume template) for one VM. Must be pure:
   * it runs at synth time, possibly more than once per VM (rendering and
   * validation), and once per VM of a fleet.
   */
  bind(vm: BootDiskBindContext): BootDiskBinding;
}


/** The Secret names a VM refers to for its NoCloud data. */
export interface CloudInitSecretRef {
  /** Secret holding the user data under the key `userdata`. */
  readonly userDataSecretName: string;
  /** Secret holding the network data under the key `networkdata`, if any. */
  readonly networkDataSecretName?: string;
}
