/**
 * The VM rules checked when an option is given (eager) and the migration
 * rules checked over the whole VM: metadata, interfaces, MAC addresses and
 * what stops a live migration.
 */
import { SizeRoundingBehavior } from 'cdk8s';
import { IConstruct } from 'constructs';
import { requireTemplateShapes } from './option-types';
import { MacvlanMode } from '../../../network/cni-plugin';
import { NetworkAttachmentDefinition } from '../../../network/network-attachment-definition';
import { StorageNetwork } from '../../../network/storage-network';
import {
  checkLabelValue, checkMacAddress, checkMetadataKey, checkSshPublicKey, DNS1123_LABEL_MAX, formatPropError, propError,
  requireDns1123Label, requireDns1123Subdomain, requireIntegerBetween, UINT32_MAX,
} from '../../../validation';
import { bytesToQuantity, sizeToBytes } from '../../../validation/quantity';
import { BootDiskBinding } from '../../disks/volume-plan';
import { requireComputeOptions } from '../../performance/rules';
import { EvictionStrategy } from '../eviction-strategy';
import { requireFirmwareUuid } from '../firmware-identity';
import { InterfaceBindingType, NetworkKind } from '../network';
import { VirtualMachineTemplateOptions } from '../template-options';
import { ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION, VmInterface } from '../vm-parts';

/** The eviction strategy string that needs every volume and the pod network to migrate. */
const LIVE_MIGRATE: string = 'LiveMigrate';

/** Whether the VM's template carries KubeVirt's pod-bridge migration opt-in. */
export function allowsPodBridgeMigration(options: VirtualMachineTemplateOptions): boolean {
  return options.allowPodBridgeNetworkLiveMigration === true
    || (options.templateAnnotations ?? {})[ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION] !== undefined;
}

/** Eager checks of the VM-level options; throws the library error. */
export function requireVirtualMachineOptions(scope: IConstruct, options: VirtualMachineTemplateOptions): void {
  requireTemplateShapes(scope, options);
  requireFirmwareUuid(scope, options.firmwareUuid);
  for (const prop of ['cores', 'sockets', 'threads'] as const) {
    const value = options[prop];
    if (value !== undefined) requireIntegerBetween(scope, prop, value, 1, UINT32_MAX, 'uint32');
  }
  if (options.memory !== undefined) {
    const bytes = sizeToBytes(options.memory);
    if (bytes === undefined || bytes < 1024n * 1024n) {
      throw propError(scope, 'memory', bytes === undefined ? String(options.memory.toKibibytes({ rounding: SizeRoundingBehavior.NONE })) + ' KiB' : bytesToQuantity(bytes),
        'must be a whole number of bytes and at least 1 MiB', 'give the guest memory like Size.gibibytes(2)');
    }
  }
  if (options.instancetype) {
    requireDns1123Subdomain(scope, 'instancetype.name', options.instancetype.name);
    const conflicting = (['cores', 'sockets', 'threads', 'memory'] as const).filter(p => options[p] !== undefined);
    if (conflicting.length > 0) {
      throw propError(scope, conflicting[0], conflicting.join(', '),
        `conflicts with instancetype '${options.instancetype.name}' (KubeVirt rejects a VM that sets guest CPU or memory next to an instancetype)`,
        'drop cores, sockets, threads and memory, or drop the instancetype');
    }
  }
  if (options.preference) requireDns1123Subdomain(scope, 'preference.name', options.preference.name);
  if (options.machineType !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.machineType.value)) {
    throw propError(scope, 'machineType', options.machineType.value, 'must be a machine type name such as \'q35\' or \'pc-q35-rhel9.6.0\'',
      'use MachineType.Q35 or MachineType.custom() with the exact name');
  }
  (options.sshKeys ?? []).forEach((key, i) => {
    const problem = checkSshPublicKey(key);
    if (problem) throw propError(scope, `sshKeys[${i}]`, key, problem, 'give the content of a .pub file, one key per entry');
  });
  if (options.cloudInit) {
    options.cloudInit._validate(scope, 'cloudInit');
    if ((options.sshKeys ?? []).length > 0) options.cloudInit._validateVmKeys(scope, 'cloudInit');
  }
  for (const prop of ['labels', 'templateLabels', 'nodeSelector', 'annotations', 'templateAnnotations'] as const) {
    requireMetadataMap(scope, prop, options[prop], !prop.toLowerCase().includes('annotations'));
  }
  const bridgeAnnotationOnVm = (options.annotations ?? {})[ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION] !== undefined;
  if (bridgeAnnotationOnVm && !allowsPodBridgeMigration(options)) {
    throw propError(scope, 'annotations', ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION,
      'has no effect on the VM object: KubeVirt reads it from the VM instance',
      'set allowPodBridgeNetworkLiveMigration: true (or put the annotation in templateAnnotations)');
  }
  requireComputeOptions(scope, options);
}

