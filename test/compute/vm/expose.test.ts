import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { Protocol, ServiceType } from 'cdk8s-plus-33';
import { BootDisk, IsolatedVm, Network, SmartCloneFleet, VirtualMachine } from '../../../src/compute';
import { CniPlugin, NetworkAttachmentDefinition } from '../../../src/network';
import { DataVolumeSource } from '../../../src/storage';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';

function setup() {
  const c = new Chart(Testing.app(), 'test', { namespace: 'apps' });
  const net = new NetworkAttachmentDefinition(c, 'net', { name: 'lan', plugins: [CniPlugin.bridge({ bridge: 'br1' })] });
  return { c, net };
}

describe('VirtualMachine.expose', () => {
  test('selects the VM by its VMI id, as virtctl expose does', () => {
    const { c } = setup();
    const vm = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) });
    const svc = vm.expose({ ports: [{ port: 22 }] });
    const doc = findOne(synthValid(c), 'Service', 'web');
    expect(ApiObject.of(svc)).toBeDefined();
    expect(doc).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { type: 'ClusterIP', selector: { 'vmi.kubevirt.io/id': 'web' }, ports: [{ port: 22, targetPort: 22, protocol: 'TCP' }] },
    });
    // the VM itself is unchanged: KubeVirt labels the pod with the id
    expect(findOne(synthValid(c), 'VirtualMachine', 'web').spec.template.metadata).toBeUndefined();
  });

  test('NodePort and LoadBalancer, several named ports', () => {
    const { c } = setup();
    const vm = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) });
    vm.expose({ name: 'web-np', type: ServiceType.NODE_PORT, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }, { port: 53, protocol: Protocol.UDP }] });
    vm.expose({ name: 'web-lb', type: ServiceType.LOAD_BALANCER, ports: [{ port: 443, name: 'https' }] });
    const docs = synthValid(c);
    expect(findOne(docs, 'Service', 'web-np').spec).toEqual({
      type: 'NodePort',
      selector: { 'vmi.kubevirt.io/id': 'web' },
      ports: [{ name: 'tcp-80', port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30080 }, { name: 'udp-53', port: 53, targetPort: 53, protocol: 'UDP' }],
    });
    expect(findOne(docs, 'Service', 'web-lb').spec).toMatchObject({ type: 'LoadBalancer', ports: [{ name: 'https', port: 443 }] });
  });

  test('a fleet is exposed through the fleet label on its VM template', () => {
    const { c } = setup();
    const fleet = new SmartCloneFleet(c, 'workers', { replicas: 2, source: DataVolumeSource.snapshot('apps', 'golden'), diskSize: Size.gibibytes(10) });
    fleet.expose({ ports: [{ port: 80 }], type: ServiceType.LOAD_BALANCER });
    const docs = synthValid(c);
    expect(findOne(docs, 'Service', 'workers').spec.selector).toEqual({ 'kubevirt.cdk8s.io/fleet': 'workers' });
    for (const name of ['workers-0', 'workers-1']) {
      expect(findOne(docs, 'VirtualMachine', name).spec.template.metadata.labels).toEqual({ 'kubevirt.cdk8s.io/fleet': 'workers' });
    }
  });

  test('a fleet pool is exposed the same way', () => {
    const { c } = setup();
    const fleet = new SmartCloneFleet(c, 'pool', { replicas: 3, pool: true, source: DataVolumeSource.snapshot('apps', 'golden'), diskSize: Size.gibibytes(10) });
    fleet.expose({ ports: [{ port: 80 }] });
    const pool = findOne(synthValid(c), 'VirtualMachinePool', 'pool');
    expect(pool.spec.virtualMachineTemplate.spec.template.metadata.labels).toEqual({ 'kubevirt.cdk8s.io/fleet': 'pool' });
  });
});

