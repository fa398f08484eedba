/**
 * Checks of the compute, performance and device settings of a VM template
 * (render.ts renders them). Internal: the VM spec builder calls these, so
 * single VMs, isolated VMs and fleets share them.
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { Cpu, DnsPolicy } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { BOOLEAN_OPTIONS, ComputeOptions, cpuMillis, cpuQuantity, effective, Effective, HYPERV_REQUIRES, withHypervRequirements } from './compute-options';
import { CpuFeaturePolicy, CpuModel, HugepagesSize, IoThreadsPolicy } from './cpu';
import { VmProbe } from './probe';
import { checkDns1123Label, checkDns1123Subdomain, DNS1123_LABEL_MAX, propError, requireDns1123Label, requireIntegerAtLeast } from '../../validation';
import { bytesToQuantity, sizeToBytes } from '../../validation/quantity';
import {
  optionalArray, optionalBoolean, optionalDuration, optionalEnum, optionalInstance, optionalNumber, optionalSize, optionalString,
  requireString, requireStruct,
} from '../../validation/types';
import { InputBus, InterfaceModel, WatchdogAction } from '../devices/guest-devices';
import { HypervEnlightenments, HypervEnlightenmentsOptions, TimerTickPolicy } from '../devices/hyperv';

const HUGEPAGE_BYTES: Record<string, bigint> = { '2Mi': 2n * 1024n * 1024n, '1Gi': 1024n * 1024n * 1024n };

/** Throws unless `bytes` is a whole, non-zero number of hugepages of `page`. */
export function requireHugepageMultiple(scope: IConstruct, prop: string, bytes: bigint, page: HugepagesSize): void {
  const pageBytes = HUGEPAGE_BYTES[page];
  if (bytes < pageBytes || bytes % pageBytes !== 0n) {
    throw propError(scope, prop, bytesToQuantity(bytes), `must be a multiple of the hugepage size ${page}`,
      `use a memory size that is a whole number of ${page} pages, or smaller pages`);
  }
}

function bytesOf(scope: IConstruct, prop: string, size: Size): bigint {
  const bytes = sizeToBytes(size);
  if (bytes === undefined || bytes < 1n) {
    throw propError(scope, prop, `${size.toKibibytes({ rounding: SizeRoundingBehavior.NONE })} KiB`, 'must be a whole, positive number of bytes', 'use e.g. Size.gibibytes(4)');
  }
  return bytes;
}

function requireCpu(scope: IConstruct, prop: string, cpu: Cpu | undefined): number | undefined {
  optionalInstance(scope, prop, cpu, Cpu, 'Cpu.units(n) or Cpu.millis(n) from cdk8s-plus-33');
  if (cpu === undefined) return undefined;
  const millis = cpuMillis(cpu);
  if (millis === undefined || millis < 1) {
    throw propError(scope, prop, cpu.amount, 'must be a positive CPU amount', 'use e.g. Cpu.units(2) or Cpu.millis(500)');
  }
  return millis;
}

