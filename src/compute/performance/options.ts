import { Duration, Size } from 'cdk8s';
import { Cpu, DnsPolicy, k8s } from 'cdk8s-plus-33';
import { CpuFeature, CpuModel, HugepagesSize, IoThreadsPolicy } from './cpu';
import { VmProbe } from './probe';
import { InputBus, TpmOptions, WatchdogAction } from '../devices/guest-devices';
import { GpuDevice, HostDevice } from '../devices/host-devices';
import { ClockOptions, HypervEnlightenments } from '../devices/hyperv';

/**
 * Compute and scheduling settings of a VM: resources, CPU pinning,
 * hugepages, NUMA, IO queues and pod lifecycle.
 */
export interface VirtualMachinePerformanceOptions {
  /**
   * CPU the VM's pod requests (`domain.resources.requests.cpu`). Not
   * allowed with an instancetype.
   *
   * @default - `cpuLimit` when one is given (KubeVirt copies a CPU limit
   * into the request); else KubeVirt derives it from the vCPUs and the
   * cluster's CPU allocation ratio (a tenth of a CPU per vCPU by default)
   */
  readonly cpuRequest?: Cpu;

  /**
   * CPU limit of the VM's pod. Without `cpuRequest` the pod also requests
   * this much: the scheduler reserves the whole limit. Not allowed with an
   * instancetype.
   *
   * @default - no limit
   */
  readonly cpuLimit?: Cpu;

  /**
   * Memory the VM requests, before KubeVirt adds its overhead (the pod's
   * request is this plus the overhead). Less than `memory` overcommits: the
   * guest sees `memory`, the scheduler reserves only this much, and the
   * node must have the difference free when the guest uses it. Not allowed
   * with an instancetype, and not below `memory` with `dedicatedCpus`
   * (KubeVirt then caps the pod at the request) or `hugepages` (KubeVirt
   * sizes the hugepages from the request).
   *
   * @default - `memoryLimit` when one is given (KubeVirt copies a memory
   * limit into the request, so a limit alone reserves the whole limit);
   * else the guest memory, scaled by the KubeVirt CR's memory overcommit
   * percentage (100 by default); the overhead comes on top
   */
  readonly memoryRequest?: Size;

  /**
   * Memory limit of the VM, at least the guest memory; the pod's limit is
   * this plus KubeVirt's overhead. Without `memoryRequest` the pod also
   * requests this much. Not allowed with an instancetype.
   *
   * @default - no limit
   */
  readonly memoryLimit?: Size;

  /**
   * Pin every vCPU to its own host CPU (`dedicatedCpuPlacement`). Needs
   * nodes with the static CPU manager policy and the CPUManager feature gate.
   *
   * @default false
   */
  readonly dedicatedCpus?: boolean;

  /**
   * Give QEMU's emulator thread its own host CPU. Only with `dedicatedCpus`.
   *
   * @default false
   */
  readonly isolateEmulatorThread?: boolean;

  /**
   * Mirror the host's NUMA layout into the guest. Needs `dedicatedCpus` and
   * `hugepages`.
   *
   * @default false
   */
  readonly numaGuestMappingPassthrough?: boolean;

  /**
   * Tune the vCPUs for realtime work. Needs `dedicatedCpus` and
   * `numaGuestMappingPassthrough`.
   *
   * @default false
   */
  readonly realtime?: boolean;

  /**
   * CPU model of the guest.
   *
   * @default - the cluster's default model (host-model)
   */
  readonly cpuModel?: CpuModel;

  /**
   * CPU features to require, forbid or change.
   *
   * @default - none
   */
  readonly cpuFeatures?: CpuFeature[];

  /**
   * Back guest memory with hugepages of this size. The guest memory (or the
   * memory request) must be a multiple of the page size.
   *
   * @default - normal pages
   */
  readonly hugepages?: HugepagesSize;

  /**
   * One queue per vCPU on virtio network interfaces.
   *
   * @default false
   */
  readonly networkInterfaceMultiqueue?: boolean;

  /**
   * One queue per vCPU on virtio disks.
   *
   * @default false
   */
  readonly blockMultiQueue?: boolean;

