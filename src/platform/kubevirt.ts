import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import { ImagePullPolicy, k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { FeatureGate, FeatureGateComponent, FeatureGateStage } from './feature-gate';
import { ImageOverride } from './image-override';
import { NodePlacement } from './node-placement';
import { MediatedDevicesConfiguration, PermittedHostDevices } from './permitted-host-devices';
import { EvictionStrategy } from '../compute/vm/eviction-strategy';
import { INetworkAttachmentDefinition } from '../network/network-attachment-definition';
import { PlatformKind, registerPlatformObject } from '../private/platform-config';
import { AGE_AND_PHASE, createCrd, INTEGER, INT_OR_STRING, kindSchema, open, STRING, STRING_LIST } from './private/crd';
import { checkFeatureGates } from './private/feature-gates';
import { resolveImage, ResolvedImage } from './private/image';
import { applyWaves, checkNamespace, checkReplicas, namespace, pullPolicy, RESTRICTED_CONTAINER, RESTRICTED_POD, saSubject } from './private/objects';
import {
  checkMediatedDevicesConfiguration, checkPermittedHostDevices, renderMediatedDevicesConfiguration, renderPermittedHostDevices,
} from './private/permitted-host-devices';
import { renderPlacement } from './private/placement';
import { ALL, CRUD, READ, rule, urlRule } from './private/rbac';
import { reportWarnings } from '../private/warnings';
import { DefaultImages, PlatformVersions } from './versions';
import { checkPinnedImage, checkShape, formatPropError, propError, requireDns1123Subdomain, requireIntegerBetween, Shape, UINT32_MAX, UINT8_MAX } from '../validation';

/**
 * Where KubeVirt's control components (virt-operator, and virt-api,
 * virt-controller and the install job that the operator creates) run with
 * respect to the cluster's control-plane nodes.
 */
export enum ControlPlanePlacement {
  /**
   * Prefer control-plane nodes, tolerating their `NoSchedule` taint, and run
   * on any Linux node when none can take the pods, e.g. on managed clusters
   * whose control plane runs no pods.
   */
  PREFER = 'PREFER',
  /**
   * Only on control-plane nodes (labelled `node-role.kubernetes.io/control-plane`
   * or `node-role.kubernetes.io/master`), preferring ones that are not also
   * workers, tolerating both roles' `NoSchedule` taints: KubeVirt v1.9's own
   * placement (pkg/virt-operator/resource/placement/placement.go,
   * RequireControlPlanePreferNonWorker). The pods stay Pending where no
   * control-plane node takes pods.
   */
  REQUIRE = 'REQUIRE',
  /** Any Linux node; control-plane taints are not tolerated. */
  ANY_NODE = 'ANY_NODE',
}

/** How a network binding plugin keeps a VM's interface working across a live migration. */
export enum NetworkBindingMigrationMethod {
  /** The guest's link is refreshed on the target node (`link-refresh`). */
  LINK_REFRESH = 'link-refresh',
}

/**
 * A network binding plugin registered in the KubeVirt CR
 * (`spec.configuration.network.binding.<name>`), which VM interfaces use
 * through `InterfaceBinding.plugin(name)`.
 */
export interface KubeVirtNetworkBinding {
  /** Name VM interfaces refer to the plugin by, e.g. `passt`. */
  readonly name: string;
  /**
   * Image of the sidecar that configures the domain, pinned to a tag or digest.
   * @default - no sidecar
   */
  readonly sidecarImage?: string;
  /**
   * NetworkAttachmentDefinition (`namespace/name`) of the plugin's CNI part.
   * @default - none
   */
  readonly networkAttachmentDefinition?: string;
  /**
   * How the domain is attached (`domainAttachmentType`), e.g. `managedTap`.
   * @default - decided by the sidecar
   */
  readonly domainAttachmentType?: string;
  /**
   * How interfaces of this plugin survive a live migration. Without it, VMs
   * using the plugin cannot live-migrate, which the VMs' rules report when
   * their eviction strategy is LiveMigrate.
   * @default - the plugin declares no migration
   */
  readonly migration?: NetworkBindingMigrationMethod;
}

export interface KubeVirtProps {
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
   * Annotate every object with its Argo CD sync wave (see `SyncWave`).
   * @default false
   */
  readonly argoCdSyncWaves?: boolean;

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

const OPERATOR = 'virt-operator';
const SERVICE_ACCOUNT = 'kubevirt-operator';
const PRIORITY_CLASS = 'kubevirt-cluster-critical';
/** The certificate secrets virt-operator v1.9 rotates (rbac/operator.go, its namespaced Role). */
const CERT_SECRETS = [
  'kubevirt-ca', 'kubevirt-export-ca', 'kubevirt-backup-ca', 'kubevirt-virt-handler-certs', 'kubevirt-virt-handler-server-certs',
  'kubevirt-virt-handler-migration-client-certs', 'kubevirt-virt-handler-vsock-client-certs', 'kubevirt-virt-handler-monitoring-client-certs',
  'kubevirt-operator-certs', 'kubevirt-virt-api-certs', 'kubevirt-controller-certs', 'kubevirt-exportproxy-certs',
  'kubevirt-synchronization-controller-certs', 'kubevirt-synchronization-controller-server-certs',
  'kubevirt-virt-template-api-certs', 'kubevirt-virt-template-webhook-certs', 'kubevirt-virt-template-controller-metrics-certs',
];

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
    checkShape(this, 'props', props, {
      namespace: Shape.optString,
      image: Shape.optImageOverride,
      imagePullPolicy: Shape.optEnum(ImagePullPolicy, 'ImagePullPolicy'),
      replicas: Shape.optNumber,
      infraReplicas: Shape.optNumber,
      featureGates: Shape.optArray(Shape.instance(FeatureGate, 'FeatureGate.fromName(name) or FeatureGate.custom(name, component)')),
      disabledFeatureGates: Shape.optArray(Shape.instance(FeatureGate, 'FeatureGate.fromName(name) or FeatureGate.custom(name, component)')),
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
      infraPlacement: Shape.optStruct({ nodeSelector: Shape.optStringMap, tolerations: Shape.optArray(Shape.optObject) }),
      workloadPlacement: Shape.optStruct({ nodeSelector: Shape.optStringMap, tolerations: Shape.optArray(Shape.optObject) }),
      argoCdSyncWaves: Shape.optBoolean,
      vmStateStorageClass: Shape.optString,
      commonInstancetypesDeployment: Shape.optBoolean,
    });
    this.props = props;
    this.namespace = checkNamespace(this, 'namespace', props.namespace ?? 'kubevirt');
    this.resolved = resolveImage(this, 'image', DefaultImages.VIRT_OPERATOR, props.image);
    this.image = this.resolved.reference;
    const replicas = checkReplicas(this, 'replicas', props.replicas, 2);
    checkVmSettings(this, props);
    if (props.infraReplicas !== undefined) requireIntegerBetween(this, 'infraReplicas', props.infraReplicas, 1, UINT8_MAX, 'uint8');
    if (props.parallelMigrationsPerCluster !== undefined) {
      requireIntegerBetween(this, 'parallelMigrationsPerCluster', props.parallelMigrationsPerCluster, 1, UINT32_MAX, 'uint32');
    }
    if (props.parallelOutboundMigrationsPerNode !== undefined) {
      requireIntegerBetween(this, 'parallelOutboundMigrationsPerNode', props.parallelOutboundMigrationsPerNode, 1, UINT32_MAX, 'uint32');
    }
    if (props.bandwidthPerMigration !== undefined) quantity(this, 'bandwidthPerMigration', props.bandwidthPerMigration);
    if (props.completionTimeoutPerGiB !== undefined) seconds(this, 'completionTimeoutPerGiB', props.completionTimeoutPerGiB);
    if (props.migrationNetwork && props.migrationNetwork.namespace !== this.namespace) {
      throw propError(this, 'migrationNetwork', props.migrationNetwork.networkName,
        `must be in the KubeVirt namespace '${this.namespace}', which is where KubeVirt looks the migration network up`,
        `create the NetworkAttachmentDefinition in namespace '${this.namespace}'`);
    }
    for (const g of props.featureGates ?? []) this.addFeatureGate(g);
    if (props.vmStateStorageClass !== undefined) requireDns1123Subdomain(this, 'vmStateStorageClass', props.vmStateStorageClass);
    for (const g of props.disabledFeatureGates ?? []) {
      checkFeatureGates(this, 'disabledFeatureGates', [g], FeatureGateComponent.KUBEVIRT);
      if (!this.disabledGates.some(d => d.name === g.name)) this.disabledGates.push(g);
    }
    checkPermittedHostDevices(this, 'permittedHostDevices', props.permittedHostDevices);
    checkMediatedDevicesConfiguration(this, 'mediatedDevicesConfiguration', props.mediatedDevicesConfiguration);

    const ns = this.namespace;
    namespace(this, 'Namespace', ns, 'privileged', { 'kubevirt.io': '' });
    this.crd = createCrd(this, 'Crd', {
      group: 'kubevirt.io',
      plural: 'kubevirts',
      singular: 'kubevirt',
      kind: 'KubeVirt',
      shortNames: ['kv', 'kvs'],
      categories: ['all'],
      scope: 'Namespaced',
      labels: { 'operator.kubevirt.io': '' },
      versions: ['v1', 'v1alpha3'].map(v => ({
        name: v, served: true, storage: v === 'v1', statusSubresource: true, schema: KUBEVIRT_SCHEMA, printerColumns: AGE_AND_PHASE,
      })),
    });
    new k8s.KubePriorityClass(this, 'PriorityClass', {
      metadata: { name: PRIORITY_CLASS },
      value: 1000000000,
      globalDefault: false,
      description: 'Priority of the KubeVirt control plane and node agents, so they are not evicted before the VMs they manage.',
    });
    new k8s.KubeClusterRole(this, 'AdminAggregatedRole', {
      metadata: {
        // the upstream name: RBAC object names may contain ':'
        name: 'kubevirt.io:operator',
        labels: { 'kubevirt.io': '', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' },
      },
      rules: [rule(['kubevirt.io'], ['kubevirts'], ALL)],
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: SERVICE_ACCOUNT, namespace: ns, labels: { 'kubevirt.io': '' } },
    });
    new k8s.KubeRole(this, 'Role', {
      metadata: { name: SERVICE_ACCOUNT, namespace: ns, labels: { 'kubevirt.io': '' } },
      rules: [
        rule([''], ['configmaps'], ['create', 'get', 'list', 'watch', 'patch', 'delete']),
        rule([''], ['secrets'], ['create']),
        rule([''], ['secrets'], ['get', 'list', 'watch', 'patch', 'delete'], CERT_SECRETS),
        rule([''], ['secrets'], READ),
        rule(['route.openshift.io'], ['routes'], ['create', 'get', 'list', 'watch', 'patch', 'delete']),
        rule(['route.openshift.io'], ['routes/custom-host'], ['create']),
        rule(['coordination.k8s.io'], ['leases'], CRUD),
        rule(['networking.k8s.io'], ['ingresses'], READ),
      ],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name: 'kubevirt-operator-rolebinding', namespace: ns, labels: { 'kubevirt.io': '' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: SERVICE_ACCOUNT },
      subjects: [saSubject(SERVICE_ACCOUNT, ns)],
    });
    new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name: SERVICE_ACCOUNT, labels: { 'kubevirt.io': '' } },
      rules: OPERATOR_CLUSTER_RULES,
    });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: SERVICE_ACCOUNT, labels: { 'kubevirt.io': '' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: SERVICE_ACCOUNT },
      subjects: [saSubject(SERVICE_ACCOUNT, ns)],
    });
    this.operatorDeployment = this.createOperator(replicas);

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'kubevirt.io/v1',
      kind: 'KubeVirt',
      metadata: { name: 'kubevirt', namespace: ns },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    registerPlatformObject(PlatformKind.KUBEVIRT, this.resource);
    reportWarnings(this, () => checkFeatureGates(this, 'featureGates', this.gates, FeatureGateComponent.KUBEVIRT));
    reportWarnings(this, () => disabledGateWarnings(this.disabledGates));
    // KubeVirt's update admitter refuses a gate in both lists; addFeatureGate may add one after the constructor
    this.node.addValidation({
      validate: () => this.gates.filter(g => this.disabledGates.some(d => d.name === g.name)).map(g => formatPropError('disabledFeatureGates', g.name,
        'is also in featureGates, and KubeVirt refuses a gate in both lists',
        'keep the gate in one list: featureGates to switch it on, disabledFeatureGates to switch a Beta gate off')),
    });
    if (props.argoCdSyncWaves) applyWaves(this, this.resource);
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
    Shape.instance(FeatureGate, 'a FeatureGate constant, FeatureGate.fromName() or FeatureGate.custom()')(this, 'gate', gate);
    checkFeatureGates(this, 'featureGates', [gate], FeatureGateComponent.KUBEVIRT);
    if (!this.gates.some(g => g.name === gate.name)) this.gates.push(gate);
  }

  /** @internal */
  public _toKube(): { [key: string]: any } {
    const p = this.props;
    const migrations: { [key: string]: any } = {};
    if (p.bandwidthPerMigration) migrations.bandwidthPerMigration = quantity(this, 'bandwidthPerMigration', p.bandwidthPerMigration);
    if (p.completionTimeoutPerGiB) migrations.completionTimeoutPerGiB = seconds(this, 'completionTimeoutPerGiB', p.completionTimeoutPerGiB);
    if (p.migrationNetwork) migrations.network = p.migrationNetwork.name;
    if (p.parallelMigrationsPerCluster !== undefined) migrations.parallelMigrationsPerCluster = p.parallelMigrationsPerCluster;
    if (p.parallelOutboundMigrationsPerNode !== undefined) migrations.parallelOutboundMigrationsPerNode = p.parallelOutboundMigrationsPerNode;

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
    if (Object.keys(migrations).length > 0) configuration.migrations = migrations;
    if (p.permittedHostDevices) configuration.permittedHostDevices = renderPermittedHostDevices(p.permittedHostDevices);
    if (p.vmStateStorageClass !== undefined) configuration.vmStateStorageClass = p.vmStateStorageClass;
    if (p.commonInstancetypesDeployment !== undefined) configuration.commonInstancetypesDeployment = { enabled: p.commonInstancetypesDeployment };
    if (p.mediatedDevicesConfiguration) {
      configuration.mediatedDevicesConfiguration = renderMediatedDevicesConfiguration(p.mediatedDevicesConfiguration);
    }

    const spec: { [key: string]: any } = {
      certificateRotateStrategy: {},
      configuration,
      imagePullPolicy: pullPolicy(p.imagePullPolicy),
    };
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

  private createOperator(replicas: number): k8s.KubeDeployment {
    const labels = { 'kubevirt.io': OPERATOR };
    const placement = controlPlaneAffinity(this.props.controlPlanePlacement ?? ControlPlanePlacement.PREFER);
    const env: k8s.EnvVar[] = [
      { name: 'VIRT_OPERATOR_IMAGE', value: this.image },
      { name: 'WATCH_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.annotations[\'olm.targetNamespaces\']' } } },
      { name: 'KUBEVIRT_VERSION', value: this.resolved.tag ?? PlatformVersions.KUBEVIRT },
    ];
    return new k8s.KubeDeployment(this, 'Operator', {
      metadata: { name: OPERATOR, namespace: this.namespace, labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate' },
        template: {
          metadata: {
            name: OPERATOR,
            // The last label lets the operator reach the API server where
            // KubeVirt's network policies are in force.
            labels: { ...labels, 'name': OPERATOR, 'prometheus.kubevirt.io': 'true', 'np.kubevirt.io/allow-access-cluster-services': 'true' },
          },
          spec: {
            priorityClassName: PRIORITY_CLASS,
            serviceAccountName: SERVICE_ACCOUNT,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, ...placement.tolerations],
            affinity: {
              ...(placement.nodeAffinity ? { nodeAffinity: placement.nodeAffinity } : {}),
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [{
                  weight: 1,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchExpressions: [{ key: 'kubevirt.io', operator: 'In', values: [OPERATOR] }] },
                  },
                }],
              },
            },
            securityContext: RESTRICTED_POD,
            containers: [{
              name: OPERATOR,
              image: this.image,
              imagePullPolicy: pullPolicy(this.props.imagePullPolicy),
              command: [OPERATOR],
              args: ['--port', '8443', '-v', '2'],
              ports: [
                { name: 'metrics', containerPort: 8443, protocol: 'TCP' },
                { name: 'webhooks', containerPort: 8444, protocol: 'TCP' },
              ],
              livenessProbe: metricsProbe(),
              readinessProbe: metricsProbe(),
              env,
              resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('450Mi') } },
              securityContext: RESTRICTED_CONTAINER,
              terminationMessagePolicy: 'FallbackToLogsOnError',
              volumeMounts: [
                { name: 'kubevirt-operator-certs', mountPath: '/etc/virt-operator/certificates', readOnly: true },
                { name: 'profile-data', mountPath: '/profile-data' },
              ],
            }],
            volumes: [
              { name: 'kubevirt-operator-certs', secret: { secretName: 'kubevirt-operator-certs', optional: true } },
              { name: 'profile-data', emptyDir: {} },
            ],
          },
        },
      },
    });
  }
}

