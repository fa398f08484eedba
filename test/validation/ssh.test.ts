import { checkSshPublicKey } from '../../src/validation';

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHt2cGx1c3Rlc3RrZXlmb3J0ZXN0c29ubHkx user@host';

describe('SSH public keys', () => {
  test.each([
    ED25519,
    'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 no-comment',
    'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=',
  ])('accepts %p', key => {
    expect(checkSshPublicKey(key)).toBeUndefined();
  });

  test('refuses private keys', () => {
    expect(checkSshPublicKey('-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----')).toMatch(/private key/);
  });

  test('refuses several keys in one entry', () => {
    expect(checkSshPublicKey(`${ED25519}\n${ED25519}`)).toMatch(/single line/);
  });

  test('refuses unknown key types and missing bodies', () => {
    expect(checkSshPublicKey('ssh-foo AAAAC3NzaC1lZDI1NTE5AAAA')).toMatch(/key type/);
    expect(checkSshPublicKey('ssh-ed25519')).toMatch(/base64 key body/);
    expect(checkSshPublicKey('ssh-ed25519 not*base64*at*all!')).toMatch(/base64 key body/);
    expect(checkSshPublicKey('')).toMatch(/SSH public key/);
  });
});
