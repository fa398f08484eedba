import { ApiObject, Lazy, Size } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { checkFleetDisk, checkFleetDiskList, dataDiskPlan, fleetDiskFigures, goldenImageImports } from './fleet-disks';
import { SmartCloneFleetProps } from './fleet-options';
import { FleetPlan } from './fleet-plan';
import { FLEET_LABEL } from '../../private/labels';
import { MissingNamespace, resolveNamespace } from '../../private/namespace';
import { ensureUniqueObjectNames, registerOwnedObjects } from '../../private/unique-object-names';
import { reportWarnings } from '../../private/warnings';
import { IDataVolume } from '../../storage/data-volume-options';
import { DataVolumeSource, DataVolumeSourceKind } from '../../storage/data-volume-source';
import { IGoldenImage } from '../../storage/golden-image-options';
import { requireGoldenImage } from '../../storage/private/references';
import { IVolumeSnapshot } from '../../storage/volume-snapshot';
import { checkShape, DNS1123_LABEL_MAX, INT32_MAX, propError, requireDns1123Label, requireIntegerBetween, Shape } from '../../validation';
import { bytesToQuantity, sizeToBytes } from '../../validation/quantity';
import { BootDisk, CloneStrategy } from '../disks/boot-disk';
import { bindDisk, diskGateProblems, diskProp, ownedDataVolumeNames } from '../disks/disk-rules';
import { dataVolumeTemplateSource, describeSize, imageCloneProps, imageCloneSizing } from '../disks/image-clone';
import { checkReferenceNamespaces } from '../performance/rules';
import { EvictionStrategy } from '../vm/eviction-strategy';
import { VirtualMachineExposeOptions, VirtualMachineService } from '../vm/expose';
import { interfaceFacts, kubevirtPodLabels, WorkloadFacts } from '../vm/launcher-pods';
import { InterfaceBinding, Network } from '../vm/network';
import { bindBootDisk, VmSpecBuilder } from '../vm/render/vm-template';
import { migratingWhereaboutsWarnings } from '../vm/rules/ip-persistence';
import { effectiveEvictionStrategy } from '../vm/rules/platform';
import { affinitySelectorProblems, spreadSelectorProblems } from '../vm/rules/pod-selectors';
import { volumeMigrationProblems } from '../vm/rules/vm-options';
import { PlannedAddresses, PlannedInterface } from '../vm/secrets/network-data';
import { createVmSecrets, VmSecrets } from '../vm/secrets/vm-secrets';

const URL_IMPORTS = new Set<DataVolumeSourceKind>([
  DataVolumeSourceKind.HTTP, DataVolumeSourceKind.REGISTRY, DataVolumeSourceKind.S3, DataVolumeSourceKind.GCS,
]);

function plural(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * N VirtualMachines (or one VirtualMachinePool) booting copy-on-write clones
 * of one golden image: 1 import, 1 snapshot, N restores.
 *
 * With `CloneStrategy.SNAPSHOT` (the default) every VM's DataVolume
 * template restores the image's VolumeSnapshot, also from another
 * namespace: CDI restores the snapshot into a temporary claim in the
 * image's namespace and hands the volume over to the VM's, so a fleet in
 * another namespace costs the same 1 import, 1 snapshot, N restores. It
 * calls `image.grantClone()` for its namespace, which lets that
 * namespace's service accounts (the VMs' identity for the clone) clone the
 * image.
 *
 * With `CloneStrategy.HOST_ASSISTED` every VM clones the image's PVC
 * (`source.pvc`). The manifests ask for a PVC clone; CDI picks how, from
 * the CDI `cloneStrategyOverride` or the storage class's StorageProfile:
 * a host-assisted copy, or a cheaper CSI clone or snapshot where the
 * storage offers one. The plan counts them as full copies.
 *
 * Cloud-init data and SSH keys go into one pair of Secrets shared by every
 * VM (`<name>-cloud-init`, `<name>-ssh-keys`). Every VM (and the pool)
 * carries the label `kubevirt.cdk8s.io/fleet: <name>`, and so does every
 * VM's template, so that the VM instances and their virt-launcher pods
 * carry it too: select it in `topologySpreadConstraints` and pod
 * (anti-)affinity to spread the fleet.
 */
