import { Duration, Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { checkPinnedImage, propError, propPath, requireIntegerBetween, UINT32_MAX } from '../../validation';
import { FeatureGate, FeatureGateStage } from '../feature-gate';
import { KubeVirtNetworkBinding } from '../kubevirt-options';

/** The live-migration settings of `KubeVirtProps`. */
export interface MigrationSettings {
  readonly bandwidthPerMigration?: Size;
  readonly completionTimeoutPerGiB?: Duration;
  /** A NetworkAttachmentDefinition: its name, namespace and `namespace/name`. */
  readonly migrationNetwork?: { readonly name: string; readonly namespace: string; readonly networkName: string };
  readonly parallelMigrationsPerCluster?: number;
  readonly parallelOutboundMigrationsPerNode?: number;
}

/** `configuration.migrations`; undefined when no setting is given. */
export function renderMigrations(scope: IConstruct, p: MigrationSettings): { [key: string]: any } | undefined {
  const migrations: { [key: string]: any } = {};
  if (p.bandwidthPerMigration) migrations.bandwidthPerMigration = quantity(scope, 'bandwidthPerMigration', p.bandwidthPerMigration);
  if (p.completionTimeoutPerGiB) migrations.completionTimeoutPerGiB = seconds(scope, 'completionTimeoutPerGiB', p.completionTimeoutPerGiB);
  if (p.migrationNetwork) migrations.network = p.migrationNetwork.name;
  if (p.parallelMigrationsPerCluster !== undefined) migrations.parallelMigrationsPerCluster = p.parallelMigrationsPerCluster;
  if (p.parallelOutboundMigrationsPerNode !== undefined) migrations.parallelOutboundMigrationsPerNode = p.parallelOutboundMigrationsPerNode;
  return Object.keys(migrations).length > 0 ? migrations : undefined;
}

/** Eager checks of the KubeVirt CR settings VMs are checked against. */
export function requireVmSettings(scope: IConstruct, machines: string[] | undefined, networkBindings: KubeVirtNetworkBinding[] | undefined): void {
  (machines ?? []).forEach((pattern, i) => {
    if (!/^[A-Za-z0-9*?.[\]_-]+$/.test(pattern)) {
      throw propError(scope, propPath('emulatedMachines', i), pattern, 'must be a machine type or glob pattern such as \'q35*\'', 'list machine types like \'pc-q35-rhel9.6.0\' or patterns like \'pc-q35*\'');
    }
  });
  const seen = new Set<string>();
  (networkBindings ?? []).forEach((b, i) => {
    const at = propPath('networkBindings', i);
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(b.name)) {
      throw propError(scope, propPath(at, 'name'), b.name, 'must be a lowercase name such as \'passt\'', 'name the plugin the way VMs refer to it');
    }
    if (seen.has(b.name)) throw propError(scope, propPath(at, 'name'), b.name, 'is registered twice', 'register each plugin once');
    seen.add(b.name);
    if (b.sidecarImage !== undefined) {
      const problem = checkPinnedImage(b.sidecarImage);
      if (problem) throw propError(scope, propPath(at, 'sidecarImage'), b.sidecarImage, problem, 'pin the sidecar image to a release tag or a digest');
    }
  });
}

/** Eager checks of the migration settings; the network must be in KubeVirt's namespace `ns`. */
export function requireMigrations(scope: IConstruct, s: MigrationSettings, ns: string): void {
  if (s.parallelMigrationsPerCluster !== undefined) {
    requireIntegerBetween(scope, 'parallelMigrationsPerCluster', s.parallelMigrationsPerCluster, 1, UINT32_MAX, 'uint32');
  }
  if (s.parallelOutboundMigrationsPerNode !== undefined) {
    requireIntegerBetween(scope, 'parallelOutboundMigrationsPerNode', s.parallelOutboundMigrationsPerNode, 1, UINT32_MAX, 'uint32');
  }
  if (s.bandwidthPerMigration !== undefined) quantity(scope, 'bandwidthPerMigration', s.bandwidthPerMigration);
  if (s.completionTimeoutPerGiB !== undefined) seconds(scope, 'completionTimeoutPerGiB', s.completionTimeoutPerGiB);
  if (s.migrationNetwork && s.migrationNetwork.namespace !== ns) {
    throw propError(scope, 'migrationNetwork', s.migrationNetwork.networkName,
      `must be in the KubeVirt namespace '${ns}', which is where KubeVirt looks the migration network up`,
      `create the NetworkAttachmentDefinition in namespace '${ns}'`);
  }
}

/** `configuration.network.binding`, keyed by plugin name in a fixed order. */
export function renderNetworkBindings(list: KubeVirtNetworkBinding[] | undefined): { [name: string]: any } | undefined {
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

/** Renders a Size as a Kubernetes quantity in the largest whole binary unit. */
function quantity(scope: IConstruct, prop: string, size: Size): string {
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
function seconds(scope: IConstruct, prop: string, d: Duration): number {
  const ms = d.toMilliseconds();
  const s = ms / 1000;
  if (!Number.isInteger(s) || s < 1) {
    throw propError(scope, prop, d.toHumanString(), 'must be a whole number of seconds and at least 1 second', 'use e.g. Duration.seconds(150)');
  }
  return s;
}

/** Warnings for disabled gates that are not Beta, so listing them changes nothing. */
export function disabledGateWarnings(gates: FeatureGate[]): string[] {
  return gates.filter(g => g.stage !== FeatureGateStage.BETA && g.stage !== FeatureGateStage.UNKNOWN).map(g => (g.stage === FeatureGateStage.GA
    ? `feature gate '${g.name}' is GA in KubeVirt and cannot be switched off; remove it from 'disabledFeatureGates'`
    : `feature gate '${g.name}' is ${g.stage.toLowerCase()} in KubeVirt and off unless listed in 'featureGates'; remove it from 'disabledFeatureGates'`));
}
