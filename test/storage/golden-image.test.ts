import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode, PersistentVolumeMode } from 'cdk8s-plus-33';
import {
  DataVolume, DataVolumeSource, DataVolumeSourceKind, GoldenImage, ImportCronGarbageCollect, VolumeSnapshotClass,
} from '../../src/storage';
import { findOne, synthValid } from '../util';

const FEDORA_URL = 'https://example.org/fedora-41.qcow2';
const FEDORA_IMAGE = 'docker://quay.io/containerdisks/fedora:41';

function chart(namespace?: string): Chart {
  return new Chart(Testing.app(), 'test', namespace ? { namespace } : {});
}

function httpImage(c: Chart, extra: Record<string, any> = {}): GoldenImage {
  return new GoldenImage(c, 'fedora', {
    namespace: 'golden',
    source: DataVolumeSource.http(FEDORA_URL),
    size: Size.gibibytes(10),
    ...extra,
  });
}

describe('defaults', () => {
  test('a pre-allocated DataVolume bound immediately, named after the id', () => {
    const c = chart();
    const image = httpImage(c);
    const docs = synthValid(c);
    expect(docs).toHaveLength(1);
    const dv = findOne(docs, 'DataVolume', 'fedora');
    expect(dv).toMatchSnapshot();
    expect(dv.metadata.namespace).toBe('golden');
    expect(dv.metadata.labels).toEqual({ 'kubevirt.cdk8s.io/golden-image': 'fedora' });
    expect(dv.metadata.annotations).toEqual({ 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' });
    expect(dv.spec.preallocation).toBe(true);
    expect(dv.spec.storage).toEqual({ resources: { requests: { storage: '10Gi' } } });
    expect(image.snapshot).toBeUndefined();
    expect(image.dataSource).toBeUndefined();
    expect(image.snapshotClassName).toBeUndefined();
    expect(image.uploadCommand).toBeUndefined();
  });

  test('ApiObject.of returns the image\'s DataVolume object', () => {
    const image = httpImage(chart());
    expect(ApiObject.of(image).kind).toBe('DataVolume');
    expect(ApiObject.of(image).name).toBe('fedora');
    expect(ApiObject.of(image.dataVolume).kind).toBe('DataVolume');
    expect(ApiObject.of(image.dataVolume).name).toBe('fedora');
  });

  test('exposes what clones and fleets need', () => {
    const image = httpImage(chart(), {
      storageClass: 'rook-ceph-block',
      volumeMode: PersistentVolumeMode.BLOCK,
      accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY],
      snapshotClass: 'csi-rbdplugin-snapclass',
    });
    expect(image.name).toBe('fedora');
    expect(image.namespace).toBe('golden');
    expect(image.size.toGibibytes()).toBe(10);
    expect(image.storageClass).toBe('rook-ceph-block');
    expect(image.volumeMode).toBe('Block');
    expect(image.accessModes).toEqual(['ReadWriteMany']);
    expect(image.sourceKind).toBe(DataVolumeSourceKind.HTTP);
    expect(image.source.url).toBe(FEDORA_URL);
    expect(image.dataVolume).toBeInstanceOf(DataVolume);
    expect([image.snapshot?.name, image.snapshot?.namespace]).toEqual(['fedora', 'golden']);
    expect(image.snapshotClassName).toBe('csi-rbdplugin-snapclass');
  });

  test('takes the chart namespace and an explicit name', () => {
    const c = chart('images');
    const image = new GoldenImage(c, 'Fedora Image', { name: 'fedora-41', source: DataVolumeSource.upload(), size: Size.gibibytes(5) });
    expect([image.name, image.namespace]).toEqual(['fedora-41', 'images']);
    expect(findOne(synthValid(c), 'DataVolume').metadata).toMatchObject({ name: 'fedora-41', namespace: 'images' });
  });
});

describe('sources', () => {
  test.each([
    ['http', DataVolumeSource.http(FEDORA_URL)],
    ['registry', DataVolumeSource.registry(FEDORA_IMAGE)],
    ['s3', DataVolumeSource.s3('https://s3.example.org/images/fedora.qcow2', { secretRef: 's3-creds' })],
    ['gcs', DataVolumeSource.gcs('gs://images/fedora.qcow2')],
    ['upload', DataVolumeSource.upload()],
  ])('imports from a %s source', (kind, source) => {
    const c = chart();
    const image = new GoldenImage(c, 'fedora', { namespace: 'golden', source, size: Size.gibibytes(10) });
    expect(image.sourceKind).toBe(kind);
    expect(Object.keys(findOne(synthValid(c), 'DataVolume').spec.source)).toEqual([kind]);
  });

  test('an upload image gives the virtctl command that fills it', () => {
    const c = chart();
    const image = new GoldenImage(c, 'airgap', { namespace: 'golden', source: DataVolumeSource.upload(), size: Size.gibibytes(8) });
    expect(image.uploadCommand).toBe('virtctl image-upload dv airgap --namespace golden --no-create --image-path=<local image file>');
    expect(findOne(synthValid(c), 'DataVolume').spec.source).toEqual({ upload: {} });
  });

  test.each([
    ['pvc', DataVolumeSource.pvc('other', 'disk')],
    ['snapshot', DataVolumeSource.snapshot('other', 'disk')],
    ['blank', DataVolumeSource.blank()],
  ])('throws for a %s source, which is not an import', (kind, source) => {
    expect(() => new GoldenImage(chart(), 'fedora', { namespace: 'golden', source, size: Size.gibibytes(10) }))
      .toThrow(new RegExp(`\\[test/fedora\\] 'source' must be an import source \\(http, registry, s3, gcs or upload\\), got '${kind}'; use DataVolumeSource.http\\(\\)`));
  });
});

describe('storage', () => {
  test('passes storage class, modes and preallocation to the DataVolume', () => {
    const c = chart();
    httpImage(c, {
      storageClass: 'rook-ceph-block',
      accessModes: [PersistentVolumeAccessMode.READ_WRITE_MANY],
      volumeMode: PersistentVolumeMode.BLOCK,
      preallocation: false,
      size: Size.mebibytes(10752),
    });
    expect(findOne(synthValid(c), 'DataVolume').spec).toMatchObject({
      preallocation: false,
      storage: {
        accessModes: ['ReadWriteMany'],
        resources: { requests: { storage: '10752Mi' } },
        storageClassName: 'rook-ceph-block',
        volumeMode: 'Block',
      },
    });
  });

  test('applies labels to every object', () => {
    const c = chart();
    const image = httpImage(c, { snapshotClass: 'snap', dataSource: true, labels: { os: 'fedora' } });
    image.grantClone({ namespace: 'tenant-a' });
    for (const doc of synthValid(c)) {
      // the image's DataVolume also carries the golden-image label
      const extra = doc.kind === 'DataVolume' ? { 'kubevirt.cdk8s.io/golden-image': 'fedora' } : {};
      expect(doc.metadata.labels).toEqual({ os: 'fedora', ...extra });
    }
  });
});

describe('snapshot', () => {
  test('snapshots the imported PVC with the named class, after the DataVolume', () => {
    const c = chart();
    httpImage(c, { snapshotClass: 'csi-rbdplugin-snapclass' });
    const docs = synthValid(c);
    expect(findOne(docs, 'VolumeSnapshot', 'fedora')).toMatchObject({
      metadata: { name: 'fedora', namespace: 'golden' },
      spec: { source: { persistentVolumeClaimName: 'fedora' }, volumeSnapshotClassName: 'csi-rbdplugin-snapclass' },
    });
    expect(docs.map(d => d.kind)).toEqual(['DataVolume', 'VolumeSnapshot']);
  });

  test('a snapshotted image is filled through CDI\'s populators, so its claim binds only once the import is done', () => {
    // the snapshot controller snapshots any Bound claim; on CDI's legacy path the claim binds before the import
    const c = chart();
    httpImage(c, { snapshotClass: 'csi-rbdplugin-snapclass' });
    expect(findOne(synthValid(c), 'DataVolume', 'fedora').metadata.annotations).toEqual({
      'cdi.kubevirt.io/storage.bind.immediate.requested': 'true',
      'cdi.kubevirt.io/storage.usePopulator': 'true',
    });
    const c2 = chart();
    httpImage(c2);
    expect(findOne(synthValid(c2), 'DataVolume', 'fedora').metadata.annotations).toEqual({ 'cdi.kubevirt.io/storage.bind.immediate.requested': 'true' });
  });

  test('storage facts are checked and may not contradict the volume mode', () => {
    expect(() => httpImage(chart(), { storageFacts: { filesystemOverhead: 1.5 } }))
      .toThrow(/\[test\/fedora\] 'storageFacts.filesystemOverhead' must be 1 or a fraction from 0 with at most three decimals, the values CDIConfig accepts, got 1.5/);
    expect(() => httpImage(chart(), { storageFacts: { filesystemOverhead: 0.0625 } })).toThrow(/'storageFacts.filesystemOverhead' must be 1 or a fraction/);
    httpImage(chart(), { storageFacts: { filesystemOverhead: 1 } });
    expect(() => httpImage(chart(), { storageFacts: { volumeMode: 'Blok' } }))
      .toThrow(/\[test\/fedora\] 'storageFacts.volumeMode'/);
    expect(() => httpImage(chart(), { volumeMode: PersistentVolumeMode.BLOCK, storageFacts: { volumeMode: PersistentVolumeMode.FILE_SYSTEM } }))
      .toThrow(/\[test\/fedora\] 'storageFacts.volumeMode' contradicts 'volumeMode: Block'/);
    const img = httpImage(chart(), { storageFacts: { allowVolumeExpansion: true } });
    expect(img.storageFacts).toEqual({ allowVolumeExpansion: true });
  });

  test('accepts a VolumeSnapshotClass construct', () => {
    const c = chart();
    const vsc = new VolumeSnapshotClass(c, 'vsc', { name: 'rbd-snap', driver: 'rook-ceph.rbd.csi.ceph.com' });
    httpImage(c, { volumeSnapshotClass: vsc });
    expect(findOne(synthValid(c), 'VolumeSnapshot').spec.volumeSnapshotClassName).toBe('rbd-snap');
  });

  test('throws for an invalid snapshot class name', () => {
    expect(() => httpImage(chart(), { snapshotClass: 'RBD Snapshots' }))
      .toThrow(/\[test\/fedora\] 'snapshotClass' must be a DNS-1123 subdomain.*got 'RBD Snapshots'/);
  });

  test('throws with both snapshot class props', () => {
    const c = chart();
    const vsc = VolumeSnapshotClass.fromVolumeSnapshotClassName(c, 'vsc', 'a');
    expect(() => httpImage(c, { volumeSnapshotClass: vsc, snapshotClass: 'b' }))
      .toThrow(/\[test\/fedora\] 'snapshotClass' cannot be combined with 'volumeSnapshotClass', got 'b'; set only one of them/);
  });
});

describe('dataSource', () => {
  test('points at the snapshot when there is one', () => {
    const c = chart();
    const image = httpImage(c, { snapshotClass: 'snap', dataSource: true });
    const docs = synthValid(c);
    expect(findOne(docs, 'DataSource', 'fedora').spec).toEqual({ source: { snapshot: { name: 'fedora', namespace: 'golden' } } });
    expect([image.dataSource?.name, image.dataSource?.namespace]).toEqual(['fedora', 'golden']);
    expect(docs.map(d => d.kind)).toEqual(['DataVolume', 'VolumeSnapshot', 'DataSource']);
  });

  test('points at the PVC without a snapshot', () => {
    const c = chart();
    httpImage(c, { dataSource: true });
    expect(findOne(synthValid(c), 'DataSource', 'fedora').spec).toEqual({ source: { pvc: { name: 'fedora', namespace: 'golden' } } });
  });

  test('dataSource false publishes nothing', () => {
    const c = chart();
    httpImage(c, { dataSource: false });
    expect(synthValid(c).map(d => d.kind)).toEqual(['DataVolume']);
  });
});

describe('importCron', () => {
  function registryImage(c: Chart, importCron: any, extra: Record<string, any> = {}): GoldenImage {
    return new GoldenImage(c, 'fedora', {
      namespace: 'golden',
      source: DataVolumeSource.registry(FEDORA_IMAGE),
      size: Size.gibibytes(10),
      storageClass: 'rook-ceph-block',
      importCron,
      ...extra,
    });
  }

  test('renders a DataImportCron that manages the DataSource named after the image', () => {
    const c = chart();
    const image = registryImage(c, { schedule: '0 3 * * 1' });
    const cron = findOne(synthValid(c), 'DataImportCron', 'fedora');
    expect(cron.metadata.namespace).toBe('golden');
    expect(cron.spec).toEqual({
      managedDataSource: 'fedora',
      schedule: '0 3 * * 1',
      template: {
        spec: {
          preallocation: true,
          source: { registry: { url: FEDORA_IMAGE } },
          storage: { resources: { requests: { storage: '10Gi' } }, storageClassName: 'rook-ceph-block' },
        },
      },
    });
    expect([image.dataSource?.name, image.dataSource?.namespace]).toEqual(['fedora', 'golden']);
  });

  test('renders garbage collection, imports to keep and a custom DataSource name', () => {
    const c = chart();
    const image = registryImage(c, {
      schedule: '@daily', garbageCollect: ImportCronGarbageCollect.OUTDATED, importsToKeep: 2, managedDataSource: 'fedora-latest',
    });
    const cron = findOne(synthValid(c), 'DataImportCron');
    expect(cron.spec).toMatchObject({ garbageCollect: 'Outdated', importsToKeep: 2, managedDataSource: 'fedora-latest', schedule: '@daily' });
    expect(image.dataSource?.name).toBe('fedora-latest');
  });

  test('renders garbageCollect Never', () => {
    const c = chart();
    registryImage(c, { schedule: '0 0 1 * *', garbageCollect: ImportCronGarbageCollect.NEVER });
    expect(findOne(synthValid(c), 'DataImportCron').spec.garbageCollect).toBe('Never');
  });

  test.each([
    ['http', DataVolumeSource.http(FEDORA_URL)],
    ['upload', DataVolumeSource.upload()],
    ['s3', DataVolumeSource.s3('https://s3.example.org/b/o.img')],
  ])('throws on a %s source, which is not a registry', (kind, source) => {
    expect(() => new GoldenImage(chart(), 'fedora', { namespace: 'golden', source, size: Size.gibibytes(10), importCron: { schedule: '@daily' } }))
      .toThrow(new RegExp(`\\[test/fedora\\] 'importCron' needs a registry source, a DataImportCron only polls container registries, got '${kind}'; import from DataVolumeSource.registry`));
  });

  test.each(['@every 1h', '@every 1h30m', '@daily', '@hourly', 'CRON_TZ=Europe/Berlin 0 3 * * *', 'TZ=UTC @weekly', '0 */6 * * MON-FRI', '5-10/2 0 1,15 jan-mar ?'])(
    'accepts the schedule %p as CDI does', (schedule) => {
      const c = chart();
      registryImage(c, { schedule });
      expect(findOne(synthValid(c), 'DataImportCron').spec.schedule).toBe(schedule);
    });

  test('refuses names CDI refuses on a DataImportCron: the image name and managedDataSource at most 63 characters', () => {
    const long = 'a'.repeat(64);
    expect(() => registryImage(chart(), { schedule: '@daily', managedDataSource: long }))
      .toThrow(/'importCron.managedDataSource' is 64 characters; CDI allows at most 63/);
  });

  test('refuses a name that cannot be the value of the golden-image label', () => {
    const long = `fedora-${'x'.repeat(60)}`;
    expect(() => new GoldenImage(chart(), 'img', { name: long, namespace: 'golden', source: DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(10) }))
      .toThrow(/\[test\/img\] 'name' is 67 characters, but it becomes the value of the kubevirt.cdk8s.io\/golden-image label, which may have at most 63/);
  });

  test('refuses invalid label keys and values', () => {
    expect(() => new GoldenImage(chart(), 'img', { namespace: 'golden', source: DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(10), labels: { team: 'x'.repeat(64) } }))
      .toThrow(/'labels.team' must be at most 63 characters \(it is 64\)/);
    expect(() => new GoldenImage(chart(), 'img', { namespace: 'golden', source: DataVolumeSource.http('https://example.org/d.qcow2'), size: Size.gibibytes(10), labels: { 'bad key!': 'x' } }))
      .toThrow(/'labels' key must end in a name/);
  });

  test('throws for an invalid schedule', () => {
    expect(() => registryImage(chart(), { schedule: 'every monday' }))
      .toThrow(/\[test\/fedora\] 'importCron.schedule' must have exactly 5 fields .*got 'every monday'; use 5 fields such as '0 3 \* \* 1'/);
    // out of range and zero steps, which a field-shape check lets through and CDI refuses
    expect(() => registryImage(chart(), { schedule: '61 25 * * *' })).toThrow(/'importCron.schedule' has an invalid minute field: minute 61 is above 59/);
    expect(() => registryImage(chart(), { schedule: '*/0 * * * *' })).toThrow(/'importCron.schedule' has an invalid minute field: step of '\*\/0' must be a positive number/);
    expect(() => registryImage(chart(), { schedule: 'CRON_TZ=Mars/Olympus 0 3 * * *' })).toThrow(/names the unknown time zone 'Mars\/Olympus'/);
    expect(() => registryImage(chart(), { schedule: '@every 1 hour' })).toThrow(/has an @every duration '1 hour' that is not a Go duration/);
    expect(() => registryImage(chart(), { schedule: '0 3 * *' })).toThrow(/'importCron.schedule'/);
  });

  test('throws for importsToKeep below 1 or with garbage collection off', () => {
    expect(() => registryImage(chart(), { schedule: '@daily', importsToKeep: 0 }))
      .toThrow(/\[test\/fedora\] 'importCron.importsToKeep' must be a whole number of at least 1, got 0/);
    expect(() => registryImage(chart(), { schedule: '@daily', importsToKeep: 2, garbageCollect: ImportCronGarbageCollect.NEVER }))
      .toThrow(/'importCron.importsToKeep' has no effect when garbage collection is off, got 2/);
  });

  test('throws for an invalid managed DataSource name', () => {
    expect(() => registryImage(chart(), { schedule: '@daily', managedDataSource: 'Fedora' }))
      .toThrow(/\[test\/fedora\] 'importCron.managedDataSource' must be a DNS-1123 subdomain/);
  });

  test('throws when dataSource is also requested', () => {
    expect(() => registryImage(chart(), { schedule: '@daily' }, { dataSource: true }))
      .toThrow(/\[test\/fedora\] 'dataSource' cannot be set with 'importCron', the DataImportCron creates and updates the DataSource itself, got true/);
  });
});

describe('grantClone', () => {
  test('grants create on datavolumes/source for the image\'s PVC and snapshot to all service accounts of a namespace', () => {
    const c = chart();
    const image = httpImage(c, { snapshotClass: 'snap' });
    image.grantClone({ namespace: 'tenant-a' });
    const docs = synthValid(c);
    const role = findOne(docs, 'Role');
    expect(role.metadata).toEqual({ name: 'fedora-clone-source', namespace: 'golden' });
    expect(role.rules).toEqual([{
      apiGroups: ['cdi.kubevirt.io'], resources: ['datavolumes/source'], verbs: ['create'], resourceNames: ['fedora'],
    }]);
    const binding = findOne(docs, 'RoleBinding');
    expect(binding.metadata).toEqual({ name: 'fedora-clone-tenant-a', namespace: 'golden' });
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'fedora-clone-source' });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:serviceaccounts:tenant-a' }]);
  });

  test('grants to one service account, sharing one Role between grantees', () => {
    const c = chart();
    const image = httpImage(c);
    image.grantClone({ namespace: 'tenant-a', serviceAccount: 'default' });
    image.grantClone({ namespace: 'tenant-b' });
    const docs = synthValid(c);
    expect(docs.filter(d => d.kind === 'Role')).toHaveLength(1);
    const binding = findOne(docs, 'RoleBinding', 'fedora-clone-tenant-a.default');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'default', namespace: 'tenant-a' }]);
    expect(findOne(docs, 'RoleBinding', 'fedora-clone-tenant-b').subjects[0].kind).toBe('Group');
  });

  test('is idempotent per grantee', () => {
    const c = chart();
    const image = httpImage(c);
    image.grantClone({ namespace: 'tenant-a' });
    image.grantClone({ namespace: 'tenant-a' });
    image.grantClone({ namespace: 'tenant-a', serviceAccount: 'vm' });
    image.grantClone({ namespace: 'tenant-a', serviceAccount: 'vm' });
    expect(synthValid(c).filter(d => d.kind === 'RoleBinding')).toHaveLength(2);
  });

  test('does not restrict by name with an import cron, whose imports get new names', () => {
    const c = chart();
    const image = new GoldenImage(c, 'fedora', {
      namespace: 'golden', source: DataVolumeSource.registry(FEDORA_IMAGE), size: Size.gibibytes(10), importCron: { schedule: '@weekly' },
    });
    image.grantClone({ namespace: 'tenant-a' });
    expect(findOne(synthValid(c), 'Role').rules[0].resourceNames).toBeUndefined();
  });

  test('adds nothing for the image\'s own namespace, where CDI needs no grant', () => {
    const c = chart();
    httpImage(c).grantClone({ namespace: 'golden' });
    expect(synthValid(c).map(d => d.kind)).toEqual(['DataVolume']);
  });

  test('throws for invalid grantees', () => {
    const image = httpImage(chart());
    expect(() => image.grantClone({ namespace: 'Tenant A' })).toThrow(/\[test\/fedora\] 'namespace' must be a DNS-1123 label/);
    expect(() => image.grantClone({ namespace: 'tenant-a', serviceAccount: 'Bad_SA' })).toThrow(/\[test\/fedora\] 'serviceAccount' must be a DNS-1123 subdomain/);
  });
});

