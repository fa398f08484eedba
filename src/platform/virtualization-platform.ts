import { ApiObject, Chart } from 'cdk8s';
import { ImagePullPolicy } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { Cdi, CdiProps } from './cdi';
import { CniPlugins } from './cni-plugins';
import { DhcpDaemon } from './dhcp-daemon';
import { KubeVirt, KubeVirtProps } from './kubevirt';
import { MultiNetworkPolicyController, MultiNetworkPolicyControllerProps } from './multi-network-policy-controller';
import { Multus, MultusProps } from './multus';
import { Nmstate, NmstateProps } from './nmstate';
import { PlatformCniPluginsOptions, PlatformDhcpDaemonOptions, PlatformOvsCniOptions } from './node-part-options';
import { NodeProvides } from './node-provides';
import { OvsCni } from './ovs-cni';
import { PlatformNodeParts } from './private/node-parts';
import { SnapshotController, SnapshotControllerProps } from './snapshot-controller';
import { SyncWave } from './sync-wave';
import { Velero, VeleroProps } from './velero';
import { Whereabouts, WhereaboutsProps } from './whereabouts';
import { requireShape, propError, Shape, ShapeRule, ShapeRules } from '../validation';

/** KubeVirt as part of the platform. */
export interface PlatformKubeVirtOptions extends KubeVirtProps {
  /**
   * Install KubeVirt; switch off for clusters that already run it.
   * @default true
   */
  readonly enabled?: boolean;
}

/** CDI as part of the platform. */
export interface PlatformCdiOptions extends CdiProps {
  /**
   * Install CDI; switch off for clusters that already run it.
   * @default true
   */
  readonly enabled?: boolean;
}

/** Multus as part of the platform. */
export interface PlatformMultusOptions extends MultusProps {
  /**
   * Install Multus; switch off for clusters that already run it.
   * @default true
   */
  readonly enabled?: boolean;
}

/** whereabouts as part of the platform. */
export interface PlatformWhereaboutsOptions extends WhereaboutsProps {
  /**
   * Install whereabouts; switch off for clusters that already run it.
   * @default true
   */
  readonly enabled?: boolean;
}

/** The snapshot controller as part of the platform. */
export interface PlatformSnapshotControllerOptions extends SnapshotControllerProps {
  /**
   * Install the snapshot controller; switch off for clusters whose
   * distribution already runs one.
   * @default true
   */
  readonly enabled?: boolean;
}

/** The MultiNetworkPolicy enforcer as part of the platform (optional). */
export interface PlatformMultiNetworkPolicyOptions extends MultiNetworkPolicyControllerProps {
  /**
   * Install the MultiNetworkPolicy CRD and the multi-networkpolicy-iptables
   * agent. Off by default: turn it on when MultiNetworkPolicies guard the
   * secondary networks and the cluster has no enforcer yet.
   * @default false
   */
  readonly enabled?: boolean;
}

/** The kubernetes-nmstate handler as part of the platform (optional). */
export interface PlatformNmstateOptions extends NmstateProps {
  /**
   * Install the kubernetes-nmstate handler, which applies
   * `NodeNetworkConfigurationPolicy` objects; off unless asked for.
   * @default false
   */
  readonly enabled?: boolean;
}

/** Velero, for scheduled VM backups, as part of the platform (optional). */
export interface PlatformVeleroOptions extends VeleroProps {
  /**
   * Install Velero with the KubeVirt plugin; off unless asked for.
   * @default false
   */
  readonly enabled?: boolean;
}

/**
 * Settings of the `VirtualizationPlatform` chart. There is no chart-wide
 * namespace: each component installs into its own (`kubevirt`, `cdi`,
 * `kube-system`) and most of its objects are cluster-scoped.
 */
