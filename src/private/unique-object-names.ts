import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AppSlot, appState } from './app-registry';
import { formatPropError } from '../validation';

/** An object that another object makes in the cluster (a VM's DataVolume templates). */
export interface OwnedObject {
  readonly apiGroup: string;
  readonly kind: string;
  readonly name: string;
}

/** The app's rule state: whether the rule is added, and the objects each owner makes. */
interface UniqueNames {
  covered: boolean;
  readonly owned: Map<ApiObject, () => OwnedObject[]>;
}

const UNIQUE_NAMES = new AppSlot<UniqueNames>('unique object names', () => ({ covered: false, owned: new Map() }));

/**
 * Records that `owner` makes further objects in its namespace when applied
 * (a VM's `dataVolumeTemplates`, one DataVolume per VM of a pool), so the
 * unique-name rule covers them too. `produce` runs at validation time.
 */
export function registerOwnedObjects(owner: ApiObject, produce: () => OwnedObject[]): void {
  appState(owner, UNIQUE_NAMES).owned.set(owner, produce);
}

/**
 * Adds, once per construct tree, the rule that no two objects share API
 * group, kind, namespace and name: Kubernetes keeps only one of them, so
 * the other would be silently replaced when applied. (Names derived from
 * user names can collide, e.g. the cloud-init Secret of a VM `workers` and
 * of a fleet `workers`.) One pass over the tree with a map, so linear.
 *
 * NetworkAttachmentDefinitions have their own, more specific rule.
 */
export function ensureUniqueObjectNames(scope: IConstruct): void {
  const state = appState(scope, UNIQUE_NAMES);
  if (state.covered) return;
  state.covered = true;
  // cdk8s prefixes messages with the path of the construct holding the
  // validation: the chart reads better than the app's empty path
  const holder = Chart.isChart(scope) ? scope : Chart.of(scope);
  holder.node.addValidation({ validate: () => duplicateObjectProblems(scope.node.root, state.owned) });
}

function duplicateObjectProblems(root: IConstruct, owned: ReadonlyMap<ApiObject, () => OwnedObject[]>): string[] {
  const first = new Map<string, string>();
  const errors: string[] = [];
  const see = (apiGroup: string, kind: string, namespace: string | undefined, name: string, path: string) => {
    const key = `${apiGroup}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, path);
      return;
    }
    const where = namespace ? ` in namespace '${namespace}'` : '';
    errors.push(formatPropError('metadata.name', name,
      `names two ${kind} objects${where}, at ${earlier} and ${path}; the cluster would keep only one`,
      'give one of the constructs that create them another name'));
  };
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject) || c.kind === 'NetworkAttachmentDefinition') continue;
    const namespace = c.metadata.namespace;
    see(c.apiGroup, c.kind, namespace, c.name, c.node.path);
    for (const o of owned.get(c)?.() ?? []) see(o.apiGroup, o.kind, namespace, o.name, `${c.node.path} (its ${o.kind} '${o.name}')`);
  }
  return errors;
}
