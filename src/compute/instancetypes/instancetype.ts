import { ApiObject, Lazy, SizeRoundingBehavior } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { InstancetypeKind } from './kinds';
import { IInstancetypeDefinition, InstancetypeSettings } from './settings';
import { dropChartNamespace } from '../../private/cluster-scoped';
import { MissingNamespace, resolveNamespace } from '../../private/namespace';
import { ensureUniqueObjectNames } from '../../private/unique-object-names';
import { optionalIntegerAtLeast, propError, requireDns1123Subdomain, requireIntegerAtLeast } from '../../validation';
import { bytesToQuantity, sizeToBytes } from '../../validation/quantity';
import { optionalBoolean, optionalEnum, optionalInstance, optionalNumber, requireNumber, requireSize, requireString, requireStruct } from '../../validation/types';
import { CpuModel, HugepagesSize, IoThreadsPolicy } from '../performance/cpu';
import { renderPassthroughDevices } from '../performance/render';
import { requireHugepageMultiple, optionalPassthroughDevices } from '../performance/rules';

/** Props of {@link VirtualMachineClusterInstancetype}. */
export interface VirtualMachineClusterInstancetypeProps extends InstancetypeSettings {
  /** Name of the instancetype object, e.g. `u1.medium` (a DNS-1123 subdomain). */
  readonly name: string;
}

/** Props of {@link VirtualMachineInstancetype}. */
export interface VirtualMachineInstancetypeProps extends VirtualMachineClusterInstancetypeProps {
  /**
   * Namespace of the instancetype; VMs that use it must live there too.
   *
   * @default - the namespace of the chart
   */
  readonly namespace?: string;
}

/** Throws the library error unless the settings of an instancetype pass KubeVirt's admission; returns a copy. */
function requireInstancetypeSettings(scope: IConstruct, s: InstancetypeSettings): InstancetypeSettings {
  requireStruct(scope, 'props', s);
  requireNumber(scope, 'cpus', s.cpus);
  requireIntegerAtLeast(scope, 'cpus', s.cpus, 1);
  requireSize(scope, 'memory', s.memory);
  const memory = sizeToBytes(s.memory);
  if (memory === undefined || memory < 1024n * 1024n) {
    throw propError(scope, 'memory', memory === undefined ? `${s.memory.toKibibytes({ rounding: SizeRoundingBehavior.NONE })} KiB` : bytesToQuantity(memory),
      'must be a whole number of bytes and at least 1 MiB', 'give the guest memory like Size.gibibytes(2)');
  }
  optionalIntegerAtLeast(scope, 'maxSockets', s.maxSockets, 1);
  for (const p of ['dedicatedCpus', 'isolateEmulatorThread', 'numaGuestMappingPassthrough', 'realtime'] as const) optionalBoolean(scope, p, s[p]);
  optionalInstance(scope, 'cpuModel', s.cpuModel, CpuModel, 'CpuModel.HOST_PASSTHROUGH, CpuModel.HOST_MODEL or CpuModel.custom()');
  optionalEnum(scope, 'hugepages', s.hugepages, HugepagesSize, 'HugepagesSize');
  optionalEnum(scope, 'ioThreadsPolicy', s.ioThreadsPolicy, IoThreadsPolicy, 'IoThreadsPolicy');
  if (s.ioThreadsPolicy === IoThreadsPolicy.SUPPLEMENTAL_POOL) {
    throw propError(scope, 'ioThreadsPolicy', s.ioThreadsPolicy, 'needs a pool size, which this library sets on the VM only',
      'use IoThreadsPolicy.SHARED or AUTO here, or set ioThreadsPolicy and ioThreads on the VM');
  }
  optionalNumber(scope, 'memoryOvercommitPercent', s.memoryOvercommitPercent);
  if (s.memoryOvercommitPercent !== undefined) {
    if (!Number.isInteger(s.memoryOvercommitPercent) || s.memoryOvercommitPercent < 0 || s.memoryOvercommitPercent > 100) {
      throw propError(scope, 'memoryOvercommitPercent', s.memoryOvercommitPercent, 'must be a whole percentage from 0 to 100', 'use e.g. 10 for 10 %');
    }
    if (s.memoryOvercommitPercent > 0 && s.hugepages) {
      throw propError(scope, 'memoryOvercommitPercent', s.memoryOvercommitPercent, 'cannot be combined with hugepages, which are never overcommitted',
        'drop memoryOvercommitPercent or hugepages');
    }
    if (s.memoryOvercommitPercent > 0 && s.dedicatedCpus) {
      throw propError(scope, 'memoryOvercommitPercent', s.memoryOvercommitPercent,
        'lowers the memory request, and with dedicated CPUs KubeVirt sets the pod\'s memory limit to that request, so the guest is killed for running out of memory once it uses its memory',
        'drop memoryOvercommitPercent (pinned VMs get all their memory), or drop dedicatedCpus');
    }
  }
  if (s.hugepages) requireHugepageMultiple(scope, 'memory', memory, s.hugepages);
  if (s.isolateEmulatorThread && !s.dedicatedCpus) throw propError(scope, 'isolateEmulatorThread', true, 'only works with dedicated CPUs', 'set dedicatedCpus: true');
  if (s.numaGuestMappingPassthrough && (!s.dedicatedCpus || !s.hugepages)) {
    throw propError(scope, 'numaGuestMappingPassthrough', true, 'needs dedicated CPUs and hugepages', 'set dedicatedCpus: true and hugepages');
  }
  if (s.realtime && (!s.dedicatedCpus || !s.numaGuestMappingPassthrough)) {
    throw propError(scope, 'realtime', true, 'needs dedicated CPUs and the guest NUMA mapping', 'set dedicatedCpus: true and numaGuestMappingPassthrough: true');
  }
  const taken = new Set<string>();
  optionalPassthroughDevices(scope, 'gpus', s.gpus, taken);
  optionalPassthroughDevices(scope, 'hostDevices', s.hostDevices, taken);
  return {
    ...s,
    gpus: s.gpus ? [...s.gpus] : undefined,
    hostDevices: s.hostDevices ? [...s.hostDevices] : undefined,
  };
}

