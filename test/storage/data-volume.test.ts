import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode, PersistentVolumeMode } from 'cdk8s-plus-33';
import {
  DataSource, DataSourceSource, DataVolume, DataVolumeContentType, DataVolumeProps, DataVolumeSource,
} from '../../src/storage';
import { renderDataVolumeTemplate } from '../../src/storage/data-volume-render';
import { findOne, synthValid } from '../util';

function chart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', namespace ? { namespace } : {});
}

describe('defaults', () => {
  test('a blank disk with only a size', () => {
    const c = chart();
    new DataVolume(c, 'scratch', { name: 'scratch', source: DataVolumeSource.blank(), size: Size.gibibytes(1) });
    const dv = findOne(synthValid(c), 'DataVolume', 'scratch');
    expect(dv).toMatchSnapshot();
    expect(dv.metadata.namespace).toBeUndefined();
    expect(dv.spec.storage).toEqual({ resources: { requests: { storage: '1Gi' } } });
  });

  test('ApiObject.of returns the DataVolume object', () => {
    const c = chart();
    const dv = new DataVolume(c, 'scratch', { source: DataVolumeSource.blank(), size: Size.gibibytes(1) });
    const obj = ApiObject.of(dv);
    expect(obj.kind).toBe('DataVolume');
    expect(obj.apiVersion).toBe('cdi.kubevirt.io/v1beta1');
    expect(obj.name).toBe(dv.name);
  });

  test('generates a name from the construct path when none is given', () => {
    const c = chart();
    const dv = new DataVolume(c, 'scratch', { source: DataVolumeSource.blank(), size: Size.gibibytes(1) });
    expect(dv.name).toMatch(/^test-scratch-/);
    expect(findOne(synthValid(c), 'DataVolume').metadata.name).toBe(dv.name);
  });

  test('takes the chart namespace', () => {
    const c = chart('vms');
    const dv = new DataVolume(c, 'scratch', { name: 'scratch', source: DataVolumeSource.blank(), size: Size.gibibytes(1) });
    expect(dv.namespace).toBe('vms');
    expect(findOne(synthValid(c), 'DataVolume').metadata.namespace).toBe('vms');
  });
});

describe('seed scenario: clone of PVC my-source-dv in my-ns', () => {
  test('renders a 10Gi ReadWriteOnce clone that CDI accepts', () => {
    const c = chart();
    new DataVolume(c, 'clone', {
      name: 'my-clone-dv',
      namespace: 'my-ns',
      source: DataVolumeSource.pvc('my-ns', 'my-source-dv'),
      size: Size.gibibytes(10),
      accessModes: [PersistentVolumeAccessMode.READ_WRITE_ONCE],
    });
    const dv = findOne(synthValid(c), 'DataVolume', 'my-clone-dv');
    expect(dv.metadata.namespace).toBe('my-ns');
    expect(dv.spec).toEqual({
      source: { pvc: { name: 'my-source-dv', namespace: 'my-ns' } },
      storage: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    });
  });
});