/** Checks the runtime shapes of the compute options (jsii callers). */
function requireComputeShapes(scope: IConstruct, o: ComputeOptions): void {
  for (const [p] of BOOLEAN_OPTIONS) optionalBoolean(scope, p, o[p]);
  optionalSize(scope, 'memoryRequest', o.memoryRequest);
  optionalSize(scope, 'memoryLimit', o.memoryLimit);
  optionalInstance(scope, 'cpuModel', o.cpuModel, CpuModel, 'CpuModel.HOST_PASSTHROUGH, CpuModel.HOST_MODEL or CpuModel.custom()');
  optionalEnum(scope, 'hugepages', o.hugepages, HugepagesSize, 'HugepagesSize');
  optionalEnum(scope, 'ioThreadsPolicy', o.ioThreadsPolicy, IoThreadsPolicy, 'IoThreadsPolicy');
  optionalNumber(scope, 'ioThreads', o.ioThreads);
  optionalDuration(scope, 'terminationGracePeriod', o.terminationGracePeriod);
  optionalString(scope, 'hostname', o.hostname);
  optionalString(scope, 'subdomain', o.subdomain);
  optionalEnum(scope, 'dnsPolicy', o.dnsPolicy, DnsPolicy, 'DnsPolicy');
  optionalString(scope, 'priorityClassName', o.priorityClassName);
  optionalEnum(scope, 'watchdog', o.watchdog, WatchdogAction, 'WatchdogAction');
  optionalEnum(scope, 'tabletInput', o.tabletInput, InputBus, 'InputBus');
  optionalInstance(scope, 'hyperv', o.hyperv, HypervEnlightenments, 'HypervEnlightenments.windows() or HypervEnlightenments.custom()');
  if (o.tpm !== undefined) optionalBoolean(scope, 'tpm.persistent', requireStruct(scope, 'tpm', o.tpm).persistent);
  if (o.dnsConfig !== undefined) requireStruct(scope, 'dnsConfig', o.dnsConfig);
  optionalArray(scope, 'topologySpreadConstraints', o.topologySpreadConstraints, (c, p) => requireStruct(scope, p, c));
  optionalArray(scope, 'cpuFeatures', o.cpuFeatures, (f, p) => {
    const feature = requireStruct<any>(scope, p, f);
    requireString(scope, `${p}.name`, feature.name);
    optionalEnum(scope, `${p}.policy`, feature.policy, CpuFeaturePolicy, 'CpuFeaturePolicy');
  });
  for (const p of ['readinessProbe', 'livenessProbe'] as const) {
    optionalInstance(scope, p, o[p], VmProbe, 'VmProbe.tcp(), VmProbe.http(), VmProbe.exec() or VmProbe.guestAgentPing()');
    o[p]?._validate(scope, p);
  }
  const taken = new Set<string>();
  optionalPassthroughDevices(scope, 'gpus', o.gpus, taken);
  optionalPassthroughDevices(scope, 'hostDevices', o.hostDevices, taken);
  if (o.clock !== undefined) {
    const c = requireStruct(scope, 'clock', o.clock);
    optionalString(scope, 'clock.timezone', c.timezone);
    optionalBoolean(scope, 'clock.hpet', c.hpet);
    optionalBoolean(scope, 'clock.hypervTimer', c.hypervTimer);
    optionalEnum(scope, 'clock.pitTickPolicy', c.pitTickPolicy, TimerTickPolicy, 'TimerTickPolicy');
    optionalEnum(scope, 'clock.rtcTickPolicy', c.rtcTickPolicy, TimerTickPolicy, 'TimerTickPolicy');
  }
}

/** Checks one list of passthrough devices; `taken` collects the device names of the VM. */
export function optionalPassthroughDevices(scope: IConstruct, prop: string, list: unknown, taken: Set<string>): void {
  optionalArray(scope, prop, list, (entry, p) => {
    const d = requireStruct<any>(scope, p, entry);
    requireString(scope, `${p}.name`, d.name);
    requireDns1123Label(scope, `${p}.name`, d.name, DNS1123_LABEL_MAX);
    if (taken.has(d.name)) throw propError(scope, `${p}.name`, d.name, 'is already the name of another GPU or host device of this VM', 'give every device its own name');
    taken.add(d.name);
    requireString(scope, `${p}.deviceName`, d.deviceName);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)?$/.test(d.deviceName)) {
      throw propError(scope, `${p}.deviceName`, d.deviceName, 'must be a resource name such as \'nvidia.com/TU104GL_Tesla_T4\'',
        'use the resourceName the KubeVirt CR permits in permittedHostDevices');
    }
    if (d.virtualGpuOptions !== undefined) {
      const v = requireStruct<any>(scope, `${p}.virtualGpuOptions`, d.virtualGpuOptions);
      optionalBoolean(scope, `${p}.virtualGpuOptions.display`, v.display);
      optionalBoolean(scope, `${p}.virtualGpuOptions.ramFb`, v.ramFb);
      if (v.ramFb !== undefined && v.display !== true) {
        throw propError(scope, `${p}.virtualGpuOptions.ramFb`, v.ramFb, 'only applies to a vGPU with a display', 'set display: true, or drop ramFb');
      }
    }
  });
}

