import { ApiObject, Chart, Testing } from 'cdk8s';
import { CniPlugin, NetworkAttachmentDefinition } from '../../src/network';
import { MultiNetworkPolicyController, PlatformVersions, VirtualizationPlatform } from '../../src/platform';
import { strictify } from '../conformance/schemas';
import { upstreamCrd } from '../connectivity/policy/upstream-schema';
import { findOne, synthValid } from '../util';
import { allows } from './rbac-allows';

function typeOf(schema: any): string {
  if (schema?.['x-kubernetes-int-or-string']) return 'int-or-string';
  return schema?.type ?? 'untyped';
}

/** Every property we declare must exist upstream at the same path with the same type. */
function compare(ours: any, theirs: any, path: string, problems: string[]): void {
  if (typeOf(ours) !== typeOf(theirs)) {
    problems.push(`${path}: ${typeOf(ours)} here, ${typeOf(theirs)} upstream`);
    return;
  }
  for (const [key, sub] of Object.entries<any>(ours.properties ?? {})) {
    if (!theirs.properties?.[key]) problems.push(`${path}.${key}: not declared upstream`);
    else compare(sub, theirs.properties[key], `${path}.${key}`, problems);
  }
  if (ours.items) compare(ours.items, theirs.items ?? {}, `${path}[]`, problems);
  if (typeof ours.additionalProperties === 'object') compare(ours.additionalProperties, theirs.additionalProperties ?? {}, `${path}{}`, problems);
}

/** A mirror of upstream's :snapshot, pinned by digest, as the controller requires. */
const MIRRORED = { repository: 'registry.example.com/multi-networkpolicy-iptables', digest: `sha256:${'b'.repeat(64)}` };

function synth() {
  const chart = new Chart(Testing.app(), 'test');
  const controller = new MultiNetworkPolicyController(chart, 'mnp', { image: MIRRORED });
  return { controller, docs: synthValid(chart) };
}