export class SmartCloneFleet extends Construct {
  /** Name of the fleet. */
  public readonly name: string;
  /** Namespace of the VMs. */
  public readonly namespace: string;
  /** Number of VMs. */
  public readonly replicas: number;
  /**
   * The golden image the VMs clone.
   * @default - the fleet uses `source`
   */
  public readonly image?: IGoldenImage;
  /**
   * How the disks are cloned from the image.
   * @default - no image (a `source` fleet)
   */
  public readonly strategy?: CloneStrategy;
  /**
   * Size of each VM's disk as asked for: the image's size unless `diskSize`
   * is given; 0 for a snapshot or PVC `source` without `diskSize`, whose
   * size CDI takes from the source.
   */
  public readonly diskSize: Size;
  /**
   * Always undefined: a fleet in another namespace restores the image's
   * snapshot directly (CDI clones snapshots across namespaces), so it makes
   * no copy of its own. Kept for compatibility.
   * @default - none
   */
  public readonly imageCopy?: IDataVolume;
  /**
   * Always undefined, like `imageCopy`. Kept for compatibility.
   * @default - none
   */
  public readonly imageCopySnapshot?: IVolumeSnapshot;

  private readonly builder: VmSpecBuilder;
  private readonly secrets: VmSecrets;
  private readonly bootDisk: BootDisk;
  private readonly names: string[];
  private readonly objects: ApiObject[] = [];
  private readonly isolated: boolean;
  private readonly isPool: boolean;
  private readonly storagePlan: FleetPlan;
  private planned?: PlannedAddresses;

