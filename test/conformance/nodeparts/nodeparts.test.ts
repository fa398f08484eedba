/**
 * The platform's node parts run as a node would run them (see container.ts):
 * the binaries built from the pinned modules at the images' paths, the
 * DaemonSets' volumes from a stand-in host root, each container's command as
 * synthesized. Needs root (mount namespaces), Go and network access to the
 * module proxy; run with `jest --config test/conformance/nodeparts/jest.config.json`.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { daemonSetPod, execProbe, goBuild, runToEnd, startContainer, stop, waitFor } from './container';
import { CniPlugins, DhcpDaemon, OvsCni, PlatformVersions } from '../../../src';
import { loadUpstream, partNamed } from '../../platform-check/upstream';

const BIN = path.resolve(__dirname, '..', '..', '..', '.tmp', 'nodeparts', 'bin');
const PLUGINS = 'github.com/containernetworking/plugins';
/**
 * The containernetworking/plugins release in quay.io/kubevirt/cni-default-plugins
 * as cluster-network-addons-operator v0.102.0 pins it: components.yaml gives
 * the linux-bridge commit c29dc79f, which is the v1.5.1 tag.
 */
const CNAO_PLUGINS_VERSION = 'v1.5.1';
const SOURCE = '/usr/src/github.com/containernetworking/plugins/bin';

function hostRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nodeparts-host-'));
}

function cniVersion(binary: string): any {
  const r = spawnSync(binary, [], { encoding: 'utf-8', env: { CNI_COMMAND: 'VERSION' }, input: '{"cniVersion":"0.4.0"}' });
  return JSON.parse(r.stdout);
}

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

beforeAll(() => {
  if (process.getuid?.() !== 0) throw new Error('the node-part runs need root (mount namespaces)');
  goBuild(PLUGINS, CNAO_PLUGINS_VERSION, ['plugins/main/bridge', 'plugins/meta/tuning'], path.join(BIN, `plugins-${CNAO_PLUGINS_VERSION}`));
  goBuild(PLUGINS, PlatformVersions.CNI_PLUGINS, ['plugins/ipam/dhcp'], path.join(BIN, `plugins-${PlatformVersions.CNI_PLUGINS}`));
  goBuild('github.com/k8snetworkplumbingwg/ovs-cni', PlatformVersions.OVS_CNI,
    ['cmd/plugin', 'cmd/marker', 'cmd/mirror-producer', 'cmd/mirror-consumer'], path.join(BIN, `ovs-cni-${PlatformVersions.OVS_CNI}`), ['no_openssl']);
}, 600000);

describe('CniPlugins on a node', () => {
  const chart = Testing.chart();
  new CniPlugins(chart, 'cni');
  const pod = daemonSetPod(Testing.synth(chart), 'kube-cni-linux-bridge-plugin');
  const container = pod.containers[0];
  const built = path.join(BIN, `plugins-${CNAO_PLUGINS_VERSION}`);
  // the image as its Dockerfile builds it: the binaries and a `sha256sum <path>` checksum file each
  const image = (dir: string): Record<string, string> => {
    const files: Record<string, string> = {};
    for (const p of ['bridge', 'tuning']) {
      files[`${SOURCE}/${p}`] = path.join(built, p);
      const sum = path.join(dir, `${p}.checksum`);
      fs.writeFileSync(sum, `${sha256(path.join(built, p))}  ${SOURCE}/${p}\n`);
      files[`${SOURCE}/${p}.checksum`] = sum;
    }
    return files;
  };

  test('copies each plugin with its checksum checked, links it, and stays up; the plugins answer CNI VERSION', async () => {
    const host = hostRoot();
    const c = startContainer({ pod, container, imageFiles: image(fs.mkdtempSync(path.join(os.tmpdir(), 'img-'))), hostRoot: host });
    const up = await waitFor(() => c.output().includes('tuning: installed'), 20000);
    await stop(c);
    process.stdout.write(`CniPlugins container output:\n${c.output()}\n`);
    expect(up).toBe(true);
    expect(c.output()).toContain('/opt/cni/bin/cnv-bridge: OK');
    for (const p of ['bridge', 'tuning']) {
      expect(sha256(path.join(host, 'opt/cni/bin', `cnv-${p}`))).toBe(sha256(path.join(built, p)));
      expect(fs.readlinkSync(path.join(host, 'opt/cni/bin', p))).toBe(`/opt/cni/bin/cnv-${p}`);
      expect(cniVersion(path.join(host, 'opt/cni/bin', `cnv-${p}`)).supportedVersions).toContain('1.0.0');
    }
  }, 60000);

  test('keeps a plugin the node already has', async () => {
    const host = hostRoot();
    fs.mkdirSync(path.join(host, 'opt/cni/bin'), { recursive: true });
    fs.writeFileSync(path.join(host, 'opt/cni/bin/bridge'), 'the node\'s own bridge plugin');
    const c = startContainer({ pod, container, imageFiles: image(fs.mkdtempSync(path.join(os.tmpdir(), 'img-'))), hostRoot: host });
    await waitFor(() => c.output().includes('tuning: installed'), 20000);
    await stop(c);
    expect(c.output()).toContain('bridge: the node has its own, kept');
    expect(fs.readFileSync(path.join(host, 'opt/cni/bin/bridge'), 'utf-8')).toBe('the node\'s own bridge plugin');
    expect(fs.existsSync(path.join(host, 'opt/cni/bin/cnv-bridge'))).toBe(false);
  }, 60000);

  test('fails on a binary that does not match its checksum', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'img-'));
    const files = image(dir);
    fs.writeFileSync(path.join(dir, 'bridge.checksum'), `${'0'.repeat(64)}  ${SOURCE}/bridge\n`);
    const r = await runToEnd({ pod, container, imageFiles: files, hostRoot: hostRoot() }, 20000);
    process.stdout.write(`CniPlugins with a bad checksum:\n${r.output}\n`);
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('/opt/cni/bin/cnv-bridge: FAILED');
  }, 60000);
});