/** virt-operator's liveness and readiness probe: its HTTPS metrics endpoint. */
function metricsProbe(): k8s.Probe {
  return { httpGet: { path: '/metrics', port: k8s.IntOrString.fromNumber(8443), scheme: 'HTTPS' }, initialDelaySeconds: 5, timeoutSeconds: 10 };
}

/** Renders a Size as a Kubernetes quantity in the largest whole binary unit. */
function quantity(scope: Construct, prop: string, size: Size): string {
  let kib: number;
  try {
    kib = size.toKibibytes();
  } catch {
    kib = NaN;
  }
  if (!Number.isInteger(kib) || kib < 1) {
    throw propError(scope, prop, String(size), 'must be a whole number of KiB and at least 1 KiB', 'use e.g. Size.mebibytes(64)');
  }
  if (kib % (1024 * 1024) === 0) return `${kib / (1024 * 1024)}Gi`;
  if (kib % 1024 === 0) return `${kib / 1024}Mi`;
  return `${kib}Ki`;
}

/** Whole seconds of a Duration, at least 1. */
function seconds(scope: Construct, prop: string, d: Duration): number {
  const ms = d.toMilliseconds();
  const s = ms / 1000;
  if (!Number.isInteger(s) || s < 1) {
    throw propError(scope, prop, d.toHumanString(), 'must be a whole number of seconds and at least 1 second', 'use e.g. Duration.seconds(150)');
  }
  return s;
}

