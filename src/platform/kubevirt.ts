import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { FeatureGate, FeatureGateComponent } from './feature-gate';
import { ImageOverride } from './image-override';
import { ControlPlanePlacement, KubeVirtNetworkBinding, NetworkBindingMigrationMethod } from './kubevirt-options';
import { NodePlacement } from './node-placement';
import { MediatedDevicesConfiguration, PermittedHostDevices } from './permitted-host-devices';
import { PlatformPartProps } from './platform-part-props';
import { EvictionStrategy } from '../compute/vm/eviction-strategy';
import { INetworkAttachmentDefinition } from '../network/network-attachment-definition-ref';
import { PlatformKind, registerPlatformObject } from '../private/platform-config';
import { formatPropError, requireDns1123Label, requireDns1123Subdomain, requireIntegerBetween, Shape, UINT8_MAX } from '../validation';
import { addFeatureGate, addGivenFeatureGate, requireFeatureGates, FEATURE_GATES_RULE } from './private/feature-gates';
import { resolveImage, ResolvedImage } from './private/image';
import { requireMigrations, requireVmSettings, disabledGateWarnings, renderMigrations, renderNetworkBindings } from './private/kubevirt-config';
import { controlPlaneInfraPlacement, installKubeVirtOperator } from './private/kubevirt-operator';
import { requireReplicas, pullPolicy } from './private/objects';
import { requirePartShape, finishPart, OPERATOR_RULES, SHARED } from './private/part';
import {
  optionalMediatedDevicesConfiguration, optionalPermittedHostDevices, renderMediatedDevicesConfiguration, renderPermittedHostDevices,
} from './private/permitted-host-devices';
import { PLACEMENT_RULE, renderPlacement } from './private/placement';
import { DefaultImages, PlatformVersions } from './versions';
import { reportWarnings } from '../private/warnings';

export interface KubeVirtProps extends PlatformPartProps {
  /**
   * Namespace KubeVirt is installed into (created by this construct).
   * @default 'kubevirt'
   */
  readonly namespace?: string;

  /**
   * Where the virt-operator image (and with it the images the operator
   * deploys) comes from.
   * @default - `DefaultImages.VIRT_OPERATOR`
   */
  readonly image?: ImageOverride;

  /**
   * Pull policy of the operator and of the components it deploys.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;

  /**
   * Replicas of the virt-operator Deployment.
   * @default 2
   */
  readonly replicas?: number;

  /**
   * Replicas of each KubeVirt infrastructure component (virt-api,
   * virt-controller); `spec.infra.replicas`, from 1 to 255 (a uint8 field).
   * @default - KubeVirt's default (2)
   */
  readonly infraReplicas?: number;

  /**
   * KubeVirt feature gates to switch on. Gates of CDI are rejected; gates
   * that are GA, deprecated or discontinued in v1.9 are reported as warnings.
   * @default - none
   */
  readonly featureGates?: FeatureGate[];

  /**
   * KubeVirt feature gates to switch off
   * (`developerConfiguration.disabledFeatureGates`). KubeVirt v1.9 switches
   * every Beta gate on unless it is listed here; a GA gate stays on whatever
   * this says, and a gate listed in `featureGates` too is refused (KubeVirt
   * refuses the CR). Listing a gate that is off anyway is reported as a
   * warning. Workload rules of the app read the result with KubeVirt's
   * precedence: GA, then `featureGates`, then this list, then Beta on.
   * @default - none: every Beta gate is on
   */
  readonly disabledFeatureGates?: FeatureGate[];

  /**
   * Cluster-wide eviction strategy of VMs on node drain
   * (`spec.configuration.evictionStrategy`). With `LiveMigrate`, VMs in the
   * same app that cannot migrate (ReadWriteOnce disk, bridge-bound pod
   * network) and set no strategy of their own are refused: KubeVirt would
   * accept them but deny their eviction, blocking node drains.
   * @default - KubeVirt's default (`None`, or `LiveMigrate` where the VM asks)
   */
  readonly evictionStrategy?: EvictionStrategy;

