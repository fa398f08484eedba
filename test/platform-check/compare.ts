/**
 * Field-by-field comparison of one synthesized platform object with the
 * object of the same kind and name in upstream's install. Each difference is
 * one `Difference`: the JSON path and both values (`undefined` when a side
 * does not have it).
 */

export type Json = any;

/** One difference between our object and upstream's. */
export interface Difference {
  readonly path: string;
  readonly ours: Json;
  readonly upstream: Json;
}

/** Removes what carries no meaning for a comparison: nulls, empty maps and lists. */
export function prune(v: Json): Json {
  if (Array.isArray(v)) return v.map(prune);
  if (v === null || typeof v !== 'object') return v;
  const out: Json = {};
  for (const [k, sub] of Object.entries(v)) {
    const p = prune(sub);
    if (p === null || p === undefined) continue;
    if (typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0) continue;
    if (Array.isArray(p) && p.length === 0) continue;
    out[k] = p;
  }
  return out;
}

/** Whether a value says nothing: absent, null, or an empty map or list after pruning. */
function empty(v: Json): boolean {
  if (v === undefined || v === null) return true;
  const p = prune(v);
  return typeof p === 'object' && (Array.isArray(p) ? p.length === 0 : Object.keys(p).length === 0);
}

/** Canonical JSON: sorted keys, so equal objects print equal. */
export function canon(v: Json): string {
  if (v === undefined) return '<absent>';
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys(v[k])]));
}

function same(a: Json, b: Json): boolean {
  return canon(a) === canon(b);
}

/** Compares two values as a whole; one difference if they differ. */
function whole(out: Difference[], path: string, ours: Json, upstream: Json): void {
  const o = empty(ours) ? undefined : prune(ours);
  const u = empty(upstream) ? undefined : prune(upstream);
  if (!same(o, u)) out.push({ path, ours: o, upstream: u });
}

/** Compares two lists of named items (containers, volumes, mounts) item by item. */
function byName(out: Difference[], path: string, ours: Json[] | undefined, upstream: Json[] | undefined,
  key: (x: Json) => string, each: (p: string, o: Json, u: Json) => void): void {
  const o = new Map((ours ?? []).map(x => [key(x), x]));
  const u = new Map((upstream ?? []).map(x => [key(x), x]));
  for (const name of new Set([...u.keys(), ...o.keys()])) {
    const p = `${path}[${name}]`;
    if (!o.has(name) || !u.has(name)) {
      out.push({ path: p, ours: o.has(name) ? prune(o.get(name)) : undefined, upstream: u.has(name) ? prune(u.get(name)) : undefined });
    } else {
      each(p, o.get(name), u.get(name));
    }
  }
}

/** The API server's defaults for the fields compared, applied to both sides. */
function portDefaults(ports: Json[] | undefined): Json[] | undefined {
  return ports?.map(p => ({ protocol: 'TCP', ...p }));
}

function probeDefaults(probe: Json): Json {
  if (!probe) return probe;
  const p = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...probe };
  if (p.httpGet) p.httpGet = { scheme: 'HTTP', ...p.httpGet };
  return p;
}

function volumeDefaults(v: Json): Json {
  const out = { ...v };
  if (out.configMap) out.configMap = { defaultMode: 0o644, ...out.configMap };
  if (out.secret) out.secret = { defaultMode: 0o644, ...out.secret };
  if (out.hostPath) out.hostPath = { type: '', ...out.hostPath, path: out.hostPath.path.replace(/(.)\/$/, '$1') };
  return out;
}

const CONTAINER_FIELDS = ['image', 'command', 'args', 'workingDir', 'securityContext', 'terminationMessagePolicy'];

