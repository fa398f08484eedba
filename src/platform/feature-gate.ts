import { nearestName, propError, requireEnum, requireString } from '../validation';

/** Which operator reads a feature gate. */
export enum FeatureGateComponent {
  /** KubeVirt: `KubeVirt.spec.configuration.developerConfiguration.featureGates`. */
  KUBEVIRT = 'KubeVirt',
  /** CDI: `CDI.spec.config.featureGates`. */
  CDI = 'CDI',
}

/** How mature a feature gate is in the pinned release. */
export enum FeatureGateStage {
  /** Off unless listed in `featureGates`; experimental. */
  ALPHA = 'Alpha',
  /**
   * KubeVirt: on unless listed in `disabledFeatureGates` (KubeVirt v1.9
   * switches Beta gates on by default). CDI: off unless listed.
   */
  BETA = 'Beta',
  /** Graduated: always on, listing or disabling it has no effect. */
  GA = 'GA',
  /** Deprecated: off unless listed in `featureGates`, will be removed. */
  DEPRECATED = 'Deprecated',
  /** Discontinued: accepted but ignored. */
  DISCONTINUED = 'Discontinued',
  /** Not in the library's list (`FeatureGate.custom()`); passed through as given. */
  UNKNOWN = 'Unknown',
}

const GATE_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** Every gate created by the static constants, in declaration order. */
const REGISTRY: FeatureGate[] = [];

/**
 * A feature gate of KubeVirt v1.9 or CDI v1.66. The static constants are the
 * gates those releases know; `custom()` passes any other name through.
 * Gates that graduated or were dropped are kept so that setting them is
 * reported instead of failing.
 */