  /**
   * Machine types VMs may ask for on amd64 nodes, as glob patterns
   * (`spec.configuration.architectureConfiguration.amd64.emulatedMachines`).
   * VMs in the same app whose `machineType` matches none are refused.
   * @default - KubeVirt's default, `q35*` and `pc-q35*`
   */
  readonly emulatedMachines?: string[];

  /**
   * Network binding plugins VMs may use with `InterfaceBinding.plugin(name)`
   * (`spec.configuration.network.binding`). VMs in the same app that use an
   * unregistered plugin, or live-migrate with a plugin that declares no
   * migration, are refused.
   * @default - none
   */
  readonly networkBindings?: KubeVirtNetworkBinding[];

  /**
   * How many live migrations may run at once in the cluster.
   * @default - KubeVirt's default (5)
   */
  readonly parallelMigrationsPerCluster?: number;

  /**
   * How many live migrations may leave one node at once.
   * @default - KubeVirt's default (2)
   */
  readonly parallelOutboundMigrationsPerNode?: number;

  /**
   * Bandwidth limit of each migration, per second.
   * @default - unlimited
   */
  readonly bandwidthPerMigration?: Size;

  /**
   * Time a migration may take per GiB of guest memory before it is cancelled
   * (whole seconds).
   * @default - KubeVirt's default (150 seconds)
   */
  readonly completionTimeoutPerGiB?: Duration;

  /**
   * Dedicated network for migration traffic. KubeVirt looks the
   * NetworkAttachmentDefinition up by name in its own namespace, so it must
   * live in `namespace`.
   * @default - migrations use the pod network
   */
  readonly migrationNetwork?: INetworkAttachmentDefinition;

  /**
   * Where virt-operator, virt-api and virt-controller run with respect to
   * control-plane nodes. virt-operator's Deployment carries it; the KubeVirt
   * CR carries it as `spec.infra.nodePlacement` unless `infraPlacement` is
   * given, which then replaces it for virt-api and virt-controller (with no
   * `spec.infra.nodePlacement` at all, KubeVirt v1.9 requires control-plane
   * nodes for them).
   * @default ControlPlanePlacement.PREFER
   */
  readonly controlPlanePlacement?: ControlPlanePlacement;

  /**
   * Where virt-api and virt-controller run (`spec.infra.nodePlacement`).
   * @default - as `controlPlanePlacement` says
   */
  readonly infraPlacement?: NodePlacement;

  /**
   * Where virt-handler, and so VMs, run (`spec.workloads.nodePlacement`).
   * @default - any Linux node
   */
  readonly workloadPlacement?: NodePlacement;

  /**
   * Host devices (PCI devices, vGPUs) VMs may take by resource name
   * (`spec.configuration.permittedHostDevices`). A VM's GPU or host device
   * whose `deviceName` is not listed here never gets scheduled.
   * @default - none
   */
  readonly permittedHostDevices?: PermittedHostDevices;

  /**
   * Mediated device types (vGPUs) KubeVirt creates on the nodes
   * (`spec.configuration.mediatedDevicesConfiguration`).
   * @default - none
   */
  readonly mediatedDevicesConfiguration?: MediatedDevicesConfiguration;

  /**
   * Storage class of the volumes that keep VM state: a persistent TPM or
   * EFI variable store (`spec.configuration.vmStateStorageClass`). KubeVirt
   * asks for ReadWriteMany on it (unless its StorageProfile says
   * otherwise), so such VMs can live-migrate.
   * @default - the class annotated `storageclass.kubevirt.io/is-default-virt-class`,
   * else the cluster's default class (ReadWriteOnce); without either, a VM
   * with persistent state never starts
   */
  readonly vmStateStorageClass?: string;

  /**
   * Whether virt-operator deploys KubeVirt's common instancetypes and
   * preferences (`u1.medium`, `fedora`...) as cluster objects it owns
   * (`spec.configuration.commonInstancetypesDeployment.enabled`). Turn it
   * off to define those names in the app (`CommonInstancetype.defineCluster()`).
   * @default true (KubeVirt's default)
   */
  readonly commonInstancetypesDeployment?: boolean;
}