describe('sources', () => {
  const cases: Array<[string, DataVolumeSource, any]> = [
    ['http', DataVolumeSource.http('https://example.org/a.qcow2', { secretRef: 'creds' }), { http: { url: 'https://example.org/a.qcow2', secretRef: 'creds' } }],
    ['registry', DataVolumeSource.registry('docker://quay.io/containerdisks/fedora:41'), { registry: { url: 'docker://quay.io/containerdisks/fedora:41' } }],
    ['s3', DataVolumeSource.s3('https://s3.example.org/bucket/a.img', { secretRef: 's3' }), { s3: { url: 'https://s3.example.org/bucket/a.img', secretRef: 's3' } }],
    ['gcs', DataVolumeSource.gcs('gs://bucket/a.img'), { gcs: { url: 'gs://bucket/a.img' } }],
    ['upload', DataVolumeSource.upload(), { upload: {} }],
    ['blank', DataVolumeSource.blank(), { blank: {} }],
    ['pvc', DataVolumeSource.pvc('other', 'src'), { pvc: { name: 'src', namespace: 'other' } }],
    ['snapshot', DataVolumeSource.snapshot('other', 'snap'), { snapshot: { name: 'snap', namespace: 'other' } }],
  ];
  test.each(cases)('%s source renders spec.source and validates against the CRD', (_kind, source, expected) => {
    const c = chart('vms');
    new DataVolume(c, 'dv', { name: 'dv', source, size: Size.gibibytes(2) });
    expect(findOne(synthValid(c), 'DataVolume', 'dv').spec.source).toEqual(expected);
  });

  test('clones may leave the size to CDI', () => {
    const c = chart('vms');
    new DataVolume(c, 'pvc', { name: 'a', source: DataVolumeSource.pvc('other', 'src') });
    new DataVolume(c, 'snap', { name: 'b', source: DataVolumeSource.snapshot('vms', 'snap') });
    const docs = synthValid(c);
    expect(findOne(docs, 'DataVolume', 'a').spec.storage).toEqual({});
    expect(findOne(docs, 'DataVolume', 'b').spec.storage).toEqual({});
  });

  test('sourceRef clones a DataSource, naming its namespace', () => {
    const c = chart('vms');
    const ds = DataSource.fromDataSourceName(c, 'fedora', 'fedora', { namespace: 'golden' });
    const dv = new DataVolume(c, 'dv', { name: 'dv', sourceRef: ds });
    expect(dv.sourceRef).toBe(ds);
    expect(findOne(synthValid(c), 'DataVolume', 'dv').spec).toEqual({
      sourceRef: { kind: 'DataSource', name: 'fedora', namespace: 'golden' },
      storage: {},
    });
  });

  test('sourceRef accepts a DataSource construct', () => {
    const c = chart('golden');
    const ds = new DataSource(c, 'ds', { name: 'fedora', source: DataSourceSource.pvc('golden', 'fedora') });
    new DataVolume(c, 'dv', { name: 'dv', sourceRef: ds, size: Size.gibibytes(20) });
    const dv = findOne(synthValid(c), 'DataVolume', 'dv');
    expect(dv.spec.sourceRef).toEqual({ kind: 'DataSource', name: 'fedora', namespace: 'golden' });
    expect(dv.spec.storage.resources.requests.storage).toBe('20Gi');
  });
});

describe('storage options', () => {
  test('renders every option with CDI field names', () => {
    const c = chart('vms');
    new DataVolume(c, 'dv', {
      name: 'dv',
      source: DataVolumeSource.http('https://example.org/a.tar'),
      size: Size.mebibytes(1536),
      storageClass: 'rook-ceph-block',
      accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY, PersistentVolumeAccessMode.READ_WRITE_ONCE],
      volumeMode: PersistentVolumeMode.FILE_SYSTEM,
      preallocation: true,
      contentType: DataVolumeContentType.ARCHIVE,
      labels: { zeta: 'z', alpha: 'a' },
      annotations: { 'example.org/note': 'x' },
    });
    const dv = findOne(synthValid(c), 'DataVolume', 'dv');
    expect(dv.spec.storage).toEqual({
      accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
      resources: { requests: { storage: '1536Mi' } },
      storageClassName: 'rook-ceph-block',
      volumeMode: 'Filesystem',
    });
    expect(dv.spec.preallocation).toBe(true);
    expect(dv.spec.contentType).toBe('archive');
    expect(Object.keys(dv.metadata.labels)).toEqual(['alpha', 'zeta']);
    expect(dv.metadata.annotations).toEqual({ 'example.org/note': 'x' });
  });

  test('renders block volume mode, preallocation false and kubevirt content type', () => {
    const c = chart('vms');
    new DataVolume(c, 'dv', {
      name: 'dv',
      source: DataVolumeSource.blank(),
      size: Size.gibibytes(1),
      volumeMode: PersistentVolumeMode.BLOCK,
      preallocation: false,
      contentType: DataVolumeContentType.KUBEVIRT,
    });
    const dv = findOne(synthValid(c), 'DataVolume', 'dv');
    expect(dv.spec.storage.volumeMode).toBe('Block');
    expect(dv.spec.preallocation).toBe(false);
    expect(dv.spec.contentType).toBe('kubevirt');
  });

  test('leaves access and volume modes out so the StorageProfile decides', () => {
    const c = chart('vms');
    new DataVolume(c, 'dv', { name: 'dv', source: DataVolumeSource.blank(), size: Size.gibibytes(1), storageClass: 'local' });
    const storage = findOne(synthValid(c), 'DataVolume', 'dv').spec.storage;
    expect(storage.accessModes).toBeUndefined();
    expect(storage.volumeMode).toBeUndefined();
  });

  test('bindImmediately adds the CDI annotation', () => {
    const c = chart('vms');
    new DataVolume(c, 'dv', { name: 'dv', source: DataVolumeSource.upload(), size: Size.gibibytes(1), bindImmediately: true });
    expect(findOne(synthValid(c), 'DataVolume', 'dv').metadata.annotations).toEqual({
      'cdi.kubevirt.io/storage.bind.immediate.requested': 'true',
    });
  });

  test('exposes name, namespace, size, storage class and source', () => {
    const c = chart();
    const source = DataVolumeSource.blank();
    const dv = new DataVolume(c, 'dv', { name: 'dv', namespace: 'vms', source, size: Size.gibibytes(3), storageClass: 'fast' });
    expect([dv.name, dv.namespace, dv.size?.toGibibytes(), dv.storageClass, dv.source]).toEqual(['dv', 'vms', 3, 'fast', source]);
  });
});

