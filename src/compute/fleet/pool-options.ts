/**
 * The options of a VirtualMachinePool (pool.kubevirt.io/v1beta1) that a
 * `SmartCloneFleet` with `pool: true` renders: how the pool updates its VMs,
 * how it scales in, when it replaces failing VMs and how many VMs may be
 * unavailable during an update. A leaf file: it imports nothing of the
 * library but the validation helpers.
 *
 * The fields and their rules are KubeVirt v1.9.0's:
 * kubevirt.io/api pool/v1beta1/types.go:105-290 (the types and the CRD
 * bounds), pkg/virt-api/webhooks/validating-webhook/admitters/vmpool-admitter.go:138-181
 * (maxUnavailable, one strategy at a time) and
 * pkg/virt-controller/watch/pool/pool.go (the defaults and what reads each field).
 */
import { Duration } from 'cdk8s';
import { sortedMap } from '../../private/sorted-map';
import {
  ErrorScope, optionalEnum, optionalLabels, optionalShape, propPath, requireIntegerBetween, requireNumber, Shape, INT32_MAX,
} from '../../validation';

/** How a pool picks the VMs to update or to remove first (`sortPolicy`). */
export enum PoolSortPolicy {
  /** Lowest index first. */
  ASCENDING_ORDER = 'AscendingOrder',
  /** Highest index first. */
  DESCENDING_ORDER = 'DescendingOrder',
  /** Most recently created first. */
  NEWEST = 'Newest',
  /** Least recently created first. */
  OLDEST = 'Oldest',
  /** Any order (KubeVirt's default). */
  RANDOM = 'Random',
}

/** What a pool keeps of a VM it scales in (`statePreservation`). */
export enum PoolStatePreservation {
  /** Delete everything of the VM (KubeVirt's default). */
  DISABLED = 'Disabled',
  /** Keep the VM's PVCs and reuse them on scale-out (faster provisioning). */
  OFFLINE = 'Offline',
  /** Keep the VM's PVCs and memory and reuse them on scale-out (faster boot). */
  ONLINE = 'Online',
}

/** Which VMs a pool updates or removes first. */
export interface PoolSelectionPolicy {
  /**
   * The order in which VMs are picked.
   *
   * @default - KubeVirt's default, `Random`
   */
  readonly sortPolicy?: PoolSortPolicy;

  /**
   * Pick only VMs carrying all these labels (`selectors.labelSelector.matchLabels`).
   *
   * @default - any VM of the pool
   */
  readonly matchLabels?: { [key: string]: string };
}

/** Options of the proactive update strategy. */
export interface PoolProactiveUpdateOptions {
  /**
   * Which VMs are updated (restarted) first.
   *
   * @default - KubeVirt's default, random order
   */
  readonly selectionPolicy?: PoolSelectionPolicy;
}

/** Options of the opportunistic scale-in strategy. */
export interface PoolOpportunisticScaleInOptions {
  /**
   * What is kept of a VM removed by other means (deleted by a user or a node).
   *
   * @default - KubeVirt's default, `Disabled`
   */
  readonly statePreservation?: PoolStatePreservation;
}

/** Options of the proactive scale-in strategy. */
export interface PoolProactiveScaleInOptions {
  /**
   * Which VMs are removed first.
   *
   * @default - KubeVirt's default, random order
   */
  readonly selectionPolicy?: PoolSelectionPolicy;

  /**
   * What is kept of a VM the pool removes.
   *
   * @default - KubeVirt's default, `Disabled`
   */
  readonly statePreservation?: PoolStatePreservation;
}

/** When a pool replaces a VM that fails to start (`spec.autohealing`). */
export interface PoolAutohealing {
  /**
   * Consecutive start failures (the VM's `status.startFailure.consecutiveFailCount`)
   * before the VM is replaced: at least 1.
   *
   * @default - KubeVirt's default, 3
   */
  readonly startUpFailureThreshold?: number;

  /**
   * How long a VM must have been failing (Ready false: CrashLoopBackOff,
   * Unschedulable) before it is replaced: at least one second.
   *
   * @default - KubeVirt's default, 5 minutes
   */
  readonly minFailingToStartDuration?: Duration;
}

/** How a pool updates its VMs when its template changes (`spec.updateStrategy`). */
export class PoolUpdateStrategy {
  /** The pool never updates its VMs; update them yourself. */
  public static unmanaged(): PoolUpdateStrategy {
    return new PoolUpdateStrategy('unmanaged');
  }

  /** The pool updates each VM; the running guest takes the change at its next restart. */
  public static opportunistic(): PoolUpdateStrategy {
    return new PoolUpdateStrategy('opportunistic');
  }

  /**
   * The pool updates each VM and restarts it at once, `maxUnavailable` at a
   * time (KubeVirt's default strategy).
   */
  public static proactive(options: PoolProactiveUpdateOptions = {}): PoolUpdateStrategy {
    optionalShape(undefined, 'options', options, { selectionPolicy: Shape.optObject });
    return new PoolUpdateStrategy('proactive', options.selectionPolicy);
  }