export class FeatureGate {
  // ---- KubeVirt v1.9: alpha gates (off unless set) and beta gates (on unless disabled)
  /** KubeVirt (beta): run libvirt hooks on the migration target. */
  public static readonly LIBVIRT_HOOKS_SERVER_AND_CLIENT = FeatureGate.kv('LibvirtHooksServerAndClient', FeatureGateStage.BETA);
  /** KubeVirt (beta): mount container disks as Kubernetes image volumes. */
  public static readonly IMAGE_VOLUME = FeatureGate.kv('ImageVolume', FeatureGateStage.BETA);
  /** KubeVirt (alpha): dedicated CPUs through the kubelet CPU manager. */
  public static readonly CPU_MANAGER = FeatureGate.kv('CPUManager', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): Ignition user data. */
  public static readonly EXPERIMENTAL_IGNITION_SUPPORT = FeatureGate.kv('ExperimentalIgnitionSupport', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): strict Hyper-V enlightenment checks. */
  public static readonly HYPERV_STRICT_CHECK = FeatureGate.kv('HypervStrictCheck', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): hook sidecars. */
  public static readonly SIDECAR = FeatureGate.kv('Sidecar', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): PCI and mediated host device passthrough. */
  public static readonly HOST_DEVICES = FeatureGate.kv('HostDevices', FeatureGateStage.ALPHA);
  /** KubeVirt (beta): VM snapshots and restores. */
  public static readonly SNAPSHOT = FeatureGate.kv('Snapshot', FeatureGateStage.BETA);
  /** KubeVirt (alpha): disks backed by files on the host. */
  public static readonly HOST_DISK = FeatureGate.kv('HostDisk', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): host metrics exposed to the guest. */
  public static readonly DOWNWARD_METRICS = FeatureGate.kv('DownwardMetrics', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): run virt-launcher as root. */
  public static readonly ROOT = FeatureGate.kv('Root', FeatureGateStage.ALPHA);
  /** KubeVirt (beta): AMD SEV memory encryption. */
  public static readonly WORKLOAD_ENCRYPTION_SEV = FeatureGate.kv('WorkloadEncryptionSEV', FeatureGateStage.BETA);
  /** KubeVirt (alpha): Intel TDX confidential VMs. */
  public static readonly WORKLOAD_ENCRYPTION_TDX = FeatureGate.kv('WorkloadEncryptionTDX', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): VSOCK devices. */
  public static readonly VSOCK = FeatureGate.kv('VSOCK', FeatureGateStage.ALPHA);
  /** KubeVirt (beta): install and use KubeVirt's own seccomp profile. */
  public static readonly KUBEVIRT_SECCOMP_PROFILE = FeatureGate.kv('KubevirtSeccompProfile', FeatureGateStage.BETA);
  /** KubeVirt (alpha): align emulator thread CPUs to even parity. */
  public static readonly ALIGN_CPUS = FeatureGate.kv('AlignCPUs', FeatureGateStage.ALPHA);
  /** KubeVirt (beta): restrict what virt-handler may change to its own node. */
  public static readonly NODE_RESTRICTION = FeatureGate.kv('NodeRestriction', FeatureGateStage.BETA);
  /** KubeVirt (alpha): virtiofs for storage volumes. */
  public static readonly ENABLE_VIRTIO_FS_STORAGE_VOLUMES = FeatureGate.kv('EnableVirtioFsStorageVolumes', FeatureGateStage.ALPHA);
  /** KubeVirt (beta): GPUs allocated through dynamic resource allocation. */
  public static readonly GPUS_WITH_DRA = FeatureGate.kv('GPUsWithDRA', FeatureGateStage.BETA);
  /** KubeVirt (beta): host devices allocated through dynamic resource allocation. */
  public static readonly HOST_DEVICES_WITH_DRA = FeatureGate.kv('HostDevicesWithDRA', FeatureGateStage.BETA);
  /** KubeVirt (alpha): NUMA-aware PCIe topology for passthrough devices. */
  public static readonly PCI_NUMA_AWARE_TOPOLOGY = FeatureGate.kv('PCINUMAAwareTopology', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): network devices allocated through dynamic resource allocation. */
  public static readonly NETWORK_DEVICES_WITH_DRA = FeatureGate.kv('NetworkDevicesWithDRA', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): live migration across clusters. */
  public static readonly DECENTRALIZED_LIVE_MIGRATION = FeatureGate.kv('DecentralizedLiveMigration', FeatureGateStage.ALPHA);
  /** KubeVirt (beta): add and remove volumes by editing the VM spec. */
  public static readonly DECLARATIVE_HOTPLUG_VOLUMES = FeatureGate.kv('DeclarativeHotplugVolumes', FeatureGateStage.BETA);
  /** KubeVirt (alpha): object graph subresource of VMs. */
  public static readonly OBJECT_GRAPH = FeatureGate.kv('ObjectGraph', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): utility volumes hot-plugged into virt-launcher. */
  public static readonly UTILITY_VOLUMES = FeatureGate.kv('UtilityVolumes', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): hypervisors other than KVM. */
  public static readonly CONFIGURABLE_HYPERVISOR = FeatureGate.kv('ConfigurableHypervisor', FeatureGateStage.ALPHA);
  /** KubeVirt (beta): passt core network binding. */
  public static readonly PASST_BINDING = FeatureGate.kv('PasstBinding', FeatureGateStage.BETA);
  /** KubeVirt (alpha): full and incremental VM backups. */
  public static readonly INCREMENTAL_BACKUP = FeatureGate.kv('IncrementalBackup', FeatureGateStage.ALPHA);
  /** KubeVirt (beta): upgrade old ordinal secondary interface names. */
  public static readonly POD_SECONDARY_INTERFACE_NAMING_UPGRADE = FeatureGate.kv('PodSecondaryInterfaceNamingUpgrade', FeatureGateStage.BETA);
  /** KubeVirt (beta): leave network resource injection to an external component. */
  public static readonly EXTERNAL_NET_RESOURCE_INJECTION = FeatureGate.kv('ExternalNetResourceInjection', FeatureGateStage.BETA);
  /** KubeVirt (beta): reboot policy on the VMI domain spec. */
  public static readonly REBOOT_POLICY = FeatureGate.kv('RebootPolicy', FeatureGateStage.BETA);
  /** KubeVirt (beta): deploy the virt-template components. */
  public static readonly TEMPLATE = FeatureGate.kv('Template', FeatureGateStage.BETA);
  /** KubeVirt (beta): report memory overhead in the VMI status. */
  public static readonly VMI_MEMORY_OVERHEAD_REPORT = FeatureGate.kv('VmiMemoryOverheadReport', FeatureGateStage.BETA);
  /** KubeVirt (alpha): expose virt-launcher mount paths to the guest. */
  public static readonly CONTAINER_PATH_VOLUMES = FeatureGate.kv('ContainerPathVolumes', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): reserved memory overhead and memory locking. */
  public static readonly RESERVED_OVERHEAD_MEMLOCK = FeatureGate.kv('ReservedOverheadMemlock', FeatureGateStage.ALPHA);
  /** KubeVirt (beta): opt out of aggregating KubeVirt roles into the default roles. */
  public static readonly OPT_OUT_ROLE_AGGREGATION = FeatureGate.kv('OptOutRoleAggregation', FeatureGateStage.BETA);
  /** KubeVirt (alpha): live migration of VMs with vGPUs. */
  public static readonly VGPU_LIVE_MIGRATION = FeatureGate.kv('VGPULiveMigration', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): extra guest agent polling for VM statistics. */
  public static readonly VM_STATS_COLLECTOR = FeatureGate.kv('VMStatsCollector', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): export VM disks as OCI archives. */
  public static readonly OCI_EXPORT = FeatureGate.kv('OCIExport', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): Plugin objects that extend VMs. */
  public static readonly PLUGINS = FeatureGate.kv('Plugins', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): GPU passthrough tuned for NVIDIA Grace. */
  public static readonly GRACE_IO_VIRTUALIZATION = FeatureGate.kv('GraceIOVirtualization', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): IOMMUFD for passthrough devices. */
  public static readonly IOMMUFD = FeatureGate.kv('IOMMUFD', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): libvirt firmware auto-selection for secure boot. */
  public static readonly FIRMWARE_AUTO_SELECTION = FeatureGate.kv('FirmwareAutoSelection', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): detect stalled migrations. */
  public static readonly MIGRATION_STALL_DETECTION = FeatureGate.kv('MigrationStallDetection', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): guests of another CPU architecture than the node's. */
  public static readonly CROSS_ARCHITECTURE_VIRTUALIZATION = FeatureGate.kv('CrossArchitectureVirtualization', FeatureGateStage.ALPHA);
  /** KubeVirt (alpha): `portRanges` on masquerade interfaces. */
  public static readonly PORT_RANGES_SPEC = FeatureGate.kv('PortRangesSpec', FeatureGateStage.ALPHA);