export interface VirtualizationPlatformProps {
  /**
   * Labels added to every object of the platform.
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * KubeVirt settings.
   * @default - installed with its defaults
   */
  readonly kubevirt?: PlatformKubeVirtOptions;
  /**
   * CDI settings.
   * @default - installed with its defaults
   */
  readonly cdi?: PlatformCdiOptions;
  /**
   * Multus settings.
   * @default - installed with its defaults
   */
  readonly multus?: PlatformMultusOptions;
  /**
   * whereabouts settings.
   * @default - installed with its defaults
   */
  readonly whereabouts?: PlatformWhereaboutsOptions;
  /**
   * Snapshot controller settings.
   * @default - installed with its defaults
   */
  readonly snapshotController?: PlatformSnapshotControllerOptions;
  /**
   * MultiNetworkPolicy enforcer settings.
   * @default - not installed
   */
  readonly multiNetworkPolicy?: PlatformMultiNetworkPolicyOptions;
  /**
   * kubernetes-nmstate settings.
   * @default - not installed
   */
  readonly nmstate?: PlatformNmstateOptions;
  /**
   * The CNI plugins installer (reference plugins such as `bridge` and `tuning`).
   * @default - installed when a network of the app needs one of its plugins
   */
  readonly cniPlugins?: PlatformCniPluginsOptions;
  /**
   * ovs-cni settings.
   * @default - installed when a network of the app uses `CniPlugin.ovs()`
   */
  readonly ovsCni?: PlatformOvsCniOptions;
  /**
   * CNI dhcp daemon settings.
   * @default - not run (no default image)
   */
  readonly dhcpDaemon?: PlatformDhcpDaemonOptions;
  /**
   * Velero settings (backups of VMs, see `BackupSchedule`).
   * @default - not installed
   */
  readonly velero?: PlatformVeleroOptions;
  /**
   * What the nodes already have, so that networks relying on it are
   * accepted and no part installs it: `NodeProvides.REFERENCE_CNI_PLUGINS`
   * on kubeadm clusters with `kubernetes-cni`, `NodeProvides.cniPlugin('sriov')`
   * with the SR-IOV operator, `NodeProvides.DHCP_DAEMON`, `NodeProvides.OVS_CNI`.
   * When the platform is in the app, a network whose plugin or IPAM type no
   * part installs and this list does not name is refused.
   * @default - nothing besides what the platform's parts install
   */
  readonly nodeProvides?: NodeProvides[];

  /**
   * Annotate every object with an Argo CD sync wave so one Argo CD
   * application applies CRDs, then controllers, then the `KubeVirt` and `CDI`
   * objects, then (through `addDependant`) workloads. Overrides the
   * components' own `argoCdSyncWaves`.
   * @default false
   */
  readonly argoCdSyncWaves?: boolean;
}

/**
 * The runtime a virtualized cluster needs, in one chart: KubeVirt, CDI,
 * Multus, whereabouts and the CSI snapshot controller, each switchable off.
 * The node-side parts (`CniPlugins`, `OvsCni`, `DhcpDaemon`) join as soon as
 * a network of the app needs what they install, unless `nodeProvides`
 * declares it; a network whose plugins nothing installs is refused.
 *
 * Charts holding workloads (networks, images, VMs) should depend on it so
 * `cdk8s synth` writes the platform first: call `platform.addDependant(chart)`
 * (the same as `chart.addDependency(platform)`, plus the workload sync wave
 * when `argoCdSyncWaves` is on).
 */
export class VirtualizationPlatform extends Chart {
  /** KubeVirt, unless switched off. */
  public readonly kubevirt?: KubeVirt;
  /** CDI, unless switched off. */
  public readonly cdi?: Cdi;
  /** Multus, unless switched off. */
  public readonly multus?: Multus;
  /** whereabouts, unless switched off. */
  public readonly whereabouts?: Whereabouts;
  /** The snapshot controller, unless switched off. */
  public readonly snapshotController?: SnapshotController;
  /** The MultiNetworkPolicy enforcer, when switched on. */
  public readonly multiNetworkPolicy?: MultiNetworkPolicyController;
  /** The kubernetes-nmstate handler, when switched on. */
  public readonly nmstate?: Nmstate;
  /** Velero, when switched on. */
  public readonly velero?: Velero;
  /** Whether objects carry Argo CD sync waves. */
  public readonly argoCdSyncWaves: boolean;
  /** What `nodeProvides` declares. */
  public readonly nodeProvides: NodeProvides[];

  private readonly nodeParts: PlatformNodeParts;

  public constructor(scope: Construct, id: string, props: VirtualizationPlatformProps = {}) {
    super(scope, id, { labels: requirePlatformShapes(scope, id, props).labels });
    this.argoCdSyncWaves = props.argoCdSyncWaves ?? false;
    const waves = { argoCdSyncWaves: this.argoCdSyncWaves };
    if (props.kubevirt?.enabled !== false) this.kubevirt = new KubeVirt(this, 'KubeVirt', { ...props.kubevirt, ...waves });
    if (props.cdi?.enabled !== false) this.cdi = new Cdi(this, 'Cdi', { ...props.cdi, ...waves });
    if (props.multus?.enabled !== false) this.multus = new Multus(this, 'Multus', { ...props.multus, ...waves });
    if (props.whereabouts?.enabled !== false) this.whereabouts = new Whereabouts(this, 'Whereabouts', { ...props.whereabouts, ...waves });
    if (props.snapshotController?.enabled !== false) {
      this.snapshotController = new SnapshotController(this, 'SnapshotController', { ...props.snapshotController, ...waves });
    }
    if (props.multiNetworkPolicy?.enabled === true) {
      this.multiNetworkPolicy = new MultiNetworkPolicyController(this, 'MultiNetworkPolicy', { ...props.multiNetworkPolicy, ...waves });
    }
    if (props.nmstate?.enabled === true) this.nmstate = new Nmstate(this, 'Nmstate', { ...props.nmstate, ...waves });
    if (props.velero?.enabled === true) this.velero = new Velero(this, 'Velero', { ...props.velero, ...waves });
    this.nodeProvides = [...props.nodeProvides ?? []];
    this.nodeParts = new PlatformNodeParts(this, props, waves.argoCdSyncWaves);
  }

