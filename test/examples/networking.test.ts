import { Testing } from 'cdk8s';
import { TenantsWithStorageChart, VlanBridgeChart, VlanSeparationChart } from '../../examples/networking';
import { findOne, synthValid } from '../util';

describe('networking examples', () => {
  test('a pod-network VM also on VLAN 1234, and an isolated VM on that VLAN only', () => {
    const docs = synthValid(new VlanBridgeChart(Testing.app(), 'vlan-bridge'));
    const nad = findOne(docs, 'NetworkAttachmentDefinition', 'my-bridge');
    const config = JSON.parse(nad.spec.config);
    expect(config.plugins[0]).toMatchObject({
      type: 'bridge',
      bridge: 'br1',
      vlan: 1234,
      ipam: { type: 'whereabouts', range: '10.123.124.0/24', routes: [{ dst: '0.0.0.0/0', gw: '10.123.124.1' }] },
    });
    const vm = findOne(docs, 'VirtualMachine', 'my-vm').spec.template.spec;
    expect(vm.networks).toEqual([{ name: 'default', pod: {} }, { name: 'other-net', multus: { networkName: 'my-ns/my-bridge' } }]);
    const isolated = findOne(docs, 'VirtualMachine', 'isolated').spec.template.spec;
    expect(isolated.networks).toEqual([{ name: 'default', multus: { networkName: 'my-ns/my-bridge', default: true } }]);
    expect(isolated.domain.devices.autoattachPodInterface).toBe(false);
  });

  test('two VMs on separate VLANs share no network', () => {
    const docs = synthValid(new VlanSeparationChart(Testing.app(), 'separation'));
    const red = findOne(docs, 'VirtualMachine', 'red-vm').spec.template.spec.networks;
    const blue = findOne(docs, 'VirtualMachine', 'blue-vm').spec.template.spec.networks;
    expect(red.map((n: any) => n.multus.networkName)).toEqual(['separated/red-net']);
    expect(blue.map((n: any) => n.multus.networkName)).toEqual(['separated/blue-net']);
    const vlans = docs.filter(d => d.kind === 'NetworkAttachmentDefinition').map(d => JSON.parse(d.spec.config).plugins[0].vlan);
    expect(vlans).toEqual([210, 220]);
  });

  test('two tenants on their own VLANs share one Ceph storage network', () => {
    const chart = new TenantsWithStorageChart(Testing.app(), 'tenants');
    const docs = synthValid(chart);
    for (const tenant of ['tenant-a', 'tenant-b']) {
      const nets = findOne(docs, 'VirtualMachine', `${tenant}-vm`).spec.template.spec.networks;
      expect(nets.map((n: any) => n.multus.networkName)).toEqual([`${tenant}/${tenant}-net`, 'rook-ceph/ceph-public']);
    }
    expect(chart.storage.cephClusterNetwork()).toEqual({ provider: 'multus', selectors: { public: 'rook-ceph/ceph-public' } });
  });
});
