import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import {
  DataVolume, DataVolumeSource, VolumeSnapshot, VolumeSnapshotClass, VolumeSnapshotDeletionPolicy,
} from '../../src/storage';
import { findOne, synthValid } from '../util';

function chart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', namespace ? { namespace } : {});
}

describe('VolumeSnapshotClass', () => {
  test('defaults: Delete policy, no parameters, not default', () => {
    const c = chart();
    new VolumeSnapshotClass(c, 'rbd', { name: 'csi-rbdplugin-snapclass', driver: 'rook-ceph.rbd.csi.ceph.com' });
    const doc = findOne(synthValid(c), 'VolumeSnapshotClass');
    expect(doc).toMatchSnapshot();
    expect(doc.deletionPolicy).toBe('Delete');
    expect(doc.parameters).toBeUndefined();
    expect(doc.metadata.annotations).toBeUndefined();
  });

  test('ApiObject.of returns the VolumeSnapshotClass object', () => {
    const vsc = new VolumeSnapshotClass(chart(), 'rbd', { driver: 'rook-ceph.rbd.csi.ceph.com' });
    expect(ApiObject.of(vsc).kind).toBe('VolumeSnapshotClass');
    expect(ApiObject.of(vsc).name).toBe(vsc.name);
  });

  test('renders retain policy, sorted parameters and the default-class annotation', () => {
    const c = chart('ignored-for-cluster-scoped');
    new VolumeSnapshotClass(c, 'rbd', {
      name: 'rbd',
      driver: 'rook-ceph.rbd.csi.ceph.com',
      deletionPolicy: VolumeSnapshotDeletionPolicy.RETAIN,
      parameters: { 'csi.storage.k8s.io/snapshotter-secret-name': 'rook-csi-rbd-provisioner', 'clusterID': 'rook-ceph' },
      isDefault: true,
    });
    const doc = findOne(synthValid(c), 'VolumeSnapshotClass');
    expect(doc.metadata.namespace).toBeUndefined();
    expect(doc.deletionPolicy).toBe('Retain');
    expect(Object.keys(doc.parameters)).toEqual(['clusterID', 'csi.storage.k8s.io/snapshotter-secret-name']);
    expect(doc.metadata.annotations).toEqual({ 'snapshot.storage.kubernetes.io/is-default-class': 'true' });
  });

  test('throws for an invalid driver name', () => {
    expect(() => new VolumeSnapshotClass(chart(), 'x', { driver: 'rook ceph' }))
      .toThrow(/\[test\/x\] 'driver' must be a CSI driver name .*got 'rook ceph'; use the name the driver registers/);
  });

  test('throws for an invalid name', () => {
    expect(() => new VolumeSnapshotClass(chart(), 'x', { name: 'Snap_Class', driver: 'a.b' }))
      .toThrow(/\[test\/x\] 'name' must be a DNS-1123 subdomain/);
  });

  test('fromVolumeSnapshotClassName references an existing class', () => {
    const c = chart();
    expect(VolumeSnapshotClass.fromVolumeSnapshotClassName(c, 'x', 'csi-rbdplugin-snapclass').name).toBe('csi-rbdplugin-snapclass');
    expect(() => VolumeSnapshotClass.fromVolumeSnapshotClassName(c, 'y', 'Bad')).toThrow(/\[test\] 'name' must be a DNS-1123 subdomain/);
  });
});

