import { ApiObject, Lazy, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { IDataSource } from './data-source';
import { IDataVolume, DataVolumeProps } from './data-volume-options';
import { DataVolumeTemplate, renderDataVolumeMetadata, renderDataVolumeSpec } from './data-volume-render';
import { DataVolumeSource } from './data-volume-source';
import { NO_NAMESPACE, resolveNamespace } from '../private/namespace';
import { ensureUniqueObjectNames } from '../private/unique-object-names';
import { requireShape, Shape } from '../validation';
import { requireDns1123Label, requireDns1123Subdomain } from '../validation/checks';

/** Options of `DataVolume.fromDataVolumeName()`. */
export interface DataVolumeAttributes {
  /**
   * Namespace of the existing DataVolume.
   * @default - the namespace the manifests are applied to
   */
  readonly namespace?: string;
}

class ImportedDataVolume extends Construct implements IDataVolume {
  constructor(scope: Construct, id: string, public readonly name: string, public readonly namespace: string | undefined) {
    super(scope, id);
  }
}

/**
 * A CDI DataVolume (cdi.kubevirt.io/v1beta1): a PVC that CDI fills by
 * importing, uploading, cloning or leaving blank. Storage is requested
 * through `spec.storage`, so access and volume modes come from the storage
 * class's StorageProfile unless set.
 *
 * @see https://github.com/kubevirt/containerized-data-importer/blob/main/doc/datavolumes.md
 */
export class DataVolume extends Construct implements IDataVolume {
  /** References an existing DataVolume (or PVC) by name. */
  public static fromDataVolumeName(scope: Construct, id: string, name: string, attrs: DataVolumeAttributes = {}): IDataVolume {
    requireShape(scope, 'attrs', attrs, { namespace: Shape.optString });
    requireDns1123Subdomain(scope, 'name', name);
    if (attrs.namespace !== undefined) {
      requireDns1123Label(scope, 'namespace', attrs.namespace);
    }
    return new ImportedDataVolume(scope, id, name, attrs.namespace);
  }

  public readonly name: string;
  public readonly namespace?: string;
  /**
   * Requested size.
   * @default - the size of the clone source
   */
  public readonly size?: Size;
  /**
   * Storage class of the PVC.
   * @default - the cluster's default
   */
  public readonly storageClass?: string;
  /**
   * Where the data comes from.
   * @default - see `sourceRef`
   */
  public readonly source?: DataVolumeSource;
  /**
   * The DataSource cloned from.
   * @default - see `source`
   */
  public readonly sourceRef?: IDataSource;

  private readonly props: DataVolumeProps;
  private readonly spec: Record<string, any>;

  constructor(scope: Construct, id: string, props: DataVolumeProps) {
    super(scope, id);
    requireShape(this, 'props', props, {
      name: Shape.optString,
      namespace: Shape.optString,
      bindImmediately: Shape.optBoolean,
      labels: Shape.optLabels,
      annotations: Shape.optAnnotations,
    });
    ensureUniqueObjectNames(this);
    this.props = props;
    // validates every prop eagerly; the result never changes afterwards
    this.spec = renderDataVolumeSpec(this, props);
    this.namespace = resolveNamespace(this, props.namespace, NO_NAMESPACE);
    this.size = props.size;
    this.storageClass = props.storageClass;
    this.source = props.source;
    this.sourceRef = props.sourceRef;

    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'cdi.kubevirt.io/v1beta1',
      kind: 'DataVolume',
      metadata: {
        ...(props.name !== undefined && { name: props.name }),
        ...(this.namespace !== undefined && { namespace: this.namespace }),
        ...renderDataVolumeMetadata(this, props),
      },
      spec: Lazy.any({ produce: () => this._toKube() }),
    });
    this.name = resource.name;
    requireDns1123Subdomain(this, 'name', this.name);
  }

  /**
   * The DataVolume's spec.
   * @internal
   */
  public _toKube(): Record<string, any> {
    return JSON.parse(JSON.stringify(this.spec));
  }

  /**
   * This DataVolume as a VirtualMachine `dataVolumeTemplates` entry (name,
   * labels, annotations and spec; the VM's namespace applies).
   * @internal
   */
  public _toTemplate(): DataVolumeTemplate {
    return {
      metadata: { name: this.name, ...renderDataVolumeMetadata(this, this.props) },
      spec: this._toKube(),
    };
  }
}
