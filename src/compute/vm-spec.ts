/**
 * Internal building blocks of a VirtualMachine spec, shared by every construct
 * that renders VMs (VirtualMachine, IsolatedVm, and fleets that render N VMs
 * or one VirtualMachinePool from the same options). Not exported from the
 * package.
 */
import { Size, SizeRoundingBehavior } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct, IConstruct } from 'constructs';
import {
  checkLabelValue, checkMacAddress, checkMetadataKey, checkSshPublicKey, DNS1123_LABEL_MAX, formatPropError, propError,
  requireDns1123Label, requireDns1123Subdomain, requireIntegerBetween, UINT32_MAX,
} from '../validation';
import { BootDisk } from './boot-disk';
import { CloudInit } from './cloud-init';
import { InterfaceModel } from './devices/guest-devices';
import { Disk } from './disks/disk';
import type { AddDiskOptions } from './disks/disk-options';
import { bindDisk, checkDisk, checkFilesystem, diskProp, renderDiskDevice, renderFilesystem, VmDisk } from './disks/disk-rules';
import { EvictionStrategy } from './eviction-strategy';
import { BootDiskBinding, CloudInitSecretRef } from './internal-types';
import { InterfaceBinding, InterfaceBindingType, Network, NetworkKind } from './network';
import { checkComputeOptions, checkNicSettings, computePlatformProblems, deviceMigrationProblems, probeProblems, renderComputeOptions } from './performance/compute-spec';
// type-only: the options struct lives with the VirtualMachine construct
import { effectiveEvictionStrategy, kubeVirtConfigProblems } from './platform-rules';
import { checkInterfaceShape, checkTemplateShapes } from './template-shapes';
import type { VirtualMachineTemplateOptions } from './virtual-machine';
import { MacvlanMode } from '../network/cni-plugin';
import { NetworkAttachmentDefinition } from '../network/network-attachment-definition';
import { StorageNetwork } from '../network/storage-network';
import { bytesToQuantity, sizeToBytes, sizeToQuantity } from '../validation/quantity';

/** KubeVirt's annotation that allows live migration with a bridge-bound pod network. */
export const ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION = 'kubevirt.io/allow-pod-bridge-network-live-migration';
/** Name of the boot volume and disk in every VM spec. */
export const BOOT_VOLUME_NAME = 'rootdisk';
/** Name of the cloud-init NoCloud volume and disk. */
export const CLOUD_INIT_VOLUME_NAME = 'cloudinitdisk';
/** Guest memory of a VM that sets neither memory nor an instancetype. */
export const DEFAULT_MEMORY = Size.gibibytes(1);
/** The eviction strategy string that needs every volume and the pod network to migrate. */
const LIVE_MIGRATE: string = 'LiveMigrate';

/** One interface of a VM together with its network (same name). */
export interface VmInterface {
  readonly name: string;
  readonly network: Network;
  readonly binding: InterfaceBinding;
  readonly macAddress?: string;
  /** NIC model and boot order, when given. */
  readonly model?: InterfaceModel;
  readonly bootOrder?: number;
}

/** Everything needed to render one VM's `spec`. */
export interface VirtualMachineRenderInput {
  /** Name of the VM (DataVolume templates and the boot disk may use it). */
  readonly name: string;
  readonly namespace: string;
  readonly options: VirtualMachineTemplateOptions;
  readonly interfaces: VmInterface[];
  readonly bootDisk: BootDisk;
  /** The cloud-init Secret(s) the VM refers to. */
  readonly cloudInit?: CloudInitSecretRef;
  /** Secret with the SSH public keys, one key per entry. */
  readonly sshKeySecretName?: string;
  /** `domain.devices.autoattachPodInterface`, when it must be written. */
  readonly autoattachPodInterface?: boolean;
  /** Data disks and virtiofs filesystems, in the order they were added. */
  readonly dataDisks?: VmDisk[];
}

