import * as childProcess from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { buildTopologyModel, TopologyModel } from './build-model';
import { DAY_TWO_KINDS, DAY_TWO_LEGEND, LEGEND, renderDot, renderMermaid } from './render';
import { synthesize } from './synthesize';
import { TopologyEdge, TopologyNode, TopologyNodeKind, TopologyWriteOptions } from './topology-types';
import { libraryError } from '../validation/errors';
import { requireShape, Shape } from '../validation/shape';
import { requireArray, requireInstance } from '../validation/types';

/**
 * A picture of a synthesized cluster: networks with their VLANs and ranges,
 * VMs grouped into fleets and pools, golden images, snapshots, the storage
 * network and Ceph, the host bridges under the networks, and the
 * MultiNetworkPolicies that guard them. It reads the synthesized manifests (not the constructs),
 * so it shows exactly what would be applied, including hand-written objects.
 *
 * VMs that share the `kubevirt.cdk8s.io/fleet` label in a namespace become one
 * node (`workers ×3`), so the picture stays small for fleets of any size.
 *
 * @example
 *
 * const app = new App();
 * // ... charts ...
 * app.synth();
 * Topology.fromApp(app).writeFiles(); // dist/topology.md, .dot, .svg
 */
export class Topology {
  /**
   * Draws every chart of an app.
   *
   * The app's validations run once (as in `app.synth()`), then every object
   * is rendered once. A program that already holds the documents can pass
   * them to `fromManifests` instead.
   */
  public static fromApp(app: App): Topology {
    requireInstance(undefined, 'app', app, App, 'new App() from cdk8s, holding the charts to draw');
    return new Topology(synthesize(app.charts), app.outdir);
  }

  /**
   * Draws the given charts, running the validations of their app once.
   */
  public static fromCharts(charts: Chart[]): Topology {
    const list = requireArray<Chart>(undefined, 'charts', charts, (c, prop) => requireInstance(undefined, prop, c, Chart, 'list cdk8s Charts'));
    return new Topology(synthesize(list));
  }

  /**
   * Draws manifests that are already synthesized (plain JSON objects, e.g.
   * parsed from the YAML files). Documents the picture does not know are
   * ignored.
   */
  public static fromManifests(manifests: any[]): Topology {
    // entries may be anything a YAML parser yields (null for an empty document): those are ignored
    return new Topology(requireArray<any>(undefined, 'manifests', manifests));
  }

  private readonly model: TopologyModel;
  private readonly outdir?: string;

  private constructor(manifests: any[], outdir?: string) {
    this.model = buildTopologyModel(manifests);
    this.outdir = outdir;
  }

  /** Every node, sorted by id. */
  public get nodes(): TopologyNode[] {
    return this.model.nodes.map(n => ({ ...n, details: [...n.details], ranges: [...n.ranges] }));
  }

  /** Every edge, sorted by source id, target id and kind. */
  public get edges(): TopologyEdge[] {
    return this.model.edges.map(e => ({ ...e }));
  }

  /**
   * The nodes of one kind, sorted by id.
   *
   * @param kind what the nodes stand for
   */
  public nodesOfKind(kind: TopologyNodeKind): TopologyNode[] {
    return this.nodes.filter(n => n.kind === kind);
  }

  /** The picture as a Mermaid `flowchart LR`, one subgraph per namespace. */
  public toMermaid(): string {
    return renderMermaid(this.model);
  }

  /** The picture as a Graphviz digraph, one cluster per namespace. */
  public toDot(): string {
    return renderDot(this.model);
  }

  /** `topology.md`: a heading, a legend and the Mermaid diagram. */
  public toMarkdown(): string {
    return [
      '# Cluster topology',
      '',
      'Drawn from the synthesized manifests by cdk8s-kubevirt.',
      '',
      ...LEGEND.map(l => `- ${l}`),
      ...(this.model.nodes.some(n => DAY_TWO_KINDS.has(n.kind)) ? [`- ${DAY_TWO_LEGEND}`] : []),
      '',
      '```mermaid',
      this.toMermaid().trimEnd(),
      '```',
      '',
    ].join('\n');
  }

  /**
   * Writes `topology.md` and `topology.dot` into `outdir`, and
   * `topology.svg` when Graphviz `dot` is installed. Without Graphviz the SVG
   * is skipped with a message on the console; nothing else needs it.
   *
   * @param outdir directory to write into; when left out, the app's outdir
   * for `fromApp`, else `dist`
   * @param options what to render
   * @returns the paths of the files written
   */
  public writeFiles(outdir?: string, options: TopologyWriteOptions = {}): string[] {
    Shape.optString(undefined, 'outdir', outdir);
    requireShape(undefined, 'options', options, { svg: Shape.optBoolean, dotCommand: Shape.optString });
    const dir = outdir ?? this.outdir ?? 'dist';
    fs.mkdirSync(dir, { recursive: true });
    const md = path.join(dir, 'topology.md');
    const dot = path.join(dir, 'topology.dot');
    fs.writeFileSync(md, this.toMarkdown());
    fs.writeFileSync(dot, this.toDot());
    const written = [md, dot];
    if (options.svg === false) return written;

    const svg = path.join(dir, 'topology.svg');
    const command = options.dotCommand ?? 'dot';
    const run = childProcess.spawnSync(command, ['-Tsvg', '-o', svg, dot], { encoding: 'utf-8' });
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') {
      console.warn(`topology: Graphviz '${command}' is not installed, skipped ${svg}; install graphviz to get the SVG`);
      return written;
    }
    if (run.error || run.status !== 0) {
      throw libraryError(`topology: '${command} -Tsvg' failed on ${dot}: ${run.error?.message ?? run.stderr.trim()}`);
    }
    written.push(svg);
    return written;
  }
}