describe('MultiNetworkPolicyController', () => {
  test('the CRD has upstream\'s identity and only fields upstream v1.0.1 declares', () => {
    const crd = findOne(synth().docs, 'CustomResourceDefinition', 'multi-networkpolicies.k8s.cni.cncf.io');
    const up = upstreamCrd();
    expect(crd.spec.group).toBe(up.spec.group);
    expect(crd.spec.scope).toBe(up.spec.scope);
    expect(crd.spec.names).toMatchObject({
      kind: up.spec.names.kind, plural: up.spec.names.plural, singular: up.spec.names.singular, shortNames: up.spec.names.shortNames,
    });
    const upV1beta1 = up.spec.versions.find((v: any) => v.name === 'v1beta1');
    expect(crd.spec.versions.map((v: any) => [v.name, v.served, v.storage])).toEqual([['v1beta1', upV1beta1.served, upV1beta1.storage]]);
    const problems: string[] = [];
    compare(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec, upV1beta1.schema.openAPIV3Schema.properties.spec, 'spec', problems);
    expect(problems).toEqual([]);
    // the comparison notices a field upstream lacks
    const wrong: string[] = [];
    compare({ type: 'object', properties: { podSelector: { type: 'object' }, denyAll: { type: 'boolean' } } }, upV1beta1.schema.openAPIV3Schema.properties.spec, 'spec', wrong);
    expect(wrong).toEqual(['spec.denyAll: not declared upstream']);
  });

  test('our CRD accepts what the policy constructs write, through the same strict check', () => {
    const crd = findOne(synth().docs, 'CustomResourceDefinition', 'multi-networkpolicies.k8s.cni.cncf.io');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Ajv = require('ajv');
    const validate = new Ajv({ strict: false, allErrors: true }).compile(strictify(crd.spec.versions[0].schema.openAPIV3Schema.properties.spec));
    expect(validate({ podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ protocol: 'TCP', port: 6800, endPort: 7300 }], to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] })).toBe(true);
    expect(validate({ podSelector: {}, ingress: [{ from: [{ ipBlock: {} }] }] })).toBe(false);
  });

  test('RBAC: reads policies, networks, pods and namespaces; writes events only', () => {
    const role = findOne(synth().docs, 'ClusterRole', 'multi-networkpolicy');
    for (const [group, resource] of [['k8s.cni.cncf.io', 'multi-networkpolicies'], ['k8s.cni.cncf.io', 'network-attachment-definitions'], ['', 'pods'], ['', 'namespaces']]) {
      for (const verb of ['get', 'list', 'watch']) expect([resource, verb, allows(role.rules, group, resource, verb)]).toEqual([resource, verb, true]);
      expect(allows(role.rules, group, resource, 'update')).toBe(false);
      expect(allows(role.rules, group, resource, 'delete')).toBe(false);
    }
    expect(allows(role.rules, '', 'events', 'create')).toBe(true);
    expect(allows(role.rules, '', 'secrets', 'get')).toBe(false);
    const binding = findOne(synth().docs, 'ClusterRoleBinding', 'multi-networkpolicy');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'multi-networkpolicy', namespace: 'kube-system' }]);
  });

  // the agent guards only networks whose NAD type is in --network-plugins (upstream default: macvlan only),
  // so without the list it skipped every bridge network
  test('--network-plugins lists the interface plugin types of the app\'s networks', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform');
    const controller = new MultiNetworkPolicyController(platform, 'mnp', { image: MIRRORED });
    const nets = new Chart(app, 'nets');
    new NetworkAttachmentDefinition(nets, 'a', { name: 'a', plugins: [CniPlugin.bridge({ bridge: 'br1' }), CniPlugin.tuning()] });
    new NetworkAttachmentDefinition(nets, 'b', { name: 'b', plugins: [CniPlugin.macvlan({ master: 'eth1' })] });
    new NetworkAttachmentDefinition(nets, 'c', { name: 'c', plugins: [CniPlugin.bridge({ bridge: 'br2' })] });
    new NetworkAttachmentDefinition(nets, 'd', { name: 'd', plugins: [CniPlugin.custom({ type: 'ovn-k8s-cni-overlay', topology: 'layer2' })] });
    const args = findOne(synthValid(platform), 'DaemonSet', 'multi-networkpolicy').spec.template.spec.containers[0].args;
    expect(args[args.length - 1]).toBe('--network-plugins=bridge,macvlan,ovn-k8s-cni-overlay');
    expect(ApiObject.of(controller)).toBeDefined();

    const given = new Chart(Testing.app(), 'given');
    new MultiNetworkPolicyController(given, 'mnp', { image: MIRRORED, networkPlugins: ['bridge', 'sriov'] });
    expect(findOne(synthValid(given), 'DaemonSet', 'multi-networkpolicy').spec.template.spec.containers[0].args).toContain('--network-plugins=bridge,sriov');
    expect(() => new MultiNetworkPolicyController(new Chart(Testing.app(), 'bad'), 'mnp', { image: MIRRORED, networkPlugins: ['bridge,macvlan'] }))
      .toThrow(/'networkPlugins\[0\]' must be a CNI plugin type .*, got 'bridge,macvlan'/);
  });

  test('the DaemonSet runs the pinned agent on amd64 nodes with the CRI socket and options', () => {
    const { controller, docs } = synth();
    const ds = findOne(docs, 'DaemonSet', 'multi-networkpolicy');
    expect(ApiObject.of(controller)).toBeDefined();
    expect(controller.image).toBe(`registry.example.com/multi-networkpolicy-iptables@sha256:${'b'.repeat(64)}`);
    const pod = ds.spec.template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' });
    expect(pod.containers[0].args).toEqual(['--host-prefix=/host', '--container-runtime-endpoint=/run/containerd/containerd.sock', '--network-plugins=macvlan']);
    expect(pod.volumes).toEqual([{ name: 'host', hostPath: { path: '/' } }]);

    const chart = new Chart(Testing.app(), 'c');
    new MultiNetworkPolicyController(chart, 'mnp', {
      containerRuntimeEndpoint: '/run/crio/crio.sock',
      acceptIcmp: true,
      acceptIcmpv6: true,
      image: { digest: `sha256:${'a'.repeat(64)}` },
    });
    const custom = findOne(synthValid(chart), 'DaemonSet', 'multi-networkpolicy').spec.template.spec.containers[0];
    expect(custom.args).toEqual(['--host-prefix=/host', '--container-runtime-endpoint=/run/crio/crio.sock', '--accept-icmp', '--accept-icmpv6', '--network-plugins=macvlan']);
    expect(custom.image).toBe(`ghcr.io/k8snetworkplumbingwg/multi-networkpolicy-iptables@sha256:${'a'.repeat(64)}`);
  });

  test('a unix:// endpoint is given to the agent as a bare path, since the agent adds the scheme and host prefix', () => {
    const chart = new Chart(Testing.app(), 'c');
    new MultiNetworkPolicyController(chart, 'mnp', { image: MIRRORED, containerRuntimeEndpoint: 'unix:///run/crio/crio.sock' });
    const args: string[] = findOne(synthValid(chart), 'DaemonSet', 'multi-networkpolicy').spec.template.spec.containers[0].args;
    expect(args).toContain('--container-runtime-endpoint=/run/crio/crio.sock');
    expect(args.join(' ')).not.toMatch(/unix:/);
    expect(() => new MultiNetworkPolicyController(chart, 'b', { image: MIRRORED, containerRuntimeEndpoint: 'unix://crio.sock' }))
      .toThrow(/'containerRuntimeEndpoint' must be the absolute path of the CRI socket on the node, got 'unix:\/\/crio.sock'/);
  });

  test('bad settings are refused', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(() => new MultiNetworkPolicyController(chart, 'a', { image: MIRRORED, containerRuntimeEndpoint: 'crio.sock' })).toThrow(/'containerRuntimeEndpoint' must be the absolute path of the CRI socket/);
    expect(() => new MultiNetworkPolicyController(chart, 'b', { image: MIRRORED, acceptIcmp: 'yes' as any })).toThrow(/'acceptIcmp' must be true or false/);
    expect(() => new MultiNetworkPolicyController(chart, 'c', 'x' as any)).toThrow(/'props' must be an object/);
  });

  test('refuses to run without an image pinned by digest: upstream publishes no release image', () => {
    const chart = new Chart(Testing.app(), 'c');
    const commit = PlatformVersions.MULTI_NETWORK_POLICY_IPTABLES_COMMIT;
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(() => new MultiNetworkPolicyController(chart, 'none')).toThrow(new RegExp(
      '^\\[c/none\\] \'image.digest\' must be given: multi-networkpolicy-iptables publishes no release image to default to, got undefined; '
      + `mirror ghcr.io/k8snetworkplumbingwg/multi-networkpolicy-iptables:snapshot as built from upstream commit ${commit} and pin it by digest`));
    expect(() => new MultiNetworkPolicyController(chart, 'tag', { image: { registry: 'registry.example.com', tag: 'snapshot' } }))
      .toThrow(/\[c\/tag\] 'image.tag' does not pin multi-networkpolicy-iptables: upstream tags no releases and its ':snapshot' and ':latest' move, got 'snapshot'; mirror .*:snapshot .* pin it by digest/);
    expect(() => new MultiNetworkPolicyController(chart, 'v101', { image: { tag: 'v1.0.1' } })).toThrow(/'image.tag' does not pin/);
    expect(() => new MultiNetworkPolicyController(chart, 'both', { image: { tag: 'snapshot', digest: MIRRORED.digest } })).toThrow(/'image.digest' cannot be combined with 'tag'/);
    expect(() => new MultiNetworkPolicyController(chart, 'shape', { image: 'ghcr.io/x@sha256:1' as any })).toThrow(/\[c\/shape\] 'image' must be an object/);
    expect(() => new VirtualizationPlatform(Testing.app(), 'p', { multiNetworkPolicy: { enabled: true } }))
      .toThrow(/^\[p\/MultiNetworkPolicy\] 'image.digest' must be given.*\(multiNetworkPolicy.image in VirtualizationPlatform\)$/);
    // the upstream repository itself, pinned by digest, is accepted too
    const upstream = new MultiNetworkPolicyController(chart, 'upstream', { image: { digest: MIRRORED.digest } });
    expect(upstream.image).toBe(`ghcr.io/k8snetworkplumbingwg/multi-networkpolicy-iptables@${MIRRORED.digest}`);
  });

  test('is an optional part of the platform, off by default', () => {
    const off = synthValid(new VirtualizationPlatform(Testing.app(), 'p'));
    expect(off.filter(d => d.metadata?.name === 'multi-networkpolicy')).toEqual([]);
    const platform = new VirtualizationPlatform(Testing.app(), 'p', { multiNetworkPolicy: { enabled: true, image: MIRRORED }, argoCdSyncWaves: true });
    const on = synthValid(platform);
    expect(platform.multiNetworkPolicy).toBeInstanceOf(MultiNetworkPolicyController);
    expect(findOne(on, 'CustomResourceDefinition', 'multi-networkpolicies.k8s.cni.cncf.io').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-3' });
  });
});