describe('rules', () => {
  test('throws when the id is not a valid name and no name is given', () => {
    expect(() => new GoldenImage(chart(), 'Fedora41', { namespace: 'golden', source: DataVolumeSource.upload(), size: Size.gibibytes(1) }))
      .toThrow(/\[test\/Fedora41\] 'name' must be a DNS-1123 label.*got 'Fedora41'; use a name such as 'fedora41'/);
  });

  test('throws for an invalid name', () => {
    expect(() => httpImage(chart(), { name: 'fedora_41' })).toThrow(/\[test\/fedora\] 'name' must be a DNS-1123 subdomain.*got 'fedora_41'/);
  });

  test('throws without a namespace', () => {
    expect(() => new GoldenImage(chart(), 'fedora', { source: DataVolumeSource.upload(), size: Size.gibibytes(1) }))
      .toThrow(/\[test\/fedora\] 'namespace' is required because other objects reference this one by namespace, got undefined/);
  });

  test('throws without a size or with a zero size', () => {
    expect(() => new GoldenImage(chart(), 'fedora', { namespace: 'golden', source: DataVolumeSource.upload() } as any))
      .toThrow(/\[test\/fedora\] 'size' must be a Size, not undefined, got undefined; build it with Size.gibibytes\(n\)/);
    expect(() => httpImage(chart(), { size: Size.gibibytes(0) }))
      .toThrow(/\[test\/fedora\/DataVolume\] 'size' must be at least 1 MiB \(CDI refuses smaller storage requests\), got '0Gi'/);
  });

  test('throws for an invalid storage class', () => {
    expect(() => httpImage(chart(), { storageClass: 'Rook Block' })).toThrow(/\[test\/fedora\/DataVolume\] 'storageClass' must be a DNS-1123 subdomain/);
  });
});

describe('intended use from the issue', () => {
  test('a golden image from a URL with a snapshot, granted to another namespace', () => {
    const c = chart();
    const image = new GoldenImage(c, 'fedora', {
      namespace: 'golden',
      source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
      size: Size.gibibytes(10),
      storageClass: 'rook-ceph-block',
      snapshotClass: 'csi-rbdplugin-snapclass',
      dataSource: true,
    });
    image.grantClone({ namespace: 'workers', serviceAccount: 'default' });
    const docs = synthValid(c);
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`)).toEqual([
      'DataVolume/fedora', 'VolumeSnapshot/fedora', 'DataSource/fedora', 'Role/fedora-clone-source', 'RoleBinding/fedora-clone-workers.default',
    ]);
  });
});