function container(out: Difference[], path: string, o: Json, u: Json): void {
  for (const f of CONTAINER_FIELDS) whole(out, `${path}.${f}`, o[f], u[f]);
  byName(out, `${path}.env`, o.env, u.env, e => e.name, (p, a, b) => whole(out, p, a, b));
  byName(out, `${path}.ports`, portDefaults(o.ports), portDefaults(u.ports), p => p.name ?? String(p.containerPort), (p, a, b) => whole(out, p, a, b));
  for (const f of ['livenessProbe', 'readinessProbe', 'startupProbe']) whole(out, `${path}.${f}`, probeDefaults(o[f]), probeDefaults(u[f]));
  byName(out, `${path}.volumeMounts`, o.volumeMounts, u.volumeMounts, m => m.mountPath, (p, a, b) => whole(out, p, a, b));
}

const POD_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC', 'tolerations', 'affinity', 'priorityClassName', 'serviceAccountName', 'nodeSelector', 'securityContext'];

/** Compares a DaemonSet's or Deployment's pod template and the workload fields around it. */
function workload(out: Difference[], o: Json, u: Json): void {
  whole(out, 'spec.selector', o.spec?.selector, u.spec?.selector);
  const op = o.spec?.template?.spec ?? {};
  const up = u.spec?.template?.spec ?? {};
  for (const f of POD_FIELDS) whole(out, `spec.template.spec.${f}`, op[f], up[f]);
  for (const list of ['initContainers', 'containers']) {
    byName(out, `spec.template.spec.${list}`, op[list], up[list], c => c.name, (p, a, b) => container(out, p, a, b));
  }
  byName(out, 'spec.template.spec.volumes', op.volumes?.map(volumeDefaults), up.volumes?.map(volumeDefaults), v => v.name, (p, a, b) => whole(out, p, a, b));
}

/** One grant: a verb on a group's resource (optionally one named object), or on a URL. */
interface Grant {
  readonly key: string;
  readonly verb: string;
  readonly group?: string;
  readonly resource?: string;
  readonly name?: string;
  readonly url?: string;
}

/** Every grant the rules write out, with wildcards kept as written. */
function grants(rules: Json[] | undefined): Grant[] {
  const out: Grant[] = [];
  for (const r of rules ?? []) {
    for (const url of r.nonResourceURLs ?? []) for (const verb of r.verbs ?? []) out.push({ key: `url=${url}`, verb, url });
    for (const group of r.apiGroups ?? []) {
      for (const resource of r.resources ?? []) {
        const names: string[] = r.resourceNames?.length ? r.resourceNames : [''];
        for (const name of names) {
          const key = `apiGroups=${group === '' ? '""' : group},resources=${resource}${name ? `,resourceNames=${name}` : ''}`;
          for (const verb of r.verbs ?? []) out.push({ key, verb, group, resource, name });
        }
      }
    }
  }
  return out;
}

/** Whether the rules allow the grant, as the RBAC authorizer matches them. */
function covers(rules: Json[] | undefined, g: Grant): boolean {
  const has = (list: string[] | undefined, v: string) => (list ?? []).some(x => x === '*' || x === v);
  return (rules ?? []).some(r => {
    if (!has(r.verbs, g.verb)) return false;
    if (g.url !== undefined) return (r.nonResourceURLs ?? []).some((u: string) => u === g.url || u === '*' || (u.endsWith('*') && g.url!.startsWith(u.slice(0, -1))));
    if (!has(r.apiGroups, g.group!) || !has(r.resources, g.resource!)) return false;
    const names: string[] = r.resourceNames ?? [];
    return names.length === 0 || (g.name !== '' && names.includes(g.name!));
  });
}

/**
 * Compares RBAC rules by what they allow: per group and resource, the verbs
 * upstream grants that ours does not (`missing`), and the verbs ours grants
 * that upstream does not (`extra`).
 */
