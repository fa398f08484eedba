/** Longest DNS-1123 label, and so the longest VM name (it becomes a host name). */
export const DNS1123_LABEL_MAX = 63;
/** Longest DNS-1123 subdomain, the limit of most Kubernetes object names. */
export const DNS1123_SUBDOMAIN_MAX = 253;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Checks a DNS-1123 label (namespaces, VM names, interface names).
 * @returns what is wrong, or undefined when the name is valid
 */
export function checkDns1123Label(name: string, max: number = DNS1123_LABEL_MAX): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'must be a non-empty DNS-1123 label';
  }
  if (name.length > max) {
    return `must be at most ${max} characters (it is ${name.length})`;
  }
  if (!LABEL.test(name)) {
    return 'must be a DNS-1123 label: lowercase letters, digits and \'-\', starting and ending with a letter or digit';
  }
  return undefined;
}

/**
 * Checks a DNS-1123 subdomain (the names of most Kubernetes objects).
 * @returns what is wrong, or undefined when the name is valid
 */
export function checkDns1123Subdomain(name: string, max: number = DNS1123_SUBDOMAIN_MAX): string | undefined {
  if (typeof name !== 'string' || name.length === 0) {
    return 'must be a non-empty DNS-1123 subdomain';
  }
  if (name.length > max) {
    return `must be at most ${max} characters (it is ${name.length})`;
  }
  for (const label of name.split('.')) {
    if (!LABEL.test(label)) {
      return 'must be a DNS-1123 subdomain: lowercase letters, digits, \'-\' and \'.\', each dot-separated part starting and ending with a letter or digit';
    }
  }
  return undefined;
}

/**
 * Suggests a valid DNS-1123 label close to the given text, for error messages
 * only: the library never renames what the user asked for.
 */
export function suggestDns1123Label(name: string, max: number = DNS1123_LABEL_MAX): string {
  const cleaned = String(name).toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return cleaned.length > 0 ? cleaned : 'my-name';
}
