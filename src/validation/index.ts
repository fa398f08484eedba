/**
 * Validation: one style, three kinds of rule. The name of a function says
 * which kind it is.
 *
 * Every error names the construct path, the prop, the bad value and the fix,
 * in one format: `[path] 'prop' problem, got value; fix`. Only two functions
 * write it: `propError` (thrown) and `formatPropError` (returned to cdk8s,
 * which adds the `[path]` itself). Nothing else builds an error message, and
 * nothing throws `new Error`: a failure that is no prop's fault (a tool that
 * failed, a broken invariant) throws `libraryError(message)`.
 *
 * 1. `check*(value, ...): string | undefined` is a predicate on a plain value.
 *    It takes no scope and no prop, throws nothing, and returns what is wrong
 *    (`'must be at most 63 characters'`) or undefined. It lives in this folder
 *    when more than one place needs it (names, labels, MAC, SSH keys, cron,
 *    images, paths, interface names, sizes), else next to its one user.
 *
 * 2. `require*(scope, prop, value, ...)` is an eager rule on one prop: it
 *    throws `propError(scope, prop, value, problem, fix)` at once, usually
 *    wrapping a `check*` predicate or a runtime type test. `optional*` is the
 *    same rule letting `undefined` pass. Both assert or return the checked
 *    value. A whole props struct is one call: `requireShape(scope, 'props',
 *    props, { field: Shape.x, ... })` (`optionalShape` for an omitted struct).
 *
 * 3. `*Problems(...): string[]` is a rule about the whole graph, run after
 *    the app is built: each message comes from `formatPropError`, and the
 *    construct registers it with `node.addValidation({ validate: () =>
 *    this.fooProblems() })`.
 *
 * Prop paths below the top come from `propPath(parent, field)`
 * (`ipam.range`, `disks[2]`); a value class checked by the construct that
 * receives it gets a `PropPath` (scope plus path so far) and fails with
 * `path.fail(name, value, problem, fix)`.
 *
 * Where a new rule goes: a test on a value alone is a `check*` here (or in
 * the module that owns the concept); the entry point that takes the prop
 * calls it through a `require*`/`optional*` helper, or adds a `Shape` rule
 * when it is only a runtime type; a rule that needs other constructs (names
 * taken twice, a VM on a network nobody defines) is a `*Problems` function
 * of the construct that owns the prop. Reuse the helpers of `types.ts`
 * (runtime types), `checks.ts` (names, whole numbers, ports) and
 * `metadata.ts` (labels, annotations) before writing a new one. A VM's rules
 * are gathered in src/compute/vm/rules/index.ts, which the VM constructs and
 * their template builder import, and which says where each family lives.
 */
export * from './errors';
export * from './names';
export * from './ip';
export * from './vlan';
export * from './checks';
export * from './image';
export * from './mac';
export * from './ssh';
export * from './labels';
export * from './types';
export * from './file-paths';
export * from './prop-path';
export * from './metadata';
export * from './cron';
export * from './shape';
export * from './suggest';
export * from './yaml-scalars';
