/**
 * What happens to a VM when its node is drained: set per VM, or as the
 * cluster default on the KubeVirt object.
 */
export enum EvictionStrategy {
  /** The VM is shut down. */
  NONE = 'None',
  /** The VM is live-migrated; the drain waits until that is possible. */
  LIVE_MIGRATE = 'LiveMigrate',
  /** The VM is live-migrated when it can be, shut down otherwise. */
  LIVE_MIGRATE_IF_POSSIBLE = 'LiveMigrateIfPossible',
  /** An external controller handles the eviction. */
  EXTERNAL = 'External',
}
