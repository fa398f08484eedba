import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { formatPropError } from '../validation';

const covered = new WeakSet<IConstruct>();

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
  const root = scope.node.root;
  if (covered.has(root)) return;
  covered.add(root);
  // cdk8s prefixes messages with the path of the construct holding the
  // validation: the chart reads better than the app's empty path
  const holder = Chart.isChart(scope) ? scope : Chart.of(scope);
  holder.node.addValidation({ validate: () => duplicateObjects(root) });
}

function duplicateObjects(root: IConstruct): string[] {
  const first = new Map<string, ApiObject>();
  const errors: string[] = [];
  for (const c of root.node.findAll()) {
    if (!(c instanceof ApiObject) || c.kind === 'NetworkAttachmentDefinition') continue;
    const namespace = c.metadata.namespace;
    const key = `${c.apiGroup}\u0000${c.kind}\u0000${namespace ?? ''}\u0000${c.name}`;
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, c);
      continue;
    }
    const where = namespace ? ` in namespace '${namespace}'` : '';
    errors.push(formatPropError('metadata.name', c.name,
      `names two ${c.kind} objects${where}, at ${earlier.node.path} and ${c.node.path}; the cluster would keep only one`,
      'give one of the constructs that create them another name'));
  }
  return errors;
}