/** Warnings for disabled gates that are not Beta, so listing them changes nothing. */
function disabledGateWarnings(gates: FeatureGate[]): string[] {
  return gates.filter(g => g.stage !== FeatureGateStage.BETA && g.stage !== FeatureGateStage.UNKNOWN).map(g => (g.stage === FeatureGateStage.GA
    ? `feature gate '${g.name}' is GA in KubeVirt and cannot be switched off; remove it from 'disabledFeatureGates'`
    : `feature gate '${g.name}' is ${g.stage.toLowerCase()} in KubeVirt and off unless listed in 'featureGates'; remove it from 'disabledFeatureGates'`));
}

/** Schema of the `kubevirts.kubevirt.io` CRD as this library writes it. */
const KUBEVIRT_SCHEMA = kindSchema({
  spec: open({
    certificateRotateStrategy: open(),
    configuration: open({
      developerConfiguration: open({ featureGates: STRING_LIST }),
      evictionStrategy: STRING,
      migrations: open({
        bandwidthPerMigration: INT_OR_STRING,
        completionTimeoutPerGiB: INTEGER,
        network: STRING,
        parallelMigrationsPerCluster: INTEGER,
        parallelOutboundMigrationsPerNode: INTEGER,
      }),
    }),
    imagePullPolicy: STRING,
    imageRegistry: STRING,
    imageTag: STRING,
    infra: open({ nodePlacement: open(), replicas: INTEGER }),
    workloadUpdateStrategy: open(),
    workloads: open({ nodePlacement: open() }),
  }),
  status: open(),
}, ['spec']);