function rbac(out: Difference[], o: Json, u: Json): void {
  const group = (list: Grant[]) => {
    const m = new Map<string, string[]>();
    for (const g of list) m.set(g.key, [...(m.get(g.key) ?? []), g.verb]);
    return m;
  };
  const missing = group(grants(u.rules).filter(g => !covers(o.rules, g)));
  const extra = group(grants(o.rules).filter(g => !covers(u.rules, g)));
  for (const [k, verbs] of [...missing].sort()) out.push({ path: `rules[${k}] missing`, ours: undefined, upstream: [...new Set(verbs)].sort() });
  for (const [k, verbs] of [...extra].sort()) out.push({ path: `rules[${k}] extra`, ours: [...new Set(verbs)].sort(), upstream: undefined });
  whole(out, 'aggregationRule', o.aggregationRule, u.aggregationRule);
}

function binding(out: Difference[], o: Json, u: Json): void {
  whole(out, 'roleRef', o.roleRef, u.roleRef);
  const key = (s: Json) => `${s.kind}/${s.namespace ?? ''}/${s.name}`;
  whole(out, 'subjects', (o.subjects ?? []).map(key).sort(), (u.subjects ?? []).map(key).sort());
}

/** ConfigMap data; values that are JSON documents are compared parsed. */
function configMap(out: Difference[], o: Json, u: Json): void {
  const parse = (s: string) => {
    try {
      return JSON.parse(s);
    } catch {
      return typeof s === 'string' ? s.trim() : s;
    }
  };
  const od = o.data ?? {};
  const ud = u.data ?? {};
  for (const k of new Set([...Object.keys(ud), ...Object.keys(od)])) {
    whole(out, `data[${k}]`, k in od ? parse(od[k]) : undefined, k in ud ? parse(ud[k]) : undefined);
  }
}

function service(out: Difference[], o: Json, u: Json): void {
  for (const f of ['type', 'selector', 'clusterIP']) whole(out, `spec.${f}`, o.spec?.[f], u.spec?.[f]);
  byName(out, 'spec.ports', portDefaults(o.spec?.ports), portDefaults(u.spec?.ports), p => p.name ?? String(p.port), (p, a, b) => whole(out, p, a, b));
}

function typeOf(s: Json): string {
  if (s?.['x-kubernetes-int-or-string']) return 'int-or-string';
  return s?.type ?? 'untyped';
}

/** Every CEL rule in a schema, with the path of the node that holds it. */
function celRules(s: Json, path: string, acc: string[]): string[] {
  if (!s || typeof s !== 'object') return acc;
  for (const r of s['x-kubernetes-validations'] ?? []) acc.push(`${path}: ${r.rule}`);
  for (const [k, sub] of Object.entries<Json>(s.properties ?? {})) celRules(sub, `${path}.${k}`, acc);
  if (s.items) celRules(s.items, `${path}[]`, acc);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') celRules(s.additionalProperties, `${path}{}`, acc);
  return acc;
}

const SCHEMA_SCALARS = [
  'enum', 'format', 'default', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'maxProperties',
  'x-kubernetes-map-type', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-embedded-resource', 'nullable',
];

/**
 * Compares two OpenAPI schemas node by node. A node we leave open
 * (`x-kubernetes-preserve-unknown-fields`) where upstream lists its fields
 * is one difference, and the CEL rules upstream keeps below it are listed,
 * since an open node drops them.
 */
