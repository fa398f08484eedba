/**
 * whereabouts against a real control plane, for the data-plane pass and its
 * tests: etcd and kube-apiserver from .cluster/bin (`check-cluster --serve`,
 * test/cluster/kube) with whereabouts' own CRDs (test/upstream-crds/whereabouts,
 * written by the net-crds tool from whereabouts v0.9.4), and whereabouts'
 * CNI plugin built from its upstream main package at v0.9.4
 * (test/cluster/whereabouts). Pools and reservations are IPPool and
 * OverlappingRangeIPReservation objects in that API server.
 *
 * The plugin finds the API server through its flat file, as its docs
 * describe (doc/extended-configuration.md at v0.9.4): `configuration_path`
 * in the IPAM config names a JSON file with `kubernetes.kubeconfig`
 * (pkg/config/config.go GetFlatIPAM, merged into the IPAM config). It learns
 * the pod from CNI_ARGS K8S_POD_NAME/K8S_POD_NAMESPACE, as Multus passes
 * them (config.go LoadIPAMConfig), and keeps its pools in the kubeconfig
 * context's namespace, kube-system when the context names none
 * (pkg/storage/kubernetes/ipam.go wbNamespaceFromCtx).
 */
import { ChildProcess, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatIp, parseCidr } from '../../src/validation';
import { kubeconfigClient } from '../conformance/nodeparts/control-plane';

const REPO = path.resolve(__dirname, '..', '..');
const BIN = process.env.CLUSTER_TOOLS_BIN ?? path.join(REPO, '.cluster', 'bin');
export const WHEREABOUTS_BIN = path.join(BIN, 'whereabouts');
const CHECK_CLUSTER = path.join(BIN, 'check-cluster');
const CRDS = path.join(REPO, 'test', 'upstream-crds', 'whereabouts');
/** Where whereabouts keeps its pools: the kubeconfig names no namespace. */
export const POOL_NAMESPACE = 'kube-system';
const POOL_API = `/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/${POOL_NAMESPACE}`;
const POOL_KINDS = ['ippools', 'overlappingrangeipreservations'];

/** Why whereabouts cannot run against a control plane here, or undefined when it can. */
export function whereaboutsMissing(): string | undefined {
  const missing: string[] = [];
  for (const tool of ['etcd', 'kube-apiserver', 'check-cluster', 'whereabouts']) {
    if (!fs.existsSync(path.join(BIN, tool))) missing.push(tool);
  }
  if (missing.length > 0) return `${missing.join(', ')} not built in ${path.relative(REPO, BIN)} (npm run cluster:build -- etcd kube whereabouts)`;
  if (!fs.existsSync(CRDS)) return `${path.relative(REPO, CRDS)} is absent (npm run cluster:crds)`;
  return undefined;
}

/** One reservation of an IPPool. */
export interface Allocation {
  readonly pool: string;
  readonly ip: string;
  readonly containerId: string;
  readonly podRef: string;
  readonly ifName: string;
}

/** The launcher pod KubeVirt would run a VM in, as Multus names it to the plugins. */
export interface LauncherPod {
  readonly namespace: string;
  readonly name: string;
  readonly containerId: string;
}

/**
 * virt-launcher-<vm>-<5 characters>: KubeVirt names the pod with
 * generateName (pkg/virt-controller/services/template.go at v1.9.0); the
 * suffix here is derived from `attempt`, so a second pod of the same VM (a
 * migration target) gets another name and container.
 */
export function launcherPod(namespace: string, vm: string, containerId: string, attempt = 0): LauncherPod {
  const suffix = crypto.createHash('sha256').update(`${namespace}/${vm}#${attempt}`).digest('hex').slice(0, 5);
  return { namespace, name: `virt-launcher-${vm}-${suffix}`, containerId };
}

/** CNI_ARGS as Multus passes them to a pod's delegates. */
export function cniArgs(pod: LauncherPod): string {
  return `IgnoreUnknown=1;K8S_POD_NAMESPACE=${pod.namespace};K8S_POD_NAME=${pod.name};K8S_POD_INFRA_CONTAINER_ID=${pod.containerId}`;
}

/** A control plane for whereabouts, up until stop(). */
export class ControlPlane {
  /** Starts the control plane; `ready()` waits for it. */
  static start(): ControlPlane {
    const missing = whereaboutsMissing();
    if (missing) throw new Error(`whereabouts cannot run against a control plane: ${missing}`);
    return new ControlPlane();
  }

  readonly dir: string;
  readonly kubeconfig: string;
  /** The flat file whereabouts reads (its `configuration_path`). */
  readonly flatFile: string;
  /** A CNI_PATH entry holding the plugin under its type name (see the constructor). */
  readonly pluginDir: string;
  private readonly child: ChildProcess;
  private readonly up: Promise<void>;
  private readonly started = Date.now();
  private output = '';
  private stopped = false;
  private client?: (method: string, urlPath: string) => Promise<any>;

