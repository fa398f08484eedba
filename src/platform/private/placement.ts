import { k8s } from 'cdk8s-plus-33';
import { Shape } from '../../validation';
import { NodePlacement } from '../node-placement';

/** Renders a placement; undefined when empty. */
export function renderPlacement(p?: NodePlacement): { [key: string]: any } | undefined {
  if (!p) return undefined;
  const out: { [key: string]: any } = {};
  if (p.nodeSelector && Object.keys(p.nodeSelector).length > 0) {
    out.nodeSelector = Object.fromEntries(Object.entries(p.nodeSelector).sort(([a], [b]) => a.localeCompare(b)));
  }
  if (p.tolerations && p.tolerations.length > 0) {
    out.tolerations = p.tolerations.map(t => k8s.toJson_Toleration(t));
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The shape rule of a `NodePlacement` prop. */
export const PLACEMENT_RULE = Shape.optStruct({ nodeSelector: Shape.optStringMap, tolerations: Shape.optArray(Shape.optObject) });
