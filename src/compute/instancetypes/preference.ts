import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PreferenceKind } from './kinds';
import { IPreferenceDefinition, PreferenceRequirements } from './settings';
import { dropChartNamespace } from '../../private/cluster-scoped';
import { MissingNamespace, resolveNamespace } from '../../private/namespace';
import { ensureUniqueObjectNames } from '../../private/unique-object-names';
import { optionalIntegerAtLeast, propError, requireDns1123Subdomain } from '../../validation';
import { bytesToQuantity, sizeToBytes } from '../../validation/quantity';
import { optionalBoolean, optionalEnum, optionalInstance, optionalSize, requireString, requireStruct } from '../../validation/types';
import { InterfaceModel } from '../devices/guest-devices';
import { HypervEnlightenments } from '../devices/hyperv';
import { DiskBus } from '../disks/disk-options';
import { renderHypervFeature } from '../performance/render';
import { requireHyperv } from '../performance/rules';
import { Firmware, MachineType } from '../vm/machine';

/** How a preference lays the instancetype's vCPUs out (`cpu.preferredCPUTopology`). */
export enum PreferredCpuTopology {
  /** All vCPUs as sockets of one core (KubeVirt's default). */
  SOCKETS = 'sockets',
  /** All vCPUs as cores of one socket (some licences count sockets). */
  CORES = 'cores',
  /** All vCPUs as threads of one core. */
  THREADS = 'threads',
  /** Spread over sockets and cores. */
  SPREAD = 'spread',
  /** Whatever the VM itself gives. */
  ANY = 'any',
}

/** Props of {@link VirtualMachineClusterPreference}. */
export interface VirtualMachineClusterPreferenceProps {
  /** Name of the preference object, e.g. `windows.2k22` (a DNS-1123 subdomain). */
  readonly name: string;

  /**
   * Minimum vCPUs and memory a VM (or its instancetype) must have.
   *
   * @default - none
   */
  readonly requirements?: PreferenceRequirements;

  /**
   * How the vCPUs are laid out.
   *
   * @default - KubeVirt's default (sockets)
   */
  readonly preferredCpuTopology?: PreferredCpuTopology;

  /**
   * Bus of the disks.
   *
   * @default - KubeVirt's default (virtio)
   */
  readonly preferredDiskBus?: DiskBus;

  /**
   * Model of the network cards.
   *
   * @default - KubeVirt's default (virtio)
   */
  readonly preferredInterfaceModel?: InterfaceModel;

  /**
   * Firmware. EFI with Secure Boot also prefers SMM, which Secure Boot needs.
   *
   * @default - KubeVirt's default (BIOS)
   */
  readonly preferredFirmware?: Firmware;

  /**
   * Machine type.
   *
   * @default - the cluster's default
   */
  readonly preferredMachineType?: MachineType;

  /**
   * Hyper-V enlightenments.
   *
   * @default - none
   */
  readonly preferredHyperv?: HypervEnlightenments;

  /**
   * Prefer an emulated TPM.
   *
   * @default false
   */
  readonly preferredTpm?: boolean;

  /**
   * Grace period of the guest's shutdown (whole seconds).
   *
   * @default - KubeVirt's default
   */
  readonly preferredTerminationGracePeriodSeconds?: number;
}

/** Props of {@link VirtualMachinePreference}. */
export interface VirtualMachinePreferenceProps extends VirtualMachineClusterPreferenceProps {
  /**
   * Namespace of the preference; VMs that use it must live there too.
   *
   * @default - the namespace of the chart
   */
  readonly namespace?: string;
}

/** Throws the library error unless the props of a preference are well formed; returns a copy of its requirements. */
function requirePreferenceProps(scope: IConstruct, p: VirtualMachineClusterPreferenceProps): PreferenceRequirements {
  requireStruct(scope, 'props', p);
  requireString(scope, 'name', p.name);
  requireDns1123Subdomain(scope, 'name', p.name);
  const req = requireStruct<PreferenceRequirements>(scope, 'requirements', p.requirements, true);
  optionalIntegerAtLeast(scope, 'requirements.minCpus', req.minCpus, 1);
  optionalSize(scope, 'requirements.minMemory', req.minMemory);
  if (req.minMemory !== undefined) {
    const b = sizeToBytes(req.minMemory);
    if (b === undefined || b < 1n) throw propError(scope, 'requirements.minMemory', String(req.minMemory), 'must be a whole, positive number of bytes', 'use e.g. Size.gibibytes(2)');
  }
  optionalEnum(scope, 'preferredCpuTopology', p.preferredCpuTopology, PreferredCpuTopology, 'PreferredCpuTopology');
  optionalEnum(scope, 'preferredDiskBus', p.preferredDiskBus, DiskBus, 'DiskBus');
  optionalEnum(scope, 'preferredInterfaceModel', p.preferredInterfaceModel, InterfaceModel, 'InterfaceModel');
  optionalInstance(scope, 'preferredFirmware', p.preferredFirmware, Firmware, 'Firmware.bios() or Firmware.efi()');
  optionalInstance(scope, 'preferredMachineType', p.preferredMachineType, MachineType, 'MachineType.Q35 or MachineType.custom()');
  optionalInstance(scope, 'preferredHyperv', p.preferredHyperv, HypervEnlightenments, 'HypervEnlightenments.windows() or HypervEnlightenments.custom()');
  if (p.preferredHyperv) requireHyperv(scope, p.preferredHyperv.options, 'preferredHyperv');
  optionalBoolean(scope, 'preferredTpm', p.preferredTpm);
  optionalIntegerAtLeast(scope, 'preferredTerminationGracePeriodSeconds', p.preferredTerminationGracePeriodSeconds, 0);
  return { ...req };
}