/** Renders `spec` of an instancetype. */
function renderSpec(s: InstancetypeSettings): any {
  const cpu: any = { guest: s.cpus };
  if (s.dedicatedCpus !== undefined) cpu.dedicatedCPUPlacement = s.dedicatedCpus;
  if (s.isolateEmulatorThread !== undefined) cpu.isolateEmulatorThread = s.isolateEmulatorThread;
  if (s.cpuModel) cpu.model = s.cpuModel.value;
  if (s.numaGuestMappingPassthrough) cpu.numa = { guestMappingPassthrough: {} };
  if (s.realtime) cpu.realtime = {};
  if (s.maxSockets !== undefined) cpu.maxSockets = s.maxSockets;
  const memory: any = { guest: bytesToQuantity(sizeToBytes(s.memory)!) };
  if (s.hugepages) memory.hugepages = { pageSize: s.hugepages };
  if (s.memoryOvercommitPercent) memory.overcommitPercent = s.memoryOvercommitPercent;
  const spec: any = { cpu };
  if (s.gpus && s.gpus.length > 0) spec.gpus = renderPassthroughDevices(s.gpus);
  if (s.hostDevices && s.hostDevices.length > 0) spec.hostDevices = renderPassthroughDevices(s.hostDevices);
  if (s.ioThreadsPolicy) spec.ioThreadsPolicy = s.ioThreadsPolicy;
  spec.memory = memory;
  return spec;
}

function createResource(scope: Construct, kind: string, name: string, namespace: string | undefined, settings: InstancetypeSettings): ApiObject {
  const resource = new ApiObject(scope, 'Resource', {
    apiVersion: 'instancetype.kubevirt.io/v1beta1',
    kind,
    metadata: namespace === undefined ? { name } : { name, namespace },
    spec: Lazy.any({ produce: () => renderSpec(settings) }),
  });
  dropChartNamespace(resource, namespace);
  return resource;
}

/**
 * A cluster-wide instancetype (`VirtualMachineClusterInstancetype`,
 * instancetype.kubevirt.io/v1beta1): CPU, memory and devices that VMs in
 * any namespace take with `instancetype: Instancetype.of(this)`.
 */
export class VirtualMachineClusterInstancetype extends Construct implements IInstancetypeDefinition {
  /** Name of the instancetype object. */
  public readonly instancetypeName: string;
  /** Always `InstancetypeKind.CLUSTER`. */
  public readonly instancetypeKind: InstancetypeKind = InstancetypeKind.CLUSTER;
  /** What the instancetype supplies (a copy of the props). */
  public readonly settings: InstancetypeSettings;

  constructor(scope: Construct, id: string, props: VirtualMachineClusterInstancetypeProps) {
    super(scope, id);
    requireStruct(this, 'props', props);
    requireString(this, 'name', props.name);
    requireDns1123Subdomain(this, 'name', props.name);
    ensureUniqueObjectNames(this);
    this.instancetypeName = props.name;
    this.settings = requireInstancetypeSettings(this, props);
    createResource(this, InstancetypeKind.CLUSTER, props.name, undefined, this.settings);
  }
}

/**
 * A namespaced instancetype (`VirtualMachineInstancetype`,
 * instancetype.kubevirt.io/v1beta1): CPU, memory and devices that VMs of
 * the same namespace take with `instancetype: Instancetype.of(this)`.
 */
export class VirtualMachineInstancetype extends Construct implements IInstancetypeDefinition {
  /** Name of the instancetype object. */
  public readonly instancetypeName: string;
  /** Always `InstancetypeKind.NAMESPACED`. */
  public readonly instancetypeKind: InstancetypeKind = InstancetypeKind.NAMESPACED;
  /** Namespace of the instancetype (always set). */
  public readonly instancetypeNamespace?: string;
  /** What the instancetype supplies (a copy of the props). */
  public readonly settings: InstancetypeSettings;

  constructor(scope: Construct, id: string, props: VirtualMachineInstancetypeProps) {
    super(scope, id);
    requireStruct(this, 'props', props);
    requireString(this, 'name', props.name);
    requireDns1123Subdomain(this, 'name', props.name);
    const namespace = resolveNamespace(this, props.namespace, MissingNamespace.of('instancetype'));
    ensureUniqueObjectNames(this);
    this.instancetypeName = props.name;
    this.instancetypeNamespace = namespace;
    this.settings = requireInstancetypeSettings(this, props);
    createResource(this, InstancetypeKind.NAMESPACED, props.name, namespace, this.settings);
  }
}