  // ---- KubeVirt v1.9: graduated, deprecated and discontinued gates (setting them is reported)
  /** KubeVirt (GA, no need to set): live migration. */
  public static readonly LIVE_MIGRATION = FeatureGate.kv('LiveMigration', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): live migration of SR-IOV VMs. */
  public static readonly SRIOV_LIVE_MIGRATION = FeatureGate.kv('SRIOVLiveMigration', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): non-root virt-launcher. */
  public static readonly NON_ROOT = FeatureGate.kv('NonRoot', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): Pod Security Admission labels. */
  public static readonly PSA = FeatureGate.kv('PSA', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): CPU model node labelling. */
  public static readonly CPU_NODE_DISCOVERY = FeatureGate.kv('CPUNodeDiscovery', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): guest NUMA topology. */
  public static readonly NUMA = FeatureGate.kv('NUMA', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): deployment of common instance types. */
  public static readonly COMMON_INSTANCETYPES_DEPLOYMENT_GATE = FeatureGate.kv('CommonInstancetypesDeploymentGate', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): GPU passthrough. */
  public static readonly GPU = FeatureGate.kv('GPU', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): network interface hotplug. */
  public static readonly HOTPLUG_NICS = FeatureGate.kv('HotplugNICs', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): Bochs display for EFI guests. */
  public static readonly BOCHS_DISPLAY_FOR_EFI_GUESTS = FeatureGate.kv('BochsDisplayForEFIGuests', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): live update of VM fields such as CPU sockets. */
  public static readonly VM_LIVE_UPDATE_FEATURES = FeatureGate.kv('VMLiveUpdateFeatures', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): network binding plugins. */
  public static readonly NETWORK_BINDING_PLUGINS = FeatureGate.kv('NetworkBindingPlugins', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): dynamic pod interface naming. */
  public static readonly DYNAMIC_POD_INTERFACE_NAMING = FeatureGate.kv('DynamicPodInterfaceNaming', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): volume update strategy. */
  public static readonly VOLUMES_UPDATE_STRATEGY = FeatureGate.kv('VolumesUpdateStrategy', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): storage migration. */
  public static readonly VOLUME_MIGRATION = FeatureGate.kv('VolumeMigration', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): skip the custom SELinux policy. */
  public static readonly DISABLE_CUSTOM_SELINUX_POLICY = FeatureGate.kv('DisableCustomSELinuxPolicy', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): automatic resource limits under quotas. */
  public static readonly AUTO_RESOURCE_LIMITS_GATE = FeatureGate.kv('AutoResourceLimitsGate', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): cluster profiler. */
  public static readonly CLUSTER_PROFILER = FeatureGate.kv('ClusterProfiler', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): persistent VM state such as vTPM. */
  public static readonly VM_PERSISTENT_STATE = FeatureGate.kv('VMPersistentState', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): VM exports. */
  public static readonly VM_EXPORT = FeatureGate.kv('VMExport', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): SCSI persistent reservation. */
  public static readonly PERSISTENT_RESERVATION = FeatureGate.kv('PersistentReservation', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): instance type reference policy. */
  public static readonly INSTANCETYPE_REFERENCE_POLICY = FeatureGate.kv('InstancetypeReferencePolicy', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): virtiofs for config volumes. */
  public static readonly ENABLE_VIRTIO_FS_CONFIG_VOLUMES = FeatureGate.kv('EnableVirtioFsConfigVolumes', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): online disk expansion. */
  public static readonly EXPAND_DISKS = FeatureGate.kv('ExpandDisks', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): panic devices. */
  public static readonly PANIC_DEVICES = FeatureGate.kv('PanicDevices', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): live update of NAD references. */
  public static readonly LIVE_UPDATE_NAD_REF = FeatureGate.kv('LiveUpdateNADRef', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): video device selection. */
  public static readonly VIDEO_CONFIG = FeatureGate.kv('VideoConfig', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): IBM Z secure execution. */
  public static readonly SECURE_EXECUTION = FeatureGate.kv('SecureExecution', FeatureGateStage.GA);
  /** KubeVirt (GA, no need to set): migration priority queue. */
  public static readonly MIGRATION_PRIORITY_QUEUE = FeatureGate.kv('MigrationPriorityQueue', FeatureGateStage.GA);
  /** KubeVirt (deprecated): SELinux MCS workaround for Docker. */
  public static readonly DOCKER_SELINUX_MCS_WORKAROUND = FeatureGate.kv('DockerSELinuxMCSWorkaround', FeatureGateStage.DEPRECATED);
  /** KubeVirt (deprecated): multi-architecture scheduling. */
  public static readonly MULTI_ARCHITECTURE = FeatureGate.kv('MultiArchitecture', FeatureGateStage.DEPRECATED);
  /** KubeVirt (deprecated): disable mediated device handling. */
  public static readonly DISABLE_MDEV_CONFIGURATION = FeatureGate.kv('DisableMDEVConfiguration', FeatureGateStage.DEPRECATED);
  /** KubeVirt (deprecated, use DECLARATIVE_HOTPLUG_VOLUMES): imperative volume hotplug. */
  public static readonly HOTPLUG_VOLUMES = FeatureGate.kv('HotplugVolumes', FeatureGateStage.DEPRECATED);
  /** KubeVirt (discontinued): experimental virtiofs. */
  public static readonly EXPERIMENTAL_VIRTIOFS_SUPPORT = FeatureGate.kv('ExperimentalVirtiofsSupport', FeatureGateStage.DISCONTINUED);
  /** KubeVirt (discontinued, use PASST_BINDING): passt binding gate of older releases. */
  public static readonly PASST = FeatureGate.kv('Passt', FeatureGateStage.DISCONTINUED);
  /** KubeVirt (discontinued): macvtap binding. */
  public static readonly MACVTAP = FeatureGate.kv('Macvtap', FeatureGateStage.DISCONTINUED);
  /** KubeVirt (discontinued): passt IP stack migration. */
  public static readonly PASST_IP_STACK_MIGRATION = FeatureGate.kv('PasstIPStackMigration', FeatureGateStage.DISCONTINUED);