/** Checks Hyper-V enlightenments and their dependencies as KubeVirt does. */
export function requireHyperv(scope: IConstruct, h: HypervEnlightenmentsOptions, prop: string = 'hyperv'): void {
  for (const [k, v] of Object.entries(h)) {
    if (k === 'spinlocks' || k === 'vendorId') continue;
    optionalBoolean(scope, `${prop}.${k}`, v);
  }
  if (h.spinlocks !== undefined) {
    optionalNumber(scope, `${prop}.spinlocks`, h.spinlocks);
    requireIntegerAtLeast(scope, `${prop}.spinlocks`, h.spinlocks, 4095);
  }
  if (h.vendorId !== undefined) {
    requireString(scope, `${prop}.vendorId`, h.vendorId);
    if (h.vendorId.length < 1 || h.vendorId.length > 12) {
      throw propError(scope, `${prop}.vendorId`, h.vendorId, 'must have 1 to 12 characters', 'shorten the vendor id');
    }
  }
  const complete = withHypervRequirements(h);
  for (const [feature, needs] of HYPERV_REQUIRES) {
    if (complete[feature] === true && complete[needs] === false) {
      throw propError(scope, `${prop}.${feature}`, true, `needs the '${needs}' enlightenment, which is switched off`,
        `drop ${needs}: false (it is then switched on), or switch ${feature} off`);
    }
  }
}

/**
 * Eager checks of the compute options: the rules KubeVirt's admission
 * applies to resources, CPU pinning, hugepages, NUMA, realtime, IO threads
 * and devices, and the instancetype conflicts. Throws the library error.
 */