/** Checks the keys (and, for labels, the values) of a label or annotation map. */
function requireMetadataMap(scope: IConstruct, prop: string, map: { [key: string]: string } | undefined, labelValues: boolean): void {
  for (const [key, value] of Object.entries(map ?? {})) {
    const keyProblem = checkMetadataKey(key);
    if (keyProblem) throw propError(scope, prop, key, `key ${keyProblem}`, 'use a key like \'app.kubernetes.io/name\'');
    if (typeof value !== 'string') {
      throw propError(scope, `${prop}.${key}`, value, 'must be a string', 'quote the value');
    }
    const valueProblem = labelValues ? checkLabelValue(value) : undefined;
    if (valueProblem) throw propError(scope, `${prop}.${key}`, value, valueProblem, 'shorten or simplify the value');
  }
}

/**
 * Eager checks of one interface against those already on the VM; throws the
 * library error. Covers the rules KubeVirt's admission applies to networks.
 */
export function requireInterfaceFits(
  scope: IConstruct, existing: VmInterface[], candidate: VmInterface, options: VirtualMachineTemplateOptions,
): void {
  const prop = `networks.${candidate.name}`;
  requireDns1123Label(scope, `${prop}.name`, candidate.name, DNS1123_LABEL_MAX);
  const podAlready = existing.find(i => i.network.kind === NetworkKind.POD);
  if (candidate.network.kind === NetworkKind.POD && podAlready) {
    // checked before the name: renaming would only lead to this same rule
    throw propError(scope, `${prop}.network`, 'pod', `is a second pod network (interface '${podAlready.name}' already uses it); a VM joins the pod network at most once`,
      podAlready.name === 'default'
        ? 'to change the binding or MAC address of the pod interface, pass it in the \'networks\' prop instead, e.g. networks: [{ name: \'default\', network: Network.pod(), binding: InterfaceBinding.bridge() }]'
        : 'remove one of them, or attach the extra interface to a Multus network');
  }
  if (existing.some(i => i.name === candidate.name)) {
    throw propError(scope, `${prop}.name`, candidate.name, 'is already used by another interface of this VM',
      'give every interface (and its network) its own name');
  }
  const kind = candidate.network.kind;
  const binding = candidate.binding.type;
  if (binding === InterfaceBindingType.MASQUERADE && kind !== NetworkKind.POD) {
    throw propError(scope, `${prop}.binding`, 'masquerade', `only works on the pod network, not on ${candidate.network._describe()}`,
      'use InterfaceBinding.bridge() or InterfaceBinding.sriov() for a Multus network');
  }
  if (binding === InterfaceBindingType.SRIOV && kind === NetworkKind.POD) {
    throw propError(scope, `${prop}.binding`, 'sriov', 'needs a device-backed Multus network, not the pod network',
      'use InterfaceBinding.masquerade() on the pod network, or Network.multus() with an SR-IOV NetworkAttachmentDefinition');
  }
  if (binding === InterfaceBindingType.PLUGIN && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(candidate.binding.pluginName ?? '')) {
    throw propError(scope, `${prop}.binding`, candidate.binding.pluginName, 'must name a binding plugin registered in the KubeVirt CR',
      'use the plugin name from spec.configuration.network.binding, e.g. \'passt\'');
  }
  if (candidate.macAddress !== undefined) {
    const problem = checkMacAddress(candidate.macAddress);
    if (problem) throw propError(scope, `${prop}.macAddress`, candidate.macAddress, problem, 'use a locally administered unicast address such as \'02:00:5e:10:00:01\'');
    const normalized = normalizeMac(candidate.macAddress);
    const clash = existing.find(i => i.macAddress !== undefined && normalizeMac(i.macAddress) === normalized);
    if (clash) {
      throw propError(scope, `${prop}.macAddress`, candidate.macAddress, `is already used by interface '${clash.name}'`, 'give every interface its own MAC address');
    }
    if (binding === InterfaceBindingType.MASQUERADE && normalized === '02:00:00:00:00:00') {
      throw propError(scope, `${prop}.macAddress`, candidate.macAddress, 'is reserved by KubeVirt for the in-pod bridge of masquerade',
        'pick another MAC address');
    }
  }
  if (kind === NetworkKind.POD) {
    const multusDefault = existing.find(i => i.network.isDefault);
    if (multusDefault) {
      const origin = multusDefault.network._origin;
      throw propError(scope, `${prop}.network`, 'pod', `cannot be added next to the Multus default network of interface '${multusDefault.name}', which replaces the pod network`,
        origin === undefined
          ? 'drop the pod network, or drop defaultNetwork: true from the Multus network'
          : `drop the pod network: ${origin} cuts the VM off from it on purpose (use a VM without ${origin} if it needs the pod network)`);
    }
  }
  if (candidate.network.isDefault) {
    const otherDefault = existing.find(i => i.network.isDefault);
    if (otherDefault) {
      throw propError(scope, `${prop}.network`, candidate.network._describe(), `is a second Multus default network (interface '${otherDefault.name}' already is one)`,
        'mark only one Multus network defaultNetwork: true');
    }
    const pod = existing.find(i => i.network.kind === NetworkKind.POD);
    if (pod) {
      throw propError(scope, `${prop}.network`, candidate.network._describe(), `cannot be the default network while interface '${pod.name}' uses the pod network`,
        'pass networks: [] to drop the pod network (or use IsolatedVm), or drop defaultNetwork: true');
    }
  }
  const nad = candidate.network.networkAttachmentDefinition;
  const macvlanMode = nad instanceof NetworkAttachmentDefinition ? nad.plugins[0]?._macvlanMode : undefined;
  if (binding === InterfaceBindingType.BRIDGE && macvlanMode !== undefined && macvlanMode !== MacvlanMode.PASSTHRU) {
    // KubeVirt gives the pod NIC its in-pod bridge's MAC and the guest keeps the original one;
    // a macvlan interface takes in only unicast frames for its own MAC
    throw propError(scope, `${prop}.binding`, 'bridge',
      `cannot carry inbound unicast to the guest on macvlan network ${nad!.networkName} (mode ${macvlanMode}): KubeVirt's bridge binding gives the pod's macvlan interface the MAC of its in-pod bridge while the guest keeps its own, and a macvlan interface drops unicast frames for any MAC but its own`,
      nad instanceof StorageNetwork
        ? 'give the StorageNetwork a Linux bridge instead of macvlan (bridge: \'br-storage\' or hostBridge: policy.bridge(\'br-storage\'), with the NIC as the bridge\'s port), or set macvlanMode: MacvlanMode.PASSTHRU (one interface per node NIC)'
        : 'put the network on a Linux bridge (CniPlugin.bridge() with the NIC as the bridge\'s port), or use CniPlugin.macvlan({ mode: MacvlanMode.PASSTHRU }) (one interface per node NIC)');
  }
  if (kind === NetworkKind.POD && binding === InterfaceBindingType.BRIDGE
    && (options.evictionStrategy as string | undefined) === LIVE_MIGRATE && !allowsPodBridgeMigration(options)) {
    throw propError(scope, `${prop}.binding`, 'bridge',
      'on the pod network cannot live-migrate, so with evictionStrategy LiveMigrate KubeVirt denies the VM\'s eviction and node drains block',
      `use InterfaceBinding.masquerade(), or set allowPodBridgeNetworkLiveMigration: true (annotation ${ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION}) when your CNI keeps the pod address across nodes`);
  }
}