  // ---- CDI v1.66
  /** CDI: do not start worker pods for WaitForFirstConsumer storage before a consumer exists. */
  public static readonly HONOR_WAIT_FOR_FIRST_CONSUMER = FeatureGate.cdi('HonorWaitForFirstConsumer');
  /** CDI: let a DataVolume adopt an existing PVC of the same name. */
  public static readonly DATA_VOLUME_CLAIM_ADOPTION = FeatureGate.cdi('DataVolumeClaimAdoption');
  /** CDI: render PVCs through a mutating webhook. */
  public static readonly WEBHOOK_PVC_RENDERING = FeatureGate.cdi('WebhookPvcRendering');

  /**
   * A gate this library does not list, passed through unchecked: for newer
   * operator builds than the pinned ones.
   * @param name gate name exactly as the operator spells it
   * @param component operator that reads it
   */
  public static custom(name: string, component: FeatureGateComponent): FeatureGate {
    requireEnum('FeatureGate.custom', 'component', component, FeatureGateComponent, 'FeatureGateComponent');
    if (typeof name !== 'string' || !GATE_NAME.test(name)) {
      throw propError('FeatureGate.custom', 'name', name, 'must be a feature gate name (letters and digits, starting with a letter)', 'spell the gate as the operator documents it, e.g. \'Snapshot\'');
    }
    return new FeatureGate(name, component, FeatureGateStage.UNKNOWN);
  }

