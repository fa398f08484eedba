/**
 * The user data CloudInit renders is checked by the real cloud-init
 * (`cloud-init schema --config-file`, Debian package `cloud-init`). Without
 * it those checks are skipped, saying so, unless REQUIRE_HOST_TOOLS=1 (see
 * test/host-tools.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { BootDisk, CloudInit, CloudInitNoCloudOptions, VirtualMachine } from '../../../../src/compute';
import { CLOUD_INIT, describeWith, testWith } from '../../../host-tools';
import { findOne, synthValid } from '../../../util';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHt2cGx1c3Rlc3RrZXlmb3J0ZXN0c29ubHkx user@host';
const RSA = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7dGVzdGtleWZvcnRlc3Rz ops@laptop';

let workDir: string;
beforeAll(() => { workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloud-init-schema-')); });
afterAll(() => { fs.rmSync(workDir, { recursive: true, force: true }); });

/** Runs `cloud-init schema` on the text; returns its exit code and output. */
let files = 0;
function cloudInitSchema(text: string): { status: number | null; output: string } {
  const file = path.join(workDir, `user-data-${++files}.yaml`);
  fs.writeFileSync(file, text);
  const result = spawnSync('cloud-init', ['schema', '--config-file', file], { encoding: 'utf-8', timeout: 60_000 });
  if (result.error) {
    throw new Error(`cannot run 'cloud-init schema' (install the Debian package cloud-init): ${result.error.message}`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function scope(): Construct {
  return new Chart(Testing.app(), 'test');
}

function userData(options: CloudInitNoCloudOptions): string {
  const ci = CloudInit.noCloud(options);
  ci._validate(scope(), 'cloudInit');
  return ci._renderUserData()!;
}

describeWith(CLOUD_INIT)('cloud-init schema accepts the rendered user data', () => {
  const cases: Array<[string, CloudInitNoCloudOptions]> = [
    ['no options at all', {}],
    ['keys for the default user', { sshAuthorizedKeys: [KEY, RSA] }],
    ['users with sudo, groups, shell and keys', {
      users: [
        { name: 'ops', sshAuthorizedKeys: [KEY], sudo: 'ALL=(ALL) NOPASSWD:ALL', groups: ['wheel', 'adm'], shell: '/bin/bash', lockPassword: true },
        { name: 'app_user' },
      ],
      keepDefaultUser: true,
    }],
    ['packages with update and upgrade', { packages: ['qemu-guest-agent', 'nginx'], packageUpdate: true, packageUpgrade: false }],
    ['bootcmd and runcmd', { bootcmd: ['echo early > /run/early'], runcmd: ['systemctl enable --now qemu-guest-agent', 'echo "quoted: yes" > /tmp/x'] }],
    ['write_files with modes, owners, append and defer', {
      writeFiles: [
        { path: '/etc/motd', content: 'Welcome\n  indented line\n\nlast\n', permissions: '0644', owner: 'root:root' },
        { path: '/etc/app/config.yaml', content: 'key: value\nlist: [1, 2]\n', permissions: '0600', defer: true },
        { path: '/etc/hosts', content: '10.0.0.1 db\n', append: true },
        { path: '/opt/no-newline', content: 'yes' },
      ],
    }],
    ['everything together with extra keys', {
      users: [{ name: 'fedora', sshAuthorizedKeys: [KEY] }],
      sshAuthorizedKeys: [RSA],
      packages: ['vim'],
      runcmd: ['true'],
      writeFiles: [{ path: '/etc/issue', content: '#not a comment\n' }],
      extraConfig: { hostname: 'vm-1', timezone: 'Europe/Paris', ssh_pwauth: false },
    }],
  ];

  test.each(cases)('%s', (_name, options) => {
    const text = userData(options);
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    const { status, output } = cloudInitSchema(text);
    expect({ status, output }).toEqual({ status: 0, output: expect.stringContaining('Valid cloud-config') });
  });

  test('the user data inside the Secret a VM creates', () => {
    const chart = new Chart(Testing.app(), 'test');
    new VirtualMachine(chart, 'vm', {
      name: 'vm-1',
      namespace: 'my-ns',
      bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'),
      sshKeys: [KEY],
      cloudInit: CloudInit.noCloud({ users: [{ name: 'fedora', sshAuthorizedKeys: [RSA] }], packages: ['nginx'], runcmd: ['systemctl enable --now nginx'] }),
    });
    const secret = findOne(synthValid(chart), 'Secret', 'vm-1-cloud-init');
    const text = Buffer.from(secret.data.userdata, 'base64').toString('utf-8');
    expect(cloudInitSchema(text).status).toBe(0);
  });

  test('raw user data is passed through unchanged', () => {
    const raw = '#cloud-config\nruncmd:\n  - [ls, -l, /]\n';
    const ci = CloudInit.noCloud({ userData: raw });
    expect(ci._renderUserData()).toBe(raw);
    expect(cloudInitSchema(raw).status).toBe(0);
  });
});

test('user data keeps the content of written files byte for byte', () => {
  const content = 'line 1\n  two spaces\n\ttab\n"quotes" and \'apostrophes\'\n';
  const text = userData({ writeFiles: [{ path: '/etc/x', content }] });
  expect(YAML.parse(text).write_files[0].content).toBe(content);
});

describeWith(CLOUD_INIT)('the schema check can fail', () => {
  test('cloud-init rejects an invalid config', () => {
    const { status, output } = cloudInitSchema('#cloud-config\npackages: 3\nwrite_files:\n  - content: no path\n');
    expect(status).not.toBe(0);
    expect(output).toMatch(/packages: 3 is not of type 'array'/);
  });

  test('cloud-init rejects a wrongly typed extra key', () => {
    const text = userData({ extraConfig: { package_reboot_if_required: 'x' } });
    const { status, output } = cloudInitSchema(text);
    expect(status).not.toBe(0);
    expect(output).toMatch(/package_reboot_if_required: 'x' is not of type 'boolean'/);
  });
});

describe('network data', () => {
  test('renders network-config version 2', () => {
    const ci = CloudInit.noCloud({
      networkInterfaces: [
        { name: 'eth0', dhcp4: true },
        {
          name: 'eth1',
          macAddress: '02-00-5E-10-00-01',
          addresses: ['10.123.124.10/24', 'fd00::10/64'],
          routes: [{ to: 'default', via: '10.123.124.1' }],
          nameservers: ['10.123.124.1'],
          searchDomains: ['lab.example'],
          mtu: 1400,
        },
      ],
    });
    ci._validate(scope(), 'cloudInit');
    expect(YAML.parse(ci._renderNetworkData()!)).toEqual({
      version: 2,
      ethernets: {
        eth0: { dhcp4: true },
        eth1: {
          match: { macaddress: '02:00:5e:10:00:01' },
          addresses: ['10.123.124.10/24', 'fd00::10/64'],
          routes: [{ to: 'default', via: '10.123.124.1' }],
          nameservers: { addresses: ['10.123.124.1'], search: ['lab.example'] },
          mtu: 1400,
        },
      },
    });
  });

  test('raw network data is passed through, none by default', () => {
    expect(CloudInit.noCloud({ networkData: 'version: 1\nconfig: []\n' })._renderNetworkData()).toBe('version: 1\nconfig: []\n');
    expect(CloudInit.noCloud({})._renderNetworkData()).toBeUndefined();
  });
});

describe('rules', () => {
  const check = (options: CloudInitNoCloudOptions) => () => CloudInit.noCloud(options)._validate(scope(), 'cloudInit');

  test('raw user data cannot be mixed with structured options', () => {
    expect(check({ userData: '#cloud-config\n{}', packages: ['vim'] }))
      .toThrow(/\[test\] 'cloudInit.userData' cannot be combined with structured options \(packages\), got '#cloud-config\.\.\.'; put everything in the raw userData/);
  });

  test('empty raw user data and network data', () => {
    expect(check({ userData: '  ' })).toThrow(/'cloudInit.userData' must not be empty/);
    expect(check({ networkData: '' })).toThrow(/'cloudInit.networkData' must not be empty/);
  });

  test('raw network data cannot be mixed with networkInterfaces', () => {
    expect(check({ networkData: 'version: 2', networkInterfaces: [{ name: 'eth0', dhcp4: true }] }))
      .toThrow(/'cloudInit.networkData' cannot be combined with networkInterfaces/);
  });

  test('bad SSH keys', () => {
    expect(check({ sshAuthorizedKeys: ['ssh-ed25519'] })).toThrow(/'cloudInit.sshAuthorizedKeys\[0\]' must have the base64 key body/);
    expect(check({ users: [{ name: 'ops', sshAuthorizedKeys: [KEY, 'x'] }] })).toThrow(/'cloudInit.users\[0\].sshAuthorizedKeys\[1\]' must start with a key type/);
  });

  test('bad, reserved and repeated user names', () => {
    expect(check({ users: [{ name: 'Ops' }] })).toThrow(/'cloudInit.users\[0\].name' must be a Linux user name/);
    expect(check({ users: [{ name: 'default' }] })).toThrow(/'cloudInit.users\[0\].name' is cloud-init's placeholder for the distribution user, got 'default'; set keepDefaultUser: true instead/);
    expect(check({ users: [{ name: 'ops' }, { name: 'ops' }] })).toThrow(/'cloudInit.users\[1\].name' is listed twice/);
  });

  test('bad files', () => {
    expect(check({ writeFiles: [{ path: 'etc/motd', content: '' }] })).toThrow(/'cloudInit.writeFiles\[0\].path' must be an absolute path/);
    expect(check({ writeFiles: [{ path: '/x', content: '', permissions: '644x' }] })).toThrow(/'cloudInit.writeFiles\[0\].permissions' must be an octal file mode, got '644x'/);
    expect(check({ writeFiles: [{ path: '/x', content: '', owner: 'root root' }] })).toThrow(/'cloudInit.writeFiles\[0\].owner' must be 'user' or 'user:group'/);
  });

  test('extra keys that structured options own', () => {
    expect(check({ extraConfig: { packages: ['vim'], runcmd: [] } }))
      .toThrow(/'cloudInit.extraConfig' sets keys that structured options own, got 'packages, runcmd'/);
  });

  test('bad network interfaces', () => {
    expect(check({ networkInterfaces: [{ name: 'a-very-long-interface-name' }] })).toThrow(/'cloudInit.networkInterfaces\[0\].name' must be a guest interface name of at most 15 characters/);
    expect(check({ networkInterfaces: [{ name: 'eth0' }, { name: 'eth0' }] })).toThrow(/'cloudInit.networkInterfaces\[1\].name' is listed twice/);
    expect(check({ networkInterfaces: [{ name: 'eth0', macAddress: '02:00' }] })).toThrow(/'cloudInit.networkInterfaces\[0\].macAddress' must be a MAC address/);
    expect(check({ networkInterfaces: [{ name: 'eth0', addresses: ['10.0.0.1'] }] })).toThrow(/'cloudInit.networkInterfaces\[0\].addresses\[0\]' must be an address with prefix length, got '10.0.0.1'/);
    expect(check({ networkInterfaces: [{ name: 'eth0', routes: [{ to: '10.0.0.0/33', via: '10.0.0.1' }] }] })).toThrow(/'cloudInit.networkInterfaces\[0\].routes\[0\].to' must be a CIDR or 'default'/);
    expect(check({ networkInterfaces: [{ name: 'eth0', routes: [{ to: 'default', via: 'gw' }] }] })).toThrow(/'cloudInit.networkInterfaces\[0\].routes\[0\].via' must be an IP address/);
    expect(check({ networkInterfaces: [{ name: 'eth0', nameservers: ['dns'] }] })).toThrow(/'cloudInit.networkInterfaces\[0\].nameservers\[0\]' must be an IP address/);
    expect(check({ networkInterfaces: [{ name: 'eth0', mtu: 100 }] })).toThrow(/'cloudInit.networkInterfaces\[0\].mtu' must be a whole number between 576 and 65535, got 100/);
  });

  test('data too large for a Secret', () => {
    expect(check({ writeFiles: [{ path: '/opt/blob', content: 'x'.repeat(1_100_000) }] }))
      .toThrow(/\[test\] 'cloudInit' is larger than a Kubernetes Secret can hold \(1 MiB\), got '11000\d\d bytes'; fetch large content at boot/);
  });

  test('bad Secret names', () => {
    expect(() => CloudInit.fromSecret('Shared_Secret')._validate(scope(), 'cloudInit')).toThrow(/'cloudInit.secretName' must be a DNS-1123 subdomain/);
    expect(() => CloudInit.fromSecret('ok', { networkDataSecretName: 'Bad Name' })._validate(scope(), 'cloudInit'))
      .toThrow(/'cloudInit.networkDataSecretName' must be a DNS-1123 subdomain/);
  });
});

describe('SSH keys that name no user reach the default user', () => {
  // cloud-init gives keys that name no user (meta-data public-keys, top-level
  // ssh_authorized_keys) only to the default user, and a users list without
  // 'default' creates no default user: the keys would reach nobody.
  const parsedUsers = (options: CloudInitNoCloudOptions, vmKeys = false) => YAML.parse(CloudInit.noCloud(options)._renderUserData(vmKeys)!).users;

  test('sshAuthorizedKeys next to users keep the default user', () => {
    expect(parsedUsers({ users: [{ name: 'ops' }], sshAuthorizedKeys: [KEY] })).toEqual(['default', { name: 'ops' }]);
  });

  test('the VM\'s sshKeys next to users keep the default user', () => {
    expect(parsedUsers({ users: [{ name: 'ops' }] }, true)).toEqual(['default', { name: 'ops' }]);
    expect(parsedUsers({ users: [{ name: 'ops' }] }, false)).toEqual([{ name: 'ops' }]);
  });

  testWith(CLOUD_INIT)('the user data in the Secret of a VM with sshKeys and users lists the default user first', () => {
    const chart = new Chart(Testing.app(), 'test');
    new VirtualMachine(chart, 'vm', {
      name: 'web',
      namespace: 'apps',
      bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'),
      sshKeys: [KEY],
      cloudInit: CloudInit.noCloud({ users: [{ name: 'deploy', sshAuthorizedKeys: [RSA] }] }),
    });
    const secret = findOne(Testing.synth(chart), 'Secret', 'web-cloud-init');
    const text = Buffer.from(secret.data.userdata, 'base64').toString('utf-8');
    expect(YAML.parse(text).users).toEqual(['default', { name: 'deploy', ssh_authorized_keys: [RSA] }]);
    expect(cloudInitSchema(text).status).toBe(0);
  });

  test('keepDefaultUser: false next to keys for the default user is refused', () => {
    expect(() => CloudInit.noCloud({ users: [{ name: 'ops' }], sshAuthorizedKeys: [KEY], keepDefaultUser: false })._validate(scope(), 'cloudInit'))
      .toThrow(/'cloudInit.keepDefaultUser' drops the distribution's default user, the only user cloud-init gives sshAuthorizedKeys to, so those keys would let nobody log in, got false; drop keepDefaultUser: false, or move the keys to the sshAuthorizedKeys of one of the users/);
    expect(() => new VirtualMachine(scope(), 'vm', {
      name: 'web',
      namespace: 'apps',
      bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'),
      sshKeys: [KEY],
      cloudInit: CloudInit.noCloud({ users: [{ name: 'ops' }], keepDefaultUser: false }),
    })).toThrow(/'cloudInit.keepDefaultUser' drops the distribution's default user, the only user cloud-init gives the VM's sshKeys to .*; drop keepDefaultUser: false, or move the keys from sshKeys to the sshAuthorizedKeys of one of the users/);
  });

  test('the fix hint works: keys moved to a user', () => {
    expect(() => new VirtualMachine(scope(), 'vm', {
      name: 'web',
      namespace: 'apps',
      bootDisk: BootDisk.containerDisk('quay.io/containerdisks/fedora:41'),
      cloudInit: CloudInit.noCloud({ users: [{ name: 'ops', sshAuthorizedKeys: [KEY] }], keepDefaultUser: false }),
    })).not.toThrow();
  });
});
