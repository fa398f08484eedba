import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';

/** One RBAC rule; verbs and resources are kept in the order given. */
export function rule(apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]): k8s.PolicyRule {
  return { apiGroups, resources, verbs, ...(resourceNames ? { resourceNames } : {}) };
}

/** A rule for non-resource URLs. */
export function urlRule(nonResourceUrLs: string[], verbs: string[]): k8s.PolicyRule {
  return { nonResourceUrLs, verbs };
}

/** Read verbs. */
export const READ = ['get', 'list', 'watch'];
/** Create, read, update, patch and delete (no deletecollection). */
export const CRUD = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
/** Every verb of a resource, spelled out. */
export const ALL = [...CRUD, 'deletecollection'];

/** A Role or ClusterRole and its binding to one service account. */
export interface RoleGrant {
  /** Name of the role. */
  readonly name: string;
  /** Name of the binding; the role's name when left out. */
  readonly bindingName?: string;
  /** Namespace of a Role and its binding; a ClusterRole when left out. */
  readonly namespace?: string;
  /** Labels of the role and the binding. */
  readonly labels?: { [key: string]: string };
  readonly rules: k8s.PolicyRule[];
  /** The service account the role is bound to. */
  readonly subject: k8s.Subject;
  /** Construct id of the role (the binding's adds `Binding`); `Role` or `ClusterRole` when left out. */
  readonly id?: string;
}

/** Writes a role and then its binding (see `RoleGrant`). */
export function grant(scope: Construct, g: RoleGrant): void {
  const kind = g.namespace === undefined ? 'ClusterRole' : 'Role';
  const id = g.id ?? kind;
  const metadata = (name: string): k8s.ObjectMeta => ({
    name, ...(g.namespace !== undefined ? { namespace: g.namespace } : {}), ...(g.labels ? { labels: g.labels } : {}),
  });
  const binding = { metadata: metadata(g.bindingName ?? g.name), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: g.name }, subjects: [g.subject] };
  if (g.namespace === undefined) {
    new k8s.KubeClusterRole(scope, id, { metadata: metadata(g.name), rules: g.rules });
    new k8s.KubeClusterRoleBinding(scope, `${id}Binding`, binding);
  } else {
    new k8s.KubeRole(scope, id, { metadata: metadata(g.name), rules: g.rules });
    new k8s.KubeRoleBinding(scope, `${id}Binding`, binding);
  }
}
