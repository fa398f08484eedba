import { DataVolumeSource, DataVolumeSourceKind, RegistryPullMethod } from '../../src/storage';

const SHA256 = 'a'.repeat(64);

describe('http', () => {
  test('renders the url and every option with CDI field names', () => {
    const source = DataVolumeSource.http('https://example.org/fedora.qcow2', {
      certConfigMap: 'example-ca',
      secretRef: 'example-basic-auth',
      extraHeaders: ['X-Trace: 1'],
      secretExtraHeaders: ['example-token-header'],
      checksum: `sha256:${SHA256}`,
    });
    expect(source.kind).toBe(DataVolumeSourceKind.HTTP);
    expect(source.url).toBe('https://example.org/fedora.qcow2');
    expect(source._render()).toEqual({
      http: {
        url: 'https://example.org/fedora.qcow2',
        certConfigMap: 'example-ca',
        secretRef: 'example-basic-auth',
        extraHeaders: ['X-Trace: 1'],
        secretExtraHeaders: ['example-token-header'],
        checksum: `sha256:${SHA256}`,
      },
    });
    expect(source._isImport).toBe(true);
    expect(source._isUrlImport).toBe(true);
    expect(source._isClone).toBe(false);
  });

  test('renders only the url without options', () => {
    expect(DataVolumeSource.http('http://mirror.local/disk.img')._render()).toEqual({ http: { url: 'http://mirror.local/disk.img' } });
  });

  test('returns a fresh copy each time it renders', () => {
    const source = DataVolumeSource.http('https://example.org/a.img', { extraHeaders: ['X-A: 1'] });
    source._render().http.extraHeaders.push('X-B: 2');
    expect(source._render().http.extraHeaders).toEqual(['X-A: 1']);
  });

  test.each([
    'ftp://example.org/disk.img',
    'docker://quay.io/x/y:1',
    'example.org/disk.img',
    '',
    ' https://example.org/disk.img',
  ])('throws for url %p, which is not http(s)', (url) => {
    expect(() => DataVolumeSource.http(url)).toThrow(/'url' must be a URL starting with http:\/\/ or https:\/\/, got .*; use a URL such as 'https:\/\/example.org\/images\/disk.qcow2'/);
  });

  test('throws when an extra header carries credentials', () => {
    expect(() => DataVolumeSource.http('https://example.org/a.img', { extraHeaders: ['Authorization: Bearer abc'] }))
      .toThrow(/'extraHeaders' must not carry credentials, got 'Authorization: \.\.\.'; put the header in a Secret and list the Secret in 'secretExtraHeaders'/);
  });

  test('never repeats the credential in the error', () => {
    expect(() => DataVolumeSource.http('https://example.org/a.img', { extraHeaders: ['Cookie: session=s3cr3t'] }))
      .toThrow(expect.objectContaining({ message: expect.not.stringContaining('s3cr3t') }));
  });

  test('throws for a malformed extra header', () => {
    expect(() => DataVolumeSource.http('https://example.org/a.img', { extraHeaders: ['no colon here'] }))
      .toThrow(/'extraHeaders' must hold headers written as 'Name: value', got 'no colon here'/);
  });

  test('throws for a checksum in the wrong format', () => {
    expect(() => DataVolumeSource.http('https://example.org/a.img', { checksum: 'sha256:abc' }))
      .toThrow(/'checksum' must be 'algorithm:hex' .*, got 'sha256:abc'; write it as 'sha256:'/);
    expect(() => DataVolumeSource.http('https://example.org/a.img', { checksum: `crc32:${SHA256}` })).toThrow(/'checksum'/);
  });

  test('throws for a Secret name that is not an object name', () => {
    expect(() => DataVolumeSource.http('https://example.org/a.img', { secretRef: 'My_Secret' }))
      .toThrow(/'secretRef' must be a DNS-1123 subdomain.*got 'My_Secret'; give the name of the Secret that holds the credentials/);
    expect(() => DataVolumeSource.http('https://example.org/a.img', { certConfigMap: 'CA' })).toThrow(/'certConfigMap'/);
    expect(() => DataVolumeSource.http('https://example.org/a.img', { secretExtraHeaders: ['Bad Name'] })).toThrow(/'secretExtraHeaders'/);
  });
});