describe('refusals', () => {
  test('an IsolatedVm has no pod network: refused, with the MultiNetworkPolicy fix', () => {
    const { c, net } = setup();
    const vm = new IsolatedVm(c, 'vm', { name: 'db', network: net, bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(() => vm.expose({ ports: [{ port: 5432 }] }))
      .toThrow(/\[test\/vm\/Expose-db\] 'expose' is refused: the VMs are isolated.*got 'db'; an IsolatedVm has no pod network; reach it on its Multus network instead and guard that network with a MultiNetworkPolicy/);
  });

  test('an isolated fleet and a VM with only Multus networks are refused too', () => {
    const { c, net } = setup();
    const fleet = new SmartCloneFleet(c, 'f', { replicas: 1, source: DataVolumeSource.snapshot('apps', 'golden'), diskSize: Size.gibibytes(10), isolatedNetwork: net });
    expect(() => fleet.expose({ ports: [{ port: 80 }] })).toThrow(/the VMs are isolated.*an isolated fleet has no pod network/);
    const vm = new VirtualMachine(c, 'vm', { name: 'x', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'lan', network: Network.multus(net) }] });
    expect(() => vm.expose({ ports: [{ port: 80 }] })).toThrow(/have no interface on the pod network.*add the pod network \(Network.pod\(\)\) to the VM/);
    // the refused expose() left only the fleet label every fleet template carries
    expect(findOne(synthValid(c), 'VirtualMachine', 'f-0').spec.template.metadata).toEqual({ labels: { 'kubevirt.cdk8s.io/fleet': 'f' } });
  });

  test('bad ports, types and shapes', () => {
    const { c } = setup();
    const vm = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(() => vm.expose({ ports: [] })).toThrow(/'ports' must list at least one port/);
    expect(() => vm.expose({ name: 'a', ports: [{ port: 70000 }] })).toThrow(/'ports\[0\].port' must be a whole number between 1 and 65535, got 70000/);
    expect(() => vm.expose({ name: 'b', ports: [{ port: 80, nodePort: 30000 }] })).toThrow(/'ports\[0\].nodePort' only applies to NodePort and LoadBalancer/);
    expect(() => vm.expose({ name: 'c', type: ServiceType.EXTERNAL_NAME, ports: [{ port: 80 }] })).toThrow(/'type' must be ClusterIP, NodePort or LoadBalancer/);
    expect(() => vm.expose({ name: 'd', type: 'Headless' as ServiceType, ports: [{ port: 80 }] })).toThrow(/'type' must be a member of ServiceType/);
    expect(() => vm.expose({ name: 'e', ports: [{ port: 80 }, { port: 80 }] })).toThrow(/'ports\[1\].port' repeats ports\[0\] \(TCP\/80\)/);
    expect(() => vm.expose({ name: 'f', ports: 22 as any })).toThrow(/'ports' must be a list/);
    expect(() => vm.expose({ name: 'g', ports: ['22' as any] })).toThrow(/'ports\[0\]' must be an object/);
    expect(() => vm.expose({ name: '9lives', ports: [{ port: 80 }] })).toThrow(/'name' must start with a letter/);
    expect(() => vm.expose(undefined as any)).toThrow(/'options' must be an object/);
    // refused calls leave nothing behind, so the default name is still free
    vm.expose({ ports: [{ port: 22 }] });
    expect(() => vm.expose({ ports: [{ port: 80 }] })).toThrow(/\[test\/vm\/Expose-web\] 'name' is already the name of a Service of these VMs.*give the second Service another name/);
  });

  test('two Services of one name are refused by the unique-name rule', () => {
    const { c } = setup();
    const vm = new VirtualMachine(c, 'vm', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE) });
    const other = new VirtualMachine(c, 'vm2', { name: 'web2', bootDisk: BootDisk.containerDisk(IMAGE) });
    vm.expose({ name: 'front', ports: [{ port: 80 }] });
    other.expose({ name: 'front', ports: [{ port: 80 }] });
    expect(() => Testing.synth(c)).toThrow(/names two Service objects in namespace 'apps'/);
  });
});