function normalizeMac(mac: string): string {
  return mac.toLowerCase().replace(/-/g, ':');
}

/** Access modes of a bound volume: given, or read from its DataVolume template. */
export function bindingAccessModes(binding: BootDiskBinding): string[] | undefined {
  if (binding.accessModes !== undefined) return binding.accessModes;
  const spec = binding.dataVolumeTemplate?.spec;
  return spec?.storage?.accessModes ?? spec?.pvc?.accessModes;
}

/**
 * Rule over the bound volumes: with evictionStrategy LiveMigrate, every
 * volume must be able to follow the VM to another node, which a claim that
 * is only ReadWriteOnce (or ReadWriteOncePod) cannot. Messages without path
 * (for node.addValidation).
 */
export function volumeMigrationProblems(
  evictionStrategy: EvictionStrategy | undefined,
  volumes: Array<{ prop: string; description: string; binding: BootDiskBinding }>,
  inheritedFrom?: string,
): string[] {
  if ((evictionStrategy as string | undefined) !== LIVE_MIGRATE) return [];
  const problems: string[] = [];
  for (const v of volumes) {
    if (v.binding.migrationBlocker !== undefined) {
      problems.push(formatPropError(v.prop, v.description,
        `${v.binding.migrationBlocker}, so it cannot follow a live migration and KubeVirt would refuse evictionStrategy LiveMigrate`,
        'use shared storage for the disk, or evictionStrategy LiveMigrateIfPossible or None'));
      continue;
    }
    if (v.binding.migratable) continue;
    const modes = bindingAccessModes(v.binding);
    if (modes === undefined || modes.includes('ReadWriteMany')) continue;
    problems.push(formatPropError(v.prop, modes.join(', '),
      `(${v.description}) cannot follow a live migration because its storage is not ReadWriteMany, while the eviction strategy is LiveMigrate`
      + `${inheritedFrom ? ` (the cluster default of the KubeVirt at '${inheritedFrom}')` : ''}: KubeVirt accepts the VM, but denies its eviction, so node drains block`,
      `use ReadWriteMany storage, or ${inheritedFrom ? 'set ' : ''}evictionStrategy LiveMigrateIfPossible or None${inheritedFrom ? ' on this VM' : ''}`));
  }
  return problems;
}
