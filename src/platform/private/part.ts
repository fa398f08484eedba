import { ApiObject } from 'cdk8s';
import { ImagePullPolicy } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { checkShape, ErrorScope, Shape, ShapeRules } from '../../validation';
import { PlatformPartProps } from '../platform-part-props';
import { applyWaves } from './objects';

/**
 * Checks the shape of a part's settings: the image, pull policy and sync
 * wave settings all parts take, then the part's own `rules`, then
 * `argoCdSyncWaves`.
 */
export function checkPartShape(scope: ErrorScope, props: unknown, rules: ShapeRules): void {
  checkShape(scope, 'props', props, {
    image: Shape.optImageOverride,
    imagePullPolicy: Shape.optEnum(ImagePullPolicy, 'ImagePullPolicy'),
    ...rules,
    argoCdSyncWaves: Shape.optBoolean,
  });
}

/** Gives the part's objects their Argo CD waves when its settings ask for them (see `applyWaves`). */
export function finishPart(scope: Construct, props: PlatformPartProps, primary?: ApiObject): void {
  if (props.argoCdSyncWaves) applyWaves(scope, primary);
}
