import { App, Testing } from 'cdk8s';
import { PlannedAddressFleetChart, TenantPoliciesChart } from '../../examples/network-policy';
import { TenantsWithStorageChart } from '../../examples/networking';
import { IsolatedVm } from '../../src';
import { validateMultiNetworkPolicies } from '../connectivity/policy/upstream-schema';
import { findOne, synthValid } from '../util';

describe('network policy examples', () => {
  test('Ceph\'s pods on the storage network admit the tenants\' VMs on Ceph\'s ports only', () => {
    const app = Testing.app();
    const tenants = new TenantsWithStorageChart(app, 'tenants');
    const chart = new TenantPoliciesChart(app, 'policies', {
      tenantVms: tenants.node.findAll().filter((c): c is IsolatedVm => c instanceof IsolatedVm),
      storage: tenants.storage,
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    let docs: any[];
    try {
      docs = synthValid(chart);
      synthValid(tenants);
      // the policy guards a network VMs use, and its peers select VMs that exist
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    expect(validateMultiNetworkPolicies(docs)).toEqual([]);
    const policies = docs.filter(d => d.kind === 'MultiNetworkPolicy').map(d => [d.metadata.namespace, d.metadata.name, d.metadata.annotations['k8s.v1.cni.cncf.io/policy-for']]);
    expect(policies).toEqual([['rook-ceph', 'ceph-public-ceph-ports', 'rook-ceph/ceph-public']]);
    const [policy] = docs.filter(d => d.kind === 'MultiNetworkPolicy');
    expect(policy.spec.podSelector).toEqual({});
    expect(policy.spec.ingress[1].ports.map((p: any) => `${p.port}${p.endPort ? `-${p.endPort}` : ''}`)).toEqual(['3300', '6789', '6800-7300']);
    expect(policy.spec.ingress[1].from.map((f: any) => f.namespaceSelector.matchLabels['kubernetes.io/metadata.name'])).toEqual(['tenant-a', 'tenant-b']);
  });

  test('the planned fleet: three VMs, three fixed addresses and MACs, listed by fleet.plan', () => {
    const chart = new PlannedAddressFleetChart(new App(), 'planned');
    const docs = synthValid(chart);
    const addresses = chart.fleet.plan.addresses!;
    expect(addresses.map(a => a.vmName)).toEqual(['db-0', 'db-1', 'db-2']);
    for (const a of addresses) {
      expect(a.address).toMatch(/^10\.32\.0\.([0-9]|[12][0-9]|3[01])\/24$/);
      expect(a.macAddress).toMatch(/^02:5a:20:00:00:[0-9a-f]{2}$/);
      const vm = findOne(docs, 'VirtualMachine', a.vmName).spec.template.spec;
      expect(vm.domain.devices.interfaces[0]).toEqual({ name: 'default', bridge: {}, macAddress: a.macAddress });
      const data = Buffer.from(findOne(docs, 'Secret', `${a.vmName}-network-data`).data.networkdata, 'base64').toString();
      expect(data).toContain(a.address);
      expect(data).toContain('via: 10.32.0.254');
    }
    // the planned block and the router's address are outside whereabouts' dynamic pool
    const ipam = JSON.parse(findOne(docs, 'NetworkAttachmentDefinition', 'planned-net').spec.config).plugins[0].ipam;
    expect(ipam.exclude).toEqual(['10.32.0.0/27', '10.32.0.254/32']);
  });
});
