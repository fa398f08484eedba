import { ApiObject } from 'cdk8s';
import { ImagePullPolicy } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { requireShape, ErrorScope, Shape, ShapeRule } from '../../validation';
import { PlatformPartProps } from '../platform-part-props';
import { applyWaves } from './objects';

/** The rules of the settings every part takes. */
const SHARED_RULES: { readonly [key: string]: ShapeRule } = {
  image: Shape.optImageOverride,
  imagePullPolicy: Shape.optEnum(ImagePullPolicy, 'ImagePullPolicy'),
  argoCdSyncWaves: Shape.optBoolean,
};

/** Stands among a part's own rules where one of the shared settings is checked (see `requirePartShape`). */
export const SHARED = 'shared';

/** The rules of the settings the operator parts (KubeVirt, CDI) take first, in their order. */
export const OPERATOR_RULES = {
  namespace: Shape.optString,
  image: SHARED,
  imagePullPolicy: SHARED,
  replicas: Shape.optNumber,
} as const;

/**
 * Checks the shape of a part's settings, one after the other: `image` and
 * `imagePullPolicy`, the part's own `rules`, then `argoCdSyncWaves`. A part
 * that checks a shared setting elsewhere in its order lists it among its
 * rules as `SHARED`, so the first wrong setting reported stays the same.
 */
export function requirePartShape(scope: ErrorScope, props: unknown, rules: { readonly [key: string]: ShapeRule | typeof SHARED }): void {
  const ordered: { [key: string]: ShapeRule } = {};
  for (const key of ['image', 'imagePullPolicy']) if (!(key in rules)) ordered[key] = SHARED_RULES[key];
  for (const [key, rule] of Object.entries(rules)) ordered[key] = rule === SHARED ? SHARED_RULES[key] : rule;
  if (!('argoCdSyncWaves' in rules)) ordered.argoCdSyncWaves = SHARED_RULES.argoCdSyncWaves;
  requireShape(scope, 'props', props, ordered);
}

/** Gives the part's objects their Argo CD waves when its settings ask for them (see `applyWaves`). */
export function finishPart(scope: Construct, props: PlatformPartProps, primary?: ApiObject): void {
  if (props.argoCdSyncWaves) applyWaves(scope, primary);
}
