import { ApiObject, Duration, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { dropChartNamespace } from '../private/cluster-scoped';
import { sortedMap } from '../private/sorted-map';
import { ensureUniqueObjectNames } from '../private/unique-object-names';
import { reportWarnings } from '../private/warnings';
import { checkLabelValue, checkMetadataKey, propError, requireDns1123Subdomain } from '../validation';
import { bytesToQuantity, sizeToBytes } from '../validation/quantity';
import { optionalBoolean, optionalDuration, optionalSize, optionalStringMap, requireString, requireStruct } from '../validation/types';

/** The label the API server puts on every namespace, with the namespace's name. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Props of {@link MigrationPolicy}. */
export interface MigrationPolicyProps {
  /** Name of the policy (a DNS-1123 subdomain). */
  readonly name: string;

  /**
   * Labels a VM's instance must carry (the VM's `templateLabels`) for the
   * policy to apply. When several policies match, KubeVirt takes the one
   * matching the most labels.
   *
   * @default - any VM
   */
  readonly vmLabels?: { [key: string]: string };

  /**
   * Labels the VM's namespace must carry; `kubernetes.io/metadata.name`,
   * which Kubernetes puts on every namespace, selects one by name.
   *
   * @default - any namespace
   */
  readonly namespaceLabels?: { [key: string]: string };

  /**
   * Bandwidth limit of each migration, per second.
   *
   * @default - the KubeVirt CR's setting
   */
  readonly bandwidthPerMigration?: Size;

  /**
   * Time a migration may take per GiB of guest memory before it is
   * cancelled (whole seconds).
   *
   * @default - the KubeVirt CR's setting
   */
  readonly completionTimeoutPerGiB?: Duration;

  /**
   * Slow the guest's vCPUs down when its memory changes faster than it
   * can be copied.
   *
   * @default - the KubeVirt CR's setting (false)
   */
  readonly allowAutoConverge?: boolean;

  /**
   * Switch to post-copy (the guest runs on the target and pulls missing
   * pages) when pre-copy does not converge. A network failure during
   * post-copy loses the VM.
   *
   * @default - the KubeVirt CR's setting (false)
   */
  readonly allowPostCopy?: boolean;

  /**
   * Allow measures that disturb the workload (pausing it, post-copy) to
   * finish the migration.
   *
   * @default - follows allowPostCopy
   */
  readonly allowWorkloadDisruption?: boolean;
}

/**
 * A live migration policy (`MigrationPolicy`, migrations.kubevirt.io/v1alpha1,
 * cluster-wide): migration settings for the VMs whose labels and namespace
 * labels match. A policy that selects no VM of the app is reported as a
 * warning at synthesis.
 */
export class MigrationPolicy extends Construct {
  /** Name of the policy. */
  public readonly name: string;

  private readonly props: MigrationPolicyProps;

  constructor(scope: Construct, id: string, props: MigrationPolicyProps) {
    super(scope, id);
    requireStruct(this, 'props', props);
    requireString(this, 'name', props.name);
    requireDns1123Subdomain(this, 'name', props.name);
    for (const prop of ['vmLabels', 'namespaceLabels'] as const) {
      optionalStringMap(this, prop, props[prop]);
      for (const [k, v] of Object.entries(props[prop] ?? {})) {
        const problem = checkMetadataKey(k) ?? checkLabelValue(v);
        if (problem) throw propError(this, `${prop}.${k}`, v, problem, 'use a valid label key and value');
      }
    }
    optionalSize(this, 'bandwidthPerMigration', props.bandwidthPerMigration);
    if (props.bandwidthPerMigration !== undefined) {
      const b = sizeToBytes(props.bandwidthPerMigration);
      if (b === undefined || b < 1n) throw propError(this, 'bandwidthPerMigration', String(props.bandwidthPerMigration), 'must be a whole, positive number of bytes', 'use e.g. Size.mebibytes(64)');
    }
    optionalDuration(this, 'completionTimeoutPerGiB', props.completionTimeoutPerGiB);
    if (props.completionTimeoutPerGiB !== undefined) {
      const s = props.completionTimeoutPerGiB.toMilliseconds() / 1000;
      if (!Number.isInteger(s) || s < 1) {
        throw propError(this, 'completionTimeoutPerGiB', props.completionTimeoutPerGiB.toHumanString(), 'must be a whole number of seconds, at least 1', 'use e.g. Duration.seconds(150)');
      }
    }
    for (const prop of ['allowAutoConverge', 'allowPostCopy', 'allowWorkloadDisruption'] as const) optionalBoolean(this, prop, props[prop]);
    ensureUniqueObjectNames(this);
    this.name = props.name;
    this.props = { ...props, vmLabels: { ...(props.vmLabels ?? {}) }, namespaceLabels: { ...(props.namespaceLabels ?? {}) } };
    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'migrations.kubevirt.io/v1alpha1',
      kind: 'MigrationPolicy',
      metadata: { name: props.name },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    dropChartNamespace(resource, undefined);
    reportWarnings(this, () => this.selectsNothing() ? [
      `MigrationPolicy '${this.name}' selects no VM of this app (vmLabels ${JSON.stringify(this.props.vmLabels)}, `
      + `namespaceLabels ${JSON.stringify(this.props.namespaceLabels)}); give the VMs' templateLabels and namespaces these labels, or fix the selectors`,
    ] : []);
  }

  /** @internal */
  public _toKube(): any {
    const p = this.props;
    const spec: any = {};
    if (p.allowAutoConverge !== undefined) spec.allowAutoConverge = p.allowAutoConverge;
    if (p.allowPostCopy !== undefined) spec.allowPostCopy = p.allowPostCopy;
    if (p.allowWorkloadDisruption !== undefined) spec.allowWorkloadDisruption = p.allowWorkloadDisruption;
    if (p.bandwidthPerMigration !== undefined) spec.bandwidthPerMigration = bytesToQuantity(sizeToBytes(p.bandwidthPerMigration)!);
    if (p.completionTimeoutPerGiB !== undefined) spec.completionTimeoutPerGiB = p.completionTimeoutPerGiB.toMilliseconds() / 1000;
    const selectors: any = {};
    if (Object.keys(p.namespaceLabels!).length > 0) selectors.namespaceSelector = sortedMap(p.namespaceLabels!);
    if (Object.keys(p.vmLabels!).length > 0) selectors.virtualMachineInstanceSelector = sortedMap(p.vmLabels!);
    spec.selectors = selectors;
    return spec;
  }

  /**
   * Whether no VM of the app matches: every selector label must be among
   * the VM template's labels and its namespace's labels. A VM whose
   * namespace is not defined in the app counts as a possible match.
   */
  private selectsNothing(): boolean {
    const namespaces = new Map<string, { [key: string]: string }>();
    const vms: ApiObject[] = [];
    for (const c of this.node.root.node.findAll()) {
      if (!(c instanceof ApiObject)) continue;
      // Kubernetes labels every namespace with its own name
      if (c.apiVersion === 'v1' && c.kind === 'Namespace') namespaces.set(c.name, { ...(c.toJson().metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: c.name });
      if ((c.kind === 'VirtualMachine' && c.apiGroup === 'kubevirt.io') || (c.kind === 'VirtualMachinePool' && c.apiGroup === 'pool.kubevirt.io')) vms.push(c);
    }
    return !vms.some(vm => this.matches(vm, namespaces));
  }

  private matches(vm: ApiObject, namespaces: Map<string, { [key: string]: string }>): boolean {
    const spec = vm.toJson().spec ?? {};
    const template = vm.kind === 'VirtualMachinePool' ? spec.virtualMachineTemplate?.spec?.template : spec.template;
    const labels: { [key: string]: string } = template?.metadata?.labels ?? {};
    if (!subset(this.props.vmLabels!, labels)) return false;
    const nsLabels = namespaces.get(vm.metadata.namespace ?? '');
    return nsLabels === undefined || subset(this.props.namespaceLabels!, nsLabels);
  }
}

function subset(wanted: { [key: string]: string }, have: { [key: string]: string }): boolean {
  return Object.entries(wanted).every(([k, v]) => have[k] === v);
}