function renderSpec(p: VirtualMachineClusterPreferenceProps, req: PreferenceRequirements): any {
  const spec: any = {};
  if (p.preferredCpuTopology) spec.cpu = { preferredCPUTopology: p.preferredCpuTopology };
  const devices: any = {};
  if (p.preferredDiskBus) devices.preferredDiskBus = p.preferredDiskBus;
  if (p.preferredInterfaceModel) devices.preferredInterfaceModel = p.preferredInterfaceModel;
  if (p.preferredTpm) devices.preferredTPM = {};
  if (Object.keys(devices).length > 0) spec.devices = devices;
  const features: any = {};
  if (p.preferredHyperv) features.preferredHyperv = renderHypervFeature(p.preferredHyperv.options);
  if (p.preferredFirmware?.isEfi && p.preferredFirmware.secureBoot) features.preferredSmm = { enabled: true };
  if (Object.keys(features).length > 0) spec.features = features;
  if (p.preferredFirmware) {
    spec.firmware = p.preferredFirmware.isEfi ? { preferredEfi: p.preferredFirmware._bootloader().efi } : { preferredUseBios: true };
  }
  if (p.preferredMachineType) spec.machine = { preferredMachineType: p.preferredMachineType.value };
  if (p.preferredTerminationGracePeriodSeconds !== undefined) spec.preferredTerminationGracePeriodSeconds = p.preferredTerminationGracePeriodSeconds;
  const requirements: any = {};
  if (req.minCpus !== undefined) requirements.cpu = { guest: req.minCpus };
  if (req.minMemory !== undefined) requirements.memory = { guest: bytesToQuantity(sizeToBytes(req.minMemory)!) };
  if (Object.keys(requirements).length > 0) spec.requirements = requirements;
  return spec;
}

function createResource(
  scope: Construct, kind: string, namespace: string | undefined, p: VirtualMachineClusterPreferenceProps, req: PreferenceRequirements,
): void {
  const resource = new ApiObject(scope, 'Resource', {
    apiVersion: 'instancetype.kubevirt.io/v1beta1',
    kind,
    metadata: namespace === undefined ? { name: p.name } : { name: p.name, namespace },
    spec: Lazy.any({ produce: () => renderSpec(p, req) }),
  });
  dropChartNamespace(resource, namespace);
}

/**
 * A cluster-wide preference (`VirtualMachineClusterPreference`,
 * instancetype.kubevirt.io/v1beta1): defaults for the guest (topology,
 * buses, firmware, machine type, features) and the minimum resources it
 * needs. VMs take it with `preference: Preference.of(this)`.
 */
export class VirtualMachineClusterPreference extends Construct implements IPreferenceDefinition {
  /** Name of the preference object. */
  public readonly preferenceName: string;
  /** Always `PreferenceKind.CLUSTER`. */
  public readonly preferenceKind: PreferenceKind = PreferenceKind.CLUSTER;
  /** Minimum resources the preference needs. */
  public readonly requirements: PreferenceRequirements;

  constructor(scope: Construct, id: string, props: VirtualMachineClusterPreferenceProps) {
    super(scope, id);
    this.requirements = requirePreferenceProps(this, props);
    ensureUniqueObjectNames(this);
    this.preferenceName = props.name;
    createResource(this, PreferenceKind.CLUSTER, undefined, props, this.requirements);
  }
}

/**
 * A namespaced preference (`VirtualMachinePreference`,
 * instancetype.kubevirt.io/v1beta1) for VMs of the same namespace.
 */
export class VirtualMachinePreference extends Construct implements IPreferenceDefinition {
  /** Name of the preference object. */
  public readonly preferenceName: string;
  /** Always `PreferenceKind.NAMESPACED`. */
  public readonly preferenceKind: PreferenceKind = PreferenceKind.NAMESPACED;
  /** Namespace of the preference (always set). */
  public readonly preferenceNamespace?: string;
  /** Minimum resources the preference needs. */
  public readonly requirements: PreferenceRequirements;

  constructor(scope: Construct, id: string, props: VirtualMachinePreferenceProps) {
    super(scope, id);
    this.requirements = requirePreferenceProps(this, props);
    const namespace = resolveNamespace(this, props.namespace, MissingNamespace.of('preference'));
    ensureUniqueObjectNames(this);
    this.preferenceName = props.name;
    this.preferenceNamespace = namespace;
    createResource(this, PreferenceKind.NAMESPACED, namespace, props, this.requirements);
  }
}