export function requireComputeOptions(scope: IConstruct, o: ComputeOptions): void {
  requireComputeShapes(scope, o);
  const cpuRequest = requireCpu(scope, 'cpuRequest', o.cpuRequest);
  const cpuLimit = requireCpu(scope, 'cpuLimit', o.cpuLimit);
  const memoryRequest = o.memoryRequest ? bytesOf(scope, 'memoryRequest', o.memoryRequest) : undefined;
  const memoryLimit = o.memoryLimit ? bytesOf(scope, 'memoryLimit', o.memoryLimit) : undefined;
  requireNoInstancetypeConflicts(scope, o);
  const e = effective(o);

  if (cpuRequest !== undefined && cpuLimit !== undefined && cpuRequest > cpuLimit) {
    throw propError(scope, 'cpuRequest', cpuQuantity(cpuRequest), `is more than cpuLimit ${cpuQuantity(cpuLimit)}`, 'lower the request or raise the limit');
  }
  if (memoryRequest !== undefined && memoryLimit !== undefined && memoryRequest > memoryLimit) {
    throw propError(scope, 'memoryRequest', bytesToQuantity(memoryRequest), `is more than memoryLimit ${bytesToQuantity(memoryLimit)}`, 'lower the request or raise the limit');
  }
  if (memoryLimit !== undefined && e.memoryBytes !== undefined && e.memoryBytes > memoryLimit) {
    throw propError(scope, 'memoryLimit', bytesToQuantity(memoryLimit), `is less than the guest memory ${bytesToQuantity(e.memoryBytes)}`,
      'raise memoryLimit to at least the guest memory');
  }

  if (o.isolateEmulatorThread && !e.dedicated) {
    throw propError(scope, 'isolateEmulatorThread', true, 'only works with dedicated CPUs', 'set dedicatedCpus: true');
  }
  if (o.numaGuestMappingPassthrough) {
    if (!e.dedicated) throw propError(scope, 'numaGuestMappingPassthrough', true, 'needs dedicated CPUs', 'set dedicatedCpus: true');
    if (!e.hugepages) throw propError(scope, 'numaGuestMappingPassthrough', true, 'needs hugepages-backed memory', 'set hugepages, e.g. HugepagesSize.ONE_GI');
  }
  if (o.realtime) {
    if (!e.dedicated) throw propError(scope, 'realtime', true, 'needs dedicated CPUs', 'set dedicatedCpus: true');
    if (!e.numa) throw propError(scope, 'realtime', true, 'needs the guest NUMA mapping', 'set numaGuestMappingPassthrough: true (with hugepages)');
  }
  if (o.dedicatedCpus) {
    for (const [prop, millis] of [['cpuRequest', cpuRequest], ['cpuLimit', cpuLimit]] as const) {
      if (millis !== undefined && millis % 1000 !== 0) {
        throw propError(scope, prop, cpuQuantity(millis), 'must be a whole number of CPUs with dedicated CPUs', 'use Cpu.units(n)');
      }
    }
    if (cpuRequest !== undefined && cpuLimit !== undefined && cpuRequest !== cpuLimit) {
      throw propError(scope, 'cpuLimit', cpuQuantity(cpuLimit), `must equal cpuRequest ${cpuQuantity(cpuRequest)} with dedicated CPUs`, 'give both the same value, or only one');
    }
    if (memoryRequest !== undefined && memoryLimit !== undefined && memoryRequest !== memoryLimit) {
      throw propError(scope, 'memoryLimit', bytesToQuantity(memoryLimit), `must equal memoryRequest ${bytesToQuantity(memoryRequest)} with dedicated CPUs`, 'give both the same value, or only one');
    }
    const given = cpuRequest ?? cpuLimit;
    if (given !== undefined && e.vcpus !== undefined && given !== e.vcpus * 1000) {
      throw propError(scope, cpuRequest !== undefined ? 'cpuRequest' : 'cpuLimit', cpuQuantity(given),
        `must match the ${e.vcpus} vCPUs (cores x sockets x threads) with dedicated CPUs`, `use Cpu.units(${e.vcpus}), or leave it out`);
    }
    if (given === undefined && e.vcpus === undefined && !o.instancetype) {
      throw propError(scope, 'dedicatedCpus', true, 'needs a number of CPUs to pin', 'set cores (and sockets/threads), or cpuRequest');
    }
    if ((o.threads ?? 1) > 2) {
      throw propError(scope, 'threads', o.threads, 'must be at most 2 with dedicated CPUs', 'use more cores instead of threads');
    }
  }
  if (memoryRequest !== undefined && e.memoryBytes !== undefined && memoryRequest < e.memoryBytes) {
    const request = bytesToQuantity(memoryRequest);
    const guest = bytesToQuantity(e.memoryBytes);
    if (e.dedicated) {
      // KubeVirt aligns the pod's memory limit with its request for pinned VMs
      throw propError(scope, 'memoryRequest', request,
        `is less than the guest memory ${guest} with dedicated CPUs: KubeVirt then sets the pod's memory limit to the request, so the guest is OOM-killed once it uses more than that`,
        `drop memoryRequest (or raise it to ${guest}): overcommit needs shared CPUs`);
    }
    if (e.hugepages !== undefined) {
      // KubeVirt sizes the hugepages request and limit from the smaller of request and guest memory
      throw propError(scope, 'memoryRequest', request,
        `is less than the guest memory ${guest} with hugepages: KubeVirt sizes the pod's hugepages from the request, fewer than the guest needs, so the VM cannot start (hugepages cannot be overcommitted)`,
        `drop memoryRequest (or raise it to ${guest}): overcommit needs normal pages`);
    }
  }
  if (e.hugepages !== undefined) {
    const [prop, mem] = memoryRequest !== undefined ? ['memoryRequest', memoryRequest] : e.memoryBytes !== undefined ? ['memory', e.memoryBytes] : ['memoryLimit', memoryLimit];
    if (mem !== undefined) requireHugepageMultiple(scope, prop as string, mem, e.hugepages);
  }
  if (o.ioThreads !== undefined) {
    requireIntegerAtLeast(scope, 'ioThreads', o.ioThreads, 1);
    if (o.ioThreadsPolicy !== IoThreadsPolicy.SUPPLEMENTAL_POOL) {
      throw propError(scope, 'ioThreads', o.ioThreads, 'only sizes the supplemental pool', 'set ioThreadsPolicy: IoThreadsPolicy.SUPPLEMENTAL_POOL, or drop ioThreads');
    }
  } else if (o.ioThreadsPolicy === IoThreadsPolicy.SUPPLEMENTAL_POOL) {
    throw propError(scope, 'ioThreadsPolicy', o.ioThreadsPolicy, 'needs the size of the pool', 'set ioThreads to the number of IO threads (at least 1)');
  }
  if (o.terminationGracePeriod !== undefined) {
    const s = o.terminationGracePeriod.toMilliseconds() / 1000;
    if (!Number.isInteger(s) || s < 0) {
      throw propError(scope, 'terminationGracePeriod', o.terminationGracePeriod.toHumanString(), 'must be a whole number of seconds', 'use e.g. Duration.seconds(60)');
    }
  }
  if (o.hostname !== undefined) {
    const problem = checkDns1123Label(o.hostname);
    if (problem) throw propError(scope, 'hostname', o.hostname, problem, 'use a DNS-1123 label such as \'db-0\'');
  }
  if (o.subdomain !== undefined) {
    const problem = checkDns1123Subdomain(o.subdomain);
    if (problem) throw propError(scope, 'subdomain', o.subdomain, problem, 'use the name of a headless Service');
  }
  if (o.dnsPolicy === DnsPolicy.NONE && o.dnsConfig?.nameservers === undefined) {
    throw propError(scope, 'dnsPolicy', o.dnsPolicy, 'needs dnsConfig with at least one nameserver', 'set dnsConfig: { nameservers: [...] }');
  }
  if (o.priorityClassName !== undefined) {
    const problem = checkDns1123Subdomain(o.priorityClassName);
    if (problem) throw propError(scope, 'priorityClassName', o.priorityClassName, problem, 'give the name of a PriorityClass');
  }
  if (o.hyperv) requireHyperv(scope, o.hyperv.options);
  if (o.clock?.timezone !== undefined && !/^[A-Za-z0-9_+\-]+(\/[A-Za-z0-9_+\-]+)*$/.test(o.clock.timezone)) {
    throw propError(scope, 'clock.timezone', o.clock.timezone, 'must be a time zone name', 'use a name such as \'Europe/Berlin\'');
  }
  if (o.clock?.pitTickPolicy === TimerTickPolicy.MERGE) {
    throw propError(scope, 'clock.pitTickPolicy', 'merge', 'is not a tick policy of the PIT timer', 'use DELAY, CATCHUP or DISCARD');
  }
  if (o.clock?.rtcTickPolicy === TimerTickPolicy.MERGE || o.clock?.rtcTickPolicy === TimerTickPolicy.DISCARD) {
    throw propError(scope, 'clock.rtcTickPolicy', o.clock.rtcTickPolicy, 'is not a tick policy of the RTC timer', 'use DELAY or CATCHUP');
  }
  requirePreferenceRequirements(scope, o, e);
}

