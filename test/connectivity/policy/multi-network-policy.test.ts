import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { Protocol } from 'cdk8s-plus-33';
import { validateMultiNetworkPolicies } from './upstream-schema';
import {
  CniPlugin, Ipam, MultiNetworkPolicy, NetworkAttachmentDefinition, PolicyPeer, PolicyPort, PolicyTarget, StorageNetwork,
} from '../../../src';
import { BootDisk, InterfaceBinding, IsolatedVm, Network, SmartCloneFleet, VirtualMachine } from '../../../src/compute';
import { DataVolumeSource } from '../../../src/storage';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

/**
 * A tenant network, a storage network and an isolated VM on both. With
 * `vmsApart` (the rendering tests) the VM lives in an app of its own: the
 * enforcer cannot filter an isolated or bridge-bound VM, so a policy that
 * targets it in the same app is refused (see 'targets the enforcer cannot filter').
 */
function setup(vmsApart = true) {
  const c = new Chart(Testing.app(), 'test', { namespace: 'tenant-a' });
  const net = new NetworkAttachmentDefinition(c, 'net', {
    name: 'tenant-a-net',
    plugins: [CniPlugin.bridge({ bridge: 'br-t', vlan: 100, ipam: Ipam.whereabouts({ range: '10.100.0.0/24' }) })],
  });
  const storage = new StorageNetwork(c, 'storage', { name: 'ceph-public', namespace: 'rook-ceph', bridge: 'br-storage', range: '192.168.100.0/24' });
  const vmScope = vmsApart ? new Chart(Testing.app(), 'vms', { namespace: 'tenant-a' }) : c;
  const vm = new IsolatedVm(vmScope, 'vm', { name: 'web', network: net, bootDisk: BootDisk.containerDisk(IMAGE), templateLabels: { app: 'web' } });
  vm.addNetwork('storage', Network.multus(storage));
  return { c, net, storage, vm, vmScope };
}

/** Synthesizes, checks with the harness and with the upstream MultiNetworkPolicy CRD. */
function synth(c: Chart): any[] {
  const docs = synthValid(c);
  const errors = validateMultiNetworkPolicies(docs);
  if (errors.length > 0) throw new Error(`refused by the upstream MultiNetworkPolicy schema:\n  ${errors.join('\n  ')}`);
  return docs;
}

function silenced<T>(fn: (warn: jest.SpyInstance) => T): T {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return fn(warn);
  } finally {
    warn.mockRestore();
  }
}