  constructor(scope: Construct, id: string, props: SmartCloneFleetProps) {
    super(scope, id);
    ensureUniqueObjectNames(this);
    checkShape(this, 'props', props, {
      name: Shape.optString,
      namespace: Shape.optString,
      image: Shape.optRef('IGoldenImage', ['name', 'namespace', 'size', 'dataVolume', 'sourceKind'], 'pass a GoldenImage construct'),
      source: Shape.optInstance(DataVolumeSource, 'DataVolumeSource.http(url) or another DataVolumeSource factory'),
      replicas: Shape.number,
      strategy: Shape.optEnum(CloneStrategy, 'CloneStrategy'),
      storageClass: Shape.optString,
      diskSize: Shape.optSize,
      accessModes: Shape.optArray(Shape.enum(PersistentVolumeAccessMode, 'PersistentVolumeAccessMode')),
      networks: Shape.optArray(Shape.optObject),
      isolatedNetwork: Shape.optRef('INetworkAttachmentDefinition', ['name', 'namespace', 'networkName'], 'pass a NetworkAttachmentDefinition construct, or NetworkAttachmentDefinition.fromNetworkName()'),
      pool: Shape.optBoolean,
      allowPerVmImport: Shape.optBoolean,
    });
    if (props.image !== undefined) requireGoldenImage(this, 'image', props.image);
    const name = props.name ?? id;
    requireDns1123Label(this, 'name', name, DNS1123_LABEL_MAX);
    const namespace = resolveNamespace(this, props.namespace, MissingNamespace.of('fleet'));
    requireIntegerBetween(this, 'replicas', props.replicas, 1, INT32_MAX, 'int32');
    const lastName = `${name}-${props.replicas - 1}`;
    if (lastName.length > DNS1123_LABEL_MAX) {
      throw propError(this, 'name', name, `gives VM names of up to ${lastName.length} characters ('${lastName}'), over the ${DNS1123_LABEL_MAX} a VM name may have`,
        `shorten the name to at most ${DNS1123_LABEL_MAX - 1 - String(props.replicas - 1).length} characters`);
    }
    if (props.image && props.source) {
      throw propError(this, 'source', props.source.kind, 'cannot be combined with \'image\'', 'set either \'image\' or \'source\'');
    }
    if (!props.image && !props.source) {
      throw propError(this, 'image', undefined, 'is required (or \'source\')', 'pass a GoldenImage as \'image\'');
    }
    const userFleetLabel = (props.labels ?? {})[FLEET_LABEL];
    if (userFleetLabel !== undefined && userFleetLabel !== name) {
      throw propError(this, `labels.${FLEET_LABEL}`, userFleetLabel, `is set by the fleet to its name '${name}'`, `remove the '${FLEET_LABEL}' label`);
    }

    this.name = name;
    this.namespace = namespace;
    this.replicas = props.replicas;
    this.names = Array.from({ length: props.replicas }, (_, i) => `${name}-${i}`);

    const prepared = props.image ? this.prepareImage(props.image, props) : this.prepareSource(props.source!, props);
    this.image = props.image;
    this.strategy = prepared.strategy;
    this.diskSize = prepared.diskSize;
    this.bootDisk = prepared.bootDisk;
    this.imageCopy = prepared.copy;
    this.imageCopySnapshot = prepared.copySnapshot;
    this.bootDisk._validate(this, props.image ? 'image' : 'source');
    this.isPool = props.pool === true;

    const networks = props.isolatedNetwork
      ? [{ name: 'default', network: Network._isolated(props.isolatedNetwork, 'isolatedNetwork'), binding: InterfaceBinding.bridge() }, ...(props.networks ?? [])]
      : props.networks;
    this.builder = new VmSpecBuilder(this, props, networks);
    // after the builder, which has checked the shapes of these props
    if (props.hostname !== undefined) {
      const dns = props.subdomain !== undefined ? `, and '${props.hostname}.${props.subdomain}' would resolve to all of them` : '';
      throw propError(this, 'hostname', props.hostname,
        `would give every VM of the fleet the same host name (pod hostname, cloud-init local-hostname and the vm.kubevirt.io/name label)${dns}`,
        `drop hostname: each VM's host name is then its own name ('${name}-0', '${name}-1'...)`
        + (props.subdomain !== undefined ? `, reachable as '${name}-0.${props.subdomain}'` : ''));
    }
    const hostKeys = props.cloudInit?._hostNameKeys() ?? [];
    if (hostKeys.length > 0) {
      throw propError(this, `cloudInit.extraConfig.${hostKeys[0]}`, props.cloudInit!._hostNameKeys().join(', '),
        'would give every VM of the fleet the same host name (the fleet\'s VMs share one cloud-init Secret)',
        `drop ${hostKeys.join(' and ')} from extraConfig: cloud-init then names each VM after itself ('${name}-0', '${name}-1'...)`);
    }
    // KubeVirt builds each VMI's labels from the template's only, and the
    // launcher pod takes the VMI's: without this, selectors on the fleet
    // label (spread, affinity, Services, policies) would match no pod.
    this.builder.addTemplateLabel(FLEET_LABEL, name);
    checkReferenceNamespaces(this, props, namespace);
    this.isolated = props.isolatedNetwork !== undefined;
    if (props.isolatedNetwork) this.builder.autoattachPodInterface = false;
    for (const d of checkFleetDiskList(this, props.disks)) {
      this.builder.addDisk(d.name, d.disk, d, vmDisk => checkFleetDisk(this, vmDisk, lastName, props));
    }
    const dataDisks = this.builder.disks;
    for (const d of dataDisks) d.source.prepareFleet?.(namespace);
    this.storagePlan = dataDisks.length === 0 ? prepared.plan : {
      ...this.makePlan(props.image, fleetDiskFigures(prepared.plan, dataDisks, props.replicas, props.image)),
      dataDisks: dataDisks.map(d => dataDiskPlan(d, props.replicas)),
    };
    this.secrets = createVmSecrets(this, name, namespace, props);

    const labels = { ...(props.labels ?? {}), [FLEET_LABEL]: name };
    const annotations = props.annotations && Object.keys(props.annotations).length > 0 ? props.annotations : undefined;
    if (props.pool) {
      this.objects.push(new ApiObject(this, 'Resource', {
        apiVersion: 'pool.kubevirt.io/v1beta1',
        kind: 'VirtualMachinePool',
        metadata: { name, namespace, labels, ...(annotations && { annotations }) },
        spec: Lazy.any({ produce: () => this._toPool(labels, annotations) }),
      }));
    } else {
      for (const vmName of this.names) {
        this.objects.push(new ApiObject(this, vmName, {
          apiVersion: 'kubevirt.io/v1',
          kind: 'VirtualMachine',
          metadata: { name: vmName, namespace, labels, ...(annotations && { annotations }) },
          spec: Lazy.any({
            produce: () => {
              const spec = this.builder.render({ name: vmName, namespace, bootDisk: this.bootDisk, secrets: this.secrets });
              return this.planned ? this.planned.patch(vmName, spec) : spec;
            },
          }),
        }));
      }
    }
    // The VMs clone once their source exists. Inside one chart the source
    // already comes first (it is created before the fleet); one dependency
    // is enough to order charts when the image lives in another one. A
    // dependency per VM would give the same output at twice the synth time.
    const dependsOn = prepared.dependsOn;
    if (dependsOn && this.objects.length > 0) {
      this.objects[0].node.addDependency(dependsOn);
    }
    // likewise once per golden image a data disk clones
    for (const d of dataDisks) {
      const dataImage = d.source.plan?.image;
      if (dataImage && this.objects.length > 0) this.objects[0].node.addDependency(dataImage.snapshot ?? dataImage.dataVolume);
    }
    const bootSource = this.bootDisk._source;
    registerOwnedObjects(this.objects[0], () => (props.pool
      ? ownedDataVolumeNames(name, bootSource, dataDisks).flatMap(dv => this.names.map((_, i) => `${dv}-${i}`))
      : this.names.flatMap(vm => ownedDataVolumeNames(vm, bootSource, dataDisks)))
      .map(dv => ({ apiGroup: 'cdi.kubevirt.io', kind: 'DataVolume', name: dv })));
    this.node.addValidation({ validate: () => diskGateProblems(this, this.builder.disks) });
    this.node.addValidation({
      validate: () => [
        ...spreadSelectorProblems(props.topologySpreadConstraints, this._workloadFacts().vms,
          `select the fleet label '${FLEET_LABEL}: ${name}', which every VM's pod carries`),
        ...affinitySelectorProblems(props.affinity, labels, this._workloadFacts().vms[0].podLabels),
      ],
    });
    reportWarnings(this, () => {
      // a fleet's VMs share one template: an interface counts as planned when every VM has it planned
      const planned = this._plannedAddresses();
      const names = new Set(planned.map(a => a.interfaceName));
      const everyVm = new Set([...names].filter(n => this.names.every(vm => planned.some(a => a.vmName === vm && a.interfaceName === n))));
      return migratingWhereaboutsWarnings(this, props.evictionStrategy, this.builder.interfaces, everyVm);
    });

    // every VM has the same disk: one check covers the fleet; the disks' access modes are the prop to change
    this.node.addValidation({
      validate: () => {
        const eviction = effectiveEvictionStrategy(this, props.evictionStrategy);
        return volumeMigrationProblems(eviction.strategy as EvictionStrategy | undefined, [{
          prop: 'accessModes',
          description: this.bootDisk._description,
          binding: bindBootDisk({ name: this.names[0], namespace, bootDisk: this.bootDisk }),
        }, ...dataDisks.map(d => ({
          prop: diskProp(d), description: d.source.description, binding: bindDisk(d, { name: this.names[0], namespace }),
        }))], eviction.inheritedFrom);
      },
    });
  }

