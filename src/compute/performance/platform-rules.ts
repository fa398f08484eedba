/**
 * The compute rules checked over the whole app at synth time (for
 * node.addValidation; rules.ts holds the eager ones): the KubeVirt CR's
 * gates and permitted devices, probes that need the pod network, and the
 * devices a live migration cannot take along. Internal.
 */
import { IConstruct } from 'constructs';
import { ComputeOptions, effective } from './compute-options';
import { kubeVirtGateEnabled, missingKubeVirtGate, platformObjectOf, PlatformKind } from '../../private/platform-config';
import { formatPropError } from '../../validation';
import { GpuDevice, HostDevice } from '../devices/host-devices';

/**
 * Rules that need the app's KubeVirt CR (silent when the app has none):
 * dedicated CPUs need the CPUManager gate, host devices the HostDevices
 * gate, and every GPU or host device must be permitted by the CR's
 * `permittedHostDevices`. Messages without path (for node.addValidation).
 */
export function computePlatformProblems(scope: IConstruct, o: ComputeOptions): string[] {
  const kubevirt = platformObjectOf(scope, PlatformKind.KUBEVIRT);
  if (!kubevirt) return [];
  const e = effective(o);
  const problems: string[] = [];
  if (e.dedicated) {
    const gate = missingKubeVirtGate(scope, 'CPUManager', 'CPU_MANAGER', 'dedicatedCpus (KubeVirt only labels CPU-manager nodes for pinned VMs with it)');
    if (gate) problems.push(gate);
  }
  if (e.hostDevices.length > 0 && !kubeVirtGateEnabled(kubevirt, 'HostDevices')) {
    problems.push(missingKubeVirtGate(scope, 'HostDevices', 'HOST_DEVICES', `host device '${e.hostDevices[0].name}'`)!);
  }
  const permitted = kubevirt.spec.configuration?.permittedHostDevices ?? {};
  const names = new Set<string>();
  for (const list of [permitted.pciHostDevices, permitted.mediatedDevices, permitted.usb]) {
    for (const d of list ?? []) names.add(d.resourceName);
  }
  const check = (prop: string, d: GpuDevice | HostDevice) => {
    if (names.has(d.deviceName)) return;
    problems.push(formatPropError(`${prop}.${d.name}.deviceName`, d.deviceName,
      `is not permitted by the KubeVirt at '${kubevirt.path}', so the VM's pod would never get the device`,
      `add it to that KubeVirt's permittedHostDevices (pciHostDevices with its vendor:device selector, or mediatedDevices with its mdev name), resourceName '${d.deviceName}'`));
  };
  e.gpus.forEach(d => check('gpus', d));
  e.hostDevices.forEach(d => check('hostDevices', d));
  return problems;
}

/**
 * TCP and HTTP probes reach the guest over the pod network, so KubeVirt
 * refuses them on a VM without one. Messages without path.
 */
export function probeProblems(o: ComputeOptions, hasPodNetwork: boolean): string[] {
  if (hasPodNetwork) return [];
  return (['readinessProbe', 'livenessProbe'] as const).filter(p => o[p]?._needsPodNetwork).map(p => formatPropError(p, o[p]!.type,
    'reaches the guest over the pod network, which this VM does not have',
    'use VmProbe.guestAgentPing() or VmProbe.exec() (through the guest agent), or attach the pod network'));
}

/**
 * With evictionStrategy LiveMigrate, a VM must be able to take its devices
 * along. KubeVirt v1.9 migrates a VM with no host device and at most one
 * GPU, where that GPU is a mediated device the KubeVirt CR permits and the
 * VGPULiveMigration gate is on (virt-handler's migratability check). A
 * single GPU is checked only against a KubeVirt CR of the app; without one,
 * the rule stays silent about it. Messages without path.
 */
export function deviceMigrationProblems(scope: IConstruct, o: ComputeOptions, evictionStrategy: string | undefined): string[] {
  if (evictionStrategy !== 'LiveMigrate') return [];
  const e = effective(o);
  const refuse = (why: string, fix: string) => [formatPropError('evictionStrategy', 'LiveMigrate', `cannot be honoured: ${why}`, fix)];
  const noLiveMigrate = 'use evictionStrategy None (the VM is shut down on drain)';
  if (e.hostDevices.length > 0) {
    const devices = e.hostDevices.map(d => `host device '${d.name}'`);
    return refuse(`${devices.join(', ')} ${devices.length > 1 ? 'are' : 'is'} bound to the node and cannot follow a live migration`,
      `${noLiveMigrate}, or drop the host devices`);
  }
  if (e.gpus.length > 1) {
    return refuse(`KubeVirt live-migrates a VM with at most one GPU, and this one has ${e.gpus.length} (${e.gpus.map(g => `'${g.name}'`).join(', ')})`,
      `${noLiveMigrate}, or keep one mediated (vGPU) device`);
  }
  if (e.gpus.length === 0) return [];
  const kubevirt = platformObjectOf(scope, PlatformKind.KUBEVIRT);
  if (!kubevirt) return [];
  const gpu = e.gpus[0];
  const mdevs: Array<{ resourceName: string }> = kubevirt.spec.configuration?.permittedHostDevices?.mediatedDevices ?? [];
  if (!mdevs.some(m => m.resourceName === gpu.deviceName)) {
    return refuse(`GPU '${gpu.name}' (${gpu.deviceName}) is not a mediated device the KubeVirt at '${kubevirt.path}' permits, and only a vGPU can follow a live migration`,
      `${noLiveMigrate}, or use a vGPU listed in that KubeVirt's permittedHostDevices.mediatedDevices`);
  }
  const gate = missingKubeVirtGate(scope, 'VGPULiveMigration', 'VGPU_LIVE_MIGRATION', `live migration of vGPU '${gpu.name}'`);
  return gate ? [gate] : [];
}