describe('MultiNetworkPolicy', () => {
  test('writes policy-for from typed networks, the target and typed ports', () => {
    const { c, net, storage, vm } = setup();
    const p = new MultiNetworkPolicy(c, 'policy', {
      name: 'web-in',
      networks: [net, storage],
      target: PolicyTarget.vm(vm),
      ingress: [{ peers: [PolicyPeer.ipBlock('10.100.0.0/24', ['10.100.0.0/28'])], ports: [PolicyPort.tcp(443), PolicyPort.udpRange(5000, 5010)] }],
    });
    const doc = findOne(synth(c), 'MultiNetworkPolicy', 'web-in');
    expect(ApiObject.of(p).kind).toBe('MultiNetworkPolicy');
    expect(doc.apiVersion).toBe('k8s.cni.cncf.io/v1beta1');
    expect(doc.metadata).toEqual({ name: 'web-in', namespace: 'tenant-a', annotations: { 'k8s.v1.cni.cncf.io/policy-for': 'tenant-a/tenant-a-net,rook-ceph/ceph-public' } });
    expect(doc.spec).toEqual({
      podSelector: { matchLabels: { 'vmi.kubevirt.io/id': 'web' } },
      policyTypes: ['Ingress'],
      ingress: [{
        ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'UDP', port: 5000, endPort: 5010 }],
        from: [{ ipBlock: { cidr: '10.100.0.0/24', except: ['10.100.0.0/28'] } }],
      }],
    });
  });

  test('VM, fleet, label and namespace peers always name their namespace', () => {
    const { c, net, vm, vmScope } = setup();
    const fleet = new SmartCloneFleet(vmScope, 'workers', {
      replicas: 2,
      source: DataVolumeSource.snapshot('tenant-a', 'golden'),
      diskSize: Size.gibibytes(10),
      isolatedNetwork: net,
    });
    new MultiNetworkPolicy(c, 'policy', {
      name: 'mixed',
      networks: [net],
      egress: [{ peers: [PolicyPeer.vm(vm), PolicyPeer.fleet(fleet), PolicyPeer.podLabels({ app: 'db' }), PolicyPeer.namespace('infra'), PolicyPeer.namespaceLabels({ team: 'x' })] }],
    });
    const docs = silenced(() => synth(c));
    const vmDocs = synthValid(vmScope);
    expect(findOne(docs, 'MultiNetworkPolicy', 'mixed').spec.egress[0].to).toEqual([
      { podSelector: { matchLabels: { 'kubevirt.io': 'virt-launcher', 'vmi.kubevirt.io/id': 'web' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant-a' } } },
      { podSelector: { matchLabels: { 'kubevirt.cdk8s.io/fleet': 'workers' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant-a' } } },
      { podSelector: { matchLabels: { app: 'db' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant-a' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'infra' } } },
      { namespaceSelector: { matchLabels: { team: 'x' } } },
    ]);
    // the fleet's VMs now carry the label the peer selects
    const vmDoc = findOne(vmDocs, 'VirtualMachine', 'workers-0');
    expect(vmDoc.spec.template.metadata.labels).toEqual({ 'kubevirt.cdk8s.io/fleet': 'workers' });
  });

  test('an empty ingress list drops all incoming traffic; egress stays open', () => {
    const { c, net } = setup();
    new MultiNetworkPolicy(c, 'deny', { name: 'deny-in', networks: [net], ingress: [] });
    const spec = findOne(synth(c), 'MultiNetworkPolicy', 'deny-in').spec;
    expect(spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'], ingress: [] });
  });

  test('the tenant helper accepts traffic only from the tenant\'s VMs', () => {
    const { c, net } = setup();
    MultiNetworkPolicy.tenantNetwork(c, 'tenant', { network: net });
    const doc = findOne(synth(c), 'MultiNetworkPolicy', 'tenant-a-net-tenant-only');
    expect(doc.metadata.namespace).toBe('tenant-a');
    expect(doc.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { 'kubevirt.io': 'virt-launcher' } }, namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tenant-a' } } }] }],
    });
  });

  test('the storage helper lets VMs reach Ceph\'s monitor and OSD ports and nothing else', () => {
    const { c, storage } = setup();
    MultiNetworkPolicy.storageNetwork(c, 'fence', { network: storage, namespace: 'tenant-a' });
    const doc = findOne(synth(c), 'MultiNetworkPolicy', 'ceph-public-ceph-only');
    expect(doc.metadata).toMatchObject({ namespace: 'tenant-a', annotations: { 'k8s.v1.cni.cncf.io/policy-for': 'rook-ceph/ceph-public' } });
    expect(doc.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [{
        ports: [{ protocol: 'TCP', port: 3300 }, { protocol: 'TCP', port: 6789 }, { protocol: 'TCP', port: 6800, endPort: 7300 }],
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'rook-ceph' } } }],
      }],
    });
  });

  test('the upstream schema refuses what it should (the oracle is not blind)', () => {
    const doc = {
      apiVersion: 'k8s.cni.cncf.io/v1beta1',
      kind: 'MultiNetworkPolicy',
      metadata: { name: 'bad' },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { except: ['10.0.0.0/8'] } }], ports: [{ port: 80, endport: 90 }] }] },
    };
    const errors = validateMultiNetworkPolicies([doc]);
    expect(errors.join('\n')).toMatch(/must have required property 'cidr'/);
    expect(errors.join('\n')).toMatch(/'endport'/);
    expect(validateMultiNetworkPolicies([{ ...doc, spec: { ingress: [] } }]).join()).toMatch(/podSelector/);
  });
});