  /** `unmanaged`, `opportunistic` or `proactive`. */
  public readonly kind: string;
  private readonly selectionPolicy?: PoolSelectionPolicy;

  private constructor(kind: string, selectionPolicy?: PoolSelectionPolicy) {
    this.kind = kind;
    this.selectionPolicy = selectionPolicy;
  }

  /** @internal */
  public _render(scope: ErrorScope, prop: string): any {
    if (this.kind !== 'proactive') return { [this.kind]: {} };
    const policy = renderSelectionPolicy(scope, propPath(prop, 'selectionPolicy'), this.selectionPolicy);
    return { proactive: policy ? { selectionPolicy: policy } : {} };
  }
}

/** How a pool removes VMs when `replicas` goes down (`spec.scaleInStrategy`). */
export class PoolScaleInStrategy {
  /** The pool never removes a VM; scale in by hand. */
  public static unmanaged(): PoolScaleInStrategy {
    return new PoolScaleInStrategy('unmanaged');
  }

  /** The pool waits for VMs to go by other means (a user or a node deleting them). */
  public static opportunistic(options: PoolOpportunisticScaleInOptions = {}): PoolScaleInStrategy {
    optionalShape(undefined, 'options', options, { statePreservation: Shape.optEnum(PoolStatePreservation, 'PoolStatePreservation') });
    return new PoolScaleInStrategy('opportunistic', undefined, options.statePreservation);
  }

  /** The pool shuts down and removes VMs itself (KubeVirt's default strategy). */
  public static proactive(options: PoolProactiveScaleInOptions = {}): PoolScaleInStrategy {
    optionalShape(undefined, 'options', options, {
      selectionPolicy: Shape.optObject, statePreservation: Shape.optEnum(PoolStatePreservation, 'PoolStatePreservation'),
    });
    return new PoolScaleInStrategy('proactive', options.selectionPolicy, options.statePreservation);
  }

  /** `unmanaged`, `opportunistic` or `proactive`. */
  public readonly kind: string;
  private readonly selectionPolicy?: PoolSelectionPolicy;
  private readonly statePreservation?: PoolStatePreservation;

  private constructor(kind: string, selectionPolicy?: PoolSelectionPolicy, statePreservation?: PoolStatePreservation) {
    this.kind = kind;
    this.selectionPolicy = selectionPolicy;
    this.statePreservation = statePreservation;
  }

  /** @internal */
  public _render(scope: ErrorScope, prop: string): any {
    const body: any = {};
    if (this.kind === 'proactive') {
      const policy = renderSelectionPolicy(scope, propPath(prop, 'selectionPolicy'), this.selectionPolicy);
      if (policy) body.selectionPolicy = policy;
    }
    optionalEnum(scope, propPath(prop, 'statePreservation'), this.statePreservation, PoolStatePreservation, 'PoolStatePreservation');
    if (this.statePreservation !== undefined) body.statePreservation = this.statePreservation;
    return { [this.kind]: body };
  }
}

/**
 * How many VMs of a pool may be unavailable (Ready false) at a time during a
 * proactive update (`spec.maxUnavailable`; KubeVirt's default is 100%).
 */
export class PoolMaxUnavailable {
  /** At most `count` VMs (at least 1). */
  public static count(count: number): PoolMaxUnavailable {
    requireNumber(undefined, 'count', count);
    return new PoolMaxUnavailable(count, false);
  }

  /**
   * At most `percent` % of the pool's replicas (1 to 100), rounded down and
   * never below one VM.
   */
  public static percent(percent: number): PoolMaxUnavailable {
    requireNumber(undefined, 'percent', percent);
    return new PoolMaxUnavailable(percent, true);
  }

  /** The number, or the percentage. */
  public readonly value: number;
  /** Whether `value` is a percentage. */
  public readonly isPercent: boolean;

  private constructor(value: number, isPercent: boolean) {
    this.value = value;
    this.isPercent = isPercent;
  }

  /** @internal */
  public _render(scope: ErrorScope, prop: string): number | string {
    // vmpool-admitter.go:138-171: an int must be above 0, a percentage
    // must end with % and hold a whole number from 1 to 100
    if (this.isPercent) {
      requireIntegerBetween(scope, prop, this.value, 1, 100, 'percentage');
      return `${this.value}%`;
    }
    requireIntegerBetween(scope, prop, this.value, 1, INT32_MAX, 'int32');
    return this.value;
  }
}

function renderSelectionPolicy(scope: ErrorScope, prop: string, policy: PoolSelectionPolicy | undefined): any {
  optionalShape(scope, prop, policy, {});
  if (policy === undefined) return undefined;
  optionalEnum(scope, propPath(prop, 'sortPolicy'), policy.sortPolicy, PoolSortPolicy, 'PoolSortPolicy');
  optionalLabels(scope, propPath(prop, 'matchLabels'), policy.matchLabels);
  const out: any = {};
  if (policy.sortPolicy !== undefined) out.sortPolicy = policy.sortPolicy;
  if (policy.matchLabels !== undefined && Object.keys(policy.matchLabels).length > 0) {
    out.selectors = { labelSelector: { matchLabels: sortedMap(policy.matchLabels) } };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
