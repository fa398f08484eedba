import { ApiObject, Lazy, Size } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { requireFleetDisk, requireFleetDiskList } from './fleet-disks';
import { SmartCloneFleetProps } from './fleet-options';
import { FleetPlan } from './fleet-plan';
import { prepareImage, prepareSource, withAddresses, withDataDisks } from './fleet-planner';
import { PoolMaxUnavailable, PoolScaleInStrategy, PoolUpdateStrategy } from './pool-options';
import { renderAutohealing } from './pool-render';
import { FLEET_LABEL } from '../../private/labels';
import { MissingNamespace, resolveNamespace } from '../../private/namespace';
import { ensureUniqueObjectNames, registerOwnedObjects } from '../../private/unique-object-names';
import { reportWarnings } from '../../private/warnings';
import { IDataVolume } from '../../storage/data-volume-options';
import { DataVolumeSource } from '../../storage/data-volume-source';
import { IGoldenImage } from '../../storage/golden-image-options';
import { requireGoldenImage } from '../../storage/private/references';
import { IVolumeSnapshot } from '../../storage/volume-snapshot';
import { requireShape, DNS1123_LABEL_MAX, INT32_MAX, propError, requireDns1123Label, requireIntegerBetween, Shape } from '../../validation';
import { BootDisk, CloneStrategy } from '../disks/boot-disk';
import { ownedDataVolumeNames } from '../disks/disk-rules';
import { VirtualMachineExposeOptions, VirtualMachineService } from '../vm/expose';
import { WorkloadFacts } from '../vm/launcher-pods';
import { InterfaceBinding, Network } from '../vm/network';
import { VmSpecBuilder } from '../vm/render/vm-template';
import { requireReferenceNamespaces, diskGateProblems, migratingWhereaboutsWarnings } from '../vm/rules';
import { PlannedInterface } from '../vm/secrets/network-data';
import { createVmSecrets, VmSecrets } from '../vm/secrets/vm-secrets';

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
  private readonly poolOptions: any;

  constructor(scope: Construct, id: string, props: SmartCloneFleetProps) {
    super(scope, id);
    ensureUniqueObjectNames(this);
    requireShape(this, 'props', props, {
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
      poolUpdateStrategy: Shape.optInstance(PoolUpdateStrategy, 'PoolUpdateStrategy.proactive() or another PoolUpdateStrategy factory'),
      poolScaleInStrategy: Shape.optInstance(PoolScaleInStrategy, 'PoolScaleInStrategy.proactive() or another PoolScaleInStrategy factory'),
      poolAutohealing: Shape.optObject,
      poolMaxUnavailable: Shape.optInstance(PoolMaxUnavailable, 'PoolMaxUnavailable.count(n) or PoolMaxUnavailable.percent(p)'),
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
    if (props.firmwareUuid !== undefined) {
      throw propError(this, 'firmwareUuid', String(props.firmwareUuid), 'would be the firmware UUID of every VM of the fleet, and a firmware UUID must identify one machine',
        'drop firmwareUuid: each VM of the fleet gets its own UUID, derived from its namespace and name (a VirtualMachinePool\'s VMs get theirs from KubeVirt)');
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

    const prepared = props.image ? prepareImage(this, props.image, props) : prepareSource(this, props.source!, props);
    this.image = props.image;
    this.strategy = prepared.strategy;
    this.diskSize = prepared.diskSize;
    this.bootDisk = prepared.bootDisk;
    this.imageCopy = prepared.copy;
    this.imageCopySnapshot = prepared.copySnapshot;
    this.bootDisk._validate(this, props.image ? 'image' : 'source');
    this.isPool = props.pool === true;
    this.poolOptions = renderPoolOptions(this, props);

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
    requireReferenceNamespaces(this, props, namespace);
    this.isolated = props.isolatedNetwork !== undefined;
    if (props.isolatedNetwork) this.builder.autoattachPodInterface = false;
    for (const d of requireFleetDiskList(this, props.disks)) {
      this.builder.addDisk(d.name, d.disk, d, vmDisk => requireFleetDisk(this, vmDisk, lastName, props));
    }
    const dataDisks = this.builder.disks;
    for (const d of dataDisks) d.source.prepareFleet?.(namespace);
    this.storagePlan = withDataDisks(this, prepared.plan, props.image, dataDisks);
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
          spec: Lazy.any({ produce: () => this.builder.renderVm({ name: vmName, namespace, bootDisk: this.bootDisk, secrets: this.secrets }) }),
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
      validate: () => this.builder.podSelectorProblems(this._workloadFacts(), labels,
        `select the fleet label '${FLEET_LABEL}: ${name}', which every VM's pod carries`),
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
      validate: () => this.builder.migrationProblems({ name: this.names[0], namespace, bootDisk: this.bootDisk }, 'accessModes'),
    });
  }

  /**
   * The fleet's plan: what it costs in storage operations and, once an
   * `AddressPlan` has assigned them, the VMs' planned addresses.
   */
  public get plan(): FleetPlan {
    return withAddresses(this.storagePlan, this._plannedAddresses());
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
    return this.builder.workloadFacts(this.namespace, this.names, this.isolated, this.isPool);
  }

  /**
   * Gives one VM's interface a planned address and MAC (from an AddressPlan).
   * @internal
   */
  public _planAddress(vmName: string, planned: PlannedInterface): void {
    this.builder.planAddress(this.namespace, vmName, planned);
  }

  /**
   * The planned interfaces of the fleet's VMs.
   * @internal
   */
  public _plannedAddresses(): Array<PlannedInterface & { vmName: string }> {
    return this.builder.plannedAddresses();
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
      ...this.poolOptions,
    };
  }
}

const POOL_OPTIONS = ['poolUpdateStrategy', 'poolScaleInStrategy', 'poolAutohealing', 'poolMaxUnavailable'] as const;

/**
 * The pool options of `props`, rendered as VirtualMachinePool spec fields
 * (only those set, so a pool without them renders as before).
 */
function renderPoolOptions(scope: Construct, props: SmartCloneFleetProps): any {
  if (props.pool !== true) {
    const set = POOL_OPTIONS.find(o => props[o] !== undefined);
    if (set !== undefined) {
      throw propError(scope, set, props[set], 'only applies to a VirtualMachinePool', `set 'pool: true', or drop '${set}'`);
    }
    return {};
  }
  const out: any = {};
  if (props.poolMaxUnavailable !== undefined) {
    const update = props.poolUpdateStrategy?.kind;
    // pool.go:1153: only the proactive update reads maxUnavailable
    if (update !== undefined && update !== 'proactive') {
      throw propError(scope, 'poolMaxUnavailable', props.poolMaxUnavailable._render(scope, 'poolMaxUnavailable'),
        `is never read with the ${update} update strategy: only a proactive update restarts VMs a few at a time`,
        'drop poolMaxUnavailable, or use PoolUpdateStrategy.proactive()');
    }
    out.maxUnavailable = props.poolMaxUnavailable._render(scope, 'poolMaxUnavailable');
  }
  if (props.poolScaleInStrategy !== undefined) out.scaleInStrategy = props.poolScaleInStrategy._render(scope, 'poolScaleInStrategy');
  if (props.poolUpdateStrategy !== undefined) out.updateStrategy = props.poolUpdateStrategy._render(scope, 'poolUpdateStrategy');
  if (props.poolAutohealing !== undefined) out.autohealing = renderAutohealing(scope, 'poolAutohealing', props.poolAutohealing);
  return out;
}
