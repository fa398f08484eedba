import { ApiObject, Lazy, Size } from 'cdk8s';
import { k8s, PersistentVolumeAccessMode, PersistentVolumeMode } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { DataSource, DataSourceSource, IDataSource } from './data-source';
import { DataVolume } from './data-volume';
import { IDataVolume } from './data-volume-options';
import { renderDataVolumeSpec, USE_POPULATOR_ANNOTATION } from './data-volume-render';
import { DataVolumeSource, DataVolumeSourceKind } from './data-volume-source';
import { ImportCronGarbageCollect, GoldenImageImportCronOptions, GoldenImageGrantCloneOptions, IGoldenImage, GoldenImageProps } from './golden-image-options';
import { optionalStorageFacts } from './private/storage-class-profile-rules';
import { StorageFacts } from './storage-class-profile';
import { IVolumeSnapshot, VolumeSnapshot } from './volume-snapshot';
import { GOLDEN_IMAGE_LABEL } from '../private/labels';
import { MissingNamespace, resolveNamespace } from '../private/namespace';
import { ensureUniqueObjectNames } from '../private/unique-object-names';
import { checkCronSchedule, DNS1123_LABEL_MAX, requireShape, Shape } from '../validation';
import { INT32_MAX, requireDns1123Label, requireDns1123Subdomain, requireIntegerBetween } from '../validation/checks';
import { propError } from '../validation/errors';

/**
 * A golden image: a pre-allocated DataVolume that imports a VM image once,
 * at once (annotation `cdi.kubevirt.io/storage.bind.immediate.requested`, so
 * it does not wait for a consumer), optionally snapshotted for copy-on-write
 * smart clones, published as a CDI DataSource and kept up to date by a
 * DataImportCron.
 *
 * For an `upload` source (isolated environments), fill the DataVolume after
 * applying the manifests with:
 *
 * ```sh
 * virtctl image-upload dv <name> --namespace <namespace> --no-create --image-path=<local image file>
 * ```
 *
 * `--no-create` makes virtctl use the DataVolume this construct declared
 * instead of creating one; `uploadCommand` gives the command for this image.
 */
export class GoldenImage extends Construct implements IGoldenImage {
  public readonly name: string;
  public readonly namespace: string;
  public readonly size: Size;
  public readonly storageClass?: string;
  public readonly volumeMode?: PersistentVolumeMode;
  public readonly accessModes?: PersistentVolumeAccessMode[];
  public readonly sourceKind: DataVolumeSourceKind;
  public readonly storageFacts?: StorageFacts;
  public readonly snapshotClassName?: string;
  /** Where the image is imported from. */
  public readonly source: DataVolumeSource;
  public readonly dataVolume: IDataVolume;
  public readonly snapshot?: IVolumeSnapshot;
  public readonly dataSource?: IDataSource;
  public readonly importCronSchedule?: string;
  /**
   * The `virtctl image-upload` command that fills an upload image.
   * @default - not an upload image
   */
  public readonly uploadCommand?: string;

  private readonly labels?: { [key: string]: string };
  private readonly importCron?: GoldenImageImportCronOptions;
  private cloneRole?: k8s.KubeRole;
  private readonly grants = new Map<string, k8s.KubeRoleBinding>();

