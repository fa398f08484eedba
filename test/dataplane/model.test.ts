import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import {
  buildModel, ClusterModel, Endpoint, intended, loadManifests, plannedAddressFrom, podInterfaceName, segmentOf,
} from './model';
import { refusedStorageMacvlan, refusedTenantPolicy } from './scenarios';

/** The model of a scenario that writes its manifests into a folder (the refused ones, assembled from several apps). */
function modelOf(build: (dir: string) => void): ClusterModel {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataplane-model-'));
  try {
    build(dir);
    return buildModel(loadManifests(dir));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function endpoint(model: ClusterModel, vmName: string, network: string, address: string, node = 'n0'): Endpoint {
  const vm = model.vms.find(v => v.name === vmName)!;
  const iface = vm.interfaces.find(i => i.network === network)!;
  return { vm, iface, nad: model.nads.get(iface.nad!)!, address, label: `${vm.namespace}/${vm.name}:${network}`, node };
}

describe('KubeVirt v1.9.0 pod interface names', () => {
  test('the Multus default network is eth0, a secondary one pod + 11 hex digits of the SHA-256 of its name', () => {
    const iface = { network: 'storage', multusDefault: false, binding: 'bridge', index: 1 };
    // sha256("storage") = 49a25f9feef0...
    expect(podInterfaceName(iface)).toBe('pod49a25f9feef');
    expect(podInterfaceName({ ...iface, multusDefault: true })).toBe('eth0');
  });
});

describe('the manifests the pass reads', () => {
  test('VMs, their Multus interfaces, bindings and NADs', () => {
    const model = modelOf(refusedStorageMacvlan);
    const s1 = model.vms.find(v => v.name === 's1')!;
    expect(s1.namespace).toBe('app-a');
    expect(s1.podLabels['kubevirt.io']).toBe('virt-launcher');
    expect(s1.interfaces.map(i => [i.network, i.nad, i.multusDefault, i.binding])).toEqual([
      ['default', 'app-a/lan', true, 'bridge'],
      ['storage', 'rook-ceph/ceph-public', false, 'bridge'],
    ]);
    expect(model.nads.get('rook-ceph/ceph-public')!.conflist.plugins[0].type).toBe('macvlan');
  });

  test('the address cloud-init network data plans for an interface, by MAC', () => {
    const v2 = YAML.stringify({ version: 2, ethernets: { default: { match: { macaddress: '02:00:00:00:00:01' }, addresses: ['10.0.0.5/24'] } } });
    expect(plannedAddressFrom(v2, '02:00:00:00:00:01', 'default')).toBe('10.0.0.5/24');
    expect(plannedAddressFrom(v2, '02:00:00:00:00:02', 'default')).toBeUndefined();
  });
});

describe('the intended matrix', () => {
  test('a macvlan NAD joins the LAN of its master', () => {
    const model = modelOf(refusedStorageMacvlan);
    const a = endpoint(model, 's1', 'storage', '10.241.2.2/24', 'n0');
    const b = endpoint(model, 's2', 'storage', '10.241.2.3/24', 'n1');
    expect(segmentOf(a.nad)).toBe('lan of eth1');
    expect(intended(a, b, 'tcp', model).reachable).toBe(true);
  });

  test('a bridge no host network policy gives a port joins only the VMs of one node', () => {
    const model = modelOf(refusedStorageMacvlan);
    const a = endpoint(model, 's1', 'default', '10.241.1.2/24', 'n0');
    expect(intended(a, endpoint(model, 's2', 'default', '10.241.1.3/24', 'n1'), 'icmp', model).reachable).toBe(false);
    expect(intended(a, endpoint(model, 's2', 'default', '10.241.1.3/24', 'n0'), 'icmp', model).reachable).toBe(true);
  });

  test('the tenant policy keeps the outsider out, one way only', () => {
    const model = modelOf(refusedTenantPolicy);
    const a1 = endpoint(model, 'a1', 'default', '10.242.1.2/24');
    const a2 = endpoint(model, 'a2', 'default', '10.242.1.3/24');
    const b1 = endpoint(model, 'b1', 'default', '10.242.1.4/24');
    expect(intended(a2, a1, 'tcp', model).reachable).toBe(true);
    const denied = intended(b1, a1, 'icmp', model);
    expect(denied).toEqual({ reachable: false, why: 'ingress denied by tenant-a/lan-tenant-only' });
    // tenant-b's VM is selected by no policy
    expect(intended(a1, b1, 'tcp', model).reachable).toBe(true);
  });

  test('a policy with ports lets TCP through on those ports only, never ICMP', () => {
    const model = modelOf(refusedTenantPolicy);
    const policy = model.policies[0];
    (policy.spec.ingress[0] as any).ports = [{ protocol: 'TCP', port: 7000, endPort: 8000 }];
    const a1 = endpoint(model, 'a1', 'default', '10.242.1.2/24');
    const a2 = endpoint(model, 'a2', 'default', '10.242.1.3/24');
    expect(intended(a2, a1, 'tcp', model).reachable).toBe(true);
    expect(intended(a2, a1, 'icmp', model).reachable).toBe(false);
    (policy.spec.ingress[0] as any).ports = [{ protocol: 'TCP', port: 22 }];
    expect(intended(a2, a1, 'tcp', model).reachable).toBe(false);
  });
});
