/**
 * Settings every part of the platform takes (`KubeVirt`, `Cdi`, `Multus`,
 * `Whereabouts`, `SnapshotController`, `MultiNetworkPolicyController`,
 * `Nmstate`, `CniPlugins`, `OvsCni`, `DhcpDaemon`).
 */
export interface PlatformPartProps {
  /**
   * Annotate every object with its Argo CD sync wave (see `SyncWave`).
   * @default false
   */
  readonly argoCdSyncWaves?: boolean;
}
