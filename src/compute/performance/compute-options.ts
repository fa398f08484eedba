/**
 * Internal: the compute options as the rules and the rendering of
 * performance/ read them, and the amounts both derive from them. Not
 * exported from the package.
 */
import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import { HugepagesSize } from './cpu';
import { VirtualMachineDeviceOptions, VirtualMachinePerformanceOptions } from './options';
import { sizeToBytes } from '../../validation/quantity';
import { GpuDevice, HostDevice } from '../devices/host-devices';
import { HypervEnlightenmentsOptions } from '../devices/hyperv';
import { Instancetype, Preference } from '../instancetypes/selection';

/** The template options this module reads. */
export interface ComputeOptions extends VirtualMachinePerformanceOptions, VirtualMachineDeviceOptions {
  readonly cores?: number;
  readonly sockets?: number;
  readonly threads?: number;
  readonly memory?: Size;
  readonly instancetype?: Instancetype;
  readonly preference?: Preference;
}

/** The compute options that are booleans. */
type BooleanOption = { [K in keyof ComputeOptions]-?: ComputeOptions[K] extends boolean | undefined ? K : never }[keyof ComputeOptions];

/** Where a boolean option that is copied as it is goes: `domain`, `domain.cpu` or `domain.devices`, under `key`. */
interface FlagTarget {
  readonly in: 'domain' | 'cpu' | 'devices';
  readonly key: string;
}

/**
 * The boolean compute options, in the order their shapes are checked, with
 * where the ones copied into the template as they are go. A new boolean
 * option of that kind takes its declaration in options.ts and one line here.
 */
export const BOOLEAN_OPTIONS: ReadonlyArray<readonly [BooleanOption, FlagTarget?]> = [
  ['dedicatedCpus', { in: 'cpu', key: 'dedicatedCpuPlacement' }],
  ['isolateEmulatorThread', { in: 'cpu', key: 'isolateEmulatorThread' }],
  ['numaGuestMappingPassthrough'],
  ['realtime'],
  ['networkInterfaceMultiqueue', { in: 'devices', key: 'networkInterfaceMultiqueue' }],
  ['blockMultiQueue', { in: 'devices', key: 'blockMultiQueue' }],
  ['rng'],
  ['autoattachGraphicsDevice', { in: 'devices', key: 'autoattachGraphicsDevice' }],
  ['autoattachSerialConsole', { in: 'devices', key: 'autoattachSerialConsole' }],
];

/** Copies the boolean options bound for `target` into `into`. */
export function copyFlags(o: ComputeOptions, target: FlagTarget['in'], into: any): void {
  for (const [option, to] of BOOLEAN_OPTIONS) {
    if (to?.in === target && o[option] !== undefined) into[to.key] = o[option];
  }
}

/** Millicores of a cdk8s-plus `Cpu`, or undefined when it is not a valid amount. */
export function cpuMillis(cpu: Cpu): number | undefined {
  const amount = cpu.amount;
  if (typeof amount !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(amount);
  if (!m) return undefined;
  const value = m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

/** A millicore amount as a Kubernetes quantity. */
export function cpuQuantity(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/** Enlightenments and the one each needs, leaves first (synictimer needs synic, which needs vpindex). */
export const HYPERV_REQUIRES: Array<[keyof HypervEnlightenmentsOptions, keyof HypervEnlightenmentsOptions]> = [
  ['synictimer', 'synic'], ['ipi', 'vpindex'], ['tlbflush', 'vpindex'], ['synic', 'vpindex'],
];

/**
 * The enlightenments with every one a switched-on enlightenment needs and
 * the user left unset switched on too, as KubeVirt does when it admits the
 * VM instance.
 */
export function withHypervRequirements(h: HypervEnlightenmentsOptions): HypervEnlightenmentsOptions {
  const out: { [key: string]: unknown } = { ...h };
  for (const [feature, needs] of HYPERV_REQUIRES) {
    if (out[feature] === true && out[needs] === undefined) out[needs] = true;
  }
  return out as HypervEnlightenmentsOptions;
}

/** Guest memory KubeVirt gets from a VM that sets none (the VM spec builder writes it). */
const DEFAULT_GUEST_MEMORY = Size.gibibytes(1);

/** What the VM ends up with once its instancetype (when defined here) is applied. */
export interface Effective {
  readonly vcpus?: number;
  readonly memoryBytes?: bigint;
  readonly dedicated: boolean;
  readonly numa: boolean;
  readonly hugepages?: HugepagesSize;
  readonly gpus: GpuDevice[];
  readonly hostDevices: HostDevice[];
}

export function effective(o: ComputeOptions): Effective {
  const it = o.instancetype?.definition?.settings;
  const hasTopology = o.cores !== undefined || o.sockets !== undefined || o.threads !== undefined;
  return {
    vcpus: it ? it.cpus : hasTopology ? (o.cores ?? 1) * (o.sockets ?? 1) * (o.threads ?? 1) : undefined,
    memoryBytes: it ? sizeToBytes(it.memory) : o.instancetype ? undefined : sizeToBytes(o.memory ?? DEFAULT_GUEST_MEMORY),
    dedicated: o.dedicatedCpus === true || it?.dedicatedCpus === true,
    numa: o.numaGuestMappingPassthrough === true || it?.numaGuestMappingPassthrough === true,
    hugepages: o.hugepages ?? it?.hugepages,
    gpus: [...(o.gpus ?? []), ...(it?.gpus ?? [])],
    hostDevices: [...(o.hostDevices ?? []), ...(it?.hostDevices ?? [])],
  };
}
