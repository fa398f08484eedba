/**
 * Internal contracts of the compute area, kept out of the package exports:
 * between a VM and its boot disk (factories in other areas, such as
 * DataVolume sources, implement BootDiskSource and wrap it with
 * BootDisk._fromSource()), and between a VM and its cloud-init Secret.
 */
import { IConstruct } from 'constructs';
import { IGoldenImage } from '../../storage/golden-image-options';

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
  /**
   * Why the volume cannot follow a live migration whatever its access
   * modes (a hostDisk that is not shared), when it cannot.
   */
  readonly migrationBlocker?: string;
}

/** The kinds of volume a disk can have, as KubeVirt names them. */
export enum VolumeKind {
  CONTAINER_DISK = 'containerDisk',
  PERSISTENT_VOLUME_CLAIM = 'persistentVolumeClaim',
  DATA_VOLUME = 'dataVolume',
  DATA_VOLUME_TEMPLATE = 'dataVolumeTemplate',
  EMPTY_DISK = 'emptyDisk',
  EPHEMERAL = 'ephemeral',
  HOST_DISK = 'hostDisk',
  CONFIG_MAP = 'configMap',
  SECRET = 'secret',
  SERVICE_ACCOUNT = 'serviceAccount',
  DOWNWARD_API = 'downwardAPI',
  SYSPREP = 'sysprep',
}

/** What one VM's copy of a volume costs in storage operations (for fleet plans). */
export interface VolumePlan {
  /** How the VM's copy is filled. */
  readonly fill: 'copy-on-write' | 'full-copy' | 'import' | 'none';
  /** Bytes moved per VM for a full copy or an import. */
  readonly bytes: number;
  /** Size of each VM's DataVolume. */
  readonly provisioned: number;
  /** The golden image cloned, whose own import and snapshot the plan counts once. */
  readonly image?: IGoldenImage;
  /** What the storage must do for a copy-on-write fill to stay one (unknown to the library). */
  readonly conditions?: string[];
}

/**
 * The internal contract of a boot disk source. Other areas (DataVolume
 * sources) create boot disks through `BootDisk._fromSource()`.
 */
export interface BootDiskSource {
  /** Short text for error messages, e.g. `containerDisk 'quay.io/x:1'`. */
  readonly description: string;
  /**
   * Kind of the volume, for the rules that depend on it (LUNs, hotplug,
   * virtiofs).
   * @default - unknown; LUN, hotplug and virtiofs are refused
   */
  readonly kind?: VolumeKind;
  /** Access modes known before binding (for the fleet's sharing rule). */
  readonly knownAccessModes?: string[];
  /**
   * `volumeMode` of a DataVolume the VM owns, as its template asks for it
   * (for the LUN rule).
   * @default - not set in the template: the storage profile decides
   */
  readonly volumeMode?: string;
  /** Storage cost of each VM's copy, for fleet plans. */
  readonly plan?: VolumePlan;
  /** Work to do once per fleet that uses the volume (granting clones). */
  readonly prepareFleet?: (namespace: string) => void;
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
  /** Whether the data goes to a config drive instead of a NoCloud disk. */
  readonly configDrive?: boolean;
}
