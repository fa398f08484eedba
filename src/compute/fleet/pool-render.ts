/**
 * Renders a pool's `spec.autohealing` (kept out of the public pool options).
 */
import { PoolAutohealing } from './pool-options';
import {
  ErrorScope, optionalDuration, optionalNumber, propError, propPath, requireIntegerBetween, requireStruct, UINT32_MAX,
} from '../../validation';

/** Renders `spec.autohealing`, checking each field. */
export function renderAutohealing(scope: ErrorScope, prop: string, autohealing: PoolAutohealing): any {
  requireStruct(scope, prop, autohealing);
  const out: any = {};
  const threshold = autohealing.startUpFailureThreshold;
  optionalNumber(scope, propPath(prop, 'startUpFailureThreshold'), threshold);
  if (threshold !== undefined) {
    // types.go:150: +kubebuilder:validation:Minimum=1, a uint32
    requireIntegerBetween(scope, propPath(prop, 'startUpFailureThreshold'), threshold, 1, UINT32_MAX, 'uint32');
    out.startUpFailureThreshold = threshold;
  }
  const duration = autohealing.minFailingToStartDuration;
  optionalDuration(scope, propPath(prop, 'minFailingToStartDuration'), duration);
  if (duration !== undefined) {
    const millis = duration.toMilliseconds();
    const seconds = millis / 1000;
    if (!Number.isInteger(seconds) || seconds < 1) {
      throw propError(scope, propPath(prop, 'minFailingToStartDuration'), `${millis}ms`,
        'must be a whole number of seconds, at least one', 'use Duration.seconds(n) or Duration.minutes(n) with n >= 1');
    }
    out.minFailingToStartDuration = `${seconds}s`;
  }
  return out;
}