export function schema(out: Difference[], path: string, o: Json, u: Json): void {
  if (o === undefined || u === undefined) {
    out.push({ path, ours: o === undefined ? undefined : typeOf(o), upstream: u === undefined ? undefined : typeOf(u) });
    if (o === undefined && u !== undefined) {
      const rules = celRules(u, path, []);
      if (rules.length) out.push({ path: `${path} (CEL rules)`, ours: undefined, upstream: rules });
    }
    return;
  }
  if (typeOf(o) !== typeOf(u)) {
    out.push({ path: `${path}.type`, ours: typeOf(o), upstream: typeOf(u) });
    return;
  }
  for (const f of SCHEMA_SCALARS) {
    const ov = f === 'enum' && o[f] ? [...o[f]].sort() : o[f];
    const uv = f === 'enum' && u[f] ? [...u[f]].sort() : u[f];
    whole(out, `${path}.${f}`, ov, uv);
  }
  whole(out, `${path}.required`, o.required ? [...o.required].sort() : undefined, u.required ? [...u.required].sort() : undefined);
  const rules = (s: Json) => (s['x-kubernetes-validations'] ?? []).map((r: Json) => r.rule).sort();
  whole(out, `${path}.x-kubernetes-validations`, rules(o), rules(u));
  const oOpen = !!o['x-kubernetes-preserve-unknown-fields'];
  const uOpen = !!u['x-kubernetes-preserve-unknown-fields'];
  const oProps = o.properties ?? {};
  const uProps = u.properties ?? {};
  const undeclared = Object.keys(uProps).filter(k => !(k in oProps)).sort();
  if (oOpen !== uOpen) {
    out.push({
      path: `${path}.x-kubernetes-preserve-unknown-fields`,
      ours: oOpen || undefined,
      upstream: uOpen ? true : (undeclared.length ? `closed, declares ${undeclared.length} fields we leave undeclared` : undefined),
    });
  }
  for (const k of Object.keys({ ...uProps, ...oProps }).sort()) {
    if (!(k in oProps) && oOpen) {
      // one line for the open node above; CEL rules below still count
      const lost = celRules(uProps[k], `${path}.${k}`, []);
      if (lost.length) out.push({ path: `${path}.properties.${k} (CEL rules)`, ours: undefined, upstream: lost });
      continue;
    }
    schema(out, `${path}.properties.${k}`, oProps[k], uProps[k]);
  }
  if (o.items || u.items) schema(out, `${path}.items`, o.items, u.items);
  const oa = typeof o.additionalProperties === 'object' ? o.additionalProperties : undefined;
  const ua = typeof u.additionalProperties === 'object' ? u.additionalProperties : undefined;
  if (oa || ua) schema(out, `${path}.additionalProperties`, oa, ua);
}

function crd(out: Difference[], o: Json, u: Json): void {
  whole(out, 'spec.group', o.spec?.group, u.spec?.group);
  whole(out, 'spec.scope', o.spec?.scope, u.spec?.scope);
  const sorted = (l: string[] | undefined) => (l ? [...l].sort() : undefined);
  const names = (n: Json) => n && { ...n, shortNames: sorted(n.shortNames), categories: sorted(n.categories) };
  whole(out, 'spec.names', names(o.spec?.names), names(u.spec?.names));
  byName(out, 'spec.versions', o.spec?.versions, u.spec?.versions, v => v.name, (p, a, b) => {
    for (const f of ['served', 'storage', 'deprecated', 'subresources']) whole(out, `${p}.${f}`, a[f], b[f]);
    schema(out, `${p}.schema`, a.schema?.openAPIV3Schema, b.schema?.openAPIV3Schema);
  });
}

/** Compares two objects of the same kind; returns the differences. */
export function compare(o: Json, u: Json): Difference[] {
  const out: Difference[] = [];
  switch (o.kind) {
    case 'DaemonSet':
    case 'Deployment':
      workload(out, o, u);
      if (o.kind === 'Deployment') whole(out, 'spec.replicas', o.spec?.replicas ?? 1, u.spec?.replicas ?? 1);
      break;
    case 'ClusterRole':
    case 'Role':
      rbac(out, o, u);
      break;
    case 'ClusterRoleBinding':
    case 'RoleBinding':
      binding(out, o, u);
      break;
    case 'ConfigMap':
      configMap(out, o, u);
      break;
    case 'Service':
      service(out, o, u);
      break;
    case 'CustomResourceDefinition':
      crd(out, o, u);
      break;
    case 'PriorityClass':
      for (const f of ['value', 'globalDefault', 'preemptionPolicy']) whole(out, f, o[f], u[f]);
      break;
    default:
      break;
  }
  return out;
}
