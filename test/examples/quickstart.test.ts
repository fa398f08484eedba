import { readFileSync } from 'fs';
import { join } from 'path';
import { Testing } from 'cdk8s';
import { quickstart } from '../../examples/quickstart';
import { findOne, synthValid } from '../util';

describe('the README example', () => {
  test('synthesizes schema-valid objects and prints the fleet plan', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const chart = quickstart(Testing.app());
    expect(write).toHaveBeenCalledWith(
      'workers: 3 VMs from golden image my-ns/fedora: 1 import, 0 full copies, 1 snapshot, 3 copy-on-write clones; 10Gi imported, 0 copied\n');
    write.mockRestore();
    const docs = synthValid(chart);
    expect(docs.filter(d => d.kind === 'VirtualMachine').map(d => d.metadata.name))
      .toEqual(['my-vm', 'isolated', 'workers-0', 'workers-1', 'workers-2']);
    const worker = findOne(docs, 'VirtualMachine', 'workers-0').spec;
    expect(worker.dataVolumeTemplates[0].spec.source).toEqual({ snapshot: { namespace: 'my-ns', name: 'fedora' } });
    expect(worker.template.spec.networks).toEqual([{ name: 'default', multus: { networkName: 'my-ns/my-bridge', default: true } }]);
  });

  // The README states the plan under the code; CI's storage pass of the
  // quickstart checks the same plan against what CDI's controllers do.
  test('the README states the plan the example prints', () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    quickstart(Testing.app());
    const printed = String(write.mock.calls[0][0]).trim();
    write.mockRestore();
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8').split('\n');
    const at = readme.findIndex(l => l.includes('process.stderr.write(`${fleet.plan.summary}\\n`);'));
    expect(at).toBeGreaterThan(0);
    expect(readme[at + 1]).toBe(`// ${printed}`);
  });
});
