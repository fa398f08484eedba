import { requireShape, Shape } from '../validation';
import { propError } from '../validation/errors';
import { checkDns1123Label, checkDns1123Subdomain } from '../validation/names';

/** What a DataVolume is filled from. */
export enum DataVolumeSourceKind {
  /** Downloaded from an http or https URL. */
  HTTP = 'http',
  /** Pulled from a container registry (a containerDisk image). */
  REGISTRY = 'registry',
  /** Downloaded from an S3-compatible object store. */
  S3 = 's3',
  /** Downloaded from Google Cloud Storage. */
  GCS = 'gcs',
  /** Filled by a client through the CDI upload proxy (`virtctl image-upload`). */
  UPLOAD = 'upload',
  /** An empty disk. */
  BLANK = 'blank',
  /** A copy of an existing PersistentVolumeClaim (a clone). */
  PVC = 'pvc',
  /** Restored from a CSI VolumeSnapshot (a clone). */
  SNAPSHOT = 'snapshot',
}

/** How CDI pulls a registry image. */
export enum RegistryPullMethod {
  /** An importer pod downloads the image (CDI's default). */
  POD = 'pod',
  /** The node's container runtime pulls the image, using its cache and pull secrets. */
  NODE = 'node',
}

/** Options of `DataVolumeSource.http()`. */
export interface DataVolumeSourceHttpOptions {
  /**
   * ConfigMap holding the CA certificate that signs the server's certificate.
   * @default - the importer trusts the system CAs
   */
  readonly certConfigMap?: string;
  /**
   * Secret with `accessKeyId` (user name) and `secretKey` (password) for
   * basic authentication.
   * @default - no authentication
   */
  readonly secretRef?: string;
  /**
   * Extra request headers, each `Name: value`. Only for headers that carry no
   * credentials; put those in `secretExtraHeaders`.
   * @default - none
   */
  readonly extraHeaders?: string[];
  /**
   * Names of Secrets, each holding one extra request header that may be
   * sensitive (for example an `Authorization` header).
   * @default - none
   */
  readonly secretExtraHeaders?: string[];
  /**
   * Expected checksum of the downloaded file, `algorithm:hex` with md5,
   * sha1, sha256 or sha512; the importer fails on a mismatch.
   * @default - not checked
   */
  readonly checksum?: string;
}

/** Options of `DataVolumeSource.registry()`. */
export interface DataVolumeSourceRegistryOptions {
  /**
   * How the image is pulled. `NODE` works only with `docker://` image
   * references.
   * @default RegistryPullMethod.POD (CDI's default, the field is left out)
   */
  readonly pullMethod?: RegistryPullMethod;
  /**
   * ConfigMap holding the registry's CA certificate.
   * @default - the importer trusts the system CAs
   */
  readonly certConfigMap?: string;
  /**
   * Secret with `accessKeyId` and `secretKey` for the registry.
   * @default - anonymous pull
   */
  readonly secretRef?: string;
}

/** Options of `DataVolumeSource.s3()`. */
export interface DataVolumeSourceS3Options {
  /**
   * Secret with `accessKeyId` and `secretKey` for the bucket.
   * @default - the importer uses the default AWS credential chain
   */
  readonly secretRef?: string;
  /**
   * ConfigMap holding the endpoint's CA certificate.
   * @default - the importer trusts the system CAs
   */
  readonly certConfigMap?: string;
}

/** Options of `DataVolumeSource.gcs()`. */
export interface DataVolumeSourceGcsOptions {
  /**
   * Secret with the service account key file for the bucket.
   * @default - anonymous access
   */
  readonly secretRef?: string;
}

const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:\s?.*$/;
const SENSITIVE_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const CHECKSUM = /^(md5|sha1|sha256|sha512):[0-9a-fA-F]+$/;
const CHECKSUM_LENGTH: Record<string, number> = { md5: 32, sha1: 40, sha256: 64, sha512: 128 };

