/** Whether and when KubeVirt keeps the VM's instance running. */
export enum RunStrategy {
  /** Always running; restarted whenever it stops. */
  ALWAYS = 'Always',
  /** Restarted only when it fails, not when the guest shuts down cleanly. */
  RERUN_ON_FAILURE = 'RerunOnFailure',
  /** Started and stopped only on request (virtctl start/stop). */
  MANUAL = 'Manual',
  /** Kept stopped. */
  HALTED = 'Halted',
  /** Run once; not restarted whatever the outcome. */
  ONCE = 'Once',
}