  constructor(scope: Construct, id: string, props: GoldenImageProps) {
    super(scope, id);
    requireShape(this, 'props', props, {
      name: Shape.optString,
      namespace: Shape.optString,
      source: Shape.instance(DataVolumeSource, 'DataVolumeSource.http(url) or DataVolumeSource.registry(url)'),
      size: Shape.size,
      storageClass: Shape.optString,
      accessModes: Shape.optArray(Shape.enum(PersistentVolumeAccessMode, 'PersistentVolumeAccessMode')),
      volumeMode: Shape.optEnum(PersistentVolumeMode, 'PersistentVolumeMode'),
      preallocation: Shape.optBoolean,
      storageFacts: Shape.optObject,
      snapshotClass: Shape.optString,
      volumeSnapshotClass: Shape.optRef('IVolumeSnapshotClass', ['name'], 'pass a VolumeSnapshotClass construct, or VolumeSnapshotClass.fromVolumeSnapshotClassName()'),
      dataSource: Shape.optBoolean,
      labels: Shape.optLabels,
      importCron: Shape.optStruct({
        schedule: Shape.string,
        garbageCollect: Shape.optEnum(ImportCronGarbageCollect, 'ImportCronGarbageCollect'),
        importsToKeep: Shape.optNumber,
        managedDataSource: Shape.optString,
      }),
    });
    ensureUniqueObjectNames(this);
    if (props.name === undefined) {
      requireDns1123Label(this, 'name', id);
    } else {
      requireDns1123Subdomain(this, 'name', props.name);
    }
    this.name = props.name ?? id;
    if (this.name.length > DNS1123_LABEL_MAX) {
      throw propError(this, 'name', this.name, `is ${this.name.length} characters, but it becomes the value of the ${GOLDEN_IMAGE_LABEL} label, which may have at most ${DNS1123_LABEL_MAX}`,
        `shorten the name to at most ${DNS1123_LABEL_MAX} characters`);
    }
    this.namespace = resolveNamespace(this, props.namespace, MissingNamespace.REFERENCED);

    const source = props.source;
    if (!source) {
      throw propError(this, 'source', source, 'is required', 'use e.g. DataVolumeSource.http(url) or DataVolumeSource.registry(url)');
    }
    if (!source._isImport) {
      throw propError(this, 'source', source.kind, 'must be an import source (http, registry, s3, gcs or upload)',
        'use DataVolumeSource.http(), registry(), s3(), gcs() or upload(); for clones and blank disks use a DataVolume');
    }
    if (!props.size) {
      throw propError(this, 'size', props.size, 'is required', 'set \'size\' to at least the virtual size of the image, e.g. Size.gibibytes(10)');
    }
    if (props.snapshotClass !== undefined && props.volumeSnapshotClass) {
      throw propError(this, 'snapshotClass', props.snapshotClass, 'cannot be combined with \'volumeSnapshotClass\'', 'set only one of them');
    }
    if (props.snapshotClass !== undefined) {
      requireDns1123Subdomain(this, 'snapshotClass', props.snapshotClass);
    }
    if (props.importCron && source.kind !== DataVolumeSourceKind.REGISTRY) {
      throw propError(this, 'importCron', source.kind, 'needs a registry source, a DataImportCron only polls container registries',
        'import from DataVolumeSource.registry(\'docker://...\') or remove \'importCron\'');
    }
    if (props.importCron && props.dataSource) {
      throw propError(this, 'dataSource', props.dataSource, 'cannot be set with \'importCron\', the DataImportCron creates and updates the DataSource itself',
        'remove \'dataSource\' and read the DataSource from the \'dataSource\' attribute');
    }

    const facts = optionalStorageFacts(this, 'storageFacts', props.storageFacts);
    if (props.volumeMode !== undefined && facts?.volumeMode !== undefined && props.volumeMode !== facts.volumeMode) {
      throw propError(this, 'storageFacts.volumeMode', facts.volumeMode, `contradicts 'volumeMode: ${props.volumeMode}'`,
        'remove \'storageFacts.volumeMode\', or make it equal to \'volumeMode\'');
    }
    this.storageFacts = facts;
    this.size = props.size;
    this.storageClass = props.storageClass;
    // clones are pinned to this mode, so CDI sees one mode on both sides
    this.volumeMode = props.volumeMode ?? facts?.volumeMode;
    this.accessModes = props.accessModes ? [...props.accessModes] : undefined;
    this.sourceKind = source.kind;
    this.source = source;
    this.labels = props.labels;

    const snapshotClassName = props.volumeSnapshotClass?.name ?? props.snapshotClass;
    this.dataVolume = new DataVolume(this, 'DataVolume', {
      name: this.name,
      namespace: this.namespace,
      source,
      size: props.size,
      storageClass: props.storageClass,
      accessModes: props.accessModes,
      volumeMode: this.volumeMode,
      preallocation: props.preallocation ?? true,
      bindImmediately: true,
      // The snapshot controller snapshots a claim as soon as it is Bound. On CDI's
      // populator path the claim binds only once the import has finished; on
      // the legacy path it binds first and is filled afterwards, so the
      // snapshot could hold a partial image. A snapshotted image forces the
      // populator path (a snapshot class means CSI storage, which it needs).
      ...(snapshotClassName !== undefined && { annotations: { [USE_POPULATOR_ANNOTATION]: 'true' } }),
      // marks the volume as a golden image for readers of the manifests (the topology picture)
      labels: { ...(props.labels ?? {}), [GOLDEN_IMAGE_LABEL]: this.name },
    });

    // ApiObject.of(image) gives the DataVolume object
    this.node.defaultChild = this.dataVolume;

    this.snapshotClassName = snapshotClassName;
    if (snapshotClassName !== undefined) {
      this.snapshot = new VolumeSnapshot(this, 'Snapshot', {
        name: this.name,
        namespace: this.namespace,
        dataVolume: this.dataVolume,
        volumeSnapshotClassName: snapshotClassName,
        labels: props.labels,
      });
    }

    if (props.importCron) {
      this.importCron = props.importCron;
      const managed = this.checkImportCron(props.importCron);
      this.importCronSchedule = props.importCron.schedule.trim();
      const cronSpec = this.renderImportCronSpec(props);
      new ApiObject(this, 'ImportCron', {
        apiVersion: 'cdi.kubevirt.io/v1beta1',
        kind: 'DataImportCron',
        metadata: {
          name: this.name,
          namespace: this.namespace,
          ...(this.sortedLabels() && { labels: this.sortedLabels() }),
        },
        spec: Lazy.any({ produce: () => JSON.parse(JSON.stringify(cronSpec)) }),
      });
      this.dataSource = DataSource.fromDataSourceName(this, 'ManagedDataSource', managed, { namespace: this.namespace });
    } else if (props.dataSource) {
      const target = this.snapshot
        ? DataSourceSource.snapshot(this.namespace, this.snapshot.name)
        : DataSourceSource.pvc(this.namespace, this.dataVolume.name);
      const ds = new DataSource(this, 'DataSource', {
        name: this.name,
        namespace: this.namespace,
        source: target,
        labels: props.labels,
      });
      ds.node.addDependency(this.snapshot ?? this.dataVolume);
      this.dataSource = ds;
    }

    if (source.kind === DataVolumeSourceKind.UPLOAD) {
      this.uploadCommand = `virtctl image-upload dv ${this.name} --namespace ${this.namespace} --no-create --image-path=<local image file>`;
    }
  }