  /** The CNI plugins installer, when switched on or needed by a network of the app. */
  public get cniPlugins(): CniPlugins | undefined {
    return this.nodeParts.cniPlugins;
  }

  /** ovs-cni, when switched on or needed by a network of the app. */
  public get ovsCni(): OvsCni | undefined {
    return this.nodeParts.ovsCni;
  }

  /** The CNI dhcp daemon, when switched on or needed by a network of the app. */
  public get dhcpDaemon(): DhcpDaemon | undefined {
    return this.nodeParts.dhcpDaemon;
  }

  /**
   * Makes a chart that holds workloads depend on the platform, so
   * `cdk8s synth` writes the platform first; with `argoCdSyncWaves` its
   * objects also get the workload wave.
   * @param chart chart holding networks, images or VMs
   */
  public addDependant(chart: Chart): void {
    Shape.instance(Chart, 'a cdk8s Chart that holds workloads')(this, 'chart', chart);
    chart.addDependency(this);
    if (!this.argoCdSyncWaves) return;
    SyncWave.apply(chart, SyncWave.WORKLOADS);
    // KubeVirt and CDI create the CRDs of VMs, DataVolumes and the like at
    // runtime, so Argo CD cannot dry-run those objects before the operators
    // are up: tell it to skip the dry run for them.
    const skipDryRun = () => {
      for (const c of chart.node.findAll()) {
        if (c instanceof ApiObject && isOperatorKind(c.apiVersion) && c.metadata.toJson()?.annotations?.[SYNC_OPTIONS] === undefined) {
          c.metadata.addAnnotation(SYNC_OPTIONS, 'SkipDryRunOnMissingResource=true');
        }
      }
    };
    skipDryRun();
    chart.node.addValidation({ validate: () => { skipDryRun(); return []; } });
  }
}

/** Argo CD's per-object sync options annotation. */
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/** Whether objects of this apiVersion have a CRD that KubeVirt or CDI creates at runtime. */
function isOperatorKind(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return group === 'kubevirt.io' || group.endsWith('.kubevirt.io');
}

/** The shape checks that must run before the chart exists (its labels go to the Chart constructor). */
function requirePlatformShapes(scope: Construct, id: string, props: VirtualizationPlatformProps): VirtualizationPlatformProps {
  // a part's own argoCdSyncWaves would be replaced by the platform's: refuse one that differs
  const platformWaves = props?.argoCdSyncWaves ?? false;
  const partWaves: ShapeRule = (where, prop, value) => {
    Shape.optBoolean(where, prop, value);
    if (value !== undefined && value !== platformWaves) {
      throw propError(where, prop, value, `differs from the platform's argoCdSyncWaves (${platformWaves}), which every part follows`,
        'set argoCdSyncWaves once, on the VirtualizationPlatform');
    }
  };
  const part = Shape.optStruct({ enabled: Shape.optBoolean, argoCdSyncWaves: partWaves });
  // the optional parts are checked whole even when switched off: a bad setting is never silently dropped
  const optionalPart = (rules: ShapeRules) => Shape.optStruct({
    ...rules,
    enabled: Shape.optBoolean,
    image: Shape.optImageOverride,
    imagePullPolicy: Shape.optEnum(ImagePullPolicy, 'ImagePullPolicy'),
    argoCdSyncWaves: partWaves,
  });
  requireShape(scope.node.path ? `${scope.node.path}/${id}` : id, 'props', props, {
    labels: Shape.optLabels,
    kubevirt: part,
    cdi: part,
    multus: part,
    whereabouts: part,
    snapshotController: part,
    argoCdSyncWaves: Shape.optBoolean,
    multiNetworkPolicy: optionalPart({ containerRuntimeEndpoint: Shape.optString, acceptIcmp: Shape.optBoolean, acceptIcmpv6: Shape.optBoolean }),
    nmstate: optionalPart({}),
    cniPlugins: optionalPart({ plugins: Shape.optArray(Shape.string), sourceDirectory: Shape.optString }),
    ovsCni: optionalPart({}),
    dhcpDaemon: optionalPart({ binaryPath: Shape.optString }),
    velero: optionalPart({
      backupStorageLocation: Shape.optObject,
      namespace: Shape.optString,
      kubevirtPluginImage: Shape.optImageOverride,
      objectStorePluginImage: Shape.optImageOverride,
      nodeAgent: Shape.optBoolean,
    }),
    nodeProvides: Shape.optArray(Shape.instance(NodeProvides, 'NodeProvides.REFERENCE_CNI_PLUGINS, DHCP_DAEMON, OVS_CNI or cniPlugin(type)')),
  });
  return props;
}
