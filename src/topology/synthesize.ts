import { ApiObject, Chart } from 'cdk8s';

/**
 * The documents of the charts. `chart.toJson()` validates the whole app each
 * time it is called, so it is called once per app; the other charts' objects
 * are rendered directly, each in its closest chart as cdk8s does.
 */
export function synthesize(charts: Chart[]): any[] {
  const validated = new Set<unknown>();
  const docs: any[] = [];
  for (const chart of charts) {
    const root = chart.node.root;
    if (!validated.has(root)) {
      validated.add(root);
      docs.push(...chart.toJson());
      continue;
    }
    for (const c of chart.node.findAll()) {
      if (ApiObject.isApiObject(c) && Chart.of(c) === chart) docs.push(c.toJson());
    }
  }
  return docs;
}
