import { ApiObject, App, Chart, Testing } from 'cdk8s';
import {
  CniPlugin, CniPlugins, DefaultImages, DhcpDaemon, Ipam, NetworkAttachmentDefinition, NodeProvides, OvsCni,
  PlatformVersions, VirtualizationPlatform, VirtualizationPlatformProps,
} from '../../src';
import { findOne, synthValid } from '../util';

const DHCP_IMAGE = { repository: 'registry.example.com/cni-plugins', tag: 'v1.9.1' };

/** An app with a platform and one network with the given plugins; the network comes first or after. */
function appWith(platform: VirtualizationPlatformProps, plugins: () => CniPlugin[], networkFirst = false) {
  const app = Testing.app();
  const workloads = new Chart(app, 'workloads', { namespace: 'tenant' });
  let nad: NetworkAttachmentDefinition | undefined;
  if (networkFirst) nad = new NetworkAttachmentDefinition(workloads, 'net', { name: 'net', plugins: plugins() });
  const p = new VirtualizationPlatform(app, 'platform', platform);
  if (!networkFirst) nad = new NetworkAttachmentDefinition(workloads, 'net', { name: 'net', plugins: plugins() });
  return { app, platform: p, workloads, nad: nad! };
}

function synthErrors(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e: any) {
    return String(e.message);
  }
}