// multi-networkpolicy-iptables (pinned commit): pod.go reads a pod's networks from the networks annotation
// only; server.go hooks INPUT -i / OUTPUT -o on the pod's interface
describe('targets the enforcer cannot filter', () => {
  test('an isolated VM (its Multus default network) is refused as a target', () => {
    const { c, net } = setup(false);
    MultiNetworkPolicy.tenantNetwork(c, 'tenant', { network: net });
    expect(() => Testing.synth(c)).toThrow(new RegExp([
      "\\[test/tenant\\] 'target' selects VM tenant-a/web, whose interface 'default' on tenant-a/tenant-a-net is its Multus default network, ",
      "which KubeVirt declares outside the pod's k8s.v1.cni.cncf.io/networks annotation, the only place the enforcer looks for a pod's networks: ",
      "multi-networkpolicy-iptables cannot filter it, so the policy would change nothing for it, got 'every pod'; separate VMs by network instead",
    ].join('')));
  });

  test('a bridge-bound VM interface is refused as a target', () => {
    const { c, storage } = setup(false);
    MultiNetworkPolicy.storageNetwork(c, 'fence', { network: storage, namespace: 'tenant-a' });
    expect(() => Testing.synth(c)).toThrow(/\[test\/fence\] 'target' selects VM tenant-a\/web, whose interface 'storage' on rook-ceph\/ceph-public is bridge-bound: KubeVirt enslaves the pod's interface to an in-pod bridge/);
  });

  test('an SR-IOV VM interface is refused as a target', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'hpc' });
    const sriov = new NetworkAttachmentDefinition(c, 'vf', { name: 'vf', resourceName: 'intel.com/sriov_netdevice', plugins: [CniPlugin.custom({ type: 'sriov', vlan: 30 })] });
    const vm = new VirtualMachine(c, 'vm', { name: 'db', bootDisk: BootDisk.containerDisk(IMAGE) });
    vm.addNetwork('fast', Network.multus(sriov), { binding: InterfaceBinding.sriov() });
    new MultiNetworkPolicy(c, 'p', { networks: [sriov], target: PolicyTarget.vm(vm), ingress: [] });
    expect(() => Testing.synth(c)).toThrow(/'target' selects VM hpc\/db, whose interface 'fast' on hpc\/vf is an SR-IOV virtual function passed to the guest/);
  });

  test('the fix works: plain pods as the target, the VMs as peers; a target that selects no VM', () => {
    const { c, storage } = setup(false);
    new MultiNetworkPolicy(c, 'ceph', {
      namespace: 'rook-ceph',
      networks: [storage],
      target: PolicyTarget.allPods(),
      ingress: [{ peers: [PolicyPeer.namespace('rook-ceph')] }, { peers: [PolicyPeer.vmsOfNamespace('tenant-a')], ports: PolicyPort.ceph() }],
    });
    new MultiNetworkPolicy(c, 'db', { networks: [storage], target: PolicyTarget.podLabels({ app: 'postgres' }), ingress: [] });
    silenced(() => synth(c));
  });
});

