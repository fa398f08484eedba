import { IConstruct } from 'constructs';
import { missingKubeVirtGate } from '../../private/platform-config';

/**
 * The Snapshot feature gate, which the snapshot, restore and clone
 * admitters need (pkg/storage/admitters/vmsnapshot.go:62,
 * pkg/storage/admitters/vmrestore.go:68, vmclone-admitter.go:70 at
 * v1.9.0); Beta, so on unless the app's KubeVirt switches it off.
 */
export function snapshotGateProblems(scope: IConstruct, what: string): string[] {
  const missing = missingKubeVirtGate(scope, 'Snapshot', 'SNAPSHOT', what);
  return missing ? [missing] : [];
}
