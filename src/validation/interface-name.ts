/** Longest Linux network interface name (IFNAMSIZ is 16 including the final NUL). */
export const INTERFACE_NAME_MAX = 15;

/**
 * Checks a Linux network interface name (a host bridge, a macvlan master).
 * The kernel refuses empty names, names longer than 15 bytes, `.` and `..`,
 * and names containing `/`, `:` or white space.
 * @returns what is wrong, or undefined when the name is usable
 */
export function checkInterfaceName(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'must be a non-empty interface name';
  }
  if (Buffer.byteLength(name, 'utf-8') > INTERFACE_NAME_MAX) {
    return `must be at most ${INTERFACE_NAME_MAX} characters, the kernel limit for interface names (it is ${name.length})`;
  }
  if (name === '.' || name === '..' || /[\s/:]/.test(name)) {
    return 'must be an interface name without \'/\', \':\' or white space';
  }
  return undefined;
}
