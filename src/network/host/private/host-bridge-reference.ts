/**
 * The check that a value names a host bridge, for the CNI plugins that
 * attach to one.
 */
import { ErrorScope, requireInterface } from '../../../validation';
import { IHostBridge } from '../host-bridge';

/** Throws the library error unless `value` is a host interface reference (`policy.bridge()` or `HostBridge.existing()`). */
export function requireHostBridge(scope: ErrorScope, prop: string, value: unknown): asserts value is IHostBridge {
  requireInterface(scope, prop, value, 'IHostBridge', ['bridgeName'], 'build it with policy.bridge(\'name\') or HostBridge.existing(\'name\')');
}
