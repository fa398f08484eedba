/**
 * whereabouts in the data-plane pass: its own plugin (v0.9.4) against a
 * real kube-apiserver (apiserver.ts), so pools and reservations are IPPool
 * objects (the pass gives every plugin the pod in CNI_ARGS as Multus does,
 * which is how whereabouts learns the pod). After the ADDs the pass prints
 * the IPPools' allocations and checks that each guest on a whereabouts
 * network uses the address whereabouts gave its pod interface (or, with an
 * AddressPlan, one that whereabouts gave no pod); after the probes it runs
 * the chains' DEL and checks that the pools are empty again.
 *
 * Without the tools (Go, the Go module proxy) the pass falls back to
 * host-local on the same range, one store per pool shared by all nodes, and
 * says so.
 */
import { Allocation, ControlPlane, LauncherPod, POOL_NAMESPACE, whereaboutsMissing } from './apiserver';
import { ClusterModel, Endpoint, podInterfaceName } from './model';
import { CNI_PATH } from '../conformance/cni/cni-runner';

/** One plugin ADD of a chain, kept for its DEL. */
export interface PluginCall {
  /** The node namespace the plugin ran in. */
  readonly node: string;
  readonly conf: any;
  readonly containerId: string;
  readonly podNs: string;
  readonly ifName: string;
  readonly pod: LauncherPod;
}

/** An attached interface, as far as the IPAM check needs it. */
export interface IpamEndpoint {
  readonly podNs: string;
  readonly endpoint: Endpoint;
}

function usesWhereabouts(conflist: any): boolean {
  return (conflist?.plugins ?? []).some((p: any) => p?.ipam?.type === 'whereabouts');
}

function stripPrefix(cidr: string): string {
  return cidr.split('/')[0];
}

/** whereabouts for one run of the pass. */
export class WhereaboutsIpam {
  /** The control plane for a model with whereabouts networks, started now; undefined (with the reason) when not. */
  static start(model: ClusterModel): { ipam?: WhereaboutsIpam; note?: string } {
    if (![...model.nads.values()].some(n => usesWhereabouts(n.conflist))) return {};
    const missing = whereaboutsMissing();
    if (missing) {
      return { note: `whereabouts: NOT RUN (${missing}); stood in by host-local on the same range, one store per pool shared by all nodes` };
    }
    return { ipam: new WhereaboutsIpam(ControlPlane.start()) };
  }

  private readonly calls: PluginCall[] = [];

  private constructor(private readonly plane: ControlPlane) {}

  /** Waits for the control plane; the line to print. */
  async ready(): Promise<string> {
    const ms = await this.plane.ready();
    return `whereabouts: its v0.9.4 plugin against kube-apiserver (etcd and kube-apiserver from .cluster/bin, whereabouts' CRDs from test/upstream-crds, up in ${(ms / 1000).toFixed(1)}s); IPPools in ${POOL_NAMESPACE}; the plugin reaches the API server from the host namespace`;
  }

  /** The IPAM config the chain runs with. */
  config(ipam: any): any {
    return this.plane.ipam(ipam);
  }

  /** The CNI_PATH under which the chains find the plugin. */
  env(): Record<string, string> {
    return { CNI_PATH: `${CNI_PATH}:${this.plane.pluginDir}` };
  }

  /** Keeps a plugin ADD for the DEL of its chain. */
  record(call: PluginCall): void {
    this.calls.push(call);
  }

  /** The ADDs of chains with whereabouts IPAM: a chain is a pod namespace, an interface and a network. */
  private chains(): PluginCall[] {
    const key = (c: PluginCall) => `${c.podNs}|${c.ifName}|${c.conf.name}`;
    const wanted = new Set(this.calls.filter(c => c.conf.ipam?.type === 'whereabouts').map(key));
    return this.calls.filter(c => wanted.has(key(c)));
  }

  /**
   * The allocations after the ADDs (one line) and a problem for each guest
   * on a whereabouts network whose address is not the one whereabouts gave
   * its pod interface (an AddressPlan address must be one whereabouts gave
   * no pod).
   */
  async check(attached: IpamEndpoint[]): Promise<{ line: string; problems: string[] }> {
    const list = await this.plane.allocations();
    const problems: string[] = [];
    let matched = 0;
    let planned = 0;
    for (const a of attached) {
      const call = this.calls.find(c => c.podNs === a.podNs && c.ifName === podInterfaceName(a.endpoint.iface) && c.conf.ipam?.type === 'whereabouts');
      if (!call) continue;
      const podRef = `${call.pod.namespace}/${call.pod.name}`;
      const mine = list.filter(x => x.podRef === podRef && x.ifName === call.ifName);
      const guest = stripPrefix(a.endpoint.address);
      if (a.endpoint.iface.plannedAddress !== undefined) {
        const holder = list.find(x => x.ip === guest);
        if (holder) problems.push(`MISMATCH ipam ${a.endpoint.label}: the guest's planned address ${guest} is also whereabouts' allocation for ${holder.podRef}:${holder.ifName} (pool ${holder.pool})`);
        else planned++;
        continue;
      }
      if (mine.length !== 1) {
        problems.push(`MISMATCH ipam ${a.endpoint.label}: whereabouts holds ${mine.length} allocations for ${podRef}:${call.ifName}, want 1`);
      } else if (mine[0].ip !== guest) {
        problems.push(`MISMATCH ipam ${a.endpoint.label}: the guest uses ${guest}, whereabouts allocated ${mine[0].ip} to ${podRef}:${call.ifName}`);
      } else {
        matched++;
      }
    }
    return { line: `whereabouts IPPools after ADD: ${poolCounts(list)}; ${matched} guests use the address whereabouts allocated to their pod${planned ? `, ${planned} use an AddressPlan address whereabouts gave no pod` : ''}`, problems };
  }

  /** Runs the chains' DEL (each pod's plugins in reverse) and checks that no allocation of these pods is left. */
  async release(del: (call: PluginCall) => void): Promise<{ line: string; problems: string[] }> {
    const before = (await this.plane.allocations()).length;
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const call of this.chains().reverse()) {
      try {
        del(call);
      } catch (e) {
        problems.push(`MISMATCH ipam DEL of ${call.pod.namespace}/${call.pod.name}:${call.ifName}: ${(e as Error).message}`);
      }
      seen.add(`${call.pod.namespace}/${call.pod.name}`);
    }
    const left = (await this.plane.allocations()).filter(a => seen.has(a.podRef));
    for (const a of left) problems.push(`MISMATCH ipam: DEL left ${a.ip} allocated to ${a.podRef}:${a.ifName} (pool ${a.pool})`);
    return { line: `whereabouts DEL: ${before - left.length} of ${before} allocations freed${left.length ? `, ${left.length} left` : ''}`, problems };
  }

  stop(): void {
    this.plane.stop();
  }
}

function poolCounts(list: Allocation[]): string {
  const by = new Map<string, number>();
  for (const a of list) by.set(a.pool, (by.get(a.pool) ?? 0) + 1);
  return `${list.length} allocations in ${by.size} pools (${[...by.entries()].map(([p, n]) => `${p}: ${n}`).join(', ')})`;
}