function parseUrl(url: string): URL | undefined {
  if (typeof url !== 'string' || url.trim() !== url || url.length === 0) {
    return undefined;
  }
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function requireUrl(prop: string, url: string, schemes: string[], example: string): URL {
  const parsed = parseUrl(url);
  const scheme = parsed?.protocol.replace(/:$/, '');
  if (!parsed || !scheme || !schemes.includes(scheme)) {
    throw propError(undefined, prop, url, `must be a URL starting with ${schemes.map(s => `${s}://`).join(' or ')}`, `use a URL such as '${example}'`);
  }
  if (parsed.hostname === '') {
    throw propError(undefined, prop, url, 'must name a host', `use a URL such as '${example}'`);
  }
  return parsed;
}

function requireObjectName(prop: string, value: string | undefined, what: string): void {
  if (value === undefined) return;
  const problem = checkDns1123Subdomain(value);
  if (problem) {
    throw propError(undefined, prop, value, problem, `give the name of the ${what}`);
  }
}

/**
 * Where a DataVolume gets its data: an import (http, registry, S3, GCS,
 * upload), an empty disk, or a clone of a PVC or VolumeSnapshot.
 *
 * Credentials are never written into the DataVolume: options only name the
 * Secrets and ConfigMaps that hold them.
 */
export class DataVolumeSource {
  /**
   * Downloads the image from an http or https URL.
   * @param url the image URL, e.g. `https://example.org/fedora.qcow2`
   */
  public static http(url: string, options: DataVolumeSourceHttpOptions = {}): DataVolumeSource {
    Shape.string('DataVolumeSource.http', 'url', url);
    requireShape('DataVolumeSource.http', 'options', options, {
      certConfigMap: Shape.optString,
      secretRef: Shape.optString,
      extraHeaders: Shape.optArray(Shape.string),
      secretExtraHeaders: Shape.optArray(Shape.string),
      checksum: Shape.optString,
    });
    requireUrl('url', url, ['http', 'https'], 'https://example.org/images/disk.qcow2');
    requireObjectName('certConfigMap', options.certConfigMap, 'ConfigMap that holds the CA certificate');
    requireObjectName('secretRef', options.secretRef, 'Secret that holds the credentials');
    for (const header of options.extraHeaders ?? []) {
      if (typeof header !== 'string' || !HEADER.test(header)) {
        throw propError(undefined, 'extraHeaders', header, 'must hold headers written as \'Name: value\'', 'write each header as \'Name: value\'');
      }
      const name = header.slice(0, header.indexOf(':')).toLowerCase();
      if (SENSITIVE_HEADERS.has(name)) {
        throw propError(undefined, 'extraHeaders', `${header.slice(0, header.indexOf(':'))}: ...`,
          'must not carry credentials', 'put the header in a Secret and list the Secret in \'secretExtraHeaders\'');
      }
    }
    for (const secret of options.secretExtraHeaders ?? []) {
      requireObjectName('secretExtraHeaders', secret, 'Secret that holds the header');
    }
    if (options.checksum !== undefined) {
      const algorithm = options.checksum.split(':')[0];
      if (!CHECKSUM.test(options.checksum) || options.checksum.length !== algorithm.length + 1 + CHECKSUM_LENGTH[algorithm]) {
        throw propError(undefined, 'checksum', options.checksum, 'must be \'algorithm:hex\' with md5, sha1, sha256 or sha512 and a digest of the right length',
          'write it as \'sha256:\' followed by the 64 hex digits of the digest');
      }
    }
    return new DataVolumeSource(DataVolumeSourceKind.HTTP, url, {
      http: {
        url,
        ...(options.certConfigMap !== undefined && { certConfigMap: options.certConfigMap }),
        ...(options.checksum !== undefined && { checksum: options.checksum }),
        ...(options.extraHeaders?.length ? { extraHeaders: [...options.extraHeaders] } : {}),
        ...(options.secretExtraHeaders?.length ? { secretExtraHeaders: [...options.secretExtraHeaders] } : {}),
        ...(options.secretRef !== undefined && { secretRef: options.secretRef }),
      },
    });
  }

  /**
   * Pulls a disk image from a container registry.
   * @param url `docker://registry/repository:tag` (or `@sha256:` digest), or `oci-archive://` for a local archive
   */
  public static registry(url: string, options: DataVolumeSourceRegistryOptions = {}): DataVolumeSource {
    Shape.string('DataVolumeSource.registry', 'url', url);
    requireShape('DataVolumeSource.registry', 'options', options, {
      pullMethod: Shape.optEnum(RegistryPullMethod, 'RegistryPullMethod'), certConfigMap: Shape.optString, secretRef: Shape.optString,
    });
    const parsed = requireUrl('url', url, ['docker', 'oci-archive'], 'docker://quay.io/containerdisks/fedora:41');
    if (parsed.protocol === 'docker:' && parsed.host.length + parsed.pathname.length <= 1) {
      throw propError(undefined, 'url', url, 'must name an image', 'use a URL such as \'docker://quay.io/containerdisks/fedora:41\'');
    }
    if (options.pullMethod === RegistryPullMethod.NODE && parsed.protocol !== 'docker:') {
      throw propError(undefined, 'pullMethod', options.pullMethod,
        `needs a docker:// image reference, the node's container runtime cannot pull '${url}'`,
        'use a docker:// URL or RegistryPullMethod.POD');
    }
    requireObjectName('certConfigMap', options.certConfigMap, 'ConfigMap that holds the CA certificate');
    requireObjectName('secretRef', options.secretRef, 'Secret that holds the credentials');
    return new DataVolumeSource(DataVolumeSourceKind.REGISTRY, url, {
      registry: {
        ...(options.certConfigMap !== undefined && { certConfigMap: options.certConfigMap }),
        ...(options.pullMethod !== undefined && { pullMethod: options.pullMethod }),
        ...(options.secretRef !== undefined && { secretRef: options.secretRef }),
        url,
      },
    });
  }

  /**
   * Downloads the image from an S3-compatible object store.
   * @param url `https://endpoint/bucket/object` (path style)
   */
  public static s3(url: string, options: DataVolumeSourceS3Options = {}): DataVolumeSource {
    Shape.string('DataVolumeSource.s3', 'url', url);
    requireShape('DataVolumeSource.s3', 'options', options, {
      secretRef: Shape.optString, certConfigMap: Shape.optString,
    });
    const parsed = requireUrl('url', url, ['http', 'https'], 'https://s3.us-east-1.amazonaws.com/bucket/disk.qcow2');
    if (parsed.pathname.replace(/^\/+/, '').split('/').filter(p => p !== '').length < 2) {
      throw propError(undefined, 'url', url, 'must name a bucket and an object in its path', 'use a URL such as \'https://s3.us-east-1.amazonaws.com/bucket/disk.qcow2\'');
    }
    requireObjectName('certConfigMap', options.certConfigMap, 'ConfigMap that holds the CA certificate');
    requireObjectName('secretRef', options.secretRef, 'Secret that holds the credentials');
    return new DataVolumeSource(DataVolumeSourceKind.S3, url, {
      s3: {
        ...(options.certConfigMap !== undefined && { certConfigMap: options.certConfigMap }),
        ...(options.secretRef !== undefined && { secretRef: options.secretRef }),
        url,
      },
    });
  }

  /**
   * Downloads the image from Google Cloud Storage.
   * @param url `gs://bucket/object` or `https://storage.googleapis.com/bucket/object`
   */
  public static gcs(url: string, options: DataVolumeSourceGcsOptions = {}): DataVolumeSource {
    Shape.string('DataVolumeSource.gcs', 'url', url);
    requireShape('DataVolumeSource.gcs', 'options', options, {
      secretRef: Shape.optString,
    });
    const parsed = requireUrl('url', url, ['gs', 'http', 'https'], 'gs://bucket/disk.qcow2');
    const objectPath = parsed.pathname.replace(/^\/+/, '').split('/').filter(p => p !== '');
    if (parsed.protocol === 'gs:' ? objectPath.length < 1 : objectPath.length < 2) {
      throw propError(undefined, 'url', url, 'must name a bucket and an object', 'use a URL such as \'gs://bucket/disk.qcow2\'');
    }
    requireObjectName('secretRef', options.secretRef, 'Secret that holds the key file');
    return new DataVolumeSource(DataVolumeSourceKind.GCS, url, {
      gcs: {
        ...(options.secretRef !== undefined && { secretRef: options.secretRef }),
        url,
      },
    });
  }

  /**
   * Waits for a client to upload the image through the CDI upload proxy, for
   * example `virtctl image-upload dv <name> --namespace <ns> --no-create --image-path=<file>`.
   */
  public static upload(): DataVolumeSource {
    return new DataVolumeSource(DataVolumeSourceKind.UPLOAD, undefined, { upload: {} });
  }

  /** An empty disk of the requested size. */
  public static blank(): DataVolumeSource {
    return new DataVolumeSource(DataVolumeSourceKind.BLANK, undefined, { blank: {} });
  }

  /**
   * Clones an existing PersistentVolumeClaim (a DataVolume's PVC has the
   * DataVolume's name). Cloning from another namespace needs `create` on
   * `datavolumes/source` there.
   */
  public static pvc(namespace: string, name: string): DataVolumeSource {
    Shape.string('DataVolumeSource.pvc', 'namespace', namespace);
    Shape.string('DataVolumeSource.pvc', 'name', name);
    DataVolumeSource.requireRef(namespace, name, 'PersistentVolumeClaim');
    return new DataVolumeSource(DataVolumeSourceKind.PVC, undefined, { pvc: { name, namespace } }, { namespace, name });
  }

  /**
   * Restores a CSI VolumeSnapshot. The snapshot must be in the DataVolume's
   * namespace unless the storage can restore across namespaces.
   */
  public static snapshot(namespace: string, name: string): DataVolumeSource {
    Shape.string('DataVolumeSource.snapshot', 'namespace', namespace);
    Shape.string('DataVolumeSource.snapshot', 'name', name);
    DataVolumeSource.requireRef(namespace, name, 'VolumeSnapshot');
    return new DataVolumeSource(DataVolumeSourceKind.SNAPSHOT, undefined, { snapshot: { name, namespace } }, { namespace, name });
  }

  private static requireRef(namespace: string, name: string, what: string): void {
    const nsProblem = checkDns1123Label(namespace);
    if (nsProblem) {
      throw propError(undefined, 'namespace', namespace, nsProblem, `give the namespace of the source ${what}`);
    }
    const nameProblem = checkDns1123Subdomain(name);
    if (nameProblem) {
      throw propError(undefined, 'name', name, nameProblem, `give the name of the source ${what}`);
    }
  }

  /** Kind of source. */
  public readonly kind: DataVolumeSourceKind;
  /**
   * The URL the data comes from, for http, registry, S3 and GCS sources.
   * @default - no URL (upload, blank and clone sources)
   */
  public readonly url?: string;

  private readonly body: Record<string, any>;
  private readonly ref?: { readonly namespace: string; readonly name: string };

  private constructor(kind: DataVolumeSourceKind, url: string | undefined, body: Record<string, any>, ref?: { namespace: string; name: string }) {
    this.kind = kind;
    this.url = url;
    this.body = body;
    this.ref = ref;
  }

  /**
   * Whether the data comes from outside the cluster (http, registry, S3, GCS
   * or upload): an import, as opposed to a blank disk or a clone.
   * @internal
   */
  public get _isImport(): boolean {
    return [DataVolumeSourceKind.HTTP, DataVolumeSourceKind.REGISTRY, DataVolumeSourceKind.S3,
      DataVolumeSourceKind.GCS, DataVolumeSourceKind.UPLOAD].includes(this.kind);
  }

  /**
   * Whether the data is copied from a volume in the cluster (PVC or snapshot).
   * @internal
   */
  public get _isClone(): boolean {
    return this.kind === DataVolumeSourceKind.PVC || this.kind === DataVolumeSourceKind.SNAPSHOT;
  }

  /**
   * Whether the data is downloaded from a URL by an importer pod (http,
   * registry, S3, GCS).
   * @internal
   */
  public get _isUrlImport(): boolean {
    return this._isImport && this.kind !== DataVolumeSourceKind.UPLOAD;
  }

  /**
   * The namespace and name of the cloned PVC or snapshot.
   * @internal
   */
  public get _cloneSource(): { readonly namespace: string; readonly name: string } | undefined {
    return this.ref;
  }

  /**
   * The `spec.source` object of a DataVolume (a fresh copy).
   * @internal
   */
  public _render(): Record<string, any> {
    return JSON.parse(JSON.stringify(this.body));
  }
}
