import { SmartCloneFleet } from '../../compute/fleet/smart-clone-fleet';
import { propError } from '../../validation';

/** Checks that a value is a fleet (duck-typed: compute imports this area). */
export function requireFleet(prop: string, fleet: unknown): SmartCloneFleet {
  const ok = fleet !== null && typeof fleet === 'object' && typeof (fleet as any)._selectPods === 'function'
    && typeof (fleet as any)._workloadFacts === 'function' && Array.isArray((fleet as any).vmNames);
  if (!ok) throw propError(undefined, prop, fleet, 'must be a SmartCloneFleet', 'pass the SmartCloneFleet construct itself');
  return fleet as SmartCloneFleet;
}
