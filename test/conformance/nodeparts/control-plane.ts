/**
 * A throw-away control plane for the node-part runs: etcd and kube-apiserver
 * as check-cluster starts them (`check-cluster --serve`, test/cluster/kube:
 * its own certificates, RBAC authorization and service account token
 * signing), and a small client that creates objects with the admin
 * credentials of the kubeconfig it writes and asks for service account
 * tokens (TokenRequest), so a node part reaches the API server with its own
 * service account and RBAC.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';

export const CLUSTER_BIN = path.resolve(__dirname, '..', '..', '..', '.cluster', 'bin');

/** A running control plane. */
export interface ControlPlane {
  readonly port: number;
  /** The CA that signed the serving certificate (what a pod's ca.crt holds). */
  readonly caCert: string;
  /** Calls the API as cluster admin; resolves with the decoded body, rejects on a status of 400 or more. */
  request(method: string, urlPath: string, body?: unknown): Promise<any>;
  /** Creates each object at its REST path. */
  create(objects: any[]): Promise<void>;
  /** A token of a service account (TokenRequest). */
  token(namespace: string, name: string): Promise<string>;
  stop(): Promise<void>;
}

/** A kubeconfig's server and admin credentials (as check-cluster --serve writes it: one cluster, one user). */
function readKubeconfig(kubeconfig: string): { server: URL; ca: Buffer; cert: Buffer; key: Buffer } {
  const cfg = JSON.parse(fs.readFileSync(kubeconfig, 'utf-8'));
  const user = cfg.users[0].user;
  const b = (s: string) => Buffer.from(s, 'base64');
  return {
    server: new URL(cfg.clusters[0].cluster.server),
    ca: b(cfg.clusters[0].cluster['certificate-authority-data']),
    cert: b(user['client-certificate-data']),
    key: b(user['client-key-data']),
  };
}

/**
 * A client of the API server a kubeconfig names, as its user: resolves with
 * the decoded body (JSON, else text), rejects on a status of 400 or more.
 */
export function kubeconfigClient(kubeconfig: string): (method: string, urlPath: string, body?: unknown) => Promise<any> {
  const { server, ca, cert, key } = readKubeconfig(kubeconfig);
  return (method, urlPath, body) => new Promise<any>((resolve, reject) => {
    const req = https.request({
      host: server.hostname, port: server.port, path: urlPath, method, ca, cert, key, headers: { 'Content-Type': 'application/json' }, timeout: 10_000,
    }, res => {
      let data = '';
      res.on('data', d => { data += String(d); });
      res.on('end', () => {
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`${method} ${urlPath}: HTTP ${res.statusCode}: ${data.trim()}`));
        else resolve(data.startsWith('{') ? JSON.parse(data) : data);
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
}

/** The REST collection of an object. */
function collection(o: any): string {
  const group = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const plural = o.kind === 'NetworkAttachmentDefinition' ? 'network-attachment-definitions' : `${o.kind.toLowerCase()}s`;
  return o.metadata.namespace ? `${group}/namespaces/${o.metadata.namespace}/${plural}` : `${group}/${plural}`;
}

/**
 * Starts etcd and kube-apiserver with `check-cluster --serve`, installing the
 * CustomResourceDefinitions of `crdDir` (check-cluster waits until they are
 * established); throws when the tools are not built.
 */
export async function startControlPlane(crdDir: string): Promise<ControlPlane> {
  for (const b of ['etcd', 'kube-apiserver', 'check-cluster']) {
    if (!fs.existsSync(path.join(CLUSTER_BIN, b))) throw new Error(`${b} is not built: run test/cluster/build.sh etcd kube`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-plane-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  // standard input stays open: the server stops when it closes
  const child = spawn(path.join(CLUSTER_BIN, 'check-cluster'), ['--serve', kubeconfig, '--crds', crdDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>(r => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const seen = (d: Buffer) => {
        output += String(d);
        if (/^serving /m.test(output)) resolve();
      };
      child.stdout!.on('data', seen);
      child.stderr!.on('data', seen);
      child.once('exit', code => reject(new Error(`check-cluster --serve exited (${code}) before it served`)));
      child.once('error', reject);
    });
  } catch (e) {
    await stop();
    throw new Error(`the control plane did not come up: ${e}\n${output.slice(-2000)}`);
  }
  const request = kubeconfigClient(kubeconfig);
  const create = async (objects: any[]) => {
    for (const o of objects) await request('POST', collection(o), o);
  };
  const token = async (namespace: string, name: string) => (await request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } })).status.token as string;
  const { server, ca } = readKubeconfig(kubeconfig);
  return { port: Number(server.port), caCert: ca.toString('utf-8'), request, create, token, stop };
}
