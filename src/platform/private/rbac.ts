import { k8s } from 'cdk8s-plus-33';

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
