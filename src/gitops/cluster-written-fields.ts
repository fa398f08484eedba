/**
 * A field the cluster writes into an object after it is applied (a mutating
 * admission webhook, or the API server's defaulting) whose value the library
 * cannot know when it synthesizes. GitOps tools are told to ignore it, with
 * the reason.
 */
export interface ClusterWrittenField {
  /** API group of the kind, `''` for the core group. */
  readonly group: string;
  /** Kind, such as `VirtualMachine`. */
  readonly kind: string;
  /** RFC 6901 JSON pointers of the fields, such as `/spec/template/spec/domain/machine`. */
  readonly jsonPointers: readonly string[];
  /** Who writes the field and why the library cannot emit it. */
  readonly reason: string;
}

/**
 * Every field the cluster writes that the library leaves to it. Fields whose
 * value is known at synth time are emitted by the library instead, so they
 * are not listed here.
 */
export const CLUSTER_WRITTEN_FIELDS: readonly ClusterWrittenField[] = [];