describe('CniPlugins', () => {
  test('installs bridge and tuning from cluster-network-addons-operator\'s image, pinned by digest', () => {
    const chart = Testing.chart();
    const parts = new CniPlugins(chart, 'cni');
    const docs = synthValid(chart);
    const ds = findOne(docs, 'DaemonSet', 'kube-cni-linux-bridge-plugin');
    expect(ApiObject.of(parts).kind).toBe('DaemonSet');
    expect(parts.image).toBe(DefaultImages.CNI_DEFAULT_PLUGINS);
    expect(parts.image).toMatch(/^quay\.io\/kubevirt\/cni-default-plugins@sha256:[0-9a-f]{64}$/);
    expect(parts.plugins).toEqual(['bridge', 'tuning']);
    const pod = ds.spec.template.spec;
    const c = pod.containers[0];
    expect(c.command.slice(0, 2)).toEqual(['/bin/bash', '-ce']);
    expect(c.command[2]).toContain('src=/usr/src/github.com/containernetworking/plugins/bin');
    expect(c.command[2]).toContain('for p in bridge tuning; do');
    expect(c.command[2]).toContain('sha256sum --check');
    expect(c.command[2]).toMatch(/sleep infinity\n$/);
    expect(c.securityContext).toEqual({ privileged: true, readOnlyRootFilesystem: true });
    expect(c.volumeMounts).toEqual([{ name: 'cnibin', mountPath: '/opt/cni/bin' }, { name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toContainEqual({ name: 'cnibin', hostPath: { path: '/opt/cni/bin' } });
    expect(pod.priorityClassName).toBe('system-cluster-critical');
  });

  test('a mirror keeps the digest; a tag replaces it', () => {
    const chart = Testing.chart();
    const mirror = new CniPlugins(chart, 'mirror', { image: { registry: 'mirror.example.com/kubevirt' } });
    expect(mirror.image).toBe(`mirror.example.com/kubevirt/cni-default-plugins@${DefaultImages.CNI_DEFAULT_PLUGINS.split('@')[1]}`);
    const tagged = new CniPlugins(chart, 'tagged', { image: { repository: 'registry.example.com/cni-plugins', tag: 'v1.9.1' }, plugins: ['bridge', 'macvlan'] });
    expect(tagged.image).toBe('registry.example.com/cni-plugins:v1.9.1');
    expect(() => new CniPlugins(chart, 'latest', { image: { tag: 'latest' } })).toThrow(/'image\.tag' must pin a release/);
  });

  test('refuses empty, repeated or odd plugin names and a relative source directory', () => {
    const chart = Testing.chart();
    expect(() => new CniPlugins(chart, 'a', { plugins: [] })).toThrow(/\[test\/a\] 'plugins' must name at least one plugin binary/);
    expect(() => new CniPlugins(chart, 'b', { plugins: ['bridge', 'bridge'] })).toThrow(/'plugins' lists a plugin twice/);
    expect(() => new CniPlugins(chart, 'c', { plugins: ['br idge'] })).toThrow(/'plugins\[0\]' must be a plugin binary name/);
    expect(() => new CniPlugins(chart, 'd', { sourceDirectory: 'bin' })).toThrow(/'sourceDirectory' must be an absolute path/);
    expect(() => new CniPlugins(chart, 'e', { plugins: 'bridge' as any })).toThrow(/'plugins'/);
  });
});

describe('OvsCni', () => {
  test('installs ovs-cni v0.39 as upstream\'s manifest does: plugins copied by the init container, the marker on the OVS socket', () => {
    const chart = Testing.chart();
    const ovs = new OvsCni(chart, 'ovs');
    const docs = synthValid(chart);
    expect(PlatformVersions.OVS_CNI).toBe('v0.39.0');
    expect(ovs.image).toBe('ghcr.io/k8snetworkplumbingwg/ovs-cni-plugin:v0.39.0');
    expect(ApiObject.of(ovs).kind).toBe('DaemonSet');
    const ds = findOne(docs, 'DaemonSet', 'ovs-cni-amd64');
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.serviceAccountName).toBe('ovs-cni-marker');
    expect(pod.priorityClassName).toBe('system-node-critical');
    expect(pod.initContainers[0].args).toEqual(['cp /ovs /host/opt/cni/bin/ovs && cp /ovs-mirror-producer /host/opt/cni/bin/ovs-mirror-producer && cp /ovs-mirror-consumer /host/opt/cni/bin/ovs-mirror-consumer']);
    expect(pod.initContainers[0].volumeMounts).toEqual([{ name: 'cnibin', mountPath: '/host/opt/cni/bin' }]);
    const marker = pod.containers[0];
    expect(marker.command).toEqual(['/marker']);
    expect(marker.args).toEqual(['-v', '3', '-logtostderr', '-node-name', '$(NODE_NAME)', '-ovs-socket', 'unix:/host/var/run/openvswitch/db.sock', '-healthcheck-interval=60']);
    expect(marker.volumeMounts).toEqual([{ name: 'ovs-var-run', mountPath: '/host/var/run/openvswitch' }]);
    expect(pod.volumes).toEqual([{ name: 'cnibin', hostPath: { path: '/opt/cni/bin' } }, { name: 'ovs-var-run', hostPath: { path: '/var/run/openvswitch' } }]);
    expect(findOne(docs, 'ClusterRole', 'ovs-cni-marker-cr').rules).toEqual([{ apiGroups: [''], resources: ['nodes', 'nodes/status'], verbs: ['get', 'update', 'patch'] }]);
    expect(findOne(docs, 'ClusterRoleBinding', 'ovs-cni-marker-crb').subjects).toEqual([{ kind: 'ServiceAccount', name: 'ovs-cni-marker', namespace: 'kube-system' }]);
  });
});

describe('DhcpDaemon', () => {
  test('runs `dhcp daemon` on the host network with the host\'s /run and PID namespace, after installing the same binary', () => {
    const chart = Testing.chart();
    const dhcp = new DhcpDaemon(chart, 'dhcp', { image: DHCP_IMAGE });
    const docs = synthValid(chart);
    expect(dhcp.image).toBe('registry.example.com/cni-plugins:v1.9.1');
    expect(ApiObject.of(dhcp).kind).toBe('DaemonSet');
    const pod = findOne(docs, 'DaemonSet', 'cni-dhcp-daemon').spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.hostPID).toBe(true);
    expect(pod.initContainers[0].command).toEqual(['/bin/sh', '-c',
      'cp /usr/src/github.com/containernetworking/plugins/bin/dhcp /host/opt/cni/bin/.dhcp.new && mv -f /host/opt/cni/bin/.dhcp.new /host/opt/cni/bin/dhcp']);
    const daemon = pod.containers[0];
    expect(daemon.command).toEqual(['/bin/sh', '-c', 'rm -f /run/cni/dhcp.sock && exec /usr/src/github.com/containernetworking/plugins/bin/dhcp daemon']);
    expect(daemon.securityContext).toEqual({ privileged: true });
    expect(daemon.readinessProbe.exec.command).toEqual(['test', '-S', '/run/cni/dhcp.sock']);
    expect(daemon.volumeMounts).toEqual([{ name: 'host-run', mountPath: '/run', mountPropagation: 'HostToContainer' }]);
    expect(pod.volumes).toContainEqual({ name: 'host-run', hostPath: { path: '/run' } });
  });

  test('refuses an image without repository or pin, and from other languages no props at all', () => {
    const chart = Testing.chart();
    expect(() => new DhcpDaemon(chart, 'a', { image: {} })).toThrow(/\[test\/a\] 'image\.repository' must be given: no upstream image carries the CNI dhcp plugin, got undefined; build containernetworking\/plugins v1\.9\.1/);
    expect(() => new DhcpDaemon(chart, 'b', { image: { repository: 'registry.example.com/cni-plugins' } })).toThrow(/'image\.tag' or image\.digest must pin the image/);
    expect(() => new DhcpDaemon(chart, 'c', { image: { repository: 'registry.example.com/cni-plugins', tag: 'latest' } })).toThrow(/must pin a release/);
    expect(() => new DhcpDaemon(chart, 'd', undefined as any)).toThrow(/'image\.repository' must be given/);
    expect(() => new DhcpDaemon(chart, 'e', { image: DHCP_IMAGE, binaryPath: 'dhcp' })).toThrow(/'binaryPath' must be an absolute path/);
  });
});

describe('the platform\'s node parts', () => {
  test('are off without networks that need them', () => {
    const app = Testing.app();
    const platform = new VirtualizationPlatform(app, 'platform');
    expect(platform.cniPlugins).toBeUndefined();
    expect(platform.ovsCni).toBeUndefined();
    expect(platform.dhcpDaemon).toBeUndefined();
    expect(platform.toJson().map((d: any) => d.metadata.name)).not.toContain('kube-cni-linux-bridge-plugin');
  });

  test.each([false, true])('come on for a network that needs them (network created first: %s)', (networkFirst) => {
    const { app, platform } = appWith({ dhcpDaemon: { image: DHCP_IMAGE } },
      () => [CniPlugin.bridge({ bridge: 'br1', ipam: Ipam.dhcp() }), CniPlugin.tuning()], networkFirst);
    expect(platform.cniPlugins).toBeDefined();
    expect(platform.dhcpDaemon).toBeDefined();
    expect(platform.ovsCni).toBeUndefined();
    expect(synthErrors(app)).toBe('');
    const names = platform.toJson().filter((d: any) => d.kind === 'DaemonSet').map((d: any) => d.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['kube-cni-linux-bridge-plugin', 'cni-dhcp-daemon']));
  });

  test('ovs-cni comes on for an ovs network, and carries the platform\'s labels and sync waves', () => {
    const { app, platform } = appWith({ labels: { team: 'net' }, argoCdSyncWaves: true }, () => [CniPlugin.ovs({ bridge: 'ovsbr1', vlan: 10 })]);
    expect(platform.ovsCni).toBeDefined();
    expect(synthErrors(app)).toBe('');
    const ds = findOne(platform.toJson(), 'DaemonSet', 'ovs-cni-amd64');
    expect(ds.metadata.labels.team).toBe('net');
    expect(ds.metadata.annotations['argocd.argoproj.io/sync-wave']).toBeDefined();
  });

  test('stay off when switched off or when the nodes are declared to provide the plugins', () => {
    const declared = appWith({ nodeProvides: [NodeProvides.REFERENCE_CNI_PLUGINS] }, () => [CniPlugin.bridge({ bridge: 'br1' })]);
    expect(declared.platform.cniPlugins).toBeUndefined();
    expect(synthErrors(declared.app)).toBe('');
    const always = new VirtualizationPlatform(Testing.app(), 'platform', { cniPlugins: { enabled: true }, ovsCni: { enabled: true } });
    expect(always.cniPlugins).toBeDefined();
    expect(always.ovsCni).toBeDefined();
  });

  test('refuse a bad nodeProvides entry or plugin type', () => {
    expect(() => new VirtualizationPlatform(Testing.app(), 'platform', { nodeProvides: ['bridge' as any] })).toThrow(/'nodeProvides\[0\]'/);
    expect(() => NodeProvides.cniPlugin('a b')).toThrow(/\[NodeProvides\.cniPlugin\] 'pluginType' must be a CNI plugin type/);
  });
});