  /**
   * The fleet's plan: what it costs in storage operations and, once an
   * `AddressPlan` has assigned them, the VMs' planned addresses.
   */
  public get plan(): FleetPlan {
    const planned = this._plannedAddresses();
    if (planned.length === 0) return this.storagePlan;
    const addresses = planned.map(p => ({
      vmName: p.vmName,
      interfaceName: p.interfaceName,
      network: p.network,
      address: p.address,
      ...(p.ipv6Address !== undefined ? { ipv6Address: p.ipv6Address } : {}),
      macAddress: p.macAddress,
    }));
    return { ...this.storagePlan, addresses, summary: `${this.storagePlan.summary}; ${addresses.length} planned address${addresses.length === 1 ? '' : 'es'}` };
  }

  /** Names of the VMs, in index order (a copy). */
  public get vmNames(): string[] {
    return [...this.names];
  }

  /**
   * Puts the fleet's VMs behind one Service on the pod network (ClusterIP,
   * NodePort or LoadBalancer), as `virtctl expose` does for a set of VMs:
   * the Service selects the label `kubevirt.cdk8s.io/fleet: <name>` that
   * every VM's pod carries. Refused for an isolated fleet or one without an
   * interface on the pod network.
   * @param options the ports, the Service type and name
   */
  public expose(options: VirtualMachineExposeOptions): VirtualMachineService {
    const fix = this.isolated
      ? 'an isolated fleet has no pod network; reach its VMs on their Multus network instead and guard that network with a MultiNetworkPolicy'
      : 'add the pod network (Network.pod()) to the fleet\'s networks, or reach the VMs on their Multus network';
    return VirtualMachineService._expose(this, this._workloadFacts(), () => this._selectPods(), this.name, options, fix);
  }

