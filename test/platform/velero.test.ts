import { App, Chart, Testing } from 'cdk8s';
import { DefaultImages, PlatformVersions, Velero, VeleroProps, VirtualizationPlatform } from '../../src';
import { findOne, synthValid } from '../util';

const bad = (v: unknown): any => v;
const STORE: VeleroProps['backupStorageLocation'] = {
  bucket: 'vm-backups', prefix: 'cluster-a', region: 'minio', s3Url: 'https://minio.example.com:9000', credentials: { secretName: 'velero-s3' },
};

function velero(props: Partial<VeleroProps> = {}): any[] {
  const c = new Chart(Testing.app(), 'test');
  new Velero(c, 'velero', { backupStorageLocation: STORE, ...props });
  return synthValid(c);
}

describe('Velero', () => {
  test('installs what velero install does, with the KubeVirt and S3 plugins, reading credentials from the named Secret', () => {
    const docs = velero();
    expect(docs.map(d => `${d.kind}/${d.metadata.name}`).filter(k => !k.startsWith('CustomResourceDefinition/'))).toEqual([
      'Namespace/velero', 'ServiceAccount/velero', 'ClusterRoleBinding/velero', 'BackupStorageLocation/default', 'Deployment/velero',
    ]);
    expect(docs.filter(d => d.kind === 'CustomResourceDefinition').map(d => d.metadata.name).sort()).toEqual([
      'backuprepositories.velero.io', 'backups.velero.io', 'backupstoragelocations.velero.io', 'datadownloads.velero.io', 'datauploads.velero.io',
      'deletebackuprequests.velero.io', 'downloadrequests.velero.io', 'podvolumebackups.velero.io', 'podvolumerestores.velero.io', 'restores.velero.io',
      'schedules.velero.io', 'serverstatusrequests.velero.io', 'volumesnapshotlocations.velero.io',
    ]);
    expect(findOne(docs, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(findOne(docs, 'ClusterRoleBinding').roleRef.name).toBe('cluster-admin');
    expect(findOne(docs, 'BackupStorageLocation').spec).toEqual({
      provider: 'aws',
      objectStorage: { bucket: 'vm-backups', prefix: 'cluster-a' },
      config: { region: 'minio', s3Url: 'https://minio.example.com:9000', s3ForcePathStyle: 'true' },
      default: true,
    });
    const pod = findOne(docs, 'Deployment').spec.template.spec;
    expect(pod.initContainers.map((c: any) => [c.name, c.image])).toEqual([
      ['velero-velero-plugin-for-aws', DefaultImages.VELERO_PLUGIN_FOR_AWS],
      ['kubevirt-kubevirt-velero-plugin', DefaultImages.KUBEVIRT_VELERO_PLUGIN],
    ]);
    expect(pod.containers[0].image).toBe(`docker.io/velero/velero:${PlatformVersions.VELERO}`);
    expect(pod.containers[0].args).toEqual(['server', '--features=EnableCSI']);
    expect(pod.volumes.find((v: any) => v.name === 'cloud-credentials').secret).toEqual({ secretName: 'velero-s3', items: [{ key: 'cloud', path: 'cloud' }], defaultMode: 0o444 });
    expect(pod.containers[0].env).toContainEqual({ name: 'AWS_SHARED_CREDENTIALS_FILE', value: '/credentials/cloud' });
    // the library never writes the credentials themselves
    expect(docs.filter(d => d.kind === 'Secret')).toEqual([]);
    expect(docs.filter(d => d.kind === 'DaemonSet')).toEqual([]);
  });

  test('the node agent, when asked, in a privileged namespace', () => {
    const docs = velero({ nodeAgent: true, namespace: 'backup', backupStorageLocation: { bucket: 'b-1', credentials: { secretName: 's', key: 'aws' } } });
    expect(findOne(docs, 'Namespace', 'backup').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(findOne(docs, 'ClusterRoleBinding').metadata.name).toBe('velero-backup');
    const ds = findOne(docs, 'DaemonSet', 'node-agent');
    expect(ds.metadata.namespace).toBe('backup');
    expect(ds.spec.template.spec.containers[0].args).toEqual(['node-agent', 'server', '--features=EnableCSI']);
    expect(ds.spec.template.spec.volumes.find((v: any) => v.name === 'cloud-credentials').secret.items).toEqual([{ key: 'aws', path: 'cloud' }]);
    expect(findOne(docs, 'BackupStorageLocation').spec).toEqual({ provider: 'aws', objectStorage: { bucket: 'b-1' }, default: true });
  });

  test('is off in the platform unless switched on', () => {
    expect(new VirtualizationPlatform(new App(), 'p').velero).toBeUndefined();
    const p = new VirtualizationPlatform(new App(), 'p2', { velero: { enabled: true, backupStorageLocation: STORE } });
    expect(p.velero?.namespace).toBe('velero');
    expect(() => new VirtualizationPlatform(new App(), 'p3', { velero: bad({ enabled: true, backupStorageLocation: { ...STORE, credentials: { secretName: 's', secretAccessKey: 'x' } } }) }))
      .toThrow(/\[p3\/Velero\] 'backupStorageLocation.credentials.secretAccessKey' is not a setting of backupStorageLocation.credentials \(it takes secretName, key\); credentials are never written into the manifests, got '\(not shown\)'; put the credentials file in a Secret/);
  });

  describe('refuses', () => {
    const make = (store: Record<string, unknown>, props: Record<string, unknown> = {}) =>
      () => new Velero(new Chart(Testing.app(), 'test'), 'velero', { backupStorageLocation: { ...STORE, ...store }, ...props } as any);
    test('credentials given inline instead of a Secret', () => {
      expect(make({ credentials: { secretName: 'velero-s3', accessKeyId: 'AKIA', secretAccessKey: 'x' } })).toThrow(/accessKeyId/);
      expect(make({ credentials: bad(undefined) })).toThrow(/\[test\/velero\] 'backupStorageLocation.credentials' must be an object/);
      expect(make({ credentials: { secretName: 'Velero S3' } })).toThrow(/'backupStorageLocation.credentials.secretName'.*got 'Velero S3'/);
      expect(make({ credentials: { secretName: 's', key: 'a/b' } })).toThrow(/'backupStorageLocation.credentials.key' is not a Secret key/);
    });
    test('a bucket with a scheme or folder, a bad prefix or URL, an S3 URL without region', () => {
      expect(make({ bucket: 's3://vm-backups/x' })).toThrow(/\[test\/velero\] 'backupStorageLocation.bucket' is not an S3 bucket name .*got 's3:\/\/vm-backups\/x'; give the bucket's name alone/);
      expect(make({ prefix: '/a/' })).toThrow(/'backupStorageLocation.prefix' must be a folder name without leading or trailing '\/'/);
      expect(make({ s3Url: 'minio:9000' })).toThrow(/'backupStorageLocation.s3Url' must be an http\(s\) URL, got 'minio:9000'/);
      expect(make({ region: undefined })).toThrow(/'backupStorageLocation.region' must be set with s3Url/);
    });
    test('an unpinned image and a bad namespace', () => {
      expect(make({}, { kubevirtPluginImage: { tag: 'latest' } })).toThrow(/kubevirtPluginImage/);
      expect(make({}, { namespace: 'Velero' })).toThrow(/'namespace'/);
      expect(make({}, { nodeAgent: 'yes' })).toThrow(/'nodeAgent' must be true or false/);
    });
  });
});
