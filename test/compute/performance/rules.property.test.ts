import { Chart, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-33';
import * as fc from 'fast-check';
import {
  BootDisk, HugepagesSize, Instancetype, VirtualMachine, VirtualMachineClusterInstancetype, VirtualMachineTemplateOptions,
} from '../../../src/compute';
import { assertProperty } from '../../property';
import { findOne, synthValid } from '../../util';

const IMAGE = 'quay.io/containerdisks/fedora:41';
const PAGE_MI: Record<string, number> = { [HugepagesSize.TWO_MI]: 2, [HugepagesSize.ONE_GI]: 1024 };

function build(props: VirtualMachineTemplateOptions): any {
  const c = new Chart(Testing.app(), 'test', { namespace: 'my-ns' });
  new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE), ...props });
  return findOne(synthValid(c), 'VirtualMachine').spec.template.spec.domain;
}

const topology = fc.record({
  cores: fc.integer({ min: 1, max: 8 }),
  sockets: fc.integer({ min: 1, max: 2 }),
  threads: fc.integer({ min: 1, max: 2 }),
});

describe('CPU, memory and hugepage combinations', () => {
  test('pinned VMs with page-aligned memory always synthesize what was asked', () => {
    assertProperty(fc.property(
      topology, fc.constantFrom(HugepagesSize.TWO_MI, HugepagesSize.ONE_GI), fc.integer({ min: 1, max: 64 }), fc.boolean(), fc.boolean(),
      (t, page, pages, numa, pinRequest) => {
        const memoryMi = pages * PAGE_MI[page];
        const vcpus = t.cores * t.sockets * t.threads;
        const domain = build({
          ...t,
          memory: Size.mebibytes(memoryMi),
          hugepages: page,
          dedicatedCpus: true,
          numaGuestMappingPassthrough: numa,
          cpuRequest: pinRequest ? Cpu.units(vcpus) : undefined,
          cpuLimit: pinRequest ? Cpu.units(vcpus) : undefined,
        });
        expect(domain.memory.hugepages.pageSize).toBe(page);
        expect(domain.cpu.dedicatedCpuPlacement).toBe(true);
        expect(domain.cpu.cores * domain.cpu.sockets * domain.cpu.threads).toBe(vcpus);
        if (pinRequest) expect(domain.resources.requests.cpu).toBe(String(vcpus));
      }), { numRuns: 60 });
  });

  test('memory that is not a whole number of pages is always refused with the library error', () => {
    assertProperty(fc.property(
      fc.constantFrom(HugepagesSize.TWO_MI, HugepagesSize.ONE_GI), fc.integer({ min: 1, max: 65536 }),
      (page, memoryMi) => {
        fc.pre(memoryMi % PAGE_MI[page] !== 0);
        expect(() => build({ memory: Size.mebibytes(memoryMi), hugepages: page }))
          .toThrow(new RegExp(`^\\[test/vm\\] 'memory' must be a multiple of the hugepage size ${page}`));
      }), { numRuns: 80 });
  });

  test('a CPU request that differs from the pinned vCPUs is always refused', () => {
    assertProperty(fc.property(topology, fc.integer({ min: 1, max: 64 }), (t, request) => {
      const vcpus = t.cores * t.sockets * t.threads;
      fc.pre(request !== vcpus);
      expect(() => build({ ...t, dedicatedCpus: true, cpuRequest: Cpu.units(request) })).toThrow(/'cpuRequest' must match the \d+ vCPUs/);
    }), { numRuns: 60 });
  });

  test('requests never above limits: ordered pairs synthesize, reversed pairs are refused', () => {
    assertProperty(fc.property(fc.integer({ min: 1, max: 16000 }), fc.integer({ min: 1, max: 16000 }), (a, b) => {
      const [low, high] = a <= b ? [a, b] : [b, a];
      const domain = build({ cpuRequest: Cpu.millis(low), cpuLimit: Cpu.millis(high) });
      expect(domain.resources.requests.cpu).toBe(low % 1000 === 0 ? String(low / 1000) : `${low}m`);
      if (low !== high) expect(() => build({ cpuRequest: Cpu.millis(high), cpuLimit: Cpu.millis(low) })).toThrow(/'cpuRequest' is more than cpuLimit/);
    }), { numRuns: 60 });
  });

  test('instancetypes: valid sizes synthesize and VMs using them never set CPU or memory', () => {
    assertProperty(fc.property(
      fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 256 }),
      fc.option(fc.constantFrom(HugepagesSize.TWO_MI, HugepagesSize.ONE_GI), { nil: undefined }),
      (cpus, gib, page) => {
        const c = new Chart(Testing.app(), 'test', { namespace: 'my-ns' });
        const it = new VirtualMachineClusterInstancetype(c, 'it', { name: 'size', cpus, memory: Size.gibibytes(gib), hugepages: page });
        new VirtualMachine(c, 'vm', { name: 'vm', bootDisk: BootDisk.containerDisk(IMAGE), instancetype: Instancetype.of(it) });
        const docs = synthValid(c);
        expect(findOne(docs, 'VirtualMachineClusterInstancetype').spec.cpu.guest).toBe(cpus);
        const domain = findOne(docs, 'VirtualMachine').spec.template.spec.domain;
        expect(domain.cpu).toBeUndefined();
        expect(domain.memory).toBeUndefined();
      }), { numRuns: 40 });
  });
});