  /** @internal */
  public _workloadFacts(): WorkloadFacts {
    const interfaces = this.builder.interfaces;
    const templateLabels = this.builder.templateLabels;
    return {
      namespace: this.namespace,
      vms: this.names.map(name => ({ name, podLabels: { ...templateLabels, ...kubevirtPodLabels(name, this.builder.options.hostname) } })),
      networkNames: interfaces.filter(i => i.network.networkAttachmentDefinition).map(i => i.network.networkAttachmentDefinition!.networkName),
      hasPodNetwork: interfaces.some(i => i.network.networkAttachmentDefinition === undefined),
      isolated: this.isolated,
      ...interfaceFacts(interfaces, this.builder.options.cloudInit),
      pool: this.isPool,
    };
  }

  /**
   * Gives one VM's interface a planned address and MAC (from an AddressPlan).
   * @internal
   */
  public _planAddress(vmName: string, planned: PlannedInterface): void {
    if (!this.planned) {
      this.planned = new PlannedAddresses(this, this.namespace, () => this.builder.interfaces,
        () => this.builder.options.cloudInit?._configDrive === true);
    }
    this.planned.add(vmName, planned);
  }

  /**
   * The planned interfaces of the fleet's VMs.
   * @internal
   */
  public _plannedAddresses(): Array<PlannedInterface & { vmName: string }> {
    return this.planned ? this.planned.all() : [];
  }

  /** @internal */
  public _selectPods(): { [key: string]: string } {
    return { [FLEET_LABEL]: this.name };
  }

  /** The VirtualMachine objects, or the one VirtualMachinePool (a copy). */
  public get apiObjects(): ApiObject[] {
    return [...this.objects];
  }

