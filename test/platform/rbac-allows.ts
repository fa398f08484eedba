/**
 * Whether one of the RBAC rules allows the verb on the resource (and, when a
 * name is given, on that named object), with '*' matching anything.
 */
export function allows(rules: any[], group: string, resource: string, verb: string, name?: string): boolean {
  return rules.some(r => r.apiGroups?.some((g: string) => g === group || g === '*')
    && r.resources?.some((x: string) => x === resource || x === '*')
    && r.verbs.some((v: string) => v === verb || v === '*')
    && (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))));
}