describe('rules', () => {
  test('throws without networks, naming the fix', () => {
    const { c } = setup();
    expect(() => new MultiNetworkPolicy(c, 'p', { networks: [], ingress: [] })).toThrow(/\[test\/p\] 'networks' must name at least one network.*; list the NetworkAttachmentDefinitions/);
  });

  test('throws when neither ingress nor egress is set', () => {
    const { c, net } = setup();
    expect(() => new MultiNetworkPolicy(c, 'p', { networks: [net] })).toThrow(/'ingress' and 'egress' are both unset.*set ingress \(and\/or egress\)/);
  });

  test('throws when the target lives in another namespace', () => {
    const { c, net } = setup();
    const other = VirtualMachine.fromVirtualMachineName(c, 'other', 'db', { namespace: 'tenant-b' });
    expect(() => new MultiNetworkPolicy(c, 'p', { networks: [net], namespace: 'tenant-a', target: PolicyTarget.vm(other), ingress: [] }))
      .toThrow(/'target' lives in namespace 'tenant-b'.*create the policy in namespace 'tenant-b'/);
  });

  test('throws on a network listed twice and on a hand-written policy-for', () => {
    const { c, net } = setup();
    expect(() => new MultiNetworkPolicy(c, 'p', { networks: [net, net], ingress: [] })).toThrow(/'networks\[1\]' is listed twice/);
    expect(() => new MultiNetworkPolicy(c, 'q', { networks: [net], ingress: [], annotations: { 'k8s.v1.cni.cncf.io/policy-for': 'x' } }))
      .toThrow(/is written from 'networks'/);
  });

  test('throws on empty peers or ports, which would allow everything', () => {
    const { c, net } = setup();
    expect(() => new MultiNetworkPolicy(c, 'p', { networks: [net], ingress: [{ peers: [] }] })).toThrow(/'ingress\[0\].peers' is empty, which allows every peer/);
    expect(() => new MultiNetworkPolicy(c, 'q', { networks: [net], egress: [{ ports: [] }] })).toThrow(/'egress\[0\].ports' is empty, which allows every port/);
  });

  test('ports and blocks are checked', () => {
    expect(() => PolicyPort.tcp(0)).toThrow(/'port' must be a whole number between 1 and 65535, got 0/);
    expect(() => PolicyPort.tcpRange(7300, 6800)).toThrow(/'last' must be at least the first port 7300, got 6800/);
    expect(() => PolicyPort.allPorts('ICMP' as Protocol)).toThrow(/'protocol' must be a member of Protocol/);
    expect(PolicyPort.tcpRange(22, 22)._toKube()).toEqual({ protocol: 'TCP', port: 22 });
    expect(() => PolicyPeer.ipBlock('10.0.0.0/33')).toThrow(/'cidr' must be a CIDR block/);
    expect(() => PolicyPeer.ipBlock('10.0.0.0/24', ['10.0.1.0/28'])).toThrow(/'exceptBlocks\[0\]' must lie inside 10.0.0.0\/24/);
    expect(() => PolicyPeer.podLabels({})).toThrow(/'labels' must hold at least one label/);
    expect(() => PolicyPeer.namespace('Bad_NS')).toThrow(/'name'/);
    expect(() => PolicyPeer.vmsOfNamespace('Bad_NS')).toThrow(/^'namespace' must .*, got 'Bad_NS'; give the name of a namespace$/);
    expect(() => PolicyPort.tcp('22' as any)).toThrow("'port' must be a number, not a string, got '22'; set 'port' to a number");
    expect(() => PolicyPort.udpRange(1000, 70000)).toThrow("'last' must be a whole number between 1 and 65535, got 70000; pick a port in 1-65535");
    expect(() => PolicyPeer.podLabels({ 'a/b/c': 'x' })).toThrow(/^'labels\.a\/b\/c' must /);
  });

  test('wrong shapes from other languages get the library error', () => {
    const { c, net } = setup();
    expect(() => new MultiNetworkPolicy(c, 'a', { networks: 'tenant-a-net' as any, ingress: [] })).toThrow(/\[test\/a\] 'networks' must be a list/);
    expect(() => new MultiNetworkPolicy(c, 'b', { networks: [{ name: 'x' } as any], ingress: [] })).toThrow(/'networks\[0\]' must be an INetworkAttachmentDefinition/);
    expect(() => new MultiNetworkPolicy(c, 'c', { networks: [net], ingress: [{ peers: ['10.0.0.0/8' as any] }] })).toThrow(/'ingress\[0\].peers\[0\]' must be a PolicyPeer/);
    expect(() => new MultiNetworkPolicy(c, 'd', { networks: [net], egress: [{ ports: [443 as any] }] })).toThrow(/'egress\[0\].ports\[0\]' must be a PolicyPort/);
    expect(() => new MultiNetworkPolicy(c, 'e', { networks: [net], ingress: [], target: 'web' as any })).toThrow(/'target' must be a PolicyTarget/);
    expect(() => new MultiNetworkPolicy(c, 'f', undefined as any)).toThrow(/'props' must be an object/);
    expect(() => PolicyPeer.fleet({ name: 'x' } as any)).toThrow(/'fleet' must be a SmartCloneFleet/);
    expect(() => PolicyPeer.vm('web' as any)).toThrow(/'vm' must be an IVirtualMachine/);
    expect(() => MultiNetworkPolicy.tenantNetwork(c, 'g', { network: undefined as any })).toThrow(/'network' must be an INetworkAttachmentDefinition/);
  });
});

describe('warnings', () => {
  test('a policy for a network no VM uses is a warning, not an error', () => {
    const { c } = setup();
    const unused = new NetworkAttachmentDefinition(c, 'unused', { name: 'unused', plugins: [CniPlugin.bridge({ bridge: 'br-u' })] });
    silenced(warn => {
      synth(c);
      expect(warn).not.toHaveBeenCalled();
      new MultiNetworkPolicy(c, 'p', { name: 'p', networks: [unused], ingress: [] });
      synth(c);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/\[test\/p\] warning: network 'tenant-a\/unused' is used by no VM in the app/));
    });
  });

  test('a peer that matches no VM of the app is a warning; a target of plain pods is not', () => {
    const { c, net } = setup(false);
    silenced(warn => {
      new MultiNetworkPolicy(c, 'ok', { name: 'ok', networks: [net], target: PolicyTarget.podLabels({ app: 'proxy' }), ingress: [{ peers: [PolicyPeer.vmsOfNamespace()] }] });
      synth(c);
      expect(warn).not.toHaveBeenCalled();
      new MultiNetworkPolicy(c, 'p', { name: 'p', networks: [net], target: PolicyTarget.podLabels({ app: 'nothing' }), ingress: [{ peers: [PolicyPeer.podLabels({ app: 'db' })] }] });
      synth(c);
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/warning: peer \(pods with labels \{"app":"db"\}\) matches no VM of namespace 'tenant-a'/));
      expect(warn).not.toHaveBeenCalledWith(expect.stringMatching(/warning: target/));
    });
  });
});
