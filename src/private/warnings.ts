import { IConstruct } from 'constructs';

/** Metadata type under which the platform records its warnings. */
export const WARNING_METADATA = 'cdk8s-kubevirt:warning';

/**
 * Reports warnings computed at synthesis (so later `add*()` calls count):
 * each distinct message is printed once with `console.warn`, prefixed with the
 * construct path, and recorded as construct metadata. Never fails synthesis.
 */
export function reportWarnings(scope: IConstruct, compute: () => string[]): void {
  const seen = new Set<string>();
  scope.node.addValidation({
    validate: () => {
      for (const message of compute()) {
        if (seen.has(message)) continue;
        seen.add(message);
        scope.node.addMetadata(WARNING_METADATA, message);
        console.warn(`[${scope.node.path}] warning: ${message}`);
      }
      return [];
    },
  });
}