describe('OvsCni on a node', () => {
  const chart = Testing.chart();
  new OvsCni(chart, 'ovs');
  const pod = daemonSetPod(Testing.synth(chart), 'ovs-cni-amd64');
  const built = path.join(BIN, `ovs-cni-${PlatformVersions.OVS_CNI}`);
  // the image as ovs-cni's cmd/Dockerfile builds it: every binary at /
  const imageFiles = {
    '/ovs': path.join(built, 'plugin'),
    '/marker': path.join(built, 'marker'),
    '/ovs-mirror-producer': path.join(built, 'mirror-producer'),
    '/ovs-mirror-consumer': path.join(built, 'mirror-consumer'),
  };

  test('the init container installs the three plugins, which answer CNI VERSION', async () => {
    const host = hostRoot();
    const r = await runToEnd({ pod, container: pod.initContainers[0], imageFiles, hostRoot: host });
    expect(r).toEqual({ code: 0, output: '' });
    for (const b of ['ovs', 'ovs-mirror-producer', 'ovs-mirror-consumer']) {
      expect(cniVersion(path.join(host, 'opt/cni/bin', b)).supportedVersions.length).toBeGreaterThan(0);
    }
  }, 60000);

  test('the marker reaches for the OVS database socket the volume brings (no Open vSwitch here)', async () => {
    const c = startContainer({ pod, container: { ...pod.containers[0], args: pod.containers[0].args.map((a: string) => a.replace('$(NODE_NAME)', 'node-1')) }, imageFiles, hostRoot: hostRoot() });
    await waitFor(() => c.output().includes('db.sock'), 15000);
    await stop(c);
    process.stdout.write(`ovs-cni marker output:\n${c.output()}\n`);
    expect(c.output()).toContain('/host/var/run/openvswitch/db.sock');
  }, 60000);
});

describe('DhcpDaemon on a node', () => {
  const chart = Testing.chart();
  new DhcpDaemon(chart, 'dhcp', { image: { repository: 'registry.example.com/cni-plugins', tag: PlatformVersions.CNI_PLUGINS } });
  const pod = daemonSetPod(Testing.synth(chart), 'cni-dhcp-daemon');
  const imageFiles = { [`${SOURCE}/dhcp`]: path.join(BIN, `plugins-${PlatformVersions.CNI_PLUGINS}`, 'dhcp') };

  test('installs dhcp, replaces a stale socket, serves it, and asks for a lease inside the namespace the runtime made, by its own path', async () => {
    const host = hostRoot();
    const init = await runToEnd({ pod, container: pod.initContainers[0], imageFiles, hostRoot: host });
    expect(init.code).toBe(0);
    const plugin = path.join(host, 'opt/cni/bin/dhcp');
    expect(sha256(plugin)).toBe(sha256(imageFiles[`${SOURCE}/dhcp`]));

    // a pod namespace as the runtime leaves it in the host's /run/netns
    const ns = `nodeparts-${process.pid}`;
    expect(spawnSync('ip', ['netns', 'add', ns]).status).toBe(0);
    fs.mkdirSync(path.join(host, 'run/netns'), { recursive: true });
    fs.writeFileSync(path.join(host, 'run/netns', ns), '');
    expect(spawnSync('mount', ['--bind', `/run/netns/${ns}`, path.join(host, 'run/netns', ns)]).status).toBe(0);
    // a stale socket from an earlier daemon must not stop the new one
    fs.mkdirSync(path.join(host, 'run/cni'), { recursive: true });
    fs.writeFileSync(path.join(host, 'run/cni/dhcp.sock'), '');
    const daemon = startContainer({ pod, container: pod.containers[0], imageFiles, hostRoot: host });
    try {
      const socket = path.join(host, 'run/cni/dhcp.sock');
      expect(await waitFor(() => fs.existsSync(socket) && fs.statSync(socket).isSocket(), 15000)).toBe(true);
      expect(execProbe(daemon, pod.containers[0].readinessProbe.exec.command)).toBe(0);
      const add = (netns: string) => spawnSync(plugin, [], {
        encoding: 'utf-8',
        env: { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: netns, CNI_IFNAME: 'net1', CNI_PATH: path.dirname(plugin) },
        input: JSON.stringify({ cniVersion: '1.0.0', name: 'dhcp-net', type: 'macvlan', ipam: { type: 'dhcp', daemonSocketPath: socket } }),
      });
      // the daemon entered the namespace (found by the path the runtime gave) and looked for the interface in it
      const inside = add(`/var/run/netns/${ns}`);
      process.stdout.write(`dhcp ADD in ${ns}: ${inside.stdout}${inside.stderr}\n`);
      expect(`${inside.stdout}`).toContain('error looking up \\"net1\\"');
      // a path the daemon cannot see fails before that
      const missing = add('/var/run/netns/no-such-namespace');
      process.stdout.write(`dhcp ADD in a missing namespace: ${missing.stdout}${missing.stderr}\n`);
      expect(missing.stdout).not.toContain('error looking up');
      expect(missing.stdout).toContain('no-such-namespace');
    } finally {
      await stop(daemon);
      spawnSync('umount', [path.join(host, 'run/netns', ns)]);
      spawnSync('ip', ['netns', 'del', ns]);
      process.stdout.write(`dhcp daemon output:\n${daemon.output()}\n`);
    }
  }, 60000);
});