describe('rules', () => {
  const blank = () => DataVolumeSource.blank();

  test('throws without source or sourceRef', () => {
    expect(() => new DataVolume(chart(), 'dv', { size: Size.gibibytes(1) }))
      .toThrow(/\[test\/dv\] 'source' is required \(or 'sourceRef'\), got undefined; set 'source'/);
  });

  test('throws with both source and sourceRef', () => {
    const c = chart();
    const ds = DataSource.fromDataSourceName(c, 'ds', 'fedora', { namespace: 'golden' });
    expect(() => new DataVolume(c, 'dv', { source: blank(), sourceRef: ds, size: Size.gibibytes(1) }))
      .toThrow(/\[test\/dv\] 'sourceRef' cannot be combined with 'source', got 'fedora'; set either 'source' or 'sourceRef'/);
  });

  test.each([
    ['http', DataVolumeSource.http('https://example.org/a.img')],
    ['upload', DataVolumeSource.upload()],
    ['blank', DataVolumeSource.blank()],
  ])('throws without size for a %s source', (kind, source) => {
    expect(() => new DataVolume(chart(), 'dv', { source }))
      .toThrow(new RegExp(`\\[test/dv\\] 'size' is required for ${kind} sources, got undefined; set 'size' to at least the virtual size`));
  });

  test('throws for a zero size', () => {
    expect(() => new DataVolume(chart(), 'dv', { source: blank(), size: Size.gibibytes(0) }))
      .toThrow(/\[test\/dv\] 'size' must be at least 1 MiB \(CDI refuses smaller storage requests\), got '0Gi'; use a size such as Size.gibibytes\(10\)/);
  });

  test('throws below CDI\'s minimum of 1 MiB and accepts 1 MiB', () => {
    expect(() => new DataVolume(chart(), 'dv', { source: blank(), size: Size.kibibytes(1023) }))
      .toThrow(/\[test\/dv\] 'size' must be at least 1 MiB \(CDI refuses smaller storage requests\), got '1023Ki'/);
    expect(() => new DataVolume(chart(), 'dv', { source: blank(), size: Size.mebibytes(1) })).not.toThrow();
  });

  test('throws for a size that is not whole bytes', () => {
    expect(() => new DataVolume(chart(), 'dv', { source: blank(), size: Size.kibibytes(0.0001) }))
      .toThrow(/\[test\/dv\] 'size' must be a whole number of bytes, got '0.0001Ki'/);
  });

  test('throws for an invalid name', () => {
    expect(() => new DataVolume(chart(), 'dv', { name: 'My_Disk', source: blank(), size: Size.gibibytes(1) }))
      .toThrow(/\[test\/dv\] 'name' must be a DNS-1123 subdomain.*got 'My_Disk'; use a name such as 'my-disk'/);
  });

  test('throws for an invalid namespace', () => {
    expect(() => new DataVolume(chart(), 'dv', { namespace: 'Bad_NS', source: blank(), size: Size.gibibytes(1) }))
      .toThrow(/\[test\/dv\] 'namespace' must be a DNS-1123 label.*got 'Bad_NS'/);
  });

  test('throws for an invalid storage class', () => {
    expect(() => new DataVolume(chart(), 'dv', { source: blank(), size: Size.gibibytes(1), storageClass: 'Fast SSD' }))
      .toThrow(/\[test\/dv\] 'storageClass' must be a DNS-1123 subdomain.*got 'Fast SSD'/);
  });

  test('throws for empty or repeated access modes', () => {
    expect(() => new DataVolume(chart(), 'dv', { source: blank(), size: Size.gibibytes(1), accessModes: [] }))
      .toThrow(/\[test\/dv\] 'accessModes' must not be empty, got \[\]; leave 'accessModes' unset to let the StorageProfile decide/);
    expect(() => new DataVolume(chart(), 'dv', {
      source: blank(),
      size: Size.gibibytes(1),
      accessModes: [PersistentVolumeAccessMode.READ_WRITE_ONCE, PersistentVolumeAccessMode.READ_WRITE_ONCE],
    })).toThrow(/\[test\/dv\] 'accessModes' lists 'ReadWriteOnce' twice/);
  });

  test('throws for an archive on a blank or registry source', () => {
    expect(() => new DataVolume(chart(), 'dv', { source: blank(), size: Size.gibibytes(1), contentType: DataVolumeContentType.ARCHIVE }))
      .toThrow(/\[test\/dv\] 'contentType' cannot be used with blank sources, got 'archive'/);
    expect(() => new DataVolume(chart(), 'dv', {
      source: DataVolumeSource.registry('docker://quay.io/a/b:1'), size: Size.gibibytes(1), contentType: DataVolumeContentType.ARCHIVE,
    })).toThrow(/'contentType' cannot be used with registry sources/);
  });

  test('throws for an archive on a block volume', () => {
    expect(() => new DataVolume(chart(), 'dv', {
      source: DataVolumeSource.http('https://example.org/a.tar'),
      size: Size.gibibytes(1),
      contentType: DataVolumeContentType.ARCHIVE,
      volumeMode: PersistentVolumeMode.BLOCK,
    })).toThrow(/\[test\/dv\] 'contentType' needs a file system volume.*got 'archive'; remove 'volumeMode: BLOCK'/);
  });

  test('throws when an annotation contradicts bindImmediately', () => {
    expect(() => new DataVolume(chart(), 'dv', {
      source: blank(),
      size: Size.gibibytes(1),
      bindImmediately: true,
      annotations: { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'false' },
    })).toThrow(/\[test\/dv\] 'annotations' contradicts 'bindImmediately: true'/);
  });
});