  /**
   * Renders the VirtualMachinePool spec.
   * @internal
   */
  public _toPool(labels: { [key: string]: string }, annotations?: { [key: string]: string }): any {
    return {
      replicas: this.replicas,
      selector: { matchLabels: { [FLEET_LABEL]: this.name } },
      virtualMachineTemplate: {
        metadata: { labels, ...(annotations && { annotations }) },
        spec: this.builder.render({ name: this.name, namespace: this.namespace, bootDisk: this.bootDisk, secrets: this.secrets }),
      },
    };
  }

  private prepareImage(image: IGoldenImage, props: SmartCloneFleetProps) {
    const strategy = props.strategy ?? CloneStrategy.SNAPSHOT;
    if (!Object.values(CloneStrategy).includes(strategy)) {
      throw propError(this, 'strategy', strategy, 'must be a CloneStrategy', 'use CloneStrategy.SNAPSHOT or HOST_ASSISTED');
    }
    if (strategy === CloneStrategy.SNAPSHOT && !image.snapshot) {
      throw propError(this, 'strategy', strategy, `needs a golden image with a snapshot class, and '${image.namespace}/${image.name}' has none`,
        'give the GoldenImage a snapshotClass, or use CloneStrategy.HOST_ASSISTED (a full copy per VM)');
    }
    if (strategy === CloneStrategy.SNAPSHOT && props.storageClass !== undefined && props.storageClass !== image.storageClass) {
      const imageClass = image.storageClass === undefined ? 'the cluster default' : `'${image.storageClass}'`;
      throw propError(this, 'storageClass', props.storageClass,
        `differs from the golden image's storage class (${imageClass}), so CDI would silently fall back to a full copy per VM`,
        image.storageClass === undefined ? 'remove \'storageClass\', or give the image the same storage class'
          : `remove 'storageClass' or set it to '${image.storageClass}'`);
    }
    const diskSize = props.diskSize ?? image.size;
    const sizing = imageCloneSizing(image, strategy === CloneStrategy.SNAPSHOT, props.diskSize, props.accessModes);
    if (sizing.problem) {
      throw propError(this, 'diskSize', describeSize(diskSize), sizing.problem.problem, sizing.problem.fix.replace(/'size'/g, '\'diskSize\''));
    }

    // CDI restores a snapshot across namespaces itself (through a temporary
    // claim in the image's namespace), with the image's clone grant
    if (image.namespace !== this.namespace) image.grantClone({ namespace: this.namespace });
    const source = strategy === CloneStrategy.SNAPSHOT
      ? DataVolumeSource.snapshot(image.snapshot!.namespace, image.snapshot!.name)
      : DataVolumeSource.pvc(image.namespace, image.dataVolume.name);

    const bootDisk = BootDisk._fromSource(dataVolumeTemplateSource(
      `clone of golden image '${image.namespace}/${image.name}'`,
      imageCloneProps(image, source, sizing.size, props.accessModes, props.storageClass),
    ));

    const imageBytes = Number(sizeToBytes(image.size) ?? 0n);
    // an import cron imports the newest digest into a DataVolume of its own, next to the image's
    const imports = goldenImageImports(image);
    const perVmCopies = strategy === CloneStrategy.HOST_ASSISTED ? props.replicas : 0;
    const plan = this.makePlan(image, {
      imports,
      fullCopies: perVmCopies,
      snapshots: image.snapshot ? 1 : 0,
      copyOnWriteClones: strategy === CloneStrategy.SNAPSHOT ? props.replicas : 0,
      bytesDownloaded: imports * imageBytes,
      bytesCopied: perVmCopies * imageBytes,
      ...(strategy === CloneStrategy.SNAPSHOT && sizing.conditions.length > 0 && { conditions: sizing.conditions }),
    });
    const dependsOn = strategy === CloneStrategy.SNAPSHOT ? image.snapshot : image.dataVolume;
    return { strategy, diskSize, bootDisk, plan, copy: undefined, copySnapshot: undefined, dependsOn };
  }