  /**
   * Lets service accounts of another namespace clone this image: a Role in
   * the image's namespace allowing `create` on `datavolumes/source`
   * (cdi.kubevirt.io), the permission CDI checks in the clone source's
   * namespace, and a RoleBinding to the grantee. The Role is limited to the
   * image's PVC and snapshot by name, except with an import cron, whose
   * import names are not known in advance. Calling it twice for the same
   * grantee has no further effect; grants to the image's own namespace are
   * not needed and add nothing.
   */
  public grantClone(options: GoldenImageGrantCloneOptions): void {
    requireShape(this, 'options', options, { namespace: Shape.string, serviceAccount: Shape.optString });
    requireDns1123Label(this, 'namespace', options.namespace);
    if (options.serviceAccount !== undefined) {
      requireDns1123Subdomain(this, 'serviceAccount', options.serviceAccount);
    }
    if (options.namespace === this.namespace) {
      return;
    }
    const key = `${options.namespace}/${options.serviceAccount ?? ''}`;
    if (this.grants.has(key)) {
      return;
    }
    const role = this.ensureCloneRole();
    const subject: k8s.Subject = options.serviceAccount !== undefined
      ? { kind: 'ServiceAccount', name: options.serviceAccount, namespace: options.namespace }
      : { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `system:serviceaccounts:${options.namespace}` };
    // namespaces have no dots, so '<namespace>.<serviceAccount>' cannot collide with a namespace grant
    const suffix = options.serviceAccount !== undefined ? `${options.namespace}.${options.serviceAccount}` : options.namespace;
    const bindingName = `${this.name}-clone-${suffix}`;
    requireDns1123Subdomain(this, 'grantClone', bindingName);
    const binding = new k8s.KubeRoleBinding(this, `CloneGrant-${suffix}`, {
      metadata: { name: bindingName, namespace: this.namespace, ...(this.sortedLabels() && { labels: this.sortedLabels() }) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
      subjects: [subject],
    });
    binding.node.addDependency(role);
    this.grants.set(key, binding);
  }

  private ensureCloneRole(): k8s.KubeRole {
    if (this.cloneRole) {
      return this.cloneRole;
    }
    const resourceNames = this.importCron
      ? undefined
      : Array.from(new Set([this.dataVolume.name, ...(this.snapshot ? [this.snapshot.name] : [])])).sort();
    this.cloneRole = new k8s.KubeRole(this, 'CloneRole', {
      metadata: { name: `${this.name}-clone-source`, namespace: this.namespace, ...(this.sortedLabels() && { labels: this.sortedLabels() }) },
      rules: [{
        apiGroups: ['cdi.kubevirt.io'],
        resources: ['datavolumes/source'],
        verbs: ['create'],
        ...(resourceNames && { resourceNames }),
      }],
    });
    return this.cloneRole;
  }

  private sortedLabels(): { [key: string]: string } | undefined {
    if (!this.labels || Object.keys(this.labels).length === 0) return undefined;
    return Object.fromEntries(Object.keys(this.labels).sort().map(k => [k, this.labels![k]]));
  }

  private checkImportCron(cron: GoldenImageImportCronOptions): string {
    const problem = checkCronSchedule(cron.schedule.trim());
    if (problem) {
      throw propError(this, 'importCron.schedule', cron.schedule, `${problem} (CDI parses schedules like robfig/cron's standard parser)`,
        'use 5 fields such as \'0 3 * * 1\' (Mondays at 03:00), a descriptor such as \'@daily\', or \'@every 12h\'');
    }
    if (this.name.length > DNS1123_LABEL_MAX) {
      throw propError(this, 'name', this.name, `is ${this.name.length} characters, but the DataImportCron that bears it may have at most ${DNS1123_LABEL_MAX}`,
        `shorten the name to at most ${DNS1123_LABEL_MAX} characters`);
    }
    if (cron.importsToKeep !== undefined) {
      requireIntegerBetween(this, 'importCron.importsToKeep', cron.importsToKeep, 1, INT32_MAX, 'int32');
    }
    if (cron.garbageCollect !== undefined && !Object.values(ImportCronGarbageCollect).includes(cron.garbageCollect)) {
      throw propError(this, 'importCron.garbageCollect', cron.garbageCollect, 'must be an ImportCronGarbageCollect', 'use OUTDATED or NEVER');
    }
    if (cron.garbageCollect === ImportCronGarbageCollect.NEVER && cron.importsToKeep !== undefined) {
      throw propError(this, 'importCron.importsToKeep', cron.importsToKeep, 'has no effect when garbage collection is off',
        'remove \'importsToKeep\' or use ImportCronGarbageCollect.OUTDATED');
    }
    const managed = cron.managedDataSource ?? this.name;
    requireDns1123Subdomain(this, 'importCron.managedDataSource', managed);
    if (managed.length > DNS1123_LABEL_MAX) {
      throw propError(this, 'importCron.managedDataSource', managed, `is ${managed.length} characters; CDI allows at most ${DNS1123_LABEL_MAX}`,
        `use a DataSource name of at most ${DNS1123_LABEL_MAX} characters`);
    }
    return managed;
  }

  private renderImportCronSpec(props: GoldenImageProps): Record<string, any> {
    const cron = props.importCron!;
    // the same storage as the image's own DataVolume
    const templateSpec = renderDataVolumeSpec(this, {
      source: props.source,
      size: props.size,
      storageClass: props.storageClass,
      accessModes: props.accessModes,
      volumeMode: props.volumeMode,
      preallocation: props.preallocation ?? true,
    });
    return {
      ...(cron.garbageCollect !== undefined && { garbageCollect: cron.garbageCollect }),
      ...(cron.importsToKeep !== undefined && { importsToKeep: cron.importsToKeep }),
      managedDataSource: cron.managedDataSource ?? this.name,
      schedule: cron.schedule.trim(),
      template: { spec: templateSpec },
    };
  }
}
