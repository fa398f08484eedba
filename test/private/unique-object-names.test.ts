import { ApiObject, Size, Testing } from 'cdk8s';
import { BootDisk, CloudInit, DataVolume, DataVolumeSource, GoldenImage, SmartCloneFleet, VirtualMachine } from '../../src';
import { synthValid } from '../util';

const disk = BootDisk.containerDisk('quay.io/containerdisks/fedora:41');

describe('unique object names', () => {
  test('a VM and a fleet of the same name would share a cloud-init Secret', () => {
    const chart = Testing.chart();
    const cloudInit = CloudInit.noCloud({ packages: ['htop'] });
    new VirtualMachine(chart, 'vm', { name: 'workers', namespace: 'golden', bootDisk: disk, cloudInit });
    const image = new GoldenImage(chart, 'fedora', {
      namespace: 'golden', source: DataVolumeSource.http('https://example.org/f.qcow2'), size: Size.gibibytes(10), snapshotClass: 'snap',
    });
    new SmartCloneFleet(chart, 'fleet', { name: 'workers', namespace: 'golden', image, replicas: 2, cloudInit });
    expect(() => Testing.synth(chart)).toThrow(
      '[test] \'metadata.name\' names two Secret objects in namespace \'golden\', at test/vm/CloudInit and test/fleet/CloudInit; '
      + 'the cluster would keep only one, got \'workers-cloud-init\'; give one of the constructs that create them another name');
  });

  test('two DataVolumes with one name in one namespace are refused, in other namespaces allowed', () => {
    const chart = Testing.chart();
    const source = DataVolumeSource.blank();
    new DataVolume(chart, 'a', { name: 'disk', namespace: 'one', source, size: Size.gibibytes(1) });
    new DataVolume(chart, 'b', { name: 'disk', namespace: 'two', source, size: Size.gibibytes(1) });
    expect(synthValid(chart).length).toBe(2);
    new DataVolume(chart, 'c', { name: 'disk', namespace: 'two', source, size: Size.gibibytes(1) });
    expect(() => Testing.synth(chart)).toThrow(/'metadata.name' names two DataVolume objects in namespace 'two', at test\/b\/Resource and test\/c\/Resource/);
  });

  test('objects added by hand next to the constructs are covered too', () => {
    const chart = Testing.chart();
    new VirtualMachine(chart, 'vm', { name: 'web', namespace: 'ns', bootDisk: disk });
    new ApiObject(chart, 'raw', { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'web', namespace: 'ns' } });
    expect(() => Testing.synth(chart)).toThrow(/names two VirtualMachine objects in namespace 'ns', at test\/vm\/Resource and test\/raw/);
  });

  test('the same name in two kinds is fine', () => {
    const chart = Testing.chart();
    new VirtualMachine(chart, 'vm', { name: 'web', namespace: 'ns', bootDisk: disk });
    new DataVolume(chart, 'dv', { name: 'web', namespace: 'ns', source: DataVolumeSource.blank(), size: Size.gibibytes(1) });
    expect(synthValid(chart).map(d => d.kind)).toEqual(['VirtualMachine', 'DataVolume']);
  });
});