describe('fromDataVolumeName', () => {
  test('references an existing DataVolume', () => {
    const c = chart();
    const dv = DataVolume.fromDataVolumeName(c, 'existing', 'my-source-dv', { namespace: 'my-ns' });
    expect([dv.name, dv.namespace]).toEqual(['my-source-dv', 'my-ns']);
    expect(DataVolume.fromDataVolumeName(c, 'plain', 'disk').namespace).toBeUndefined();
    expect(synthValid(c)).toEqual([]);
  });

  test('throws for invalid names', () => {
    expect(() => DataVolume.fromDataVolumeName(chart(), 'x', 'Bad_Name')).toThrow(/\[test\] 'name' must be a DNS-1123 subdomain/);
    expect(() => DataVolume.fromDataVolumeName(chart(), 'x', 'ok', { namespace: 'Bad_NS' })).toThrow(/\[test\] 'namespace' must be a DNS-1123 label/);
  });
});

describe('VM dataVolumeTemplates', () => {
  test('_toTemplate gives name, labels, annotations and spec without namespace', () => {
    const c = chart('vms');
    const dv = new DataVolume(c, 'dv', {
      name: 'root',
      source: DataVolumeSource.snapshot('vms', 'fedora'),
      size: Size.gibibytes(10),
      storageClass: 'rook-ceph-block',
      labels: { app: 'x' },
      bindImmediately: true,
    });
    expect(dv._toTemplate()).toEqual({
      metadata: {
        name: 'root',
        labels: { app: 'x' },
        annotations: { 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true', 'cdi.kubevirt.io/storage.usePopulator': 'true' },
      },
      spec: {
        source: { snapshot: { name: 'fedora', namespace: 'vms' } },
        storage: { resources: { requests: { storage: '10Gi' } }, storageClassName: 'rook-ceph-block' },
      },
    });
  });

  // CDI copies a snapshot host-assisted when it decides against its populators
  // (a CSI driver without a CSIDriver object), unless the DataVolume asks for them
  test('a snapshot clone asks for CDI\'s populators, through a DataSource of a snapshot too; a PVC clone and an explicit choice are left alone', () => {
    const c = chart('vms');
    const annotations = (props: Omit<DataVolumeProps, 'name'>) =>
      renderDataVolumeTemplate(c, { name: 'd', size: Size.gibibytes(10), ...props }).metadata.annotations;
    expect(annotations({ source: DataVolumeSource.snapshot('vms', 'fedora') })).toEqual({ 'cdi.kubevirt.io/storage.usePopulator': 'true' });
    const snapshotSource = new DataSource(c, 'snap', { name: 'fedora-snap', source: DataSourceSource.snapshot('vms', 'fedora') });
    expect(annotations({ sourceRef: snapshotSource })).toEqual({ 'cdi.kubevirt.io/storage.usePopulator': 'true' });
    const pvcSource = new DataSource(c, 'pvc', { name: 'fedora-pvc', source: DataSourceSource.pvc('vms', 'fedora') });
    expect(annotations({ sourceRef: pvcSource })).toBeUndefined();
    expect(annotations({ source: DataVolumeSource.pvc('vms', 'fedora') })).toBeUndefined();
    expect(annotations({ source: DataVolumeSource.snapshot('vms', 'fedora'), annotations: { 'cdi.kubevirt.io/storage.usePopulator': 'false' } }))
      .toEqual({ 'cdi.kubevirt.io/storage.usePopulator': 'false' });
  });

  test('renderDataVolumeTemplate builds a template without creating any object', () => {
    const c = chart('vms');
    const template = renderDataVolumeTemplate(c, {
      name: 'worker-0-root', source: DataVolumeSource.pvc('golden', 'fedora'), size: Size.gibibytes(10),
    });
    expect(template).toEqual({
      metadata: { name: 'worker-0-root' },
      spec: {
        source: { pvc: { name: 'fedora', namespace: 'golden' } },
        storage: { resources: { requests: { storage: '10Gi' } } },
      },
    });
    expect(synthValid(c)).toEqual([]);
  });

  test('renderDataVolumeTemplate validates like the construct', () => {
    const c = chart('vms');
    expect(() => renderDataVolumeTemplate(c, { name: 'root', source: DataVolumeSource.upload() }))
      .toThrow(/\[test\] 'size' is required for upload sources/);
    expect(() => renderDataVolumeTemplate(c, { name: 'root', namespace: 'vms', source: DataVolumeSource.blank(), size: Size.gibibytes(1) }))
      .toThrow(/\[test\] 'namespace' cannot be set on a DataVolume template, it is created in the VM's namespace, got 'vms'; remove 'namespace'/);
    expect(() => renderDataVolumeTemplate(c, { name: 'Root', source: DataVolumeSource.blank(), size: Size.gibibytes(1) }))
      .toThrow(/\[test\] 'name' must be a DNS-1123 subdomain/);
  });
});