  private constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplane-apiserver-'));
    this.kubeconfig = path.join(this.dir, 'kubeconfig');
    this.flatFile = path.join(this.dir, 'whereabouts.conf');
    this.pluginDir = path.join(this.dir, 'cni');
    fs.mkdirSync(this.pluginDir);
    // The plugins run in a node's network namespace, which cannot reach this
    // namespace's loopback where the API server listens; the plugin under
    // its type name enters this process's network namespace first, as a
    // node reaches its API server over the node's own network.
    fs.writeFileSync(path.join(this.pluginDir, 'whereabouts'),
      `#!/bin/sh\nexec nsenter --net=/proc/${process.pid}/ns/net -- ${WHEREABOUTS_BIN} "$@"\n`, { mode: 0o755 });
    fs.writeFileSync(this.flatFile, JSON.stringify({ datastore: 'kubernetes', kubernetes: { kubeconfig: this.kubeconfig } }));
    // standard input stays open: the server stops when this process dies
    this.child = spawn(CHECK_CLUSTER, ['--serve', this.kubeconfig, '--crds', CRDS], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.up = new Promise((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        this.output += chunk.toString();
        if (/^serving /m.test(this.output)) resolve();
      };
      this.child.stdout!.on('data', seen);
      this.child.stderr!.on('data', seen);
      this.child.on('exit', code => reject(new Error(`the control plane exited (${code}) before it served:\n${this.output.trim()}`)));
      this.child.on('error', reject);
    });
    this.up.catch(() => undefined);
  }

  /** Waits until the API server serves whereabouts' kinds and the pool namespace; returns the time taken (ms). */
  async ready(): Promise<number> {
    await this.up;
    const deadline = Date.now() + 30_000;
    // kube-apiserver makes kube-system shortly after it reports ready, and
    // serves a new CRD's objects shortly after the CRD is Established
    for (const what of [`/api/v1/namespaces/${POOL_NAMESPACE}`, ...POOL_KINDS.map(k => `${POOL_API}/${k}`)]) {
      for (;;) {
        try {
          await this.get(what);
          break;
        } catch (e) {
          if (Date.now() > deadline) throw e;
          await new Promise(r => setTimeout(r, 100));
        }
      }
    }
    return Date.now() - this.started;
  }

  /** The IPAM config to run: the NAD's whereabouts IPAM with the flat file that names the API server. */
  ipam(ipam: any): any {
    return { ...ipam, configuration_path: this.flatFile };
  }

  /** GET on the API server as the admin user. */
  get(urlPath: string): Promise<any> {
    // the kubeconfig is written once the server is up
    this.client ??= kubeconfigClient(this.kubeconfig);
    return this.client('GET', urlPath);
  }

  /** Every reservation of every IPPool, in pool and address order. */
  async allocations(): Promise<Allocation[]> {
    const list = await this.get(`${POOL_API}/ippools`);
    const out: Allocation[] = [];
    for (const pool of list.items ?? []) {
      const range = parseCidr(pool.spec?.range);
      if (!range) throw new Error(`IPPool ${pool.metadata.name} has a range that does not parse: ${pool.spec?.range}`);
      const entries = Object.entries<any>(pool.spec.allocations ?? {}).sort(([a], [b]) => Number(a) - Number(b));
      for (const [offset, a] of entries) {
        // the key is the offset from the range's first address (ipam.go toIPReservationList)
        out.push({ pool: pool.metadata.name, ip: formatIp(range.version, range.first + BigInt(offset)), containerId: a.id, podRef: a.podref, ifName: a.ifname ?? '' });
      }
    }
    return out;
  }

  /** Names of the OverlappingRangeIPReservations (one per address reserved cluster-wide). */
  async reservations(): Promise<string[]> {
    const list = await this.get(`${POOL_API}/overlappingrangeipreservations`);
    return (list.items ?? []).map((r: any) => r.metadata.name).sort();
  }

  /** Stops the control plane (check-cluster stops its etcd and kube-apiserver) and removes its files. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.child.kill('SIGTERM');
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Stops and waits for the control plane to be gone. */
  async stopAndWait(): Promise<void> {
    const gone = this.child.exitCode !== null || this.child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>(r => this.child.once('exit', () => r()));
    this.stop();
    await gone;
  }
}

/** One line for the allocations: count, pools, and each address with its pod and interface. */
export function allocationSummary(list: Allocation[]): string {
  const pools = [...new Set(list.map(a => a.pool))];
  const each = list.map(a => `${a.ip} ${a.podRef}:${a.ifName}`).join(', ');
  return `${list.length} allocations in ${pools.length} IPPools${pools.length ? ` (${pools.join(', ')})` : ''}${each ? `: ${each}` : ''}`;
}