describe('registry', () => {
  test('renders a docker image with pull method, CA and credentials', () => {
    const source = DataVolumeSource.registry('docker://quay.io/containerdisks/fedora:41', {
      pullMethod: RegistryPullMethod.NODE,
      certConfigMap: 'registry-ca',
      secretRef: 'registry-creds',
    });
    expect(source.kind).toBe(DataVolumeSourceKind.REGISTRY);
    expect(source._render()).toEqual({
      registry: {
        url: 'docker://quay.io/containerdisks/fedora:41',
        pullMethod: 'node',
        certConfigMap: 'registry-ca',
        secretRef: 'registry-creds',
      },
    });
  });

  test('leaves pullMethod out by default (CDI pulls with a pod)', () => {
    expect(DataVolumeSource.registry('docker://quay.io/containerdisks/fedora:41')._render()).toEqual({
      registry: { url: 'docker://quay.io/containerdisks/fedora:41' },
    });
  });

  test('accepts an oci-archive with pod pull', () => {
    const source = DataVolumeSource.registry('oci-archive://images/fedora.tar', { pullMethod: RegistryPullMethod.POD });
    expect(source._render().registry.pullMethod).toBe('pod');
  });

  test('throws for a url that is not docker:// or oci-archive://', () => {
    expect(() => DataVolumeSource.registry('quay.io/containerdisks/fedora:41'))
      .toThrow(/'url' must be a URL starting with docker:\/\/ or oci-archive:\/\/, got 'quay.io\/containerdisks\/fedora:41'; use a URL such as 'docker:\/\/quay.io\/containerdisks\/fedora:41'/);
    expect(() => DataVolumeSource.registry('https://quay.io/containerdisks/fedora:41')).toThrow(/'url' must be a URL starting with docker:\/\//);
  });

  test('throws for node pull of something that is not an image reference', () => {
    expect(() => DataVolumeSource.registry('oci-archive://images/fedora.tar', { pullMethod: RegistryPullMethod.NODE }))
      .toThrow(/'pullMethod' needs a docker:\/\/ image reference, .*got 'node'; use a docker:\/\/ URL or RegistryPullMethod.POD/);
  });
});

describe('s3', () => {
  test('renders url, Secret and CA', () => {
    const source = DataVolumeSource.s3('https://s3.us-east-1.amazonaws.com/images/fedora.qcow2', { secretRef: 's3-creds', certConfigMap: 's3-ca' });
    expect(source.kind).toBe(DataVolumeSourceKind.S3);
    expect(source._render()).toEqual({
      s3: { url: 'https://s3.us-east-1.amazonaws.com/images/fedora.qcow2', secretRef: 's3-creds', certConfigMap: 's3-ca' },
    });
  });

  test('throws for a url without bucket and object', () => {
    expect(() => DataVolumeSource.s3('https://s3.example.org/only-bucket'))
      .toThrow(/'url' must name a bucket and an object in its path, got 'https:\/\/s3.example.org\/only-bucket'/);
  });

  test('throws for an s3:// url, which CDI reads as a host', () => {
    expect(() => DataVolumeSource.s3('s3://bucket/disk.img')).toThrow(/'url' must be a URL starting with http:\/\/ or https:\/\//);
  });
});

describe('gcs', () => {
  test('renders a gs:// url and Secret', () => {
    const source = DataVolumeSource.gcs('gs://images/fedora.qcow2', { secretRef: 'gcs-key' });
    expect(source.kind).toBe(DataVolumeSourceKind.GCS);
    expect(source._render()).toEqual({ gcs: { url: 'gs://images/fedora.qcow2', secretRef: 'gcs-key' } });
  });

  test('accepts an https url with bucket and object', () => {
    expect(DataVolumeSource.gcs('https://storage.googleapis.com/images/fedora.qcow2')._render()).toEqual({
      gcs: { url: 'https://storage.googleapis.com/images/fedora.qcow2' },
    });
  });

  test('throws for other schemes and for urls without an object', () => {
    expect(() => DataVolumeSource.gcs('s3://images/fedora.qcow2')).toThrow(/'url' must be a URL starting with gs:\/\/ or http:\/\/ or https:\/\//);
    expect(() => DataVolumeSource.gcs('gs://images')).toThrow(/'url' must name a bucket and an object, got 'gs:\/\/images'/);
    expect(() => DataVolumeSource.gcs('https://storage.googleapis.com/images')).toThrow(/'url' must name a bucket and an object/);
  });
});

describe('upload, blank, pvc and snapshot', () => {
  test('upload is an import without URL', () => {
    const source = DataVolumeSource.upload();
    expect(source.kind).toBe(DataVolumeSourceKind.UPLOAD);
    expect(source.url).toBeUndefined();
    expect(source._render()).toEqual({ upload: {} });
    expect(source._isImport).toBe(true);
    expect(source._isUrlImport).toBe(false);
  });

  test('blank is neither import nor clone', () => {
    const source = DataVolumeSource.blank();
    expect(source._render()).toEqual({ blank: {} });
    expect(source._isImport).toBe(false);
    expect(source._isClone).toBe(false);
  });

  test('pvc and snapshot are clones that name their source', () => {
    const pvc = DataVolumeSource.pvc('my-ns', 'my-source-dv');
    expect(pvc._render()).toEqual({ pvc: { name: 'my-source-dv', namespace: 'my-ns' } });
    expect(pvc._isClone).toBe(true);
    expect(pvc._cloneSource).toEqual({ namespace: 'my-ns', name: 'my-source-dv' });
    const snap = DataVolumeSource.snapshot('golden', 'fedora');
    expect(snap.kind).toBe(DataVolumeSourceKind.SNAPSHOT);
    expect(snap._render()).toEqual({ snapshot: { name: 'fedora', namespace: 'golden' } });
    expect(snap._isClone).toBe(true);
    expect(snap._isImport).toBe(false);
  });

  test('throws for bad namespaces and names', () => {
    expect(() => DataVolumeSource.pvc('My_NS', 'a')).toThrow(/'namespace' must be a DNS-1123 label.*got 'My_NS'; give the namespace of the source PersistentVolumeClaim/);
    expect(() => DataVolumeSource.snapshot('ns', 'Bad Name')).toThrow(/'name' must be a DNS-1123 subdomain.*got 'Bad Name'; give the name of the source VolumeSnapshot/);
  });
});