/** Where two JSON values differ, as `path: ours upstream` lines. */
function differences(ours: any, theirs: any, at = ''): string[] {
  if (ours === null || theirs === null || typeof ours !== 'object' || typeof theirs !== 'object' || Array.isArray(ours) !== Array.isArray(theirs)) {
    return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [`${at}: ours ${JSON.stringify(ours)} upstream ${JSON.stringify(theirs)}`];
  }
  const keys = [...new Set([...Object.keys(ours), ...Object.keys(theirs)])].sort();
  return keys.flatMap(k => differences(ours[k], theirs[k], Array.isArray(ours) ? `${at}[${k}]` : `${at}.${k}`));
}

describe('OvsCni against upstream\'s manifest', () => {
  test('differs from ovs-cni v0.39.0\'s manifests/ovs-cni.yml.in (with hack/build-manifests.sh\'s defaults) only in the image, the description and a trailing newline', () => {
    // the platform check's source: the pinned module's template, filled as upstream's build fills it
    const upstream = loadUpstream(partNamed('ovs-cni'), undefined);
    const chart = Testing.chart();
    new OvsCni(chart, 'ovs');
    const ours = Testing.synth(chart);
    const found: string[] = [];
    for (const u of upstream) {
      const o = ours.find((d: any) => d.kind === u.kind && d.metadata.name === u.metadata.name);
      if (!o) {
        found.push(`${u.kind} ${u.metadata.name}: missing`);
        continue;
      }
      found.push(...differences(o, u).map(d => `${u.kind} ${u.metadata.name} ${d}`));
    }
    process.stdout.write(`OvsCni against upstream (${upstream.length} objects):\n${found.join('\n')}\n${found.length} differences\n`);
    // accepted: upstream's example pulls a moving tag of the old quay.io repository (its releases are pushed to
    // ghcr.io by tag, .github/workflows/image-push-release.yaml); the pod description is in the library's own
    // words; the folded YAML block of the init command ends with a newline, which the shell ignores
    expect(found.sort()).toEqual([
      'DaemonSet ovs-cni-amd64 .spec.template.metadata.annotations.description: ours "Installs the ovs-cni plugins and advertises the node\'s Open vSwitch bridges" '
        + 'upstream "OVS CNI allows users to attach their Pods/VMs to Open vSwitch bridges available on nodes"',
      `DaemonSet ovs-cni-amd64 .spec.template.spec.containers[0].image: ours "ghcr.io/k8snetworkplumbingwg/ovs-cni-plugin:${PlatformVersions.OVS_CNI}" upstream "quay.io/kubevirt/ovs-cni-plugin:latest"`,
      'DaemonSet ovs-cni-amd64 .spec.template.spec.initContainers[0].args[0]: ours "cp /ovs /host/opt/cni/bin/ovs && cp /ovs-mirror-producer /host/opt/cni/bin/ovs-mirror-producer '
        + '&& cp /ovs-mirror-consumer /host/opt/cni/bin/ovs-mirror-consumer" upstream "cp /ovs /host/opt/cni/bin/ovs && cp /ovs-mirror-producer /host/opt/cni/bin/ovs-mirror-producer '
        + '&& cp /ovs-mirror-consumer /host/opt/cni/bin/ovs-mirror-consumer\\n"',
      `DaemonSet ovs-cni-amd64 .spec.template.spec.initContainers[0].image: ours "ghcr.io/k8snetworkplumbingwg/ovs-cni-plugin:${PlatformVersions.OVS_CNI}" upstream "quay.io/kubevirt/ovs-cni-plugin:latest"`,
    ]);
  }, 120000);
});