  /**
   * How disks get IO threads.
   *
   * @default - KubeVirt's default
   */
  readonly ioThreadsPolicy?: IoThreadsPolicy;

  /**
   * Number of IO threads of the supplemental pool; required with
   * `IoThreadsPolicy.SUPPLEMENTAL_POOL`, refused otherwise.
   *
   * @default - none
   */
  readonly ioThreads?: number;

  /**
   * Time the guest gets to shut down before it is stopped hard (whole
   * seconds).
   *
   * @default - KubeVirt's default (180 seconds)
   */
  readonly terminationGracePeriod?: Duration;

  /**
   * Host name of the guest (a DNS-1123 label): KubeVirt makes it the pod's
   * host name, cloud-init's `local-hostname` and the pod's
   * `vm.kubevirt.io/name` label. Not allowed on a fleet, whose VMs would
   * all share it; each fleet VM's host name is its own name.
   *
   * @default - the VM's name
   */
  readonly hostname?: string;

  /**
   * Subdomain of the guest: with a headless Service of the same name, the
   * guest is reachable as `<hostname>.<subdomain>.<namespace>.svc` (each VM
   * of a fleet as `<vm name>.<subdomain>...`).
   *
   * @default - none
   */
  readonly subdomain?: string;

  /**
   * DNS policy of the VM's pod.
   *
   * @default - ClusterFirst
   */
  readonly dnsPolicy?: DnsPolicy;

  /**
   * DNS settings of the VM's pod (required with `DnsPolicy.NONE`).
   *
   * @default - none
   */
  readonly dnsConfig?: k8s.PodDnsConfig;

  /**
   * Priority class of the VM's pod.
   *
   * @default - the cluster's default priority
   */
  readonly priorityClassName?: string;

  /**
   * How VMs spread over zones or nodes.
   *
   * @default - none
   */
  readonly topologySpreadConstraints?: k8s.TopologySpreadConstraint[];

  /**
   * When the VM counts as ready (for Services and rollouts). TCP and HTTP
   * probes need the pod network.
   *
   * @default - ready once the guest runs
   */
  readonly readinessProbe?: VmProbe;

  /**
   * When the VM counts as broken and is restarted. TCP and HTTP probes need
   * the pod network.
   *
   * @default - never restarted for being unresponsive
   */
  readonly livenessProbe?: VmProbe;
}

/** Devices of a VM: passthrough, emulated and Windows-related. */
export interface VirtualMachineDeviceOptions {
  /**
   * GPUs passed through to the VM. A VM with host devices cannot
   * live-migrate.
   *
   * @default - none
   */
  readonly gpus?: GpuDevice[];

  /**
   * PCI or mediated host devices passed through to the VM (needs the
   * HostDevices feature gate). A VM with host devices cannot live-migrate.
   *
   * @default - none
   */
  readonly hostDevices?: HostDevice[];

  /**
   * An emulated TPM 2.0 (Windows 11 and BitLocker need one).
   *
   * @default - none
   */
  readonly tpm?: TpmOptions;

  /**
   * A virtio random number generator fed from the host.
   *
   * @default false
   */
  readonly rng?: boolean;

  /**
   * An emulated i6300esb watchdog and what it does when it fires.
   *
   * @default - none
   */
  readonly watchdog?: WatchdogAction;

  /**
   * A tablet input device on this bus, so the VNC pointer follows the mouse.
   *
   * @default - none
   */
  readonly tabletInput?: InputBus;

  /**
   * Attach a graphics device (VNC).
   *
   * @default true (KubeVirt's default)
   */
  readonly autoattachGraphicsDevice?: boolean;

  /**
   * Attach a serial console.
   *
   * @default true (KubeVirt's default)
   */
  readonly autoattachSerialConsole?: boolean;

  /**
   * Hyper-V enlightenments for Windows guests.
   *
   * @default - none
   */
  readonly hyperv?: HypervEnlightenments;

  /**
   * Guest clock and timers.
   *
   * @default - UTC with the hypervisor's default timers
   */
  readonly clock?: ClockOptions;
}
