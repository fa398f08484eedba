/**
 * Internal building blocks of a VirtualMachine spec, shared by every construct
 * that renders VMs (VirtualMachine, IsolatedVm, and fleets that render N VMs
 * or one VirtualMachinePool from the same options). Not exported from the
 * package.
 */
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { propError } from '../../../validation';
import { sizeToQuantity } from '../../../validation/quantity';
import { InterfaceModel } from '../../devices/guest-devices';
import { BootDisk } from '../../disks/boot-disk';
import { Disk } from '../../disks/disk';
import { AddDiskOptions } from '../../disks/disk-options';
import { bindDisk, diskProp, renderDiskDevice, renderFilesystem, VmDisk } from '../../disks/disk-rules';
import { BootDiskBinding, CloudInitSecretRef } from '../../disks/volume-plan';
import { renderComputeOptions } from '../../performance/render';
import { EvictionStrategy } from '../eviction-strategy';
import { firmwareIdentity, withFirmwareIdentity } from '../firmware-identity';
import { interfaceFacts, kubevirtPodLabels, WorkloadFacts } from '../launcher-pods';
import { InterfaceBinding, Network, NetworkKind } from '../network';
import {
  affinitySelectorProblems, allowsPodBridgeMigration, requireDisk, requireFilesystem, requireInterfaceFits, requireInterfaceShape, requireNicSettings,
  requireVirtualMachineOptions, computePlatformProblems, deviceMigrationProblems, effectiveEvictionStrategy, kubeVirtConfigProblems,
  probeProblems, spreadSelectorProblems, volumeMigrationProblems,
} from '../rules';
import { PlannedAddresses, PlannedInterface } from '../secrets/network-data';
import { VmSecrets } from '../secrets/vm-secrets';
import { VirtualMachineTemplateOptions } from '../template-options';
import { ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION, BOOT_VOLUME_NAME, CLOUD_INIT_VOLUME_NAME, DEFAULT_MEMORY, VmInterface, resolveInterface } from '../vm-parts';

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
  private planned?: PlannedAddresses;

  constructor(
    private readonly scope: Construct,
    public readonly options: VirtualMachineTemplateOptions,
    networks: Array<{ name: string; network: Network; binding?: InterfaceBinding; macAddress?: string; model?: InterfaceModel; bootOrder?: number }>
    = defaultNetworks(),
  ) {
    requireVirtualMachineOptions(scope, options);
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
    requireInterfaceShape(this.scope, typeof name === 'string' ? `networks.${name}` : 'networks', name, network, binding, macAddress);
    const iface: VmInterface = { ...resolveInterface(name, network, binding, macAddress), ...nic };
    requireInterfaceFits(this.scope, this.interfaceList, iface, this.options);
    requireNicSettings(this.scope, `networks.${name}`, iface, this.interfaceList);
    this.interfaceList.push(iface);
  }

  /** Adds a data disk after checking it against the VM's other disks (and with `check`). */
  public addDisk(name: string, disk: Disk, options?: AddDiskOptions, check?: (d: VmDisk) => void): VmDisk {
    const d = requireDisk(this.scope, this.diskList, name, disk, options);
    check?.(d);
    this.diskList.push(d);
    return d;
  }

  /** Adds a virtiofs filesystem after checking it. */
  public addFilesystem(name: string, disk: Disk, check?: (d: VmDisk) => void): VmDisk {
    const d = requireFilesystem(this.scope, this.diskList, name, disk);
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
   * Renders the `spec` of one VirtualMachine with the addresses planned for
   * it and its firmware identity (UUID and serial derived from its
   * namespace and name, see firmware-identity.ts). A VirtualMachinePool's
   * template is rendered with `render()`, without one: the pool controller
   * copies the template into every VM it creates (v1.9.0,
   * pkg/virt-controller/watch/pool/pool.go:773), so a UUID there would be
   * every VM's; left out, each VM gets its own from the VM mutator at
   * creation and the pool controller keeps it (pool.go:2086-2107).
   */
  public renderVm(vm: { name: string; namespace: string; bootDisk: BootDisk; secrets?: VmSecrets }): any {
    const spec = withFirmwareIdentity(this.render(vm), firmwareIdentity(vm.namespace, vm.name, this.options.firmwareUuid));
    return this.planned ? this.planned.patch(vm.name, spec) : spec;
  }

  /** Gives one VM's interface a planned address and MAC (from an AddressPlan). */
  public planAddress(namespace: string, vmName: string, planned: PlannedInterface): void {
    if (!this.planned) {
      this.planned = new PlannedAddresses(this.scope, namespace, () => this.interfaces,
        () => this.options.cloudInit?._configDrive === true);
    }
    this.planned.add(vmName, planned);
  }

  /** The planned interfaces so far, with their VM names. */
  public plannedAddresses(): Array<PlannedInterface & { vmName: string }> {
    return this.planned ? this.planned.all() : [];
  }

  /** What Services and network policies need to know of the VMs named `vmNames`, rendered from this template. */
  public workloadFacts(namespace: string, vmNames: string[], isolated: boolean, pool: boolean): WorkloadFacts {
    const interfaces = this.interfaces;
    const templateLabels = this.templateLabels;
    return {
      namespace,
      vms: vmNames.map(name => ({ name, podLabels: { ...templateLabels, ...kubevirtPodLabels(name, this.options.hostname) } })),
      networkNames: interfaces.filter(i => i.network.networkAttachmentDefinition).map(i => i.network.networkAttachmentDefinition!.networkName),
      hasPodNetwork: interfaces.some(i => i.network.networkAttachmentDefinition === undefined),
      isolated,
      ...interfaceFacts(interfaces, this.options.cloudInit),
      pool,
    };
  }

  /**
   * The problems of the template's spread constraints and affinity with the
   * VMs' pods (for node.addValidation); `objectLabels` are the labels of the
   * VM objects, `spreadFix` says which label a spread constraint should select.
   */
  public podSelectorProblems(facts: WorkloadFacts, objectLabels: { [key: string]: string }, spreadFix: string): string[] {
    return [
      ...spreadSelectorProblems(this.options.topologySpreadConstraints, facts.vms, spreadFix),
      ...affinitySelectorProblems(this.options.affinity, objectLabels, facts.vms[0].podLabels),
    ];
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

  /**
   * The live-migration problems of one VM's disks (for node.addValidation);
   * `bootProp` is the prop named for the boot disk.
   */
  public migrationProblems(vm: { name: string; namespace: string; bootDisk: BootDisk }, bootProp: string = 'bootDisk'): string[] {
    const eviction = effectiveEvictionStrategy(this.scope, this.options.evictionStrategy);
    return volumeMigrationProblems(eviction.strategy as EvictionStrategy | undefined, [{
      prop: bootProp, description: vm.bootDisk._description, binding: bindBootDisk(vm),
    }, ...this.diskList.map(d => ({ prop: diskProp(d), description: d.source.description, binding: bindDisk(d, vm) }))],
    eviction.inheritedFrom);
  }
}