describe('VolumeSnapshot', () => {
  test('defaults: snapshot of a named PVC with the driver default class', () => {
    const c = chart('vms');
    new VolumeSnapshot(c, 'snap', { name: 'disk-snap', persistentVolumeClaimName: 'disk' });
    const doc = findOne(synthValid(c), 'VolumeSnapshot');
    expect(doc).toMatchSnapshot();
    expect(doc.spec).toEqual({ source: { persistentVolumeClaimName: 'disk' } });
  });

  test('ApiObject.of returns the VolumeSnapshot object', () => {
    const snap = new VolumeSnapshot(chart('vms'), 'snap', { persistentVolumeClaimName: 'disk' });
    expect(ApiObject.of(snap).kind).toBe('VolumeSnapshot');
  });

  test('snapshots a DataVolume in its namespace, with a class construct, after the DataVolume', () => {
    const c = chart();
    const dv = new DataVolume(c, 'dv', { name: 'fedora', namespace: 'golden', source: DataVolumeSource.blank(), size: Size.gibibytes(1) });
    const vsc = new VolumeSnapshotClass(c, 'vsc', { name: 'rbd', driver: 'rook-ceph.rbd.csi.ceph.com' });
    const snap = new VolumeSnapshot(c, 'snap', { name: 'fedora', dataVolume: dv, volumeSnapshotClass: vsc, labels: { b: '2', a: '1' } });
    expect([snap.namespace, snap.persistentVolumeClaimName, snap.volumeSnapshotClassName]).toEqual(['golden', 'fedora', 'rbd']);
    const docs = synthValid(c);
    const doc = findOne(docs, 'VolumeSnapshot');
    expect(doc.metadata).toEqual({ name: 'fedora', namespace: 'golden', labels: { a: '1', b: '2' } });
    expect(doc.spec).toEqual({ source: { persistentVolumeClaimName: 'fedora' }, volumeSnapshotClassName: 'rbd' });
    expect(docs.findIndex(d => d.kind === 'DataVolume')).toBeLessThan(docs.findIndex(d => d.kind === 'VolumeSnapshot'));
  });

  test('takes a class by name', () => {
    const c = chart('vms');
    new VolumeSnapshot(c, 'snap', { persistentVolumeClaimName: 'disk', volumeSnapshotClassName: 'csi-rbdplugin-snapclass' });
    expect(findOne(synthValid(c), 'VolumeSnapshot').spec.volumeSnapshotClassName).toBe('csi-rbdplugin-snapclass');
  });

  test('throws without a source or with two', () => {
    expect(() => new VolumeSnapshot(chart('vms'), 'snap', {}))
      .toThrow(/\[test\/snap\] 'persistentVolumeClaimName' is required \(or 'dataVolume'\), got undefined/);
    const c = chart('vms');
    const dv = DataVolume.fromDataVolumeName(c, 'dv', 'disk');
    expect(() => new VolumeSnapshot(c, 'snap', { dataVolume: dv, persistentVolumeClaimName: 'disk' }))
      .toThrow(/\[test\/snap\] 'persistentVolumeClaimName' cannot be combined with 'dataVolume', got 'disk'/);
  });

  test('throws with both class props', () => {
    const c = chart('vms');
    const vsc = VolumeSnapshotClass.fromVolumeSnapshotClassName(c, 'vsc', 'a');
    expect(() => new VolumeSnapshot(c, 'snap', { persistentVolumeClaimName: 'disk', volumeSnapshotClass: vsc, volumeSnapshotClassName: 'b' }))
      .toThrow(/\[test\/snap\] 'volumeSnapshotClassName' cannot be combined with 'volumeSnapshotClass', got 'b'/);
  });

  test('throws when the namespace differs from the DataVolume\'s', () => {
    const c = chart();
    const dv = DataVolume.fromDataVolumeName(c, 'dv', 'disk', { namespace: 'golden' });
    expect(() => new VolumeSnapshot(c, 'snap', { dataVolume: dv, namespace: 'other' }))
      .toThrow(/\[test\/snap\] 'namespace' must be the namespace of the DataVolume \('golden'\), a snapshot lives beside its volume, got 'other'; remove 'namespace' or set it to 'golden'/);
  });

  test('throws without any namespace', () => {
    expect(() => new VolumeSnapshot(chart(), 'snap', { persistentVolumeClaimName: 'disk' }))
      .toThrow(/\[test\/snap\] 'namespace' is required because other objects reference this one by namespace, got undefined; set 'namespace' here or on the chart/);
  });

  test('throws for an invalid PVC name', () => {
    expect(() => new VolumeSnapshot(chart('vms'), 'snap', { persistentVolumeClaimName: 'Disk_1' }))
      .toThrow(/\[test\/snap\] 'persistentVolumeClaimName' must be a DNS-1123 subdomain/);
  });

  test('fromVolumeSnapshotName references an existing snapshot', () => {
    const c = chart();
    const snap = VolumeSnapshot.fromVolumeSnapshotName(c, 'x', 'fedora', { namespace: 'golden' });
    expect([snap.name, snap.namespace]).toEqual(['fedora', 'golden']);
    expect(() => VolumeSnapshot.fromVolumeSnapshotName(c, 'y', 'fedora', { namespace: 'Bad' })).toThrow(/\[test\] 'namespace' must be a DNS-1123 label/);
  });
});
