import { PersistentVolumeMode } from 'cdk8s-plus-33';

/**
 * What the library cannot read from the manifests about a golden image's
 * storage class: what its CDI StorageProfile resolves and what the class
 * allows. Each fact you state turns a condition of the fleet plan
 * ("copy-on-write if ...") into a certainty or an early error; each fact you
 * leave out keeps the condition in the plan.
 */
export interface StorageFacts {
  /**
   * Volume mode that the storage class's StorageProfile gives the image's
   * volume when the image does not set `volumeMode`. Clones are pinned to
   * it, so CDI never sees two modes and never falls back to a host-assisted
   * copy.
   *
   * @default - unknown: the image's `volumeMode`, else the plan says the
   * clones stay copy-on-write only if the StorageProfile gives them the
   * image's mode, and larger clones must fit a Filesystem image's padding
   */
  readonly volumeMode?: PersistentVolumeMode;

  /**
   * Whether the storage class allows volume expansion
   * (`allowVolumeExpansion`). A clone larger than its snapshot's restore
   * size is restored and then expanded; without expansion CDI falls back to
   * a host-assisted copy.
   *
   * @default - unknown: a larger clone is planned as copy-on-write only if the class allows expansion
   */
  readonly allowVolumeExpansion?: boolean;

  /**
   * CDI's file system overhead for the storage class (CDIConfig
   * `filesystemOverhead`, global or per class), a fraction from 0 to 1 with at most
   * three decimals, as CDIConfig accepts it.
   * CDI pads a Filesystem import by it, so a snapshot of a 10Gi image
   * restores at least 11381663335 bytes with the default.
   *
   * @default 0.06 (CDI's default)
   */
  readonly filesystemOverhead?: number;
}
