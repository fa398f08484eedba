/** SSH public key algorithms that OpenSSH accepts in authorized_keys. */
export const SSH_PUBLIC_KEY_TYPES: readonly string[] = [
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ssh-ed25519@openssh.com',
  'ssh-ed25519',
  'ssh-rsa',
];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Checks one SSH public key in authorized_keys form: `<type> <base64> [comment]`
 * on a single line. Private keys are refused outright.
 * @returns what is wrong, or undefined when the key looks valid
 */
export function checkSshPublicKey(key: string): string | undefined {
  if (typeof key !== 'string' || key.trim().length === 0) {
    return 'must be an SSH public key such as \'ssh-ed25519 AAAA... user@host\'';
  }
  if (key.includes('PRIVATE KEY')) {
    return 'is a private key; only public keys may be given';
  }
  if (/[\r\n]/.test(key.trim())) {
    return 'must be a single line (give each key as its own entry)';
  }
  const [type, body] = key.trim().split(/\s+/);
  if (!SSH_PUBLIC_KEY_TYPES.includes(type)) {
    return `must start with a key type (${SSH_PUBLIC_KEY_TYPES.join(', ')})`;
  }
  if (!body || !BASE64.test(body) || body.length < 16) {
    return 'must have the base64 key body after the key type';
  }
  return undefined;
}