describe('networks whose plugins nothing installs', () => {
  test('are accepted without a platform in the app', () => {
    const app = Testing.app();
    new NetworkAttachmentDefinition(new Chart(app, 'w'), 'net', { plugins: [CniPlugin.macvlan({ master: 'eth1', ipam: Ipam.dhcp() })] });
    expect(synthErrors(app)).toBe('');
  });

  test('a reference plugin the default image lacks is refused; each fix synthesizes', () => {
    const macvlan = () => [CniPlugin.macvlan({ master: 'eth1' })];
    expect(synthErrors(appWith({}, macvlan).app)).toContain(
      "[workloads/net] 'plugins[0].type' names a CNI plugin that no part of the platform installs and 'nodeProvides' does not declare, "
      + "so pods attaching to the network would stay in ContainerCreating (failed to find plugin), got 'macvlan'; "
      + "give the VirtualizationPlatform at 'platform' a cniPlugins image that carries 'macvlan' (built from containernetworking/plugins) and list it "
      + "(cniPlugins: { image: { repository, tag }, plugins: ['bridge', 'tuning', 'macvlan'] }), "
      + "or, if the nodes already have it, add NodeProvides.cniPlugin('macvlan') to the 'nodeProvides' of the VirtualizationPlatform at 'platform'");
    const installed = appWith({ cniPlugins: { image: { repository: 'registry.example.com/cni-plugins', tag: 'v1.9.1' }, plugins: ['bridge', 'tuning', 'macvlan'] } }, macvlan);
    expect(synthErrors(installed.app)).toBe('');
    expect(installed.platform.cniPlugins?.plugins).toEqual(['bridge', 'tuning', 'macvlan']);
    expect(synthErrors(appWith({ nodeProvides: [NodeProvides.cniPlugin('macvlan')] }, macvlan).app)).toBe('');
  });

  test('a switched-off part\'s plugins are refused until declared', () => {
    const bridge = () => [CniPlugin.bridge({ bridge: 'br1' }), CniPlugin.tuning()];
    const errors = synthErrors(appWith({ cniPlugins: { enabled: false } }, bridge).app);
    expect(errors).toContain("'plugins[0].type' names a CNI plugin that no part of the platform installs");
    expect(errors).toContain("got 'bridge'; switch on cniPlugins in the VirtualizationPlatform at 'platform' (cniPlugins: { enabled: true })");
    expect(errors).toContain("got 'tuning'");
    expect(synthErrors(appWith({ cniPlugins: { enabled: true } }, bridge).app)).toBe('');
  });

  test('a plugin no part can install is refused with the declaration as the fix', () => {
    const sriov = () => [CniPlugin.custom({ type: 'sriov', vlan: 120 })];
    expect(synthErrors(appWith({}, sriov).app)).toContain("got 'sriov'; no part of the platform installs 'sriov': install it on the nodes (e.g. with its own operator) "
      + "and add NodeProvides.cniPlugin('sriov') to the 'nodeProvides' of the VirtualizationPlatform at 'platform'");
    expect(synthErrors(appWith({ nodeProvides: [NodeProvides.cniPlugin('sriov')] }, sriov).app)).toBe('');
  });

  test('Ipam.dhcp() without the daemon is refused; an image for it or the declaration fixes it', () => {
    const dhcp = () => [CniPlugin.bridge({ bridge: 'br1', ipam: Ipam.dhcp() })];
    const errors = synthErrors(appWith({}, dhcp).app);
    expect(errors).toContain("[workloads/net] 'plugins[0].ipam' needs the CNI dhcp daemon on every node, which no part of the platform runs and 'nodeProvides' does not declare, "
      + "so no address would ever be leased, got 'dhcp'; give the VirtualizationPlatform at 'platform' a dhcpDaemon image with the CNI dhcp plugin "
      + "(dhcpDaemon: { image: { repository: 'registry.example.com/cni-plugins', tag: 'v1.9.1' } }), "
      + "or, if the nodes already have it, add NodeProvides.DHCP_DAEMON and NodeProvides.cniPlugin('dhcp') to the 'nodeProvides' of the VirtualizationPlatform at 'platform'");
    expect(errors.match(/plugins\[0\]\.ipam/g)).toHaveLength(1);
    expect(synthErrors(appWith({ dhcpDaemon: { image: DHCP_IMAGE } }, dhcp).app)).toBe('');
    expect(synthErrors(appWith({ nodeProvides: [NodeProvides.DHCP_DAEMON, NodeProvides.cniPlugin('dhcp')] }, dhcp).app)).toBe('');
    expect(synthErrors(appWith({ nodeProvides: [NodeProvides.REFERENCE_CNI_PLUGINS] }, dhcp).app)).toContain('needs the CNI dhcp daemon');
  });

  test('CniPlugin.ovs() with ovs-cni switched off is refused; switching it on or declaring it fixes it', () => {
    const ovs = () => [CniPlugin.ovs({ bridge: 'ovsbr1' })];
    expect(synthErrors(appWith({ ovsCni: { enabled: false } }, ovs).app)).toContain(
      "got 'ovs'; switch on ovsCni in the VirtualizationPlatform at 'platform' (ovsCni: { enabled: true }), "
      + "or, if the nodes already have it, add NodeProvides.OVS_CNI to the 'nodeProvides' of the VirtualizationPlatform at 'platform'");
    expect(synthErrors(appWith({ ovsCni: { enabled: true } }, ovs).app)).toBe('');
    expect(synthErrors(appWith({ ovsCni: { enabled: false }, nodeProvides: [NodeProvides.OVS_CNI] }, ovs).app)).toBe('');
  });

  test('whereabouts switched off is refused until declared', () => {
    const wb = () => [CniPlugin.bridge({ bridge: 'br1', ipam: Ipam.whereabouts({ range: '10.0.0.0/24' }) })];
    expect(synthErrors(appWith({ whereabouts: { enabled: false }, nodeProvides: [NodeProvides.cniPlugin('bridge')] }, wb).app))
      .toContain("got 'whereabouts'; switch on whereabouts in the VirtualizationPlatform at 'platform'");
    expect(synthErrors(appWith({ whereabouts: { enabled: false }, nodeProvides: [NodeProvides.cniPlugin('bridge'), NodeProvides.cniPlugin('whereabouts')] }, wb).app)).toBe('');
  });
});
