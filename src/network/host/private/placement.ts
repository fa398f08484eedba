/**
 * Where a VM may be scheduled, as far as the host-network rule can prove it:
 * its `nodeSelector` and the required node affinity of its template, read as
 * Kubernetes reads them (terms ORed, the expressions of a term ANDed, all of
 * it ANDed with the nodeSelector).
 *
 * Only `In` with a single value pins a label, so only those expressions are
 * read. Any other requirement (`In` with several values, `NotIn`, `Exists`,
 * `DoesNotExist`, `Gt`, `Lt`, every `matchFields` entry) is left out and
 * listed with its term in `unread`: leaving a requirement out can only widen the set of
 * nodes the VM may land on, so a proof made without it still holds.
 */

/** One way the VM can be placed: labels every node of it carries. */
export interface PlacementOption {
  readonly labels: Readonly<Record<string, string>>;
  /**
   * 1-based number of the required node affinity term, for messages.
   * @default - the nodeSelector alone (no required node affinity)
   */
  readonly term?: number;
  /** Requirements of the term that were not read, e.g. `disk NotIn [hdd]`. */
  readonly unread: string[];
}

/** What the rule knows of where a VM may run. */
export interface VmNodePlacement {
  /**
   * The alternatives (ORed). Empty when every term contradicts itself or
   * the nodeSelector: the VM can be scheduled nowhere.
   */
  readonly options: PlacementOption[];
}

const isObject = (x: unknown): x is Record<string, any> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** `disk NotIn [hdd]`, `gpu Exists`. */
function describeRequirement(r: Record<string, any>, field: boolean): string {
  const values = Array.isArray(r.values) ? ` [${r.values.join(', ')}]` : '';
  return `${field ? 'field ' : ''}${String(r.key)} ${String(r.operator)}${values}`;
}

/** Whether a requirement pins one label to one value (`key In [value]`). */
function pinnedLabel(r: Record<string, any>): [string, string] | undefined {
  if (r.operator !== 'In' || typeof r.key !== 'string' || !Array.isArray(r.values) || r.values.length !== 1) return undefined;
  return typeof r.values[0] === 'string' ? [r.key, r.values[0]] : undefined;
}

/**
 * Reads the placement of a VM from its template's pod-level spec
 * (`spec.template.spec` of a VirtualMachine).
 */
export function readVmPlacement(templateSpec: unknown): VmNodePlacement {
  const spec = isObject(templateSpec) ? templateSpec : {};
  const nodeSelector: Record<string, string> = {};
  if (isObject(spec.nodeSelector)) {
    for (const [k, v] of Object.entries(spec.nodeSelector)) if (typeof v === 'string') nodeSelector[k] = v;
  }
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const terms = isObject(required) && Array.isArray(required.nodeSelectorTerms) ? required.nodeSelectorTerms : [];
  // Kubernetes refuses a required node affinity without terms; nothing to read.
  if (terms.length === 0) return { options: [{ labels: nodeSelector, unread: [] }] };

  const options: PlacementOption[] = [];
  terms.forEach((raw: unknown, i: number) => {
    const term = isObject(raw) ? raw : {};
    const expressions = Array.isArray(term.matchExpressions) ? term.matchExpressions.filter(isObject) : [];
    const fields = Array.isArray(term.matchFields) ? term.matchFields.filter(isObject) : [];
    // an empty term matches no node
    if (expressions.length === 0 && fields.length === 0) return;
    const labels: Record<string, string> = { ...nodeSelector };
    const unread: string[] = [];
    let contradiction = false;
    for (const e of expressions) {
      const pinned = pinnedLabel(e);
      if (pinned === undefined) {
        unread.push(describeRequirement(e, false));
        continue;
      }
      const [key, value] = pinned;
      if (labels[key] !== undefined && labels[key] !== value) contradiction = true;
      labels[key] = value;
    }
    for (const f of fields) unread.push(describeRequirement(f, true));
    // a term that asks for two values of one label matches no node
    if (!contradiction) options.push({ labels, term: i + 1, unread });
  });
  return { options };
}