/**
 * Cluster rules of virt-operator: what it needs itself plus what it grants
 * to the components it deploys (RBAC forbids granting more than one holds).
 */
const OPERATOR_CLUSTER_RULES: k8s.PolicyRule[] = [
  rule(['kubevirt.io'], ['kubevirts'], ALL),
  rule(['apiextensions.k8s.io'], ['customresourcedefinitions', 'customresourcedefinitions/status'], CRUD),
  rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings'], CRUD),
  rule(['apiregistration.k8s.io'], ['apiservices'], CRUD),
  rule(['rbac.authorization.k8s.io'], ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'], CRUD),
  rule(['apps'], ['deployments', 'daemonsets', 'controllerrevisions'], CRUD),
  rule(['batch'], ['jobs'], CRUD),
  rule(['policy'], ['poddisruptionbudgets'], CRUD),
  rule(['monitoring.coreos.com'], ['servicemonitors', 'prometheusrules'], CRUD),
  rule(['security.openshift.io'], ['securitycontextconstraints'], CRUD),
  rule([''], ['services', 'endpoints', 'pods', 'configmaps', 'secrets', 'serviceaccounts', 'nodes', 'namespaces', 'persistentvolumeclaims', 'events'], CRUD),
  // pod subresources virt-controller uses to drain and track VM pods
  rule([''], ['pods/finalizers'], ['update']),
  rule([''], ['pods/eviction'], ['create']),
  rule([''], ['pods/status'], ['patch']),
  // virt-api watches limit ranges, virt-controller resource quotas
  rule([''], ['limitranges', 'resourcequotas'], ['list', 'watch']),
  rule(['kubevirt.io'], ['*'], ['*']),
  rule(['cdi.kubevirt.io'], ['*'], ['*']),
  rule([
    'snapshot.kubevirt.io', 'export.kubevirt.io', 'backup.kubevirt.io', 'clone.kubevirt.io', 'pool.kubevirt.io',
    'instancetype.kubevirt.io', 'migrations.kubevirt.io', 'plugin.kubevirt.io', 'template.kubevirt.io',
  ], ['*'], ['*']),
  rule(['snapshot.storage.k8s.io'], ['volumesnapshots'], CRUD),
  rule(['snapshot.storage.k8s.io'], ['volumesnapshotclasses'], READ),
  rule(['storage.k8s.io'], ['storageclasses'], READ),
  rule(['resource.k8s.io'], ['resourceslices', 'resourceclaims'], READ),
  rule(['k8s.cni.cncf.io'], ['network-attachment-definitions'], ['get']),
  rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
  // RBAC matches subresources literally ('virtualmachines/*' would match nothing),
  // so the subresources KubeVirt's aggregated roles grant are listed one by one.
  rule(['subresources.kubevirt.io'], ['version', 'guestfs'], ['get', 'list']),
  rule(['subresources.kubevirt.io'], [
    'virtualmachineinstances/console', 'virtualmachineinstances/vnc', 'virtualmachineinstances/vnc/screenshot',
    'virtualmachineinstances/portforward', 'virtualmachineinstances/guestosinfo', 'virtualmachineinstances/filesystemlist',
    'virtualmachineinstances/userlist', 'virtualmachineinstances/sev/fetchcertchain', 'virtualmachineinstances/sev/querylaunchmeasurement',
    'virtualmachineinstances/usbredir', 'virtualmachineinstances/objectgraph',
    'virtualmachines/expand-spec', 'virtualmachines/portforward', 'virtualmachines/objectgraph',
  ], ['get']),
  rule(['subresources.kubevirt.io'], [
    'virtualmachineinstances/pause', 'virtualmachineinstances/unpause', 'virtualmachineinstances/addvolume',
    'virtualmachineinstances/removevolume', 'virtualmachineinstances/freeze', 'virtualmachineinstances/unfreeze',
    'virtualmachineinstances/softreboot', 'virtualmachineinstances/reset', 'virtualmachineinstances/sev/setupsession',
    'virtualmachineinstances/sev/injectlaunchsecret',
    'virtualmachines/start', 'virtualmachines/stop', 'virtualmachines/restart', 'virtualmachines/addvolume',
    'virtualmachines/removevolume', 'virtualmachines/migrate', 'virtualmachines/memorydump', 'expand-vm-spec',
  ], ['get', 'update']),
  // v1.9's admin and edit roles cancel evacuations, and virt-controller's
  // role takes backups and redefines checkpoints: found by replaying the
  // roles KubeVirt's install strategy generates under the operator's account
  rule(['subresources.kubevirt.io'], [
    'virtualmachineinstances/evacuate/cancel', 'virtualmachines/evacuate/cancel',
    'virtualmachineinstances/backup', 'virtualmachineinstances/redefine-checkpoint',
  ], ['update']),
  urlRule(['/metrics'], ['get']),
];

/** `configuration.network.binding`, keyed by plugin name in a fixed order. */
function renderNetworkBindings(list: KubeVirtNetworkBinding[] | undefined): { [name: string]: any } | undefined {
  if (!list || list.length === 0) return undefined;
  const out: { [name: string]: any } = {};
  for (const b of [...list].sort((x, y) => x.name.localeCompare(y.name))) {
    out[b.name] = {
      ...(b.domainAttachmentType !== undefined && { domainAttachmentType: b.domainAttachmentType }),
      ...(b.migration !== undefined && { migration: { method: b.migration } }),
      ...(b.networkAttachmentDefinition !== undefined && { networkAttachmentDefinition: b.networkAttachmentDefinition }),
      ...(b.sidecarImage !== undefined && { sidecarImage: b.sidecarImage }),
    };
  }
  return out;
}

/** Eager checks of the KubeVirt CR settings VMs are checked against. */
function checkVmSettings(scope: Construct, props: KubeVirtProps): void {
  (props.emulatedMachines ?? []).forEach((pattern, i) => {
    if (!/^[A-Za-z0-9*?.[\]_-]+$/.test(pattern)) {
      throw propError(scope, `emulatedMachines[${i}]`, pattern, 'must be a machine type or glob pattern such as \'q35*\'', 'list machine types like \'pc-q35-rhel9.6.0\' or patterns like \'pc-q35*\'');
    }
  });
  const seen = new Set<string>();
  (props.networkBindings ?? []).forEach((b, i) => {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(b.name)) {
      throw propError(scope, `networkBindings[${i}].name`, b.name, 'must be a lowercase name such as \'passt\'', 'name the plugin the way VMs refer to it');
    }
    if (seen.has(b.name)) throw propError(scope, `networkBindings[${i}].name`, b.name, 'is registered twice', 'register each plugin once');
    seen.add(b.name);
    if (b.sidecarImage !== undefined) {
      const problem = checkPinnedImage(b.sidecarImage);
      if (problem) throw propError(scope, `networkBindings[${i}].sidecarImage`, b.sidecarImage, problem, 'pin the sidecar image to a release tag or a digest');
    }
  });
}

const CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
const MASTER = 'node-role.kubernetes.io/master';

/** Node affinity and tolerations of a control-plane placement (see `ControlPlanePlacement`). */
function controlPlaneAffinity(mode: ControlPlanePlacement): { nodeAffinity?: { [key: string]: any }; tolerations: Array<{ [key: string]: string }> } {
  const tolerate = (key: string) => ({ key, operator: 'Exists', effect: 'NoSchedule' });
  switch (mode) {
    case ControlPlanePlacement.PREFER:
      // Kubernetes labels and taints control-plane nodes with the control-plane role only since v1.25 (kubeadm)
      return {
        nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: CONTROL_PLANE, operator: 'Exists' }] } }] },
        tolerations: [tolerate(CONTROL_PLANE)],
      };
    case ControlPlanePlacement.REQUIRE:
      // as KubeVirt v1.9 places its control components (placement.go, RequireControlPlanePreferNonWorker)
      return {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: CONTROL_PLANE, operator: 'Exists' }] }, { matchExpressions: [{ key: MASTER, operator: 'Exists' }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'node-role.kubernetes.io/worker', operator: 'DoesNotExist' }] } }],
        },
        tolerations: [tolerate(CONTROL_PLANE), tolerate(MASTER)],
      };
    default:
      return { tolerations: [] };
  }
}

/**
 * `spec.infra.nodePlacement` for a control-plane placement. Without one
 * virt-operator requires control-plane nodes (InjectPlacementMetadata with
 * RequireControlPlanePreferNonWorker, pkg/virt-operator/resource/apply/apps.go
 * at v1.9.0), so REQUIRE leaves it out and ANY_NODE names only the Linux
 * selector the operator would add anyway.
 */
function controlPlaneInfraPlacement(mode: ControlPlanePlacement): { [key: string]: any } | undefined {
  if (mode === ControlPlanePlacement.REQUIRE) return undefined;
  if (mode === ControlPlanePlacement.ANY_NODE) return { nodeSelector: { 'kubernetes.io/os': 'linux' } };
  const { nodeAffinity, tolerations } = controlPlaneAffinity(mode);
  return { affinity: { nodeAffinity }, tolerations };
}
