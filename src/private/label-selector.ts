/**
 * Kubernetes label selector matching (metav1.LabelSelector: matchLabels and
 * matchExpressions with In, NotIn, Exists, DoesNotExist), shared by the VM
 * rules and the picture.
 */

/** A label selector as written in a manifest. */
export interface LabelSelectorLike {
  readonly matchLabels?: { [key: string]: string };
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

/** Whether a label selector selects `labels`; an unknown operator selects nothing. */
export function labelSelectorMatches(selector: LabelSelectorLike, labels: { [key: string]: string }): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  return byLabel && (selector.matchExpressions ?? []).every(e => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': return has && values.includes(labels[e.key]);
      case 'NotIn': return !has || !values.includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}