/**
 * KubeVirt refuses a VM that sets what its instancetype supplies. Without
 * the instancetype's definition only the settings every instancetype owns
 * (CPU and memory resources) are known to clash.
 */
function requireNoInstancetypeConflicts(scope: IConstruct, o: ComputeOptions): void {
  if (!o.instancetype) return;
  const it = o.instancetype.definition?.settings;
  const owned: string[] = (['cpuRequest', 'cpuLimit', 'memoryRequest', 'memoryLimit'] as const).filter(p => o[p] !== undefined);
  if (it) {
    const pairs: Array<[keyof ComputeOptions, unknown]> = [
      ['cpuModel', it.cpuModel], ['dedicatedCpus', it.dedicatedCpus], ['isolateEmulatorThread', it.isolateEmulatorThread],
      ['numaGuestMappingPassthrough', it.numaGuestMappingPassthrough], ['realtime', it.realtime], ['hugepages', it.hugepages],
      ['ioThreadsPolicy', it.ioThreadsPolicy],
    ];
    for (const [prop, supplied] of pairs) if (o[prop] !== undefined && supplied !== undefined) owned.push(prop);
    if ((o.gpus ?? []).length > 0 && (it.gpus ?? []).length > 0) owned.push('gpus');
    if ((o.hostDevices ?? []).length > 0 && (it.hostDevices ?? []).length > 0) owned.push('hostDevices');
  }
  if (owned.length > 0) {
    throw propError(scope, owned[0], owned.join(', '),
      `conflicts with instancetype '${o.instancetype.name}', which supplies it (KubeVirt refuses a VM that sets what its instancetype owns)`,
      `drop ${owned.join(', ')} from the VM, or drop the instancetype`);
  }
}

