/**
 * The platform's networking node parts run as a node would run them (see
 * container.ts), each DaemonSet's container with its command, args and
 * volume mounts as synthesized:
 * - Multus's thick daemon against a real kube-apiserver holding the library's
 *   Multus objects, a NetworkAttachmentDefinition and a pod, with the
 *   machine's CNI plugins in the stand-in node's /opt/cni/bin: a CNI ADD and
 *   DEL through the multus-shim the init container installed, as the
 *   container runtime calls it;
 * - whereabouts' container until it reaches its IP control loop;
 * - the MultiNetworkPolicy agent until it dials a stand-in CRI socket.
 * Needs root, the CNI plugins (Debian containernetworking-plugins) and the
 * tools of test/cluster/build.sh etcd kube multus; run with
 * `jest --config test/conformance/nodeparts/platform-parts.jest.config.json`.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { daemonSetPod, goBuild, runToEnd, startContainer, stop, waitFor } from './container';
import { CLUSTER_BIN, ControlPlane, startControlPlane } from './control-plane';
import { CniPlugin, Ipam, MultiNetworkPolicyController, Multus, NetworkAttachmentDefinition, PlatformVersions, Whereabouts } from '../../../src';
import { CNI_PATH } from '../cni/cni-runner';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BIN = path.join(ROOT, '.tmp', 'nodeparts', 'bin');
const NODE = 'node-a';

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The folder of a module version in the module cache (downloaded when absent). */
function moduleDir(module: string, version: string): string {
  const r = spawnSync('go', ['mod', 'download', '-json', `${module}@${version}`], { cwd: os.tmpdir(), encoding: 'utf-8' });
  if (r.status !== 0) throw new Error(`go mod download ${module}@${version}: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout).Dir;
}

/**
 * A stand-in node root: the machine's /usr (read-only), /proc and /sys, the
 * machine's CNI plugins copied into /opt/cni/bin, and a cluster network
 * (bridge with host-local IPAM) in /etc/cni/net.d as the node's network
 * provider would leave it. `cleanup()` unmounts.
 *
 * The cluster network is a single-plugin .conf: given a .conflist, Multus
 * v4.3.0 caches the cluster delegate re-serialized from its typed fields
 * only (pkg/types/types.go DelegateNetConf), so its DEL hands bridge a
 * configuration without `bridge` and `ranges` ("no IP ranges specified").
 */
function standInNode(): { root: string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-node-'));
  for (const link of ['bin', 'sbin', 'lib', 'lib64']) fs.symlinkSync(`usr/${link}`, path.join(root, link));
  for (const d of ['usr', 'proc', 'sys', 'run/netns', 'var', 'opt/cni/bin', 'etc/cni/net.d']) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.symlinkSync('../run', path.join(root, 'var', 'run'));
  const mounted: string[] = [];
  const bind = (from: string, to: string, ro = false) => {
    sh('mount', ['--rbind', from, to]);
    mounted.unshift(to);
    if (ro) sh('mount', ['-o', 'remount,bind,ro', to]);
  };
  bind('/usr', path.join(root, 'usr'), true);
  bind('/proc', path.join(root, 'proc'));
  bind('/sys', path.join(root, 'sys'));
  for (const p of fs.readdirSync(CNI_PATH)) fs.copyFileSync(path.join(CNI_PATH, p), path.join(root, 'opt/cni/bin', p));
  for (const p of fs.readdirSync(CNI_PATH)) fs.chmodSync(path.join(root, 'opt/cni/bin', p), 0o755);
  fs.writeFileSync(path.join(root, 'etc/cni/net.d/10-cluster.conf'), JSON.stringify({
    cniVersion: '0.4.0',
    name: 'cluster',
    type: 'bridge',
    bridge: 'np-cluster0',
    ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.7.0/24' }]] },
  }));
  return {
    root,
    cleanup: () => {
      for (const m of mounted) spawnSync('umount', ['-R', '-l', m]);
    },
  };
}

/** A pod's network namespace as the runtime leaves it, visible under the stand-in node's /run/netns. */
function podNetns(node: string, name: string): { path: string; remove: () => void } {
  sh('ip', ['netns', 'add', name]);
  const file = path.join(node, 'run/netns', name);
  fs.writeFileSync(file, '');
  sh('mount', ['--bind', `/run/netns/${name}`, file]);
  return {
    path: `/var/run/netns/${name}`,
    remove: () => {
      spawnSync('umount', [file]);
      spawnSync('ip', ['netns', 'del', name]);
    },
  };
}

beforeAll(() => {
  if (process.getuid?.() !== 0) throw new Error('the node-part runs need root (mount and network namespaces)');
});

describe('Multus on a node, against a control plane', () => {
  const NS = 'nodeparts';
  const chart = Testing.chart();
  new Multus(chart, 'multus');
  new NetworkAttachmentDefinition(chart, 'nad', {
    name: 'lab-net',
    namespace: NS,
    plugins: [CniPlugin.bridge({ bridge: 'np-lab0', ipam: Ipam.hostLocal({ subnet: '10.77.0.0/24' }) })],
  });
  const docs = Testing.synth(chart);
  const pod = daemonSetPod(docs, 'kube-multus-ds');
  const daemonConfig = docs.find(d => d.kind === 'ConfigMap' && d.metadata.name === 'multus-daemon-config').data;
  // the image as upstream's images/Dockerfile.thick builds it (hack/build-go.sh's binaries under /usr/src/multus-cni/bin)
  const imageFiles: Record<string, string> = {
    '/usr/src/multus-cni/bin/multus-daemon': path.join(CLUSTER_BIN, 'multus-daemon'),
    '/usr/src/multus-cni/bin/multus-shim': path.join(CLUSTER_BIN, 'multus-shim'),
    '/usr/src/multus-cni/bin/install_multus': path.join(CLUSTER_BIN, 'install_multus'),
    '/usr/src/multus-cni/bin/passthru': path.join(CLUSTER_BIN, 'passthru-cni'),
  };
  let plane: ControlPlane;
  let uid: string;

  beforeAll(async () => {
    for (const f of Object.values(imageFiles)) {
      if (!fs.existsSync(f)) throw new Error(`${path.basename(f)} is not built: run test/cluster/build.sh multus`);
    }
    // the library's own CustomResourceDefinitions go in first, as the control plane starts
    const crdDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-crds-'));
    docs.filter(d => d.kind === 'CustomResourceDefinition').forEach((d, i) => fs.writeFileSync(path.join(crdDir, `${i}.json`), JSON.stringify(d)));
    try {
      plane = await startControlPlane(crdDir);
    } finally {
      fs.rmSync(crdDir, { recursive: true, force: true });
    }
    const first = (d: any) => (d.kind === 'Namespace' ? 0 : 1);
    await plane.create([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
      ...docs.filter(d => d.kind !== 'CustomResourceDefinition').sort((a, b) => first(a) - first(b)),
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: NS } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'client', namespace: NS, annotations: { 'k8s.v1.cni.cncf.io/networks': 'lab-net' } },
        spec: { nodeName: NODE, containers: [{ name: 'c', image: 'registry.example.com/client:1' }] },
      },
    ]);
    uid = (await plane.request('GET', `/api/v1/namespaces/${NS}/pods/client`)).metadata.uid;
  }, 240000);

  afterAll(async () => {
    await plane?.stop();
  });

  /** Runs the init container on a fresh stand-in node, starts the daemon, and gives `body` the shim as the runtime calls it. */
  async function withDaemon(daemonPod: any, body: (node: string, shim: (command: 'ADD' | 'DEL', netns: string) => { code: number | null; out: string }, netns: string) => Promise<void>) {
    const node = standInNode();
    const ns = podNetns(node.root, `nodeparts-multus-${process.pid}`);
    let daemon: ReturnType<typeof startContainer> | undefined;
    try {
      const init = await runToEnd({ pod: daemonPod, container: daemonPod.initContainers[0], imageFiles, hostRoot: node.root });
      process.stdout.write(`install-multus-binary (exit ${init.code}):\n${init.output}\n`);
      expect(init.code).toBe(0);
      daemon = startContainer({
        pod: daemonPod,
        container: daemonPod.containers[0],
        imageFiles,
        hostRoot: node.root,
        configMaps: { 'multus-daemon-config': daemonConfig },
        serviceAccount: { token: await plane.token('kube-system', 'multus'), caCert: plane.caCert, namespace: 'kube-system' },
        fields: { 'spec.nodeName': NODE },
        kubeletEnv: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: String(plane.port) },
      });
      // the daemon writes the shim's configuration (multusConfigFile: auto) once it found the cluster network's
      const conf = path.join(node.root, 'etc/cni/net.d/00-multus.conf');
      const socket = path.join(node.root, 'run/multus/multus.sock');
      const up = await waitFor(() => fs.existsSync(conf) && fs.existsSync(socket), 30000);
      if (!up) throw new Error(`the Multus daemon did not come up:\n${daemon.output()}`);
      const shim = (command: 'ADD' | 'DEL', netns: string) => {
        // the runtime on the node: the shim from the node's /opt/cni/bin, the configuration from its /etc/cni/net.d
        const r = spawnSync('chroot', [node.root, '/opt/cni/bin/multus-shim'], {
          encoding: 'utf-8',
          input: fs.readFileSync(conf, 'utf-8'),
          env: {
            PATH: '/usr/sbin:/usr/bin',
            CNI_COMMAND: command,
            CNI_CONTAINERID: 'c0ffee',
            CNI_NETNS: netns,
            CNI_IFNAME: 'eth0',
            CNI_PATH: '/opt/cni/bin',
            CNI_ARGS: `IgnoreUnknown=1;K8S_POD_NAMESPACE=${NS};K8S_POD_NAME=client;K8S_POD_INFRA_CONTAINER_ID=c0ffee;K8S_POD_UID=${uid}`,
          },
        });
        return { code: r.status, out: `${r.stdout}${r.stderr}` };
      };
      await body(node.root, shim, ns.path);
    } finally {
      if (daemon) {
        await stop(daemon);
        process.stdout.write(`kube-multus output (last lines):\n${daemon.output().split('\n').slice(-25).join('\n')}\n`);
      }
      ns.remove();
      node.cleanup();
      spawnSync('ip', ['link', 'del', 'np-cluster0']);
      spawnSync('ip', ['link', 'del', 'np-lab0']);
    }
  }

  const addresses = (netns: string) => sh('ip', ['netns', 'exec', path.basename(netns), 'ip', '-o', '-4', 'addr', 'show']);

  test('with the DaemonSet as synthesized, ADD gives the pod the cluster network and the NAD\'s interface, and DEL takes them away', async () => {
    await withDaemon(pod, async (node, shim, netns) => {
      const add = shim('ADD', netns);
      process.stdout.write(`multus-shim ADD (exit ${add.code}):\n${add.out}\n`);
      expect(add.code).toBe(0);
      const inside = addresses(netns);
      process.stdout.write(`pod netns after ADD:\n${inside}\n`);
      expect(inside).toMatch(/eth0\s+inet 10\.244\.7\.\d+\/24/);
      expect(inside).toMatch(/net1\s+inet 10\.77\.0\.\d+\/24/);
      // the daemon wrote the pod's network status through the API with the library's RBAC
      const status = (await plane.request('GET', `/api/v1/namespaces/${NS}/pods/client`)).metadata.annotations['k8s.v1.cni.cncf.io/network-status'];
      process.stdout.write(`network-status annotation: ${status}\n`);
      expect(JSON.parse(status).map((s: any) => s.name)).toEqual(['cluster', `${NS}/lab-net`]);
      const leases = path.join(node, 'var/lib/cni/networks/lab-net');
      expect(fs.readdirSync(leases).filter(f => f.startsWith('10.77.'))).toHaveLength(1);

      const del = shim('DEL', netns);
      process.stdout.write(`multus-shim DEL (exit ${del.code}):\n${del.out}\n`);
      // the shim exits 0 on a failed DEL too (it only logs the daemon's error)
      expect(del.code).toBe(0);
      expect(del.out).not.toContain('ERRORED');
      const after = addresses(netns);
      process.stdout.write(`pod netns after DEL:\n${after}\n`);
      expect(after).not.toContain('net1');
      expect(after).not.toContain('eth0');
      expect(fs.readdirSync(leases).filter(f => f.startsWith('10.77.'))).toHaveLength(0);
    });
  }, 180000);

  test('without the node\'s /opt/cni/bin in the daemon\'s container (the DaemonSet before it mounted it), ADD fails to find the plugin', async () => {
    const container = pod.containers[0];
    const old = { ...pod, containers: [{ ...container, volumeMounts: container.volumeMounts.filter((m: any) => m.mountPath !== '/opt/cni/bin') }] };
    expect(old.containers[0].volumeMounts.length).toBe(container.volumeMounts.length - 1);
    await withDaemon(old, async (_node, shim, netns) => {
      const add = shim('ADD', netns);
      process.stdout.write(`multus-shim ADD without /opt/cni/bin (exit ${add.code}):\n${add.out}\n`);
      expect(add.code).not.toBe(0);
      expect(add.out).toContain('failed to find plugin');
      const del = shim('DEL', netns);
      process.stdout.write(`multus-shim DEL without /opt/cni/bin (exit ${del.code}):\n${del.out}\n`);
    });
  }, 180000);
});

/** A stand-in service account for parts that do not reach an API server here. */
function standInServiceAccount(): { token: string; caCert: string; namespace: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-ca-'));
  sh('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=stand-in-ca',
    '-keyout', path.join(dir, 'ca.key'), '-out', path.join(dir, 'ca.crt'), '-days', '1']);
  return { token: 'stand-in-token', caCert: fs.readFileSync(path.join(dir, 'ca.crt'), 'utf-8'), namespace: 'kube-system' };
}

describe('Whereabouts on a node', () => {
  const chart = Testing.chart();
  new Whereabouts(chart, 'whereabouts');
  const pod = daemonSetPod(Testing.synth(chart), 'whereabouts');
  const container = pod.containers.find((c: any) => c.name === 'whereabouts');

  /** The image as upstream's Dockerfile builds it, from the pinned module. */
  function image(): Record<string, string> {
    const module = 'github.com/k8snetworkplumbingwg/whereabouts';
    const built = path.join(BIN, `whereabouts-${PlatformVersions.WHEREABOUTS}`);
    // as upstream's hack/build-go.sh: ./cmd/ → whereabouts, ./cmd/controlloop/ → ip-control-loop, ./cmd/reconciler/ → ip-reconciler
    goBuild(module, PlatformVersions.WHEREABOUTS, ['cmd', 'cmd/controlloop', 'cmd/reconciler'], built);
    // the scripts as the repository holds them, executable (the module cache keeps no modes)
    const scripts = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-scripts-'));
    for (const f of ['install-cni.sh', 'lib.sh', 'token-watcher.sh']) {
      fs.copyFileSync(path.join(moduleDir(module, PlatformVersions.WHEREABOUTS), 'script', f), path.join(scripts, f));
      fs.chmodSync(path.join(scripts, f), 0o755);
    }
    // the binaries and three scripts at /, on Alpine, whose /bin/sh (ash) reads `source` and `==` as bash does and Debian's dash does not
    return {
      '/whereabouts': path.join(built, 'cmd'),
      '/ip-control-loop': path.join(built, 'controlloop'),
      '/ip-reconciler': path.join(built, 'reconciler'),
      '/install-cni.sh': path.join(scripts, 'install-cni.sh'),
      '/lib.sh': path.join(scripts, 'lib.sh'),
      '/token-watcher.sh': path.join(scripts, 'token-watcher.sh'),
      '/bin/sh': '/usr/bin/bash',
    };
  }

  /** Runs the container until ip-control-loop's first lines, its end or 20 seconds; returns the stand-in node and whether the loop was reached. */
  async function run(c0: any, label: string): Promise<{ host: string; reached: boolean }> {
    const host = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-host-'));
    const c = startContainer({
      pod,
      container: c0,
      imageFiles: image(),
      hostRoot: host,
      serviceAccount: standInServiceAccount(),
      fields: { 'spec.nodeName': NODE, 'metadata.namespace': 'kube-system' },
      kubeletEnv: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '1' },
    });
    // ip-control-loop's first lines (cmd/controlloop/controlloop.go): it filters pods by node, then starts or fails against the API server
    const loop = /Filtering pods with filter key|could not create the pod networks controller|Starting informer factories/;
    await waitFor(() => loop.test(c.output()) || c.child.exitCode !== null, 20000);
    const reached = loop.test(c.output());
    await stop(c);
    process.stdout.write(`whereabouts container output${label}:\n${c.output().split('\n').slice(0, 30).join('\n')}\n`);
    return { host, reached };
  }

  test('the container installs the plugin and its configuration, and reaches the IP control loop (no API server runs)', async () => {
    const { host, reached } = await run(container, '');
    const installed = fs.readdirSync(path.join(host, 'opt/cni/bin'));
    process.stdout.write(`installed on the stand-in node: ${installed.join(' ')}; ${fs.readdirSync(path.join(host, 'etc/cni/net.d')).join(' ')}\n`);
    expect(reached).toBe(true);
    expect(installed).toContain('whereabouts');
    expect(fs.readFileSync(path.join(host, 'etc/cni/net.d/whereabouts.d/whereabouts.kubeconfig'), 'utf-8')).toContain('stand-in-token');
  }, 300000);

  test('without the node\'s /opt/cni/bin mounted, the plugin does not reach the node', async () => {
    const without = { ...container, volumeMounts: container.volumeMounts.filter((m: any) => m.mountPath !== '/host/opt/cni/bin') };
    expect(without.volumeMounts.length).toBe(container.volumeMounts.length - 1);
    const { host, reached } = await run(without, ' without /host/opt/cni/bin');
    expect(reached).toBe(false);
    const bin = path.join(host, 'opt/cni/bin');
    expect(fs.existsSync(bin) ? fs.readdirSync(bin) : []).not.toContain('whereabouts');
  }, 300000);
});

describe('The MultiNetworkPolicy agent on a node', () => {
  const chart = Testing.chart();
  new MultiNetworkPolicyController(chart, 'policy', { image: { repository: 'registry.example.com/multi-networkpolicy-iptables', digest: `sha256:${'0'.repeat(64)}` } });
  const pod = daemonSetPod(Testing.synth(chart), 'multi-networkpolicy');
  const container = pod.containers.find((c: any) => c.name === 'multi-networkpolicy');

  test('the agent dials the CRI socket its --container-runtime-endpoint names, through the host root mount (no API server runs)', async () => {
    const module = 'github.com/k8snetworkplumbingwg/multi-networkpolicy-iptables';
    const built = path.join(BIN, `multi-networkpolicy-iptables-${PlatformVersions.MULTI_NETWORK_POLICY_IPTABLES_COMMIT.slice(0, 12)}`);
    try {
      goBuild(module, PlatformVersions.MULTI_NETWORK_POLICY_IPTABLES_COMMIT, ['cmd/multi-networkpolicy-iptables'], built);
    } catch (e) {
      if (!/not available|403 Forbidden/.test(String(e))) throw e;
      process.stdout.write(`skipped: the Go module proxy does not serve ${module}@${PlatformVersions.MULTI_NETWORK_POLICY_IPTABLES_COMMIT}, so the agent cannot be built here\n`);
      return;
    }
    const host = fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-host-'));
    const args: string[] = container.args;
    const endpoint = args.find(a => a.startsWith('--container-runtime-endpoint='))!.split('=')[1].replace(/^unix:\/\//, '');
    const socket = path.join(host, endpoint);
    const standin = path.join(BIN, 'cri-standin');
    sh('go', ['build', '-C', path.join(ROOT, 'test/conformance/nodeparts/cri-standin'), '-o', standin, 'main.go']);
    const cri = spawn(standin, [socket], { stdio: ['ignore', 'pipe', 'pipe'] });
    let criLog = '';
    cri.stderr!.on('data', d => { criLog += String(d); });
    try {
      expect(await waitFor(() => fs.existsSync(socket), 10000)).toBe(true);
      // the image as its Dockerfile builds it: the agent at /usr/bin
      const c = startContainer({
        pod,
        container,
        imageFiles: { '/usr/bin/multi-networkpolicy-iptables': path.join(built, 'multi-networkpolicy-iptables') },
        hostRoot: host,
        serviceAccount: standInServiceAccount(),
        fields: { 'spec.nodeName': NODE },
        kubeletEnv: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '1' },
      });
      const reached = await waitFor(() => criLog.includes('cri-standin: connection'), 25000);
      await stop(c);
      process.stdout.write(`policy agent output:\n${c.output().split('\n').slice(0, 12).join('\n')}\ncri-standin:\n${criLog}\n`);
      expect(reached).toBe(true);
      expect(c.output()).not.toContain('failed to get cri client');
    } finally {
      cri.kill('SIGTERM');
    }
  }, 300000);
});