/** Whether the VM's template carries KubeVirt's pod-bridge migration opt-in. */
export function allowsPodBridgeMigration(options: VirtualMachineTemplateOptions): boolean {
  return options.allowPodBridgeNetworkLiveMigration === true
    || (options.templateAnnotations ?? {})[ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION] !== undefined;
}

/** Eager checks of the VM-level options; throws the library error. */
export function checkVirtualMachineOptions(scope: IConstruct, options: VirtualMachineTemplateOptions): void {
  checkTemplateShapes(scope, options);
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
    checkMetadataMap(scope, prop, options[prop], !prop.toLowerCase().includes('annotations'));
  }
  const bridgeAnnotationOnVm = (options.annotations ?? {})[ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION] !== undefined;
  if (bridgeAnnotationOnVm && !allowsPodBridgeMigration(options)) {
    throw propError(scope, 'annotations', ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION,
      'has no effect on the VM object: KubeVirt reads it from the VM instance',
      'set allowPodBridgeNetworkLiveMigration: true (or put the annotation in templateAnnotations)');
  }
  checkComputeOptions(scope, options);
}

/** Checks the keys (and, for labels, the values) of a label or annotation map. */
function checkMetadataMap(scope: IConstruct, prop: string, map: { [key: string]: string } | undefined, labelValues: boolean): void {
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

/** The binding an interface gets when none is given. */
export function resolveInterface(name: string, network: Network, binding?: InterfaceBinding, macAddress?: string): VmInterface {
  return { name, network, binding: binding ?? network._defaultBinding(), macAddress };
}

/**
 * Eager checks of one interface against those already on the VM; throws the
 * library error. Covers the rules KubeVirt's admission applies to networks.
 */
export function checkInterface(scope: IConstruct, existing: VmInterface[], candidate: VmInterface, options: VirtualMachineTemplateOptions): void {
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

/** Binds the boot disk of one VM. */
export function bindBootDisk(input: Pick<VirtualMachineRenderInput, 'name' | 'namespace' | 'bootDisk'>): BootDiskBinding {
  return input.bootDisk._bind({ name: input.name, namespace: input.namespace, volumeName: BOOT_VOLUME_NAME });
}

function stringMap(map: { [key: string]: string } | undefined): { [key: string]: string } | undefined {
  if (map === undefined || Object.keys(map).length === 0) return undefined;
  const out: { [key: string]: string } = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key];
  return out;
}

/**
 * Renders a VirtualMachine `spec` (runStrategy, instancetype, preference,
 * dataVolumeTemplates, template). Never throws: inputs are checked before.
 */
export function renderVirtualMachineSpec(input: VirtualMachineRenderInput): any {
  return assembleVirtualMachineSpec(input, renderSharedSpecParts(input));
}

/**
 * The parts of a VM spec that do not depend on the VM's name or boot disk.
 * A fleet renders them once and every VM's spec refers to the same objects:
 * cdk8s copies values while resolving, so sharing is safe, and N VMs then
 * allocate only their own disks instead of N copies of everything.
 */
export interface SharedSpecParts {
  readonly domain: any;
  readonly networks: any[];
  readonly cloudInitVolume?: any;
  readonly templateExtras: { [key: string]: any };
  readonly templateMetadata?: any;
  readonly specHead: { [key: string]: any };
  /** Data disks and filesystems, whose volumes each VM binds. */
  readonly dataDisks?: VmDisk[];
}

/** Renders the name-independent parts of a VM spec. */
export function renderSharedSpecParts(input: Omit<VirtualMachineRenderInput, 'name' | 'namespace' | 'bootDisk'>): SharedSpecParts {
  const o = input.options;

  const domain: any = {};
  if (o.cores !== undefined || o.sockets !== undefined || o.threads !== undefined) {
    const cpu: any = {};
    if (o.cores !== undefined) cpu.cores = o.cores;
    if (o.sockets !== undefined) cpu.sockets = o.sockets;
    if (o.threads !== undefined) cpu.threads = o.threads;
    domain.cpu = cpu;
  }
  const memory = o.memory ?? (o.instancetype ? undefined : DEFAULT_MEMORY);
  if (memory !== undefined) domain.memory = { guest: sizeToQuantity(memory) };
  if (o.machineType !== undefined) domain.machine = { type: o.machineType.value };
  if (o.firmware !== undefined) {
    domain.firmware = { bootloader: o.firmware._bootloader() };
    if (o.firmware.isEfi && o.firmware.secureBoot) {
      domain.features = { smm: { enabled: true } };
    }
  }

  const devices: any = {};
  // with no interface at all KubeVirt would attach the pod network on its own
  const autoattach = input.autoattachPodInterface ?? (input.interfaces.length === 0 ? false : undefined);
  if (autoattach !== undefined) devices.autoattachPodInterface = autoattach;
  const disks: any[] = [{ name: BOOT_VOLUME_NAME, disk: {}, bootOrder: 1 }];
  let cloudInitVolume: any;
  if (input.cloudInit) {
    disks.push({ name: CLOUD_INIT_VOLUME_NAME, disk: {} });
    const noCloud: any = { secretRef: { name: input.cloudInit.userDataSecretName } };
    if (input.cloudInit.networkDataSecretName !== undefined) {
      noCloud.networkDataSecretRef = { name: input.cloudInit.networkDataSecretName };
    }
    cloudInitVolume = { name: CLOUD_INIT_VOLUME_NAME, [input.cloudInit.configDrive ? 'cloudInitConfigDrive' : 'cloudInitNoCloud']: noCloud };
  }
  const dataDisks = input.dataDisks ?? [];
  for (const d of dataDisks) if (d.device !== undefined) disks.push(renderDiskDevice(d));
  devices.disks = disks;
  const filesystems = dataDisks.filter(d => d.device === undefined).map(renderFilesystem);
  if (filesystems.length > 0) devices.filesystems = filesystems;
  devices.interfaces = input.interfaces.map(i => {
    const iface: any = { name: i.name, ...i.binding._toKube() };
    if (i.macAddress !== undefined) iface.macAddress = i.macAddress;
    if (i.model !== undefined) iface.model = i.model;
    if (i.bootOrder !== undefined) iface.bootOrder = i.bootOrder;
    return iface;
  });
  domain.devices = devices;

  const templateExtras: { [key: string]: any } = {};
  if (o.evictionStrategy !== undefined) templateExtras.evictionStrategy = o.evictionStrategy;
  if (input.sshKeySecretName !== undefined) {
    templateExtras.accessCredentials = [{
      sshPublicKey: {
        source: { secret: { secretName: input.sshKeySecretName } },
        propagationMethod: input.cloudInit?.configDrive ? { configDrive: {} } : { noCloud: {} },
      },
    }];
  }
  const nodeSelector = stringMap(o.nodeSelector);
  if (nodeSelector) templateExtras.nodeSelector = nodeSelector;
  if (o.tolerations !== undefined && o.tolerations.length > 0) {
    templateExtras.tolerations = o.tolerations.map(t => k8s.toJson_Toleration(t));
  }
  if (o.affinity !== undefined) templateExtras.affinity = k8s.toJson_Affinity(o.affinity);
  renderComputeOptions(o, domain, devices, templateExtras);

  const templateAnnotations: { [key: string]: string } = { ...(o.templateAnnotations ?? {}) };
  if (o.allowPodBridgeNetworkLiveMigration) templateAnnotations[ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION] = 'true';
  const templateMetadata: any = {};
  const labels = stringMap(o.templateLabels);
  if (labels) templateMetadata.labels = labels;
  const annotations = stringMap(templateAnnotations);
  if (annotations) templateMetadata.annotations = annotations;

  const specHead: { [key: string]: any } = { runStrategy: o.runStrategy ?? 'Always' };
  if (o.instancetype) specHead.instancetype = { kind: o.instancetype.kind, name: o.instancetype.name };
  if (o.preference) specHead.preference = { kind: o.preference.kind, name: o.preference.name };

  return {
    domain,
    networks: input.interfaces.map(i => i.network._toKube(i.name)),
    cloudInitVolume,
    templateExtras,
    templateMetadata: Object.keys(templateMetadata).length > 0 ? templateMetadata : undefined,
    specHead,
    ...(dataDisks.length > 0 ? { dataDisks } : {}),
  };
}

/** Puts one VM's spec together from the shared parts and its boot disk. */
export function assembleVirtualMachineSpec(vm: { name: string; namespace: string; bootDisk: BootDisk }, shared: SharedSpecParts): any {
  const boot = bindBootDisk(vm);
  const volumes: any[] = shared.cloudInitVolume ? [boot.volume, shared.cloudInitVolume] : [boot.volume];
  const dataVolumeTemplates: any[] = boot.dataVolumeTemplate !== undefined ? [boot.dataVolumeTemplate] : [];
  for (const d of shared.dataDisks ?? []) {
    const bound = bindDisk(d, vm);
    volumes.push(bound.volume);
    if (bound.dataVolumeTemplate !== undefined) dataVolumeTemplates.push(bound.dataVolumeTemplate);
  }
  const templateSpec: any = { domain: shared.domain, networks: shared.networks, volumes, ...shared.templateExtras };
  const spec: any = { ...shared.specHead };
  if (dataVolumeTemplates.length > 0) spec.dataVolumeTemplates = dataVolumeTemplates;
  spec.template = shared.templateMetadata ? { metadata: shared.templateMetadata, spec: templateSpec } : { spec: templateSpec };
  return spec;
}

/** Name of the Secret holding the inline cloud-init data of `<base>`. */
export function cloudInitSecretName(base: string): string {
  return `${base}-cloud-init`;
}

/** Name of the Secret holding the SSH public keys of `<base>`. */
export function sshKeySecretName(base: string): string {
  return `${base}-ssh-keys`;
}

/** The cloud-init data a VM needs when it has SSH keys but no cloud-init. */
export const EMPTY_CLOUD_INIT = CloudInit.noCloud({});

/**
 * Creates the Secret holding inline cloud-init data, or returns the existing
 * Secret a `CloudInit.fromSecret()` points at. Fleets call it once and share
 * the result among their VMs.
 */
export function ensureCloudInitSecret(
  scope: Construct, id: string, secretName: string, namespace: string, cloudInit: CloudInit, vmKeys: boolean = false,
): CloudInitSecretRef {
  const existing = cloudInit._secretRef();
  if (existing) return existing;
  const data: { [key: string]: string } = { userdata: base64(cloudInit._renderUserData(vmKeys) ?? '#cloud-config\n{}\n') };
  const networkData = cloudInit._renderNetworkData();
  if (networkData !== undefined) data.networkdata = base64(networkData);
  new k8s.KubeSecret(scope, id, {
    metadata: { name: secretName, namespace },
    type: 'Opaque',
    data,
  });
  return {
    userDataSecretName: secretName,
    networkDataSecretName: networkData !== undefined ? secretName : undefined,
    ...(cloudInit._configDrive ? { configDrive: true } : {}),
  };
}

/** Creates the Secret holding SSH public keys (`key1`, `key2`, ... in the given order). */
export function createSshKeySecret(scope: Construct, id: string, secretName: string, namespace: string, keys: string[]): string {
  const data: { [key: string]: string } = {};
  keys.forEach((key, i) => { data[`key${i + 1}`] = base64(key.trim()); });
  new k8s.KubeSecret(scope, id, {
    metadata: { name: secretName, namespace },
    type: 'Opaque',
    data,
  });
  return secretName;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf-8').toString('base64');
}

/** The Secrets VMs refer to, as created by {@link createVmSecrets}. */
export interface VmSecrets {
  readonly cloudInit?: CloudInitSecretRef;
  readonly sshKeySecretName?: string;
}

/**
 * Creates, as children of `scope`, the Secrets that the options call for:
 * `<base>-cloud-init` for inline cloud-init data (or an empty one when only
 * SSH keys are given, since KubeVirt's NoCloud propagation needs a NoCloud
 * volume) and `<base>-ssh-keys`. A VM passes its own name as `base`; a fleet
 * passes its name once and shares the result among its VMs.
 */
export function createVmSecrets(scope: Construct, base: string, namespace: string, options: VirtualMachineTemplateOptions): VmSecrets {
  const sshKeys = options.sshKeys ?? [];
  const cloudInit = options.cloudInit ?? (sshKeys.length > 0 ? EMPTY_CLOUD_INIT : undefined);
  return {
    cloudInit: cloudInit ? ensureCloudInitSecret(scope, 'CloudInit', cloudInitSecretName(base), namespace, cloudInit, sshKeys.length > 0) : undefined,
    sshKeySecretName: sshKeys.length > 0 ? createSshKeySecret(scope, 'SshKeys', sshKeySecretName(base), namespace, sshKeys) : undefined,
  };
}

/** The network a VM gets when its props name none. */
export function defaultNetworks(): Array<{ name: string; network: Network; binding?: InterfaceBinding; macAddress?: string }> {
  return [{ name: 'default', network: Network.pod() }];
}

/**
 * A checked VM template: the VM-level options plus its interfaces. Every
 * input is checked when it arrives (constructor, addNetwork), with errors
 * naming `scope`'s path; `render()` then turns it into a VirtualMachine
 * `spec` for any name, namespace and boot disk, so a fleet renders N VMs
 * (or one VirtualMachinePool template) from one builder.
 */
export class VmSpecBuilder {
  /** `domain.devices.autoattachPodInterface`, written when set. */
  public autoattachPodInterface?: boolean;
  private readonly interfaceList: VmInterface[] = [];
  private readonly diskList: VmDisk[] = [];
  /** Template labels added by the library (a Service or policy selecting the VMs), on top of `templateLabels`. */
  private readonly addedTemplateLabels: { [key: string]: string } = {};
  private cache?: { secrets?: VmSecrets; autoattach?: boolean; interfaces: number; disks: number; labels: number; parts: SharedSpecParts };

  constructor(
    private readonly scope: IConstruct,
    public readonly options: VirtualMachineTemplateOptions,
    networks: Array<{ name: string; network: Network; binding?: InterfaceBinding; macAddress?: string; model?: InterfaceModel; bootOrder?: number }>
    = defaultNetworks(),
  ) {
    checkVirtualMachineOptions(scope, options);
    for (const n of networks) this.addNetwork(n.name, n.network, n.binding, n.macAddress, { model: n.model, bootOrder: n.bootOrder });
    scope.node.addValidation({
      validate: () => [
        ...kubeVirtConfigProblems(scope, options, this.interfaceList, allowsPodBridgeMigration(options)),
        ...computePlatformProblems(scope, options),
        ...deviceMigrationProblems(scope, options, effectiveEvictionStrategy(scope, options.evictionStrategy).strategy),
        ...probeProblems(options, this.interfaceList.some(i => i.network.kind === NetworkKind.POD)),
      ],
    });
  }

  /** Adds an interface and its network after checking them. */
  public addNetwork(
    name: string, network: Network, binding?: InterfaceBinding, macAddress?: string, nic: { model?: InterfaceModel; bootOrder?: number } = {},
  ): void {
    checkInterfaceShape(this.scope, typeof name === 'string' ? `networks.${name}` : 'networks', name, network, binding, macAddress);
    const iface: VmInterface = { ...resolveInterface(name, network, binding, macAddress), ...nic };
    checkInterface(this.scope, this.interfaceList, iface, this.options);
    checkNicSettings(this.scope, `networks.${name}`, iface, this.interfaceList);
    this.interfaceList.push(iface);
  }

  /** Adds a data disk after checking it against the VM's other disks (and with `check`). */
  public addDisk(name: string, disk: Disk, options?: AddDiskOptions, check?: (d: VmDisk) => void): VmDisk {
    const d = checkDisk(this.scope, this.diskList, name, disk, options);
    check?.(d);
    this.diskList.push(d);
    return d;
  }

  /** Adds a virtiofs filesystem after checking it. */
  public addFilesystem(name: string, disk: Disk, check?: (d: VmDisk) => void): VmDisk {
    const d = checkFilesystem(this.scope, this.diskList, name, disk);
    check?.(d);
    this.diskList.push(d);
    return d;
  }

  /** The data disks and filesystems so far, in order (a copy). */
  public get disks(): VmDisk[] {
    return [...this.diskList];
  }

  /** The interfaces so far, in order (a copy). */
  public get interfaces(): VmInterface[] {
    return [...this.interfaceList];
  }

  /**
   * Puts a label on the VM template (so on the virt-launcher pod), for a
   * Service or a network policy that selects the VMs by it. A user label
   * of the same key with another value is an error.
   */
  public addTemplateLabel(key: string, value: string): void {
    const user = (this.options.templateLabels ?? {})[key];
    if (user !== undefined && user !== value) {
      throw propError(this.scope, `templateLabels.${key}`, user, `is needed with the value '${value}' to select these VMs`, `remove the '${key}' template label`);
    }
    this.addedTemplateLabels[key] = value;
  }

  /** The template labels the VMs' pods carry: the user's and the added ones (a copy). */
  public get templateLabels(): { [key: string]: string } {
    return { ...(this.options.templateLabels ?? {}), ...this.addedTemplateLabels };
  }

  /** Renders the `spec` of one VirtualMachine. */
  public render(vm: { name: string; namespace: string; bootDisk: BootDisk; secrets?: VmSecrets }): any {
    return assembleVirtualMachineSpec(vm, this.sharedParts(vm.secrets));
  }

  /**
   * The name-independent parts, rendered once and reused while the inputs
   * they depend on (interfaces, autoattach, Secrets) stay the same.
   */
  private sharedParts(secrets: VmSecrets | undefined): SharedSpecParts {
    const c = this.cache;
    const labels = Object.keys(this.addedTemplateLabels).length;
    if (c && c.secrets === secrets && c.autoattach === this.autoattachPodInterface && c.interfaces === this.interfaceList.length
      && c.disks === this.diskList.length && c.labels === labels) {
      return c.parts;
    }
    const parts = renderSharedSpecParts({
      options: labels > 0 ? { ...this.options, templateLabels: this.templateLabels } : this.options,
      interfaces: this.interfaceList,
      cloudInit: secrets?.cloudInit,
      sshKeySecretName: secrets?.sshKeySecretName,
      autoattachPodInterface: this.autoattachPodInterface,
      dataDisks: this.diskList.length > 0 ? [...this.diskList] : undefined,
    });
    this.cache = {
      secrets, autoattach: this.autoattachPodInterface, interfaces: this.interfaceList.length, disks: this.diskList.length, labels, parts,
    };
    return parts;
  }

  /** The live-migration problems of one VM's boot disk (for node.addValidation). */
  public migrationProblems(vm: { name: string; namespace: string; bootDisk: BootDisk }): string[] {
    const eviction = effectiveEvictionStrategy(this.scope, this.options.evictionStrategy);
    return volumeMigrationProblems(eviction.strategy as EvictionStrategy | undefined, [{
      prop: 'bootDisk', description: vm.bootDisk._description, binding: bindBootDisk(vm),
    }, ...this.diskList.map(d => ({ prop: diskProp(d), description: d.source.description, binding: bindDisk(d, vm) }))],
    eviction.inheritedFrom);
  }
}
