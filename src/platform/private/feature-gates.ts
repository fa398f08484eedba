import { IConstruct } from 'constructs';
import { propError, Shape } from '../../validation';
import { FeatureGate, FeatureGateComponent, FeatureGateStage } from '../feature-gate';

/**
 * Checks gates for one operator: throws for gates of the other operator and
 * returns a warning for each gate that no longer needs setting.
 */
export function requireFeatureGates(scope: IConstruct, prop: string, gates: FeatureGate[], component: FeatureGateComponent): string[] {
  const warnings: string[] = [];
  for (const g of gates) {
    if (!(g instanceof FeatureGate)) {
      throw propError(scope, prop, g, 'must hold FeatureGate values', 'use the FeatureGate constants, FeatureGate.fromName() or FeatureGate.custom()');
    }
    if (g.component !== component) {
      throw propError(scope, prop, g.name, `is a ${g.component} feature gate, not a ${component} one`, `set it on the ${g.component} construct instead`);
    }
    if (g.stage === FeatureGateStage.GA) {
      warnings.push(`feature gate '${g.name}' is GA in ${component} and always on; remove it from '${prop}'`);
    } else if (g.stage === FeatureGateStage.DEPRECATED) {
      warnings.push(`feature gate '${g.name}' is deprecated in ${component}; plan to remove it from '${prop}'`);
    } else if (g.stage === FeatureGateStage.DISCONTINUED) {
      warnings.push(`feature gate '${g.name}' is discontinued in ${component} and ignored; remove it from '${prop}'`);
    }
  }
  return warnings;
}

/** The shape rule of a props list of feature gates. */
export const FEATURE_GATES_RULE = Shape.optArray(Shape.instance(FeatureGate, 'FeatureGate.fromName(name) or FeatureGate.custom(name, component)'));

/** Checks one gate for `component` and adds it to `gates` unless a gate of that name is there already. */
export function addFeatureGate(scope: IConstruct, prop: string, gates: FeatureGate[], gate: FeatureGate, component: FeatureGateComponent): void {
  requireFeatureGates(scope, prop, [gate], component);
  if (!gates.some(g => g.name === gate.name)) gates.push(gate);
}

/** Checks a gate given to an `addFeatureGate()` method and adds it to `gates` (see `addFeatureGate`). */
export function addGivenFeatureGate(scope: IConstruct, gates: FeatureGate[], gate: FeatureGate, component: FeatureGateComponent): void {
  Shape.instance(FeatureGate, 'a FeatureGate constant, FeatureGate.fromName() or FeatureGate.custom()')(scope, 'gate', gate);
  addFeatureGate(scope, 'featureGates', gates, gate, component);
}