/**
 * KubeVirt v1.9: its namespace, the `kubevirts.kubevirt.io` CRD, the
 * operator's RBAC and Deployment, and the `KubeVirt` object that tells the
 * operator what to deploy. The operator creates the VirtualMachine and other
 * CRDs and components at runtime.
 *
 * `ApiObject.of(kubevirt)` is the `KubeVirt` object.
 */
export class KubeVirt extends Construct {
  /** Namespace KubeVirt runs in. */
  public readonly namespace: string;
  /** The resolved virt-operator image. */
  public readonly image: string;
  /** The `kubevirt-operator` Deployment. */
  public readonly operatorDeployment: k8s.KubeDeployment;
  /** The `kubevirts.kubevirt.io` CRD. */
  public readonly crd: k8s.KubeCustomResourceDefinition;

  private readonly resource: ApiObject;
  private readonly props: KubeVirtProps;
  private readonly resolved: ResolvedImage;
  private readonly gates: FeatureGate[] = [];
  private readonly disabledGates: FeatureGate[] = [];

  public constructor(scope: Construct, id: string, props: KubeVirtProps = {}) {
    super(scope, id);
    requirePartShape(this, props, {
      ...OPERATOR_RULES,
      infraReplicas: Shape.optNumber,
      featureGates: FEATURE_GATES_RULE,
      disabledFeatureGates: FEATURE_GATES_RULE,
      evictionStrategy: Shape.optEnum(EvictionStrategy, 'EvictionStrategy'),
      parallelMigrationsPerCluster: Shape.optNumber,
      parallelOutboundMigrationsPerNode: Shape.optNumber,
      bandwidthPerMigration: Shape.optSize,
      completionTimeoutPerGiB: Shape.optDuration,
      emulatedMachines: Shape.optArray(Shape.string),
      networkBindings: Shape.optArray(Shape.struct({
        name: Shape.string,
        sidecarImage: Shape.optString,
        networkAttachmentDefinition: Shape.optString,
        domainAttachmentType: Shape.optString,
        migration: Shape.optEnum(NetworkBindingMigrationMethod, 'NetworkBindingMigrationMethod'),
      })),
      migrationNetwork: Shape.optRef('INetworkAttachmentDefinition', ['name', 'namespace', 'networkName'], 'pass a NetworkAttachmentDefinition construct, or NetworkAttachmentDefinition.fromNetworkName()'),
      controlPlanePlacement: Shape.optEnum(ControlPlanePlacement, 'ControlPlanePlacement'),
      infraPlacement: PLACEMENT_RULE,
      workloadPlacement: PLACEMENT_RULE,
      argoCdSyncWaves: SHARED,
      vmStateStorageClass: Shape.optString,
      commonInstancetypesDeployment: Shape.optBoolean,
    });
    this.props = props;
    const ns = props.namespace ?? 'kubevirt';
    requireDns1123Label(this, 'namespace', ns);
    this.namespace = ns;
    this.resolved = resolveImage(this, 'image', DefaultImages.VIRT_OPERATOR, props.image);
    this.image = this.resolved.reference;
    const replicas = requireReplicas(this, 'replicas', props.replicas, 2);
    requireVmSettings(this, props.emulatedMachines, props.networkBindings);
    if (props.infraReplicas !== undefined) requireIntegerBetween(this, 'infraReplicas', props.infraReplicas, 1, UINT8_MAX, 'uint8');
    requireMigrations(this, props, this.namespace);
    for (const g of props.featureGates ?? []) this.addFeatureGate(g);
    if (props.vmStateStorageClass !== undefined) requireDns1123Subdomain(this, 'vmStateStorageClass', props.vmStateStorageClass);
    for (const g of props.disabledFeatureGates ?? []) addFeatureGate(this, 'disabledFeatureGates', this.disabledGates, g, FeatureGateComponent.KUBEVIRT);
    optionalPermittedHostDevices(this, 'permittedHostDevices', props.permittedHostDevices);
    optionalMediatedDevicesConfiguration(this, 'mediatedDevicesConfiguration', props.mediatedDevicesConfiguration);

    const install = installKubeVirtOperator(this, {
      namespace: this.namespace,
      image: this.image,
      version: this.resolved.tag ?? PlatformVersions.KUBEVIRT,
      replicas,
      placement: props.controlPlanePlacement ?? ControlPlanePlacement.PREFER,
      pullPolicy: pullPolicy(props.imagePullPolicy),
    });
    this.crd = install.crd;
    this.operatorDeployment = install.deployment;

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'kubevirt.io/v1',
      kind: 'KubeVirt',
      metadata: { name: 'kubevirt', namespace: this.namespace },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    registerPlatformObject(PlatformKind.KUBEVIRT, this.resource);
    reportWarnings(this, () => requireFeatureGates(this, 'featureGates', this.gates, FeatureGateComponent.KUBEVIRT));
    reportWarnings(this, () => disabledGateWarnings(this.disabledGates));
    // KubeVirt's update admitter refuses a gate in both lists; addFeatureGate may add one after the constructor
    this.node.addValidation({
      validate: () => this.gates.filter(g => this.disabledGates.some(d => d.name === g.name)).map(g => formatPropError('disabledFeatureGates', g.name,
        'is also in featureGates, and KubeVirt refuses a gate in both lists',
        'keep the gate in one list: featureGates to switch it on, disabledFeatureGates to switch a Beta gate off')),
    });
    finishPart(this, props, this.resource);
  }