  /**
   * Looks a known gate up by its name, e.g. from configuration files.
   * Throws for names the pinned releases do not know.
   * @param name gate name as the operator spells it
   * @param component operator that reads it
   */
  public static fromName(name: string, component: FeatureGateComponent): FeatureGate {
    requireString('FeatureGate.fromName', 'name', name, 'give the gate name as the operator spells it, e.g. \'Snapshot\'');
    requireEnum('FeatureGate.fromName', 'component', component, FeatureGateComponent, 'FeatureGateComponent');
    const hit = FeatureGate.known().find(g => g.name === name && g.component === component);
    if (hit) return hit;
    const constant = component === FeatureGateComponent.CDI ? 'CDI' : 'KUBEVIRT';
    const custom = `use FeatureGate.custom('${name}', FeatureGateComponent.${constant}) if your operator build has it`;
    const elsewhere = FeatureGate.known().find(g => g.name === name);
    if (elsewhere) {
      throw propError('FeatureGate.fromName', 'featureGate', name, `is a ${elsewhere.component} feature gate, not a ${component} one`,
        `pass FeatureGateComponent.${elsewhere.component === FeatureGateComponent.CDI ? 'CDI' : 'KUBEVIRT'}, or add it to the ${elsewhere.component} construct`);
    }
    const near = nearestName(name, FeatureGate.known().filter(g => g.component === component).map(g => g.name));
    const hint = near ? `did you mean '${near}'? otherwise ` : '';
    throw propError('FeatureGate.fromName', 'featureGate', name, `is not a known ${component} feature gate of the pinned release`, `${hint}${custom}`);
  }

  /** Every gate listed by this library. */
  public static known(): FeatureGate[] {
    return [...REGISTRY];
  }

  private static kv(name: string, stage: FeatureGateStage): FeatureGate {
    return FeatureGate.register(new FeatureGate(name, FeatureGateComponent.KUBEVIRT, stage));
  }

  private static cdi(name: string): FeatureGate {
    return FeatureGate.register(new FeatureGate(name, FeatureGateComponent.CDI, FeatureGateStage.BETA));
  }

  private static register(gate: FeatureGate): FeatureGate {
    REGISTRY.push(gate);
    return gate;
  }

  /** @param name gate name as the operator spells it */
  private constructor(
    /** Gate name as the operator spells it. */
    public readonly name: string,
    /** Operator that reads the gate. */
    public readonly component: FeatureGateComponent,
    /** Maturity in the pinned release. */
    public readonly stage: FeatureGateStage,
  ) {}

  /** Whether setting this gate changes nothing in the pinned release. */
  public get noLongerNeeded(): boolean {
    return this.stage === FeatureGateStage.GA || this.stage === FeatureGateStage.DEPRECATED || this.stage === FeatureGateStage.DISCONTINUED;
  }
}
