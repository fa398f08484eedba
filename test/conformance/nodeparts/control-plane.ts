/**
 * A throw-away control plane for the node-part runs: etcd and kube-apiserver
 * from .cluster/bin (test/cluster/build.sh etcd kube), certificates made with
 * openssl, and a small client that creates objects with the admin
 * certificate and asks for service account tokens (TokenRequest), so a node
 * part reaches the API server with its own service account and RBAC.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function openssl(dir: string, ...args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** A CA, a serving certificate for 127.0.0.1, an admin client certificate (system:masters) and the service account key pair. */
function writePki(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, 'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=nodeparts-ca', '-days', '1');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  fs.writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, subject] of [['server', '/CN=kube-apiserver'], ['admin', '/O=system:masters/CN=nodeparts-admin']]) {
    openssl(dir, 'req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1',
      '-out', `${name}.crt`, '-extfile', name === 'server' ? 'server.ext' : 'client.ext');
  }
  openssl(dir, 'genrsa', '-out', 'sa.key', '2048');
  openssl(dir, 'rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
}

/** The REST collection of an object. */
function collection(o: any): string {
  const group = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const plural = o.kind === 'NetworkAttachmentDefinition' ? 'network-attachment-definitions' : `${o.kind.toLowerCase()}s`;
  return o.metadata.namespace ? `${group}/namespaces/${o.metadata.namespace}/${plural}` : `${group}/${plural}`;
}

/** Starts etcd and kube-apiserver; throws when they are not built. */
export async function startControlPlane(): Promise<ControlPlane> {
  for (const b of ['etcd', 'kube-apiserver']) {
    if (!fs.existsSync(path.join(CLUSTER_BIN, b))) throw new Error(`${b} is not built: run test/cluster/build.sh etcd kube`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-plane-'));
  writePki(dir);
  const procs: ChildProcess[] = [];
  const logs: string[] = [];
  const start = (bin: string, args: string[]) => {
    const child = spawn(path.join(CLUSTER_BIN, bin), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', d => { logs.push(String(d)); });
    child.stderr!.on('data', d => { logs.push(String(d)); });
    procs.push(child);
  };
  const [etcdPort, peerPort, port] = [await freePort(), await freePort(), await freePort()];
  const etcd = `http://127.0.0.1:${etcdPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  start('etcd', ['--name=default', `--data-dir=${dir}/etcd`, `--listen-client-urls=${etcd}`, `--advertise-client-urls=${etcd}`,
    `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=default=${peer}`, '--unsafe-no-fsync=true', '--log-level=warn']);
  const host = `https://127.0.0.1:${port}`;
  start('kube-apiserver', [`--etcd-servers=${etcd}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${port}`,
    `--cert-dir=${dir}/certs`, `--tls-cert-file=${dir}/server.crt`, `--tls-private-key-file=${dir}/server.key`, `--client-ca-file=${dir}/ca.crt`,
    '--authorization-mode=RBAC', `--service-account-issuer=${host}`, `--service-account-key-file=${dir}/sa.pub`,
    `--service-account-signing-key-file=${dir}/sa.key`, '--service-cluster-ip-range=10.0.0.0/24', '--allow-privileged=true']);
  const tls = { ca: fs.readFileSync(`${dir}/ca.crt`), cert: fs.readFileSync(`${dir}/admin.crt`), key: fs.readFileSync(`${dir}/admin.key`) };
  const request = (method: string, urlPath: string, body?: unknown) => new Promise<any>((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path: urlPath, method, ...tls, headers: { 'Content-Type': 'application/json' }, timeout: 10000 }, res => {
      let data = '';
      res.on('data', d => { data += String(d); });
      res.on('end', () => {
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`${method} ${urlPath}: ${res.statusCode} ${data}`));
        else resolve(data.startsWith('{') ? JSON.parse(data) : data);
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
    if (body !== undefined) req.write(JSON.stringify(body));
    req.end();
  });
  const stop = async () => {
    for (const p of procs.reverse()) {
      if (p.exitCode !== null) continue;
      p.kill('SIGTERM');
      await new Promise(r => { const t = setTimeout(() => { p.kill('SIGKILL'); r(undefined); }, 5000); p.on('exit', () => { clearTimeout(t); r(undefined); }); });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const end = Date.now() + 180000;
  for (;;) {
    try {
      if (await request('GET', '/readyz') === 'ok') break;
    } catch (e) {
      if (Date.now() > end || procs.some(p => p.exitCode !== null)) {
        await stop();
        throw new Error(`the control plane did not come up: ${e}\n${logs.join('').slice(-2000)}`);
      }
    }
    await new Promise(r => setTimeout(r, 500));
  }
  const create = async (objects: any[]) => {
    for (const o of objects) {
      await request('POST', collection(o), o);
      if (o.kind === 'CustomResourceDefinition') {
        // served once its collection answers
        const { group, names, versions } = o.spec;
        const url = `/apis/${group}/${versions[0].name}/${names.plural}`;
        for (let i = 0; ; i++) {
          try {
            await request('GET', url);
            break;
          } catch (e) {
            if (i > 100) throw e;
            await new Promise(r => setTimeout(r, 200));
          }
        }
      }
    }
  };
  const token = async (namespace: string, name: string) => (await request('POST', `/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
    { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } })).status.token as string;
  return { port, caCert: fs.readFileSync(`${dir}/ca.crt`, 'utf-8'), request, create, token, stop };
}