  private prepareSource(source: DataVolumeSource, props: SmartCloneFleetProps) {
    if (props.strategy !== undefined) {
      throw propError(this, 'strategy', props.strategy, 'only applies to an \'image\'; with a \'source\' its kind decides',
        'remove \'strategy\', or use a GoldenImage as \'image\'');
    }
    if (source.kind === DataVolumeSourceKind.UPLOAD || source.kind === DataVolumeSourceKind.BLANK) {
      throw propError(this, 'source', source.kind, 'cannot fill the disks of a fleet (an upload would be needed per VM, a blank disk has nothing to boot)',
        'import the image once into a GoldenImage and pass it as \'image\'');
    }
    const isUrlImport = URL_IMPORTS.has(source.kind);
    if (isUrlImport && props.allowPerVmImport !== true) {
      throw propError(this, 'source', source.url ?? source.kind,
        `would make each of the ${props.replicas} VMs download the image on its own`,
        'import it once with a GoldenImage and pass that as \'image\' (one import, then clones), or set allowPerVmImport: true');
    }
    // CDI sizes a clone from its source (a snapshot's restore size, a PVC's size) when no size is asked for
    const isClone = source.kind === DataVolumeSourceKind.SNAPSHOT || source.kind === DataVolumeSourceKind.PVC;
    if (props.diskSize === undefined && !isClone) {
      throw propError(this, 'diskSize', undefined, `is required with a '${source.kind}' source, the fleet cannot tell the size of its data`,
        'set \'diskSize\' to at least the size of the source, e.g. Size.gibibytes(10)');
    }
    const diskBytes = props.diskSize === undefined ? 0n : sizeToBytes(props.diskSize);
    if (props.diskSize !== undefined && (diskBytes === undefined || diskBytes <= 0n)) {
      throw propError(this, 'diskSize', describeSize(props.diskSize), 'must be a whole number of bytes greater than zero', 'use a size such as Size.gibibytes(10)');
    }
    const bootDisk = BootDisk._fromSource(dataVolumeTemplateSource(`${source.kind} source`, {
      source,
      size: props.diskSize,
      storageClass: props.storageClass,
      accessModes: props.accessModes,
    }));
    const bytes = Number(diskBytes ?? 0n);
    const n = props.replicas;
    const plan = this.makePlan(undefined, {
      imports: isUrlImport ? n : 0,
      fullCopies: source.kind === DataVolumeSourceKind.PVC ? n : 0,
      snapshots: 0,
      copyOnWriteClones: source.kind === DataVolumeSourceKind.SNAPSHOT ? n : 0,
      bytesDownloaded: isUrlImport ? n * bytes : 0,
      bytesCopied: source.kind === DataVolumeSourceKind.PVC ? n * bytes : 0,
    });
    // without a size the attribute reports 0 bytes: CDI takes the source's size
    const diskSize = props.diskSize ?? Size.kibibytes(0);
    return { strategy: undefined, diskSize, bootDisk, plan, copy: undefined, copySnapshot: undefined, dependsOn: undefined };
  }

  private makePlan(image: IGoldenImage | undefined, figures: Omit<FleetPlan, 'vms' | 'summary'>): FleetPlan {
    const vms = this.replicas;
    const from = image ? `golden image ${image.namespace}/${image.name}` : 'its source';
    const summary = `${this.name}: ${plural(vms, 'VM')} from ${from}: ${plural(figures.imports, 'import')}, `
      + `${plural(figures.fullCopies, 'full copy', 'full copies')}, ${plural(figures.snapshots, 'snapshot')}, `
      + `${plural(figures.copyOnWriteClones, 'copy-on-write clone')}; `
      + `${bytesToQuantity(BigInt(figures.bytesDownloaded))} imported, ${bytesToQuantity(BigInt(figures.bytesCopied))} copied`
      + (figures.conditions && figures.conditions.length > 0 ? `; copy-on-write if ${figures.conditions.join(', and if ')}` : '');
    return { vms, ...figures, summary };
  }
}
