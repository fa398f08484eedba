import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { optionalString, propError, requireDns1123Label, requireStruct } from '../validation';
import { ARGOCD_HEALTH_SCRIPTS } from './argocd-health-scripts';
import { CLUSTER_WRITTEN_FIELDS, ClusterWrittenField } from './cluster-written-fields';

/** Props of `ArgoCdHealthChecks`. */
export interface ArgoCdHealthChecksProps {
  /**
   * The namespace Argo CD runs in, where its `argocd-cm` ConfigMap lives.
   * @default 'argocd'
   */
  readonly namespace?: string;
}

/** The ConfigMap Argo CD reads its settings from (util/settings/settings.go at argo-cd v3.2.12). */
const ARGOCD_CM = 'argocd-cm';
/** The label Argo CD's settings informer selects its ConfigMaps by. */
const PART_OF = { 'app.kubernetes.io/part-of': 'argocd' };

/** The `<group>_<kind>` part of a resource customization key (just the kind for the core group). */
function groupKind(group: string, kind: string): string {
  return group === '' ? kind : `${group}_${kind}`;
}

/** The ConfigMap's keys, sorted. */
function healthPackData(scope: Construct): Record<string, string> {
  const data: Record<string, string> = {};
  for (const s of ARGOCD_HEALTH_SCRIPTS) {
    data[`resource.customizations.health.${groupKind(s.group, s.kind)}`] = s.lua;
  }
  const pointers = new Map<string, string[]>();
  CLUSTER_WRITTEN_FIELDS.forEach((f: ClusterWrittenField, i: number) => {
    const key = `resource.customizations.ignoreDifferences.${groupKind(f.group, f.kind)}`;
    const list = pointers.get(key) ?? [];
    for (const p of f.jsonPointers) {
      if (!p.startsWith('/')) {
        throw propError(scope, `CLUSTER_WRITTEN_FIELDS[${i}].jsonPointers`, p, 'must be an RFC 6901 JSON pointer, starting with /', 'write it as /spec/...');
      }
      if (!list.includes(p)) list.push(p);
    }
    pointers.set(key, list);
  });
  for (const [key, list] of pointers) {
    data[key] = `jsonPointers:\n${list.map(p => `- ${JSON.stringify(p)}\n`).join('')}`;
  }
  return Object.fromEntries(Object.keys(data).sort().map(k => [k, data[k]]));
}

/**
 * The Argo CD health pack: an `argocd-cm` ConfigMap holding a
 * `resource.customizations.health.<group>_<kind>` Lua check for every kind
 * the library writes that Argo CD v3.2 judges wrong or not at all, and a
 * `resource.customizations.ignoreDifferences.<group>_<kind>` entry for every
 * field the cluster writes after an apply (`CLUSTER_WRITTEN_FIELDS`).
 *
 * With it, a sync wave finishes: a VM that its run strategy keeps stopped
 * is Healthy (Argo CD's own check says Suspended, which waits forever), a
 * DataVolume on WaitForFirstConsumer storage is Healthy (Argo CD's says
 * Progressing until a VM starts), and DataImportCron, DataSource,
 * VirtualMachinePool, MigrationPolicy, the instancetypes and preferences,
 * the KubeVirt and CDI objects, VM snapshots, restores, clones, exports and
 * templates, NodeNetworkConfigurationPolicy, and Velero's Schedule and
 * BackupStorageLocation get a check.
 *
 * The object holds only these keys, so it must be merged into the
 * `argocd-cm` Argo CD already has, never applied over it:
 * - server-side apply, which owns only the keys it sends:
 *   `kubectl apply --server-side --field-manager=cdk8s-kubevirt-health -f <file>`;
 * - or a kustomize patch on Argo CD's install
 *   (`patches: [{ path: <file> }]` in its kustomization.yaml), which merges
 *   the `data` keys.
 * Put it in a chart of its own, synthesized to its own folder, so that the
 * Application that syncs the cluster does not own Argo CD's settings.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/health/
 */
export class ArgoCdHealthChecks extends Construct {
  /** The namespace of the ConfigMap. */
  public readonly namespace: string;
  /** The `argocd-cm` ConfigMap to merge. */
  public readonly configMap: ApiObject;

  constructor(scope: Construct, id: string, props: ArgoCdHealthChecksProps = {}) {
    super(scope, id);
    requireStruct(this, 'props', props);
    optionalString(this, 'namespace', props.namespace);
    this.namespace = props.namespace ?? 'argocd';
    requireDns1123Label(this, 'namespace', this.namespace);
    this.configMap = new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: ARGOCD_CM,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/name': ARGOCD_CM, ...PART_OF },
      },
      data: healthPackData(this),
    });
  }
}
