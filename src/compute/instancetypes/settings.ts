/**
 * Leaf types shared by the instancetype and preference constructs and the
 * references a VM holds (`Instancetype.of()`, `Preference.of()`), so the
 * references never import the constructs.
 */
import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { InstancetypeKind, PreferenceKind } from './kinds';
import { GpuDevice, HostDevice } from '../devices/host-devices';
import { CpuModel, HugepagesSize, IoThreadsPolicy } from '../performance/cpu';

/** What an instancetype supplies to the VMs that use it. */
export interface InstancetypeSettings {
  /** Number of vCPUs (`spec.cpu.guest`), at least 1. */
  readonly cpus: number;

  /** Guest memory (`spec.memory.guest`), at least 1 MiB. */
  readonly memory: Size;

  /**
   * CPU model of the guest.
   *
   * @default - the cluster's default model
   */
  readonly cpuModel?: CpuModel;

  /**
   * Most sockets the guest may grow to by CPU hotplug; setting it to `cpus`
   * keeps KubeVirt from reserving room for hotplug.
   *
   * @default - KubeVirt's default (four times the sockets)
   */
  readonly maxSockets?: number;

  /**
   * Pin every vCPU to its own host CPU.
   *
   * @default false
   */
  readonly dedicatedCpus?: boolean;

  /**
   * Give QEMU's emulator thread its own host CPU (only with `dedicatedCpus`).
   *
   * @default false
   */
  readonly isolateEmulatorThread?: boolean;

  /**
   * Mirror the host's NUMA layout into the guest (needs `dedicatedCpus` and
   * `hugepages`).
   *
   * @default false
   */
  readonly numaGuestMappingPassthrough?: boolean;

  /**
   * Tune the vCPUs for realtime work (needs `dedicatedCpus` and
   * `numaGuestMappingPassthrough`).
   *
   * @default false
   */
  readonly realtime?: boolean;

  /**
   * Back guest memory with hugepages of this size; `memory` must be a
   * multiple of it.
   *
   * @default - normal pages
   */
  readonly hugepages?: HugepagesSize;

  /**
   * How much of the guest memory the pod does not request, in percent
   * (0 to 100): memory overcommit. Not with `dedicatedCpus` or `hugepages`.
   *
   * @default 0
   */
  readonly memoryOvercommitPercent?: number;

  /**
   * GPUs every VM of this type gets.
   *
   * @default - none
   */
  readonly gpus?: GpuDevice[];

  /**
   * Host devices every VM of this type gets.
   *
   * @default - none
   */
  readonly hostDevices?: HostDevice[];

  /**
   * IO threads policy of the disks.
   *
   * @default - KubeVirt's default (none)
   */
  readonly ioThreadsPolicy?: IoThreadsPolicy;
}

/** An instancetype object a VM can use, defined in this app. */
export interface IInstancetypeDefinition extends IConstruct {
  /** Name of the instancetype object. */
  readonly instancetypeName: string;
  /** Kind of the instancetype object. */
  readonly instancetypeKind: InstancetypeKind;
  /** Namespace of a namespaced instancetype; undefined for a cluster one. */
  readonly instancetypeNamespace?: string;
  /** What the instancetype supplies. */
  readonly settings: InstancetypeSettings;
}

/** Minimum resources a preference needs from the VM or its instancetype. */
export interface PreferenceRequirements {
  /**
   * Minimum number of vCPUs.
   *
   * @default - no minimum
   */
  readonly minCpus?: number;

  /**
   * Minimum guest memory.
   *
   * @default - no minimum
   */
  readonly minMemory?: Size;
}

/** A preference object a VM can use, defined in this app. */
export interface IPreferenceDefinition extends IConstruct {
  /** Name of the preference object. */
  readonly preferenceName: string;
  /** Kind of the preference object. */
  readonly preferenceKind: PreferenceKind;
  /** Namespace of a namespaced preference; undefined for a cluster one. */
  readonly preferenceNamespace?: string;
  /** What the preference requires of the VM's resources. */
  readonly requirements: PreferenceRequirements;
}