  /** The feature gates switched off (`disabledFeatureGates`), in the order given. */
  public get disabledFeatureGates(): FeatureGate[] {
    return [...this.disabledGates];
  }

  /** The feature gates switched on, in the order given. */
  public get featureGates(): FeatureGate[] {
    return [...this.gates];
  }

  /**
   * Switches on one more KubeVirt feature gate (set once even if added twice).
   * @param gate the gate
   */
  public addFeatureGate(gate: FeatureGate): void {
    addGivenFeatureGate(this, this.gates, gate, FeatureGateComponent.KUBEVIRT);
  }

  /** @internal */
  public _toKube(): { [key: string]: any } {
    const p = this.props;
    const configuration: { [key: string]: any } = {
      developerConfiguration: {
        featureGates: this.gates.map(g => g.name),
        ...(this.disabledGates.length > 0 ? { disabledFeatureGates: this.disabledGates.map(g => g.name) } : {}),
      },
    };
    if (p.evictionStrategy) configuration.evictionStrategy = p.evictionStrategy;
    if (p.emulatedMachines !== undefined) configuration.architectureConfiguration = { amd64: { emulatedMachines: [...p.emulatedMachines] } };
    const bindings = renderNetworkBindings(p.networkBindings);
    if (bindings) configuration.network = { binding: bindings };
    const migrations = renderMigrations(this, p);
    if (migrations) configuration.migrations = migrations;
    if (p.permittedHostDevices) configuration.permittedHostDevices = renderPermittedHostDevices(p.permittedHostDevices);
    if (p.vmStateStorageClass !== undefined) configuration.vmStateStorageClass = p.vmStateStorageClass;
    if (p.commonInstancetypesDeployment !== undefined) configuration.commonInstancetypesDeployment = { enabled: p.commonInstancetypesDeployment };
    if (p.mediatedDevicesConfiguration) {
      configuration.mediatedDevicesConfiguration = renderMediatedDevicesConfiguration(p.mediatedDevicesConfiguration);
    }

    const spec: { [key: string]: any } = { certificateRotateStrategy: {}, configuration, imagePullPolicy: pullPolicy(p.imagePullPolicy) };
    if (p.image?.registry !== undefined || p.image?.repository !== undefined) spec.imageRegistry = this.resolved.registry;
    if (p.image?.tag !== undefined) spec.imageTag = this.resolved.tag;
    const infra: { [key: string]: any } = {};
    const infraPlacement = renderPlacement(p.infraPlacement) ?? controlPlaneInfraPlacement(p.controlPlanePlacement ?? ControlPlanePlacement.PREFER);
    if (infraPlacement) infra.nodePlacement = infraPlacement;
    if (p.infraReplicas !== undefined) infra.replicas = p.infraReplicas;
    if (Object.keys(infra).length > 0) spec.infra = infra;
    spec.workloadUpdateStrategy = {};
    const workloadPlacement = renderPlacement(p.workloadPlacement);
    if (workloadPlacement) spec.workloads = { nodePlacement: workloadPlacement };
    return spec;
  }
}
