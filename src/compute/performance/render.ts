/**
 * Rendering of the compute, performance and device settings of a VM
 * template (rules.ts holds their checks). Internal: the VM spec builder
 * calls these, so single VMs, isolated VMs and fleets share them.
 */
import { k8s } from 'cdk8s-plus-33';
import { ComputeOptions, copyFlags, cpuMillis, cpuQuantity, withHypervRequirements } from './compute-options';
import { CpuFeaturePolicy } from './cpu';
import { bytesToQuantity, sizeToBytes } from '../../validation/quantity';
import { GpuDevice, HostDevice } from '../devices/host-devices';
import { HypervEnlightenmentsOptions } from '../devices/hyperv';

/** Renders a list of GPUs or host devices. */
export function renderPassthroughDevices(list: Array<GpuDevice | HostDevice>): any[] {
  return list.map(d => {
    const out: any = { deviceName: d.deviceName, name: d.name };
    const v = (d as GpuDevice).virtualGpuOptions;
    if (v && v.display !== undefined) {
      const display: any = { enabled: v.display };
      if (v.ramFb !== undefined) display.ramFB = { enabled: v.ramFb };
      out.virtualGPUOptions = { display };
    }
    return out;
  });
}

/**
 * Renders Hyper-V enlightenments (`features.hyperv`), with the ones they
 * need switched on where the user left them unset.
 */
export function renderHypervFeature(options: HypervEnlightenmentsOptions): any {
  const h = withHypervRequirements(options);
  const out: any = {};
  const flag = (key: string, on: boolean | undefined) => { if (on !== undefined) out[key] = { enabled: on }; };
  flag('frequencies', h.frequencies);
  flag('ipi', h.ipi);
  flag('reenlightenment', h.reenlightenment);
  flag('relaxed', h.relaxed);
  flag('reset', h.reset);
  flag('runtime', h.runtime);
  if (h.spinlocks !== undefined) out.spinlocks = { enabled: true, spinlocks: h.spinlocks };
  flag('synic', h.synic);
  if (h.synictimer !== undefined) out.synictimer = h.synictimer ? { direct: { enabled: true }, enabled: true } : { enabled: false };
  flag('tlbflush', h.tlbflush);
  flag('vapic', h.vapic);
  if (h.vendorId !== undefined) out.vendorid = { enabled: true, vendorid: h.vendorId };
  flag('vpindex', h.vpindex);
  return out;
}

/**
 * Adds the compute settings to a rendered VM template: `domain` (cpu,
 * memory, resources, features, clock, IO threads), `domain.devices` and the
 * template's pod-level fields.
 */
export function renderComputeOptions(o: ComputeOptions, domain: any, devices: any, templateExtras: { [key: string]: any }): void {
  const cpu: any = { ...(domain.cpu ?? {}) };
  copyFlags(o, 'cpu', cpu);
  if (o.cpuModel) cpu.model = o.cpuModel.value;
  if (o.cpuFeatures && o.cpuFeatures.length > 0) {
    cpu.features = o.cpuFeatures.map(f => ({ name: f.name, policy: f.policy ?? CpuFeaturePolicy.REQUIRE }));
  }
  if (o.numaGuestMappingPassthrough) cpu.numa = { guestMappingPassthrough: {} };
  if (o.realtime) cpu.realtime = {};
  if (Object.keys(cpu).length > 0) domain.cpu = cpu;
  if (o.hugepages) domain.memory = { ...(domain.memory ?? {}), hugepages: { pageSize: o.hugepages } };

  const requests: any = {};
  const limits: any = {};
  if (o.cpuRequest) requests.cpu = cpuQuantity(cpuMillis(o.cpuRequest)!);
  if (o.memoryRequest) requests.memory = bytesToQuantity(sizeToBytes(o.memoryRequest)!);
  if (o.cpuLimit) limits.cpu = cpuQuantity(cpuMillis(o.cpuLimit)!);
  if (o.memoryLimit) limits.memory = bytesToQuantity(sizeToBytes(o.memoryLimit)!);
  const resources: any = {};
  if (Object.keys(limits).length > 0) resources.limits = limits;
  if (Object.keys(requests).length > 0) resources.requests = requests;
  if (Object.keys(resources).length > 0) domain.resources = resources;

  if (o.ioThreadsPolicy) domain.ioThreadsPolicy = o.ioThreadsPolicy;
  if (o.ioThreads !== undefined) domain.ioThreads = { supplementalPoolThreadCount: o.ioThreads };
  copyFlags(o, 'domain', domain);
  if (o.hyperv) domain.features = { ...(domain.features ?? {}), hyperv: renderHypervFeature(o.hyperv.options) };
  if (o.clock) {
    const c = o.clock;
    const clock: any = c.timezone !== undefined ? { timezone: c.timezone } : { utc: {} };
    const timer: any = {};
    if (c.hpet !== undefined) timer.hpet = { present: c.hpet };
    if (c.hypervTimer !== undefined) timer.hyperv = { present: c.hypervTimer };
    if (c.pitTickPolicy !== undefined) timer.pit = { tickPolicy: c.pitTickPolicy };
    if (c.rtcTickPolicy !== undefined) timer.rtc = { tickPolicy: c.rtcTickPolicy };
    if (Object.keys(timer).length > 0) clock.timer = timer;
    domain.clock = clock;
  }

  copyFlags(o, 'devices', devices);
  if (o.gpus && o.gpus.length > 0) devices.gpus = renderPassthroughDevices(o.gpus);
  if (o.hostDevices && o.hostDevices.length > 0) devices.hostDevices = renderPassthroughDevices(o.hostDevices);
  if (o.tabletInput) devices.inputs = [{ bus: o.tabletInput, name: 'tablet', type: 'tablet' }];
  if (o.rng) devices.rng = {};
  if (o.tpm) devices.tpm = o.tpm.persistent ? { persistent: true } : {};
  if (o.watchdog) devices.watchdog = { i6300esb: { action: o.watchdog }, name: 'watchdog' };

  if (o.terminationGracePeriod !== undefined) templateExtras.terminationGracePeriodSeconds = o.terminationGracePeriod.toMilliseconds() / 1000;
  if (o.hostname !== undefined) templateExtras.hostname = o.hostname;
  if (o.subdomain !== undefined) templateExtras.subdomain = o.subdomain;
  if (o.dnsPolicy !== undefined) templateExtras.dnsPolicy = o.dnsPolicy;
  if (o.dnsConfig !== undefined) templateExtras.dnsConfig = k8s.toJson_PodDnsConfig(o.dnsConfig);
  if (o.priorityClassName !== undefined) templateExtras.priorityClassName = o.priorityClassName;
  if (o.readinessProbe) templateExtras.readinessProbe = o.readinessProbe._toKube();
  if (o.livenessProbe) templateExtras.livenessProbe = o.livenessProbe._toKube();
  if (o.topologySpreadConstraints && o.topologySpreadConstraints.length > 0) {
    templateExtras.topologySpreadConstraints = o.topologySpreadConstraints.map(t => k8s.toJson_TopologySpreadConstraint(t));
  }
}
