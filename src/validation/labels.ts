import { checkDns1123Subdomain } from './names';

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Checks a label or annotation key: an optional DNS-1123 subdomain prefix
 * and '/', then a name of at most 63 characters (letters, digits, '-', '_',
 * '.', starting and ending with a letter or digit).
 * @returns what is wrong, or undefined when the key is valid
 */
export function checkMetadataKey(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'must be a non-empty key';
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && checkDns1123Subdomain(prefix) !== undefined) {
    return 'must have a DNS-1123 subdomain before the \'/\' (like \'example.org/name\')';
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) {
    return 'must end in a name of at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit';
  }
  return undefined;
}

/**
 * Checks a label value: empty, or at most 63 letters, digits, '-', '_' or
 * '.', starting and ending with a letter or digit.
 * @returns what is wrong, or undefined when the value is valid
 */
export function checkLabelValue(value: string): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return undefined;
  if (value.length > 63) return `must be at most 63 characters (it is ${value.length})`;
  if (!NAME.test(value)) return 'must consist of letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit';
  return undefined;
}
