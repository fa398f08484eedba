import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { vlanBridge } from './fixtures';
import { BootDisk, InterfaceBinding, IsolatedVm, Network, VirtualMachine, EvictionStrategy } from '../../../src/compute';
import { INetworkAttachmentDefinition, NetworkAttachmentDefinition } from '../../../src/network';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function setup(): { c: Chart; net: INetworkAttachmentDefinition } {
  const c = new Chart(Testing.app(), 'test');
  const net = vlanBridge(c);
  return { c, net };
}

describe('defaults', () => {
  test('the issue example: the bridge network is the VM\'s only, default network', () => {
    const { c, net } = setup();
    new IsolatedVm(c, 'isolated', { name: 'isolated', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE) });
    const docs = synthValid(c);
    expect(findOne(docs, 'VirtualMachine', 'isolated')).toMatchSnapshot();
  });

  test('one Multus default network, bridge binding, no pod interface', () => {
    const { c, net } = setup();
    new IsolatedVm(c, 'isolated', { name: 'isolated', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE) });
    const t = findOne(synthValid(c), 'VirtualMachine', 'isolated').spec.template.spec;
    expect(t.networks).toEqual([{ name: 'default', multus: { networkName: 'my-ns/my-bridge', default: true } }]);
    expect(t.domain.devices.interfaces).toEqual([{ name: 'default', bridge: {} }]);
    expect(t.domain.devices.autoattachPodInterface).toBe(false);
    expect(JSON.stringify(t)).not.toContain('"pod"');
  });

  test('is a VirtualMachine and ApiObject.of returns its VirtualMachine object', () => {
    const { c, net } = setup();
    const vm = new IsolatedVm(c, 'isolated', { name: 'isolated', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(vm).toBeInstanceOf(VirtualMachine);
    expect(vm.network).toBe(net);
    expect(ApiObject.of(vm).kind).toBe('VirtualMachine');
    expect(vm.networks.map(n => [n.name, n.network.kind, n.network.isDefault, n.binding?.type])).toEqual([['default', 'multus', true, 'bridge']]);
  });

  test('takes VM options, an interface name and a MAC address', () => {
    const { c, net } = setup();
    new IsolatedVm(c, 'isolated', {
      name: 'isolated',
      namespace: 'my-ns',
      network: net,
      bootDisk: BootDisk.containerDisk(IMAGE),
      interfaceName: 'tenant',
      macAddress: '02:00:5e:10:00:01',
      memory: Size.gibibytes(4),
      cores: 2,
    });
    const t = findOne(synthValid(c), 'VirtualMachine', 'isolated').spec.template.spec;
    expect(t.networks[0].name).toBe('tenant');
    expect(t.domain.devices.interfaces).toEqual([{ name: 'tenant', bridge: {}, macAddress: '02:00:5e:10:00:01' }]);
    expect(t.domain.memory.guest).toBe('4Gi');
    expect(t.domain.cpu).toEqual({ cores: 2 });
  });

  test('live-migrates: no pod network to worry about', () => {
    const { c, net } = setup();
    new IsolatedVm(c, 'isolated', { name: 'isolated', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE), evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    expect(findOne(synthValid(c), 'VirtualMachine', 'isolated').spec.template.spec.evictionStrategy).toBe('LiveMigrate');
  });
});

describe('more networks', () => {
  test('secondary Multus networks may be added', () => {
    const { c, net } = setup();
    const storage = NetworkAttachmentDefinition.fromNetworkName(c, 'storage', 'rook-ceph/storage-net');
    const vm = new IsolatedVm(c, 'isolated', { name: 'isolated', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE) });
    vm.addNetwork('storage', Network.multus(storage));
    const t = findOne(synthValid(c), 'VirtualMachine', 'isolated').spec.template.spec;
    expect(t.networks).toEqual([
      { name: 'default', multus: { networkName: 'my-ns/my-bridge', default: true } },
      { name: 'storage', multus: { networkName: 'rook-ceph/storage-net' } },
    ]);
    expect(t.domain.devices.interfaces[1]).toEqual({ name: 'storage', bridge: {} });
  });

  test('adding the pod network throws', () => {
    const { c, net } = setup();
    const vm = new IsolatedVm(c, 'isolated', { name: 'isolated', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(() => vm.addNetwork('pod', Network.pod(), { binding: InterfaceBinding.masquerade() }))
      .toThrow(/\[test\/isolated\] 'networks.pod.network' cannot be added to an IsolatedVm, whose only default network is a Multus network, got 'pod'; use VirtualMachine for a VM on the pod network/);
  });

  test('a second default network throws', () => {
    const { c, net } = setup();
    const other = NetworkAttachmentDefinition.fromNetworkName(c, 'other', 'my-ns/other');
    const vm = new IsolatedVm(c, 'isolated', { name: 'isolated', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(() => vm.addNetwork('other', Network.multus(other, { defaultNetwork: true })))
      .toThrow(/\[test\/isolated\] 'networks.other.network' is a second Multus default network \(interface 'default' already is one\)/);
  });

  test('the VM rules apply: bad names and MAC addresses', () => {
    const { c, net } = setup();
    expect(() => new IsolatedVm(c, 'a', { name: 'Isolated', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE) }))
      .toThrow(/\[test\/a\] 'name' must be a DNS-1123 label/);
    expect(() => new IsolatedVm(c, 'b', { name: 'b', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE), macAddress: 'ff:ff:ff:ff:ff:ff' }))
      .toThrow(/\[test\/b\] 'networks.default.macAddress' must be a unicast address/);
    expect(() => new IsolatedVm(c, 'c', { name: 'c', namespace: 'my-ns', network: net, bootDisk: BootDisk.containerDisk(IMAGE), interfaceName: 'Tenant' }))
      .toThrow(/\[test\/c\] 'networks.Tenant.name' must be a DNS-1123 label/);
  });
});
