import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppSlot, appState } from './app-registry';
import { FeatureGate, FeatureGateComponent, FeatureGateStage } from '../platform/feature-gate';

/**
 * Lets rules about workloads read the cluster configuration that the same
 * app installs. Platform constructs register their CR (`KubeVirt`, `CDI`)
 * here when they are created; a workload rule asks for the rendered spec of
 * the CR in its app, so feature gates, permitted devices, machine types and
 * binding plugins are read from exactly what the cluster will get. No
 * platform in the app means nothing to check against (the cluster is
 * managed elsewhere), and the rules stay silent.
 *
 * The CRs are kept in the app-wide registry, and a lookup is a map read, so
 * a rule per VM stays linear in the number of VMs.
 */
export enum PlatformKind {
  KUBEVIRT = 'KubeVirt',
  CDI = 'CDI',
}

const PLATFORM_OBJECTS = new AppSlot('platform CRs', () => new Map<PlatformKind, ApiObject[]>());

/** Records a platform CR so workload rules in the same app can read it. */
export function registerPlatformObject(kind: PlatformKind, resource: ApiObject): void {
  const byKind = appState(resource, PLATFORM_OBJECTS);
  const list = byKind.get(kind) ?? [];
  list.push(resource);
  byKind.set(kind, list);
}

/** The platform CR of an app and its rendered spec. */
export interface PlatformObject {
  /** Construct path of the owning platform construct, for messages. */
  readonly path: string;
  /** `spec` of the CR, rendered (lazy values resolved). */
  readonly spec: { [key: string]: any };
}

/**
 * The CR of `kind` installed by the app `scope` belongs to, or undefined when
 * the app installs none. Call it from validations (after every prop and
 * `add*()` call), not from constructors.
 */
export function platformObjectOf(scope: IConstruct, kind: PlatformKind): PlatformObject | undefined {
  const resource = appState(scope, PLATFORM_OBJECTS).get(kind)?.[0];
  if (!resource) return undefined;
  const owner = resource.node.scope;
  return { path: owner ? owner.node.path : resource.node.path, spec: resource.toJson().spec ?? {} };
}

/**
 * Whether a KubeVirt feature gate is on in the app's KubeVirt CR, with
 * KubeVirt v1.9's precedence: a GA gate is always on; then a gate listed in
 * `featureGates` is on; then one listed in `disabledFeatureGates` is off;
 * otherwise a Beta gate is on and every other gate (Alpha, Deprecated,
 * Discontinued, unknown) is off.
 */
export function kubeVirtGateEnabled(kubevirt: PlatformObject, gate: string): boolean {
  const stage = FeatureGate.known().find(g => g.name === gate && g.component === FeatureGateComponent.KUBEVIRT)?.stage;
  if (stage === FeatureGateStage.GA) return true;
  const dev = kubevirt.spec.configuration?.developerConfiguration ?? {};
  if ((dev.featureGates ?? []).includes(gate)) return true;
  if ((dev.disabledFeatureGates ?? []).includes(gate)) return false;
  return stage === FeatureGateStage.BETA;
}

/**
 * A message for a workload that needs a KubeVirt feature gate that is off
 * in the app's KubeVirt CR (see `kubeVirtGateEnabled`), or undefined when it
 * is on or when the app has no KubeVirt. `what` says what needs the gate
 * ("hostDisk volume 'logs'").
 */
export function missingKubeVirtGate(scope: IConstruct, gate: string, constant: string, what: string): string | undefined {
  const kubevirt = platformObjectOf(scope, PlatformKind.KUBEVIRT);
  if (!kubevirt || kubeVirtGateEnabled(kubevirt, gate)) return undefined;
  if ((kubevirt.spec.configuration?.developerConfiguration?.disabledFeatureGates ?? []).includes(gate)) {
    return `${what} needs the KubeVirt feature gate '${gate}', which the KubeVirt at '${kubevirt.path}' switches off in 'disabledFeatureGates'; `
      + `remove FeatureGate.${constant} from its 'disabledFeatureGates'`;
  }
  return `${what} needs the KubeVirt feature gate '${gate}', which the KubeVirt at '${kubevirt.path}' does not switch on; `
    + `add FeatureGate.${constant} to its 'featureGates' (or call addFeatureGate)`;
}
