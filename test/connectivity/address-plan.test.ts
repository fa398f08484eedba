/**
 * AddressPlan: deterministic addresses and MACs, written into the VM spec
 * and cloud-init network data. The network data is read back with
 * cloud-init's own parser (Debian package `cloud-init`, run with the system
 * Python), which must see a static address on the planned MAC; without it
 * those tests are skipped, saying so (see test/host-tools.ts).
 */
import { spawnSync } from 'child_process';
import { Chart, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { AddressPlan, CniPlugin, Ipam, NetworkAttachmentDefinition, Route } from '../../src';
import { BootDisk, CloudInit, EvictionStrategy, InterfaceBinding, Network, SmartCloneFleet, VirtualMachine } from '../../src/compute';
import { DataVolumeSource } from '../../src/storage';
import { formatIp, parseIp } from '../../src/validation';
import { CLOUD_INIT_PYTHON, testWith } from '../host-tools';
import { assertProperty } from '../property';
import { findOne, synthValid } from '../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';
const POD_MAC = '02:aa:00:00:00:01';

function setup(range = '10.100.0.0/24', exclude = ['10.100.0.0/27'], gateway: string | undefined = '10.100.0.1') {
  const c = new Chart(Testing.app(), 'test', { namespace: 'apps' });
  const routes = gateway ? [Route.defaultVia(gateway), Route.to('192.168.50.0/24', gateway.replace(/\.1$/, '.254'))] : undefined;
  const net = new NetworkAttachmentDefinition(c, 'net', { name: 'lan', plugins: [CniPlugin.bridge({ bridge: 'br1', ipam: Ipam.whereabouts({ range, gateway, exclude, routes }) })] });
  return { c, net };
}

function fleet(c: Chart, net: NetworkAttachmentDefinition, id: string, replicas: number, extra: any = {}) {
  return new SmartCloneFleet(c, id, {
    replicas, source: DataVolumeSource.snapshot('apps', 'golden'), diskSize: Size.gibibytes(10), isolatedNetwork: net, ...extra,
  });
}

/** Parses network-config with cloud-init's own code; returns name → [mac, subnets]. */
function cloudInitParse(doc: string): any {
  const script = [
    'import sys, json, yaml',
    'from cloudinit.net import network_state',
    'ns = network_state.parse_net_config_data(yaml.safe_load(sys.stdin.read()), skip_broken=False)',
    'print(json.dumps({i["name"]: [i["mac_address"], i["subnets"]] for i in ns.iter_interfaces()}))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: doc, encoding: 'utf-8', timeout: 60_000 });
  if (r.error || r.status !== 0) throw new Error(`cloud-init refused the network data: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout);
}

const decode = (secret: any) => Buffer.from(secret.data.networkdata, 'base64').toString('utf-8');

/**
 * Reads OpenStack network_data.json the way cloud-init's ConfigDrive
 * datasource does (its own converter, then its network-state parser);
 * `macs` names the guest NICs by MAC. Returns name → [mac, subnets].
 */
function configDriveParse(doc: string, macs: Record<string, string>): any {
  const script = [
    'import sys, json',
    'from cloudinit.sources.helpers import openstack',
    'from cloudinit.net import network_state',
    'cfg = openstack.convert_net_json(json.loads(sys.stdin.read()), known_macs=json.loads(sys.argv[1]))',
    'ns = network_state.parse_net_config_data(cfg, skip_broken=False)',
    'print(json.dumps({i["name"]: [i["mac_address"], i["subnets"]] for i in ns.iter_interfaces()}))',
  ].join('\n');
  const r = spawnSync('/usr/bin/python3', ['-c', script, JSON.stringify(macs)], { input: doc, encoding: 'utf-8', timeout: 60_000 });
  if (r.error || r.status !== 0) throw new Error(`cloud-init refused the network data: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout);
}

describe('AddressPlan', () => {
  testWith(CLOUD_INIT_PYTHON)('every VM of a fleet gets an address of the block and a MAC of the prefix, listed in fleet.plan', () => {
    const { c, net } = setup();
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    const f = fleet(c, net, 'web', 5);
    const given = plan.assignFleet(f);
    expect(given.map(a => a.vmName)).toEqual(['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
    const addresses = given.map(a => a.address);
    expect(new Set(addresses).size).toBe(5);
    for (const a of given) {
      const last = Number(a.address.split('/')[0].split('.')[3]);
      expect(a.address).toMatch(/^10\.100\.0\.\d+\/24$/);
      expect(last).toBeGreaterThanOrEqual(2); // never .0 (network) or .1 (gateway)
      expect(last).toBeLessThanOrEqual(31);
      expect(a.macAddress).toBe(`02:5a:10:00:00:${last.toString(16).padStart(2, '0')}`);
    }
    expect(f.plan.addresses).toEqual(given.map(a => ({ vmName: a.vmName, interfaceName: 'default', network: 'apps/lan', address: a.address, macAddress: a.macAddress })));
    expect(f.plan.summary).toMatch(/; 5 planned addresses$/);

    const docs = synthValid(c);
    for (const a of given) {
      const vm = findOne(docs, 'VirtualMachine', a.vmName).spec.template.spec;
      expect(vm.domain.devices.interfaces).toEqual([{ name: 'default', bridge: {}, macAddress: a.macAddress }]);
      expect(vm.volumes).toContainEqual({ name: 'cloudinitdisk', cloudInitNoCloud: { networkDataSecretRef: { name: `${a.vmName}-network-data` } } });
      expect(vm.domain.devices.disks).toContainEqual({ name: 'cloudinitdisk', disk: {} });
      const parsed = cloudInitParse(decode(findOne(docs, 'Secret', `${a.vmName}-network-data`)));
      expect(parsed.default[0]).toBe(a.macAddress);
      expect(parsed.default[1]).toEqual([expect.objectContaining({
        type: 'static',
        address: a.address.split('/')[0],
        prefix: 24,
        routes: [expect.objectContaining({ network: '0.0.0.0', prefix: 0, gateway: '10.100.0.1' }), expect.objectContaining({ network: '192.168.50.0', prefix: 24, gateway: '10.100.0.254' })],
      })]);
    }
  });

  test('the same program gives the same addresses; other plans do not move them', () => {
    const run = (before: boolean) => {
      const { c, net } = setup();
      const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
      if (before) plan.assignFleet(fleet(c, net, 'other', 1));
      return plan.assignFleet(fleet(c, net, 'web', 3)).map(a => `${a.vmName}=${a.address}`);
    };
    expect(run(false)).toEqual(run(false));
    // a VM planned first only moves a fleet VM whose slot it took
    const alone = run(false);
    const withOther = run(true);
    expect(withOther.filter(x => !alone.includes(x)).length).toBeLessThanOrEqual(1);
  });

  testWith(CLOUD_INIT_PYTHON)('a single VM keeps its other interfaces on DHCP through their fixed MACs', () => {
    const { c, net } = setup();
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    const vm = new VirtualMachine(c, 'vm', {
      name: 'db',
      bootDisk: BootDisk.containerDisk(IMAGE),
      networks: [{ name: 'default', network: Network.pod(), macAddress: POD_MAC }, { name: 'lan', network: Network.multus(net), binding: InterfaceBinding.bridge() }],
      cloudInit: CloudInit.noCloud({ packages: ['postgresql'] }),
    });
    const a = plan.assignVm(vm);
    expect(a.interfaceName).toBe('lan');
    const docs = synthValid(c);
    const spec = findOne(docs, 'VirtualMachine', 'db').spec.template.spec;
    expect(spec.volumes.find((v: any) => v.name === 'cloudinitdisk').cloudInitNoCloud).toEqual({ secretRef: { name: 'db-cloud-init' }, networkDataSecretRef: { name: 'db-network-data' } });
    const parsed = cloudInitParse(decode(findOne(docs, 'Secret', 'db-network-data')));
    expect(parsed.default).toEqual([POD_MAC, [expect.objectContaining({ type: 'dhcp4' })]]);
    expect(parsed.lan[1]).toEqual([expect.objectContaining({ type: 'static', address: a.address.split('/')[0] })]);
    expect(plan.addresses).toEqual([a]);
  });

  testWith(CLOUD_INIT_PYTHON)('a VM on a config drive gets OpenStack network data on its one cloud-init source', () => {
    // a cloud-init volume with both cloudInitConfigDrive and cloudInitNoCloud is refused by KubeVirt's admission
    const { c, net } = setup();
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    const vm = new VirtualMachine(c, 'vm', {
      name: 'db',
      bootDisk: BootDisk.containerDisk(IMAGE),
      networks: [{ name: 'default', network: Network.pod(), macAddress: POD_MAC }, { name: 'lan', network: Network.multus(net), binding: InterfaceBinding.bridge() }],
      cloudInit: CloudInit.configDrive({ packages: ['postgresql'] }),
    });
    const a = plan.assignVm(vm);
    const docs = synthValid(c);
    const volume = findOne(docs, 'VirtualMachine', 'db').spec.template.spec.volumes.find((v: any) => v.name === 'cloudinitdisk');
    expect(volume).toEqual({ name: 'cloudinitdisk', cloudInitConfigDrive: { secretRef: { name: 'db-cloud-init' }, networkDataSecretRef: { name: 'db-network-data' } } });
    const text = decode(findOne(docs, 'Secret', 'db-network-data'));
    const parsed = configDriveParse(text, { [POD_MAC]: 'eth0', [a.macAddress]: 'eth1' });
    expect(parsed.eth0).toEqual([POD_MAC, [expect.objectContaining({ type: 'dhcp4' })]]);
    expect(parsed.eth1[0]).toBe(a.macAddress);
    expect(parsed.eth1[1]).toEqual([expect.objectContaining({
      type: 'static',
      address: a.address.split('/')[0],
      prefix: 24,
      gateway: '10.100.0.1',
      routes: [expect.objectContaining({ network: '192.168.50.0', prefix: 24, gateway: '10.100.0.254' })],
    })]);
  });

  testWith(CLOUD_INIT_PYTHON)('every VM of a fleet on a config drive gets its own OpenStack network data', () => {
    const c = new Chart(Testing.app(), 'test', { namespace: 'apps' });
    const net = new NetworkAttachmentDefinition(c, 'net', {
      name: 'lan',
      plugins: [CniPlugin.bridge({
        bridge: 'br1',
        ipam: Ipam.whereabouts({ range: '10.100.0.0/24', exclude: ['10.100.0.0/27'], routes: [Route.defaultVia('10.100.0.1')] }),
      })],
    });
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    const f = fleet(c, net, 'web', 2, { cloudInit: CloudInit.configDrive({ packages: ['nginx'] }) });
    const given = plan.assignFleet(f);
    const docs = synthValid(c);
    for (const a of given) {
      const volume = findOne(docs, 'VirtualMachine', a.vmName).spec.template.spec.volumes.find((v: any) => v.name === 'cloudinitdisk');
      expect(Object.keys(volume).sort()).toEqual(['cloudInitConfigDrive', 'name']);
      const parsed = configDriveParse(decode(findOne(docs, 'Secret', `${a.vmName}-network-data`)), { [a.macAddress]: 'eth0' });
      expect(parsed.eth0[1]).toEqual([expect.objectContaining({ type: 'static', address: a.address.split('/')[0], prefix: 24, gateway: '10.100.0.1' })]);
    }
  });

  testWith(CLOUD_INIT_PYTHON)('cloud-init\'s parser refuses broken network data (the oracle is not blind)', () => {
    expect(() => cloudInitParse('version: 2\nethernets:\n  lan:\n    match: {macaddress: "02:5a:10:00:00:01"}\n    addresses: [10.100.0.300/24]\n')).toThrow(/refused/);
  });
});

describe('rules', () => {
  test('never the gateway, the network address or an address handed out; a full block says so', () => {
    const { c, net } = setup('10.100.0.0/24', ['10.100.0.0/30']);
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/30', macPrefix: '02:5a:10' });
    const given = plan.assignFleet(fleet(c, net, 'web', 2)).map(a => a.address).sort();
    expect(given).toEqual(['10.100.0.2/24', '10.100.0.3/24']);
    expect(() => plan.assignFleet(fleet(c, net, 'more', 1))).toThrow(/\[test\/plan\] 'block' has no free address left for apps\/more-0\/default.*use a larger block/);
  });

  test('two plans on one network never hand out one address twice', () => {
    const { c, net } = setup('10.100.0.0/24', ['10.100.0.0/30']);
    new AddressPlan(c, 'a', { network: net, block: '10.100.0.0/30', macPrefix: '02:5a:10' }).assignFleet(fleet(c, net, 'web', 2));
    const b = new AddressPlan(c, 'b', { network: net, block: '10.100.0.0/30', macPrefix: '02:5a:11' });
    expect(() => b.assignFleet(fleet(c, net, 'more', 1))).toThrow(/'block' has no free address left/);
  });

  test('never KubeVirt\'s reserved masquerade MAC 02:00:00:00:00:00', () => {
    const { c, net } = setup('10.100.0.0/23', ['10.100.1.0/30'], '10.100.0.1');
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.1.0/30', macPrefix: '02:00:00:00:00' });
    const given = plan.assignFleet(fleet(c, net, 'web', 3));
    expect(given.map(a => a.macAddress).sort()).toEqual(['02:00:00:00:00:01', '02:00:00:00:00:02', '02:00:00:00:00:03']);
    // slot 0 (10.100.1.0, a usable address of the /23) is skipped for its MAC
    expect(given.map(a => a.address)).not.toContain('10.100.1.0/23');
    expect(() => plan.assignFleet(fleet(c, net, 'more', 1))).toThrow(/no free address left/);
  });

  test('the block must be in the range and out of the dynamic pool', () => {
    const { c, net } = setup();
    expect(() => new AddressPlan(c, 'a', { network: net, block: '10.100.0.64/27', macPrefix: '02:5a:10' }))
      .toThrow(/\[test\/a\] 'block' is part of the dynamic pool of network 'apps\/lan'.*add '10.100.0.64\/27' to the network's whereabouts exclude list/);
    expect(() => new AddressPlan(c, 'b', { network: net, block: '10.200.0.0/27', macPrefix: '02:5a:11' })).toThrow(/'block' must lie inside the network's range 10.100.0.0\/24/);
    expect(() => new AddressPlan(c, 'c', { network: net, block: '10.100.0.5/27', macPrefix: '02:5a:12' })).toThrow(/'block' must be a CIDR block with its network address/);
    const l2 = new NetworkAttachmentDefinition(c, 'l2', { name: 'l2', plugins: [CniPlugin.bridge({ bridge: 'br2' })] });
    expect(() => new AddressPlan(c, 'd', { network: l2, block: '10.0.0.0/27', macPrefix: '02:5a:13' })).toThrow(/'network' has no IPAM, so the plan has no range to take addresses from/);
  });

  test('the fix works: excluding the block makes the plan valid', () => {
    const { c, net } = setup('10.100.0.0/24', ['10.100.0.64/27']);
    expect(() => new AddressPlan(c, 'a', { network: net, block: '10.100.0.64/27', macPrefix: '02:5a:10' })).not.toThrow();
  });

  test('MAC prefixes are locally administered unicast and do not overlap', () => {
    const { c, net } = setup();
    expect(() => new AddressPlan(c, 'a', { network: net, block: '10.100.0.0/27', macPrefix: '00:5a:10' })).toThrow(/'macPrefix' must start with a locally administered unicast octet/);
    expect(() => new AddressPlan(c, 'b', { network: net, block: '10.100.0.0/27', macPrefix: '03:5a:10' })).toThrow(/locally administered unicast/);
    expect(() => new AddressPlan(c, 'c', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a' })).toThrow(/'macPrefix' must be three to five hex pairs/);
    new AddressPlan(c, 'd', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    expect(() => new AddressPlan(c, 'e', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10:01' })).toThrow(/'macPrefix' overlaps the MAC prefix '02:5a:10' of the plan at test\/d/);
  });

  test('refuses a VM with its own MAC or network data, a pool, a second assignment', () => {
    const { c, net } = setup();
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    const withMac = new VirtualMachine(c, 'a', { name: 'a', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'lan', network: Network.multus(net), macAddress: '02:11:11:11:11:11' }] });
    expect(() => plan.assignVm(withMac)).toThrow(/'vm' already sets MAC 02:11:11:11:11:11 on interface 'lan'.*remove that macAddress/);
    const withData = new VirtualMachine(c, 'b', {
      name: 'b',
      bootDisk: BootDisk.containerDisk(IMAGE),
      networks: [{ name: 'lan', network: Network.multus(net) }],
      cloudInit: CloudInit.noCloud({ networkInterfaces: [{ name: 'eth0', dhcp4: true }] }),
    });
    expect(() => plan.assignVm(withData)).toThrow(/has cloud-init network data of its own/);
    expect(() => plan.assignFleet(fleet(c, net, 'pool', 2, { pool: true }))).toThrow(/'fleet' is a VirtualMachinePool/);
    const vm = new VirtualMachine(c, 'c', { name: 'c', bootDisk: BootDisk.containerDisk(IMAGE), networks: [{ name: 'lan', network: Network.multus(net) }] });
    plan.assignVm(vm);
    expect(() => plan.assignVm(vm)).toThrow(/interface 'lan' already has a planned address/);
    const off = new VirtualMachine(c, 'd', { name: 'd', bootDisk: BootDisk.containerDisk(IMAGE) });
    expect(() => plan.assignVm(off)).toThrow(/'vm' has no interface on network 'apps\/lan'.*attach it with Network.multus\(network\) first/);
    expect(() => plan.assignVm(vm, { interfaceName: 'nope' })).toThrow(/'options.interfaceName' is not an interface of c/);
  });

  testWith(CLOUD_INIT_PYTHON)('another interface without a fixed MAC is an error at synthesis, and its fix works', () => {
    const { c, net } = setup();
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    const f = new SmartCloneFleet(c, 'web', {
      replicas: 2,
      source: DataVolumeSource.snapshot('apps', 'golden'),
      diskSize: Size.gibibytes(10),
      networks: [{ name: 'default', network: Network.pod() }, { name: 'lan', network: Network.multus(net) }],
    });
    plan.assignFleet(f);
    expect(() => Testing.synth(c)).toThrow(/\[test\/web\] 'networks.default.macAddress' is needed.*give interface 'default' a macAddress/);

    const ok = setup();
    const okPlan = new AddressPlan(ok.c, 'plan', { network: ok.net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    okPlan.assignFleet(new SmartCloneFleet(ok.c, 'web', {
      replicas: 2,
      source: DataVolumeSource.snapshot('apps', 'golden'),
      diskSize: Size.gibibytes(10),
      networks: [{ name: 'default', network: Network.pod(), macAddress: POD_MAC }, { name: 'lan', network: Network.multus(ok.net) }],
    }));
    const docs = synthValid(ok.c);
    expect(cloudInitParse(decode(findOne(docs, 'Secret', 'web-1-network-data'))).default).toEqual([POD_MAC, [expect.objectContaining({ type: 'dhcp4' })]]);
  });

  test('a MAC set by hand elsewhere in the app that equals a planned one is an error', () => {
    const { c, net } = setup();
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    const [given] = plan.assignFleet(fleet(c, net, 'web', 1));
    // without the clash the app is valid
    expect(() => Testing.synth(c)).not.toThrow();
    new VirtualMachine(c, 'other', {
      name: 'other',
      bootDisk: BootDisk.containerDisk(IMAGE),
      networks: [{ name: 'lan', network: Network.multus(net), macAddress: given.macAddress.toUpperCase() }],
    });
    const planMessage = `\\[test/plan\\] 'macPrefix' gave apps/web-0 interface 'default' the MAC ${given.macAddress}, which test/other also sets by hand`;
    expect(() => Testing.synth(c)).toThrow(new RegExp(planMessage));
  });

  test('wrong shapes get the library error', () => {
    const { c, net } = setup();
    expect(() => new AddressPlan(c, 'a', { network: 'apps/lan' as any, block: '10.100.0.0/27', macPrefix: '02:5a:10' })).toThrow(/'network' must be a NetworkAttachmentDefinition/);
    expect(() => new AddressPlan(c, 'b', { network: net, block: 27 as any, macPrefix: '02:5a:10' })).toThrow(/'block' must be a string/);
    const plan = new AddressPlan(c, 'c', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    expect(() => plan.assignVm('db' as any)).toThrow(/'vm' must be a VirtualMachine/);
    expect(() => plan.assignFleet({} as any)).toThrow(/'fleet' must be a SmartCloneFleet/);
  });
});

/** A chart with one network of the given IPAM. */
function networkWith(ipam: Ipam) {
  const c = new Chart(Testing.app(), 'test', { namespace: 'apps' });
  const net = new NetworkAttachmentDefinition(c, 'net', { name: 'lan', plugins: [CniPlugin.bridge({ bridge: 'br1', ipam })] });
  return { c, net };
}

const v6 = (text: string) => parseIp(text)!.value;

describe('IPv6 with whereabouts', () => {
  const ipam = (block = 'fd00:10::/120', extra: Partial<Parameters<typeof Ipam.whereabouts>[0]> = {}) => Ipam.whereabouts({
    range: 'fd00:10::/64', gateway: 'fd00:10::1', exclude: [block], routes: [Route.defaultVia('fd00:10::1'), Route.to('fd99::/48', 'fd00:10::fe')], ...extra,
  });

  testWith(CLOUD_INIT_PYTHON)('addresses of the block with the range\'s prefix, written as cloud-init reads them', () => {
    const { c, net } = networkWith(ipam());
    const plan = new AddressPlan(c, 'plan', { network: net, block: 'fd00:10::/120', macPrefix: '02:5a:60' });
    const given = plan.assignFleet(fleet(c, net, 'web', 6));
    expect(new Set(given.map(a => a.address)).size).toBe(6);
    for (const a of given) {
      const [address, prefix] = a.address.split('/');
      expect(prefix).toBe('64');
      const value = v6(address);
      expect(value >= v6('fd00:10::2') && value <= v6('fd00:10::ff')).toBe(true);
      expect(value).not.toBe(v6('fd00:10::fe')); // a route's next hop
      expect(a.macAddress).toBe(`02:5a:60:00:00:${(value - v6('fd00:10::')).toString(16).padStart(2, '0')}`);
    }
    const docs = synthValid(c);
    for (const a of given) {
      const data = decode(findOne(docs, 'Secret', `${a.vmName}-network-data`));
      expect(data).toContain('gateway6: fd00:10::1');
      expect(data).not.toContain('::/0');
      const parsed = cloudInitParse(data);
      expect(parsed.default[0]).toBe(a.macAddress);
      // the default route is the interface's IPv6 gateway: cloud-init before 23.1 reads a route to ::/0 as ::/64
      expect(parsed.default[1]).toEqual([expect.objectContaining({
        type: 'static',
        address: a.address.split('/')[0],
        prefix: 64,
        gateway: 'fd00:10::1',
        routes: [expect.objectContaining({ network: 'fd99::', prefix: 48, gateway: 'fd00:10::fe' })],
      })]);
    }
  });

  test('never the network address, the gateway or a next hop; never one address twice; a full block says so', () => {
    const { c, net } = networkWith(ipam('fd00:10::/125', { routes: [Route.to('fd99::/48', 'fd00:10::5')] }));
    const plan = new AddressPlan(c, 'plan', { network: net, block: 'fd00:10::/125', macPrefix: '02:5a:60' });
    const given = plan.assignFleet(fleet(c, net, 'web', 5)).map(a => a.address).sort();
    // ::0 is the network address, ::1 the gateway, ::5 a next hop; ::7 is an ordinary host (no broadcast in IPv6)
    expect(given).toEqual(['fd00:10::2/64', 'fd00:10::3/64', 'fd00:10::4/64', 'fd00:10::6/64', 'fd00:10::7/64']);
    expect(() => plan.assignFleet(fleet(c, net, 'more', 1))).toThrow(/\[test\/plan\] 'block' has no free address left for apps\/more-0\/default/);
    // a second plan on the same network and block finds nothing free either: addresses are unique app-wide
    const other = new AddressPlan(c, 'other', { network: net, block: 'fd00:10::/125', macPrefix: '02:5a:61' });
    expect(() => other.assignFleet(fleet(c, net, 'again', 1))).toThrow(/'block' has no free address left/);
  });

  test('exclusions as /128s that cover the block together keep it out of the pool; one address short is refused', () => {
    const singles = ['fd00:10::10/128', 'fd00:10::11/128', 'fd00:10::12/128', 'fd00:10::13/128'];
    const ok = networkWith(Ipam.whereabouts({ range: 'fd00:10::/64', exclude: singles }));
    const plan = new AddressPlan(ok.c, 'plan', { network: ok.net, block: 'fd00:10::10/126', macPrefix: '02:5a:60' });
    expect(plan.assignFleet(fleet(ok.c, ok.net, 'web', 4)).map(a => a.address).sort())
      .toEqual(['fd00:10::10/64', 'fd00:10::11/64', 'fd00:10::12/64', 'fd00:10::13/64']);
    const short = networkWith(Ipam.whereabouts({ range: 'fd00:10::/64', exclude: singles.slice(0, 3) }));
    expect(() => new AddressPlan(short.c, 'plan', { network: short.net, block: 'fd00:10::10/126', macPrefix: '02:5a:60' }))
      .toThrow(/\[test\/plan\] 'block' is part of the dynamic pool of network 'apps\/lan'.*add 'fd00:10::10\/126' to the network's whereabouts exclude list/);
  });

  test('a block of the other IP version, or outside the range, is refused', () => {
    const { c, net } = networkWith(ipam());
    expect(() => new AddressPlan(c, 'a', { network: net, block: '10.0.0.0/27', macPrefix: '02:5a:60' })).toThrow(/'block' must lie inside the network's range fd00:10::\/64/);
    expect(() => new AddressPlan(c, 'b', { network: net, block: 'fd00:11::/120', macPrefix: '02:5a:61' })).toThrow(/'block' must lie inside the network's range fd00:10::\/64/);
    expect(() => new AddressPlan(c, 'c', { network: net, block: 'fd00:10::5/120', macPrefix: '02:5a:62' })).toThrow(/'block' must be a CIDR block with its network address/);
  });

  test('random IPv6 blocks: addresses inside, unique, never a router, the same every run (property)', () => {
    const arb = fc.record({
      hi: fc.bigInt({ min: 0n, max: 0xffffn }),
      blockBits: fc.integer({ min: 3, max: 8 }),
      at: fc.nat(),
      gw: fc.nat(),
      vms: fc.integer({ min: 1, max: 6 }),
    });
    assertProperty(fc.property(arb, ({ hi, blockBits, at, gw, vms }) => {
      const base = v6('fd00::') + hi * 2n ** 64n;
      const size = 2n ** BigInt(blockBits);
      const blockFirst = base + (BigInt(at % 1000) * size);
      const block = `${formatIp(6, blockFirst)}/${128 - blockBits}`;
      const gateway = formatIp(6, blockFirst + (BigInt(gw) % size));
      const run = () => {
        const { c, net } = networkWith(Ipam.whereabouts({ range: `${formatIp(6, base)}/64`, gateway, exclude: [block], routes: [Route.defaultVia(gateway)] }));
        const plan = new AddressPlan(c, 'plan', { network: net, block, macPrefix: '02:5a:60' });
        const usable = Number(size) - 1 - (blockFirst === base ? 1 : 0) + (gateway === formatIp(6, base) ? 1 : 0);
        const f = fleet(c, net, 'web', Math.min(vms, usable));
        return plan.assignFleet(f).map(a => a.address);
      };
      const given = run();
      expect(run()).toEqual(given);
      expect(new Set(given).size).toBe(given.length);
      for (const a of given) {
        const value = v6(a.split('/')[0]);
        expect(a.endsWith('/64')).toBe(true);
        expect(value >= blockFirst && value < blockFirst + size).toBe(true);
        expect(value).not.toBe(v6(gateway));
        expect(value).not.toBe(base);
      }
    }), { numRuns: 40 });
  });
});

describe('host-local networks', () => {
  testWith(CLOUD_INIT_PYTHON)('a block outside the dynamic range: its addresses, never the default gateway, routes through it', () => {
    const { c, net } = networkWith(Ipam.hostLocal({ subnet: '10.50.0.0/24', rangeStart: '10.50.0.64', routes: [Route.to('0.0.0.0/0'), Route.to('192.168.99.0/24', '10.50.0.60')] }));
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.50.0.0/30', macPrefix: '02:5a:70' });
    // .0 is the network address, .1 host-local's default gateway
    expect(plan.assignFleet(fleet(c, net, 'web', 2)).map(a => a.address).sort()).toEqual(['10.50.0.2/24', '10.50.0.3/24']);
    const docs = synthValid(c);
    const parsed = cloudInitParse(decode(findOne(docs, 'Secret', 'web-0-network-data')));
    expect(parsed.default[1]).toEqual([expect.objectContaining({
      type: 'static',
      prefix: 24,
      routes: [
        expect.objectContaining({ network: '0.0.0.0', prefix: 0, gateway: '10.50.0.1' }),
        expect.objectContaining({ network: '192.168.99.0', prefix: 24, gateway: '10.50.0.60' }),
      ],
    })]);
    expect(() => plan.assignFleet(fleet(c, net, 'more', 1))).toThrow(/'block' has no free address left/);
  });

  test('the whole subnet is dynamic by default: refused with the rangeStart that frees the block, and the fix works', () => {
    const refused = networkWith(Ipam.hostLocal({ subnet: '10.50.0.0/24' }));
    expect(() => new AddressPlan(refused.c, 'plan', { network: refused.net, block: '10.50.0.0/26', macPrefix: '02:5a:70' }))
      .toThrow(/\[test\/plan\] 'block' overlaps the addresses 10\.50\.0\.1-10\.50\.0\.254 that host-local hands out from ranges\[0\]\[0\] of network 'apps\/lan' \(host-local has no exclude list\).*got '10\.50\.0\.0\/26'; shrink that range so the block lies outside it, e\.g\. with rangeStart: '10\.50\.0\.64'/);
    const middle = networkWith(Ipam.hostLocal({ subnet: '10.50.0.0/24', rangeStart: '10.50.0.10', rangeEnd: '10.50.0.200' }));
    expect(() => new AddressPlan(middle.c, 'plan', { network: middle.net, block: '10.50.0.128/26', macPrefix: '02:5a:70' }))
      .toThrow(/e\.g\. with rangeEnd: '10\.50\.0\.127' or rangeStart: '10\.50\.0\.192'/);
    const fixed = networkWith(Ipam.hostLocal({ subnet: '10.50.0.0/24', rangeStart: '10.50.0.64' }));
    new AddressPlan(fixed.c, 'plan', { network: fixed.net, block: '10.50.0.0/26', macPrefix: '02:5a:70' });
  });

  testWith(CLOUD_INIT_PYTHON)('IPv6: a block below rangeStart, never the gateway; outside every subnet refused', () => {
    const { c, net } = networkWith(Ipam.hostLocal({ subnet: 'fd00:20::/64', rangeStart: 'fd00:20::1:0', gateway: 'fd00:20::3', routes: [Route.to('::/0')] }));
    const plan = new AddressPlan(c, 'plan', { network: net, block: 'fd00:20::/126', macPrefix: '02:5a:70' });
    expect(plan.assignFleet(fleet(c, net, 'web', 2)).map(a => a.address).sort()).toEqual(['fd00:20::1/64', 'fd00:20::2/64']);
    const parsed = cloudInitParse(decode(findOne(synthValid(c), 'Secret', 'web-1-network-data')));
    expect(parsed.default[1]).toEqual([expect.objectContaining({ type: 'static', prefix: 64, gateway: 'fd00:20::3' })]);
    expect(parsed.default[1][0].routes ?? []).toEqual([]);
    expect(() => new AddressPlan(c, 'far', { network: net, block: 'fd00:21::/126', macPrefix: '02:5a:71' }))
      .toThrow(/'block' must lie inside the subnet of one of the network's host-local ranges \(fd00:20::\/64\)/);
  });

  test('three range sets are refused: the guest would lose addresses the network gives', () => {
    const { c, net } = networkWith(Ipam.hostLocal({
      ranges: [[{ subnet: '10.50.0.0/24', rangeStart: '10.50.0.64' }], [{ subnet: '10.51.0.0/24' }], [{ subnet: 'fd00:20::/64', rangeStart: 'fd00:20::1:0' }]],
    }));
    expect(() => new AddressPlan(c, 'plan', { network: net, block: '10.50.0.0/26', ipv6Block: 'fd00:20::/120', macPrefix: '02:5a:70' }))
      .toThrow(/'network' gives each interface one address from each of its 3 host-local range sets.*plan on a network with one host-local range set, or one IPv4 and one IPv6 set/);
  });
});

describe('dual-stack host-local networks', () => {
  const dualStack = () => networkWith(Ipam.hostLocal({
    ranges: [[{ subnet: 'fd00:20::/64', rangeStart: 'fd00:20::1:0' }], [{ subnet: '10.50.0.0/24', rangeStart: '10.50.0.64' }]],
    routes: [Route.to('0.0.0.0/0'), Route.to('::/0'), Route.to('fd99::/48', 'fd00:20::fe')],
  }));

  testWith(CLOUD_INIT_PYTHON)('each VM gets an IPv4 and an IPv6 address of one slot, both in the guest with their routes', () => {
    const { c, net } = dualStack();
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.50.0.0/26', ipv6Block: 'fd00:20::/120', macPrefix: '02:5a:70' });
    const f = fleet(c, net, 'web', 5);
    const given = plan.assignFleet(f);
    for (const a of given) {
      const v4 = Number(a.address.split('/')[0].split('.')[3]);
      const slot = v6(a.ipv6Address!.split('/')[0]) - v6('fd00:20::');
      expect(a.address).toMatch(/^10\.50\.0\.\d+\/24$/);
      expect(a.ipv6Address).toMatch(/\/64$/);
      // one slot: the same offset in both blocks and in the MAC; never .0/::0 (network) nor .1/::1 (the default gateways)
      expect(BigInt(v4)).toBe(slot);
      expect(v4).toBeGreaterThanOrEqual(2);
      expect(slot).not.toBe(0xfen);
      expect(a.macAddress).toBe(`02:5a:70:00:00:${v4.toString(16).padStart(2, '0')}`);
    }
    expect(new Set(given.map(a => a.ipv6Address)).size).toBe(5);
    expect(f.plan.addresses!.map(a => a.ipv6Address)).toEqual(given.map(a => a.ipv6Address));
    const docs = synthValid(c);
    const a = given[0];
    const data = decode(findOne(docs, 'Secret', `${a.vmName}-network-data`));
    expect(data).toContain('gateway6: fd00:20::1');
    const parsed = cloudInitParse(data);
    expect(parsed.default[0]).toBe(a.macAddress);
    expect(parsed.default[1]).toEqual([
      expect.objectContaining({
        type: 'static',
        address: a.address.split('/')[0],
        prefix: 24,
        routes: [expect.objectContaining({ network: '0.0.0.0', prefix: 0, gateway: '10.50.0.1' }), expect.objectContaining({ network: 'fd99::', prefix: 48, gateway: 'fd00:20::fe' })],
      }),
      expect.objectContaining({ type: 'static', address: a.ipv6Address!.split('/')[0], prefix: 64, gateway: 'fd00:20::1' }),
    ]);
  });

  test('refuses a dual-stack network without ipv6Block, ipv6Block elsewhere, swapped blocks, an IPv6 block in the dynamic range', () => {
    const ds = dualStack();
    expect(() => new AddressPlan(ds.c, 'a', { network: ds.net, block: '10.50.0.0/26', macPrefix: '02:5a:70' }))
      .toThrow(/\[test\/a\] 'ipv6Block' must be set: network 'apps\/lan' is dual-stack.*add ipv6Block/);
    expect(() => new AddressPlan(ds.c, 'b', { network: ds.net, block: 'fd00:20::/120', ipv6Block: '10.50.0.0/26', macPrefix: '02:5a:71' }))
      .toThrow(/'block' must be the IPv4 block of the dual-stack network/);
    expect(() => new AddressPlan(ds.c, 'c', { network: ds.net, block: '10.50.0.0/26', ipv6Block: 'fd00:20::1:0/120', macPrefix: '02:5a:72' }))
      .toThrow(/'ipv6Block' overlaps the addresses fd00:20::1:0-fd00:20::ffff:ffff:ffff:ffff that host-local hands out from ranges\[0\]\[0\]/);
    expect(() => new AddressPlan(ds.c, 'd', { network: ds.net, block: '10.50.0.0/26', ipv6Block: 'fd00:20::5/120', macPrefix: '02:5a:73' }))
      .toThrow(/'ipv6Block' must be a CIDR block with its network address/);
    const single = networkWith(Ipam.hostLocal({ subnet: '10.50.0.0/24', rangeStart: '10.50.0.64' }));
    expect(() => new AddressPlan(single.c, 'e', { network: single.net, block: '10.50.0.0/26', ipv6Block: 'fd00:20::/120', macPrefix: '02:5a:74' }))
      .toThrow(/'ipv6Block' is for dual-stack networks; network 'apps\/lan' has one host-local range set/);
    const wb = networkWith(Ipam.whereabouts({ range: '10.50.0.0/24', exclude: ['10.50.0.0/26'] }));
    expect(() => new AddressPlan(wb.c, 'f', { network: wb.net, block: '10.50.0.0/26', ipv6Block: 'fd00:20::/120', macPrefix: '02:5a:75' }))
      .toThrow(/'ipv6Block' is for dual-stack host-local networks; network 'apps\/lan' allocates with whereabouts/);
  });
});

test('static IPAM is refused: KubeVirt v1.9 passes no per-interface address to Multus', () => {
  const { c, net } = networkWith(Ipam.staticAddresses({ addresses: [{ address: '10.60.0.5/24' }] }));
  expect(() => new AddressPlan(c, 'plan', { network: net, block: '10.60.0.0/27', macPrefix: '02:5a:70' }))
    .toThrow(/\[test\/plan\] 'network' uses static IPAM, whose addresses are written into the network itself.*which KubeVirt v1\.9 does not write for a VM.*give the network Ipam\.whereabouts/);
});

// whereabouts v0.9.4 keys an allocation by pod and interface (allocate.go, AssignIP) and frees it by
// container (DeallocateIP): a migrated VM's address returns to the pool while the guest keeps it
describe('live migration on a dynamic whereabouts pool (kubevirt#13709)', () => {
  const warnings = (fn: () => void): string[] => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      fn();
      return warn.mock.calls.map(c => String(c[0]));
    } finally {
      warn.mockRestore();
    }
  };

  test('a bridge-bound VM that live-migrates is warned, naming the fix', () => {
    const { c, net } = setup();
    new VirtualMachine(c, 'vm', {
      name: 'db',
      bootDisk: BootDisk.containerDisk(IMAGE),
      evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
      networks: [{ name: 'lan', network: Network.multus(net), binding: InterfaceBinding.bridge() }],
    });
    expect(warnings(() => synthValid(c))).toEqual([expect.stringMatching(
      /\[test\/vm\] warning: interface 'lan' takes its address from the whereabouts pool of apps\/lan while the VM live-migrates \(evictionStrategy LiveMigrate\): .*kubevirt#13709.*fix the address with an AddressPlan/)]);
  });

  test('the fix works: planned addresses, or no live migration; a fleet counts when every VM is planned', () => {
    const { c, net } = setup();
    const plan = new AddressPlan(c, 'plan', { network: net, block: '10.100.0.0/27', macPrefix: '02:5a:10' });
    const vm = new VirtualMachine(c, 'vm', {
      name: 'db',
      bootDisk: BootDisk.containerDisk(IMAGE),
      evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
      networks: [{ name: 'lan', network: Network.multus(net), binding: InterfaceBinding.bridge() }],
    });
    plan.assignVm(vm);
    plan.assignFleet(fleet(c, net, 'web', 2, { evictionStrategy: EvictionStrategy.LIVE_MIGRATE }));
    new VirtualMachine(c, 'still', {
      name: 'still',
      bootDisk: BootDisk.containerDisk(IMAGE),
      evictionStrategy: EvictionStrategy.NONE,
      networks: [{ name: 'lan', network: Network.multus(net), binding: InterfaceBinding.bridge() }],
    });
    expect(warnings(() => synthValid(c))).toEqual([]);
  });
});