function requirePreferenceRequirements(scope: IConstruct, o: ComputeOptions, e: Effective): void {
  const req = o.preference?.definition?.requirements;
  if (!req) return;
  const source = o.instancetype ? `instancetype '${o.instancetype.name}'` : 'the VM';
  if (req.minCpus !== undefined) {
    const vcpus = e.vcpus ?? (o.instancetype ? undefined : 1);
    if (vcpus !== undefined && vcpus < req.minCpus) {
      throw propError(scope, o.instancetype ? 'instancetype' : 'cores', vcpus,
        `gives fewer vCPUs (from ${source}) than preference '${o.preference!.name}' requires (${req.minCpus})`,
        `give at least ${req.minCpus} vCPUs (a larger instancetype, or more cores)`);
    }
  }
  if (req.minMemory !== undefined) {
    const min = sizeToBytes(req.minMemory);
    const mem = e.memoryBytes;
    if (min !== undefined && mem !== undefined && mem < min) {
      throw propError(scope, o.instancetype ? 'instancetype' : 'memory', bytesToQuantity(mem),
        `gives less memory (from ${source}) than preference '${o.preference!.name}' requires (${bytesToQuantity(min)})`,
        `give at least ${bytesToQuantity(min)} of guest memory`);
    }
  }
}

/**
 * Checks the NIC model and boot order of an interface against the others;
 * throws the library error. The boot disk always has boot order 1.
 */
export function requireNicSettings(
  scope: IConstruct, prop: string, nic: { model?: InterfaceModel; bootOrder?: number },
  existing: Array<{ name: string; bootOrder?: number }>,
): void {
  optionalEnum(scope, `${prop}.model`, nic.model, InterfaceModel, 'InterfaceModel');
  if (nic.bootOrder === undefined) return;
  optionalNumber(scope, `${prop}.bootOrder`, nic.bootOrder);
  requireIntegerAtLeast(scope, `${prop}.bootOrder`, nic.bootOrder, 1);
  if (nic.bootOrder === 1) {
    throw propError(scope, `${prop}.bootOrder`, 1, 'is already the boot disk\'s place in the boot order', 'use 2 to boot from the network after the disk, or more');
  }
  const clash = existing.find(i => i.bootOrder === nic.bootOrder);
  if (clash) {
    throw propError(scope, `${prop}.bootOrder`, nic.bootOrder, `is already the boot order of interface '${clash.name}'`, 'give every boot device its own place');
  }
}

/** Checks that namespaced instancetypes and preferences defined here live in the VM's namespace. */
export function requireReferenceNamespaces(scope: IConstruct, o: ComputeOptions, namespace: string): void {
  const it = o.instancetype?.definition;
  if (it?.instancetypeNamespace !== undefined && it.instancetypeNamespace !== namespace) {
    throw propError(scope, 'instancetype', `${it.instancetypeNamespace}/${it.instancetypeName}`,
      `is a namespaced instancetype outside the VM's namespace '${namespace}' (KubeVirt looks it up in the VM's namespace)`,
      `define it in namespace '${namespace}', or use a VirtualMachineClusterInstancetype`);
  }
  const pref = o.preference?.definition;
  if (pref?.preferenceNamespace !== undefined && pref.preferenceNamespace !== namespace) {
    throw propError(scope, 'preference', `${pref.preferenceNamespace}/${pref.preferenceName}`,
      `is a namespaced preference outside the VM's namespace '${namespace}' (KubeVirt looks it up in the VM's namespace)`,
      `define it in namespace '${namespace}', or use a VirtualMachineClusterPreference`);
  }
}
