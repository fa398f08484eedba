import { Chart, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import {
  BootDisk, CloudInit, Firmware, InterfaceBinding, IsolatedVm, MachineType, Network, RunStrategy, VirtualMachine,
  EvictionStrategy,
} from '../../../src/compute';
import { NetworkAttachmentDefinition } from '../../../src/network';
import { assertProperty } from '../../property';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const mac = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 5, maxLength: 5 })
  .map(rest => ['02', ...rest.map(o => o.toString(16).padStart(2, '0'))].join(':'));

/** Random valid VM options and a random list of secondary Multus interfaces. */
const vmInput = fc.record({
  name: label,
  cores: fc.option(fc.integer({ min: 1, max: 16 }), { nil: undefined }),
  sockets: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
  threads: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
  memoryMi: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined }),
  runStrategy: fc.option(fc.constantFrom(...Object.values(RunStrategy)), { nil: undefined }),
  eviction: fc.option(fc.constantFrom(...Object.values(EvictionStrategy)), { nil: undefined }),
  firmware: fc.constantFrom(undefined, Firmware.bios(), Firmware.efi(), Firmware.efi({ secureBoot: false })),
  machineType: fc.constantFrom(undefined, MachineType.Q35, MachineType.custom('pc-q35-rhel9.6.0')),
  packages: fc.option(fc.array(label, { maxLength: 3 }), { nil: undefined }),
  podBinding: fc.constantFrom('masquerade', 'bridge', 'none'),
  secondary: fc.uniqueArray(fc.record({ name: label, sriov: fc.boolean(), mac: fc.option(mac, { nil: undefined }) }), {
    selector: s => s.name, maxLength: 3,
  }),
});

describe('VirtualMachine (property)', () => {
  test('valid inputs always synthesize schema-valid VMs whose interfaces match their networks', () => {
    assertProperty(fc.property(vmInput, input => {
      const chart = new Chart(Testing.app(), 'test');
      const nad = NetworkAttachmentDefinition.fromNetworkName(chart, 'nad', 'my-ns/net');
      const secondary = input.secondary.filter(s => s.name !== 'default');
      const macs = new Set<string>();
      const networks = [
        ...(input.podBinding === 'none' ? [] : [{
          name: 'default',
          network: Network.pod(),
          binding: input.podBinding === 'bridge' ? InterfaceBinding.bridge() : InterfaceBinding.masquerade(),
        }]),
        ...secondary.map(s => {
          const unique = s.mac !== undefined && !macs.has(s.mac) ? s.mac : undefined;
          if (unique) macs.add(unique);
          return { name: s.name, network: Network.multus(nad), binding: s.sriov ? InterfaceBinding.sriov() : undefined, macAddress: unique };
        }),
      ];
      new VirtualMachine(chart, 'vm', {
        name: input.name,
        namespace: 'my-ns',
        bootDisk: BootDisk.containerDisk(IMAGE),
        cores: input.cores,
        sockets: input.sockets,
        threads: input.threads,
        memory: input.memoryMi === undefined ? undefined : Size.mebibytes(input.memoryMi),
        runStrategy: input.runStrategy,
        evictionStrategy: input.eviction,
        allowPodBridgeNetworkLiveMigration: input.podBinding === 'bridge' && input.eviction === EvictionStrategy.LIVE_MIGRATE ? true : undefined,
        firmware: input.firmware,
        machineType: input.machineType,
        cloudInit: input.packages === undefined ? undefined : CloudInit.noCloud({ packages: input.packages }),
        networks,
      });
      const t = findOne(synthValid(chart), 'VirtualMachine', input.name).spec.template.spec;
      expect(t.networks.map((n: any) => n.name)).toEqual(t.domain.devices.interfaces.map((i: any) => i.name));
      expect(t.networks.filter((n: any) => n.pod)).toHaveLength(input.podBinding === 'none' ? 0 : 1);
      if (input.firmware?.secureBoot) expect(t.domain.features.smm.enabled).toBe(true);
    }), { numRuns: 40 });
  });

  test('any name is either a valid VM name or rejected with the library error', () => {
    assertProperty(fc.property(fc.string({ maxLength: 70 }), name => {
      const chart = new Chart(Testing.app(), 'test');
      try {
        new VirtualMachine(chart, 'vm', { name, namespace: 'my-ns', bootDisk: BootDisk.containerDisk(IMAGE) });
      } catch (e) {
        expect((e as Error).message).toMatch(/^\[test\/vm\] 'name' must .*, got .*; use a name such as '/);
        return;
      }
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
      synthValid(chart);
    }), { numRuns: 60 });
  });

  test('any isolated VM has exactly one network, a Multus default, and no pod interface', () => {
    assertProperty(fc.property(label, label, fc.option(mac, { nil: undefined }), (name, iface, macAddress) => {
      const chart = new Chart(Testing.app(), 'test');
      const nad = NetworkAttachmentDefinition.fromNetworkName(chart, 'nad', 'my-ns/tenant');
      new IsolatedVm(chart, 'vm', { name, namespace: 'my-ns', network: nad, interfaceName: iface, macAddress, bootDisk: BootDisk.containerDisk(IMAGE) });
      const t = findOne(synthValid(chart), 'VirtualMachine', name).spec.template.spec;
      expect(t.networks).toEqual([{ name: iface, multus: { networkName: 'my-ns/tenant', default: true } }]);
      expect(t.domain.devices.autoattachPodInterface).toBe(false);
    }), { numRuns: 30 });
  });
});
