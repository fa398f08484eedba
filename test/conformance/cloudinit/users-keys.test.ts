/**
 * Which guest user receives which SSH key, decided by the installed
 * cloud-init's own code (users-keys.py: cc_users_groups, ug_util and
 * cc_ssh's key placement called as a library) on manifests the library
 * synthesizes. Needs the Debian package cloud-init; without it the suite is
 * skipped, saying so, unless REQUIRE_HOST_TOOLS=1 (see test/host-tools.ts).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Size, Testing, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { BootDisk, CloudInit, SmartCloneFleet, VirtualMachine } from '../../../src/compute';
import { DataVolumeSource } from '../../../src/storage';
import { CLOUD_INIT, describeWith } from '../../host-tools';

const ORACLE = path.join(__dirname, 'users-keys.sh');
const OPS = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx9eVpfzK7kHn2J3Jz6m1mTt7QfqJ1v2vYt8nqzGm3E ops@example.org';
const DEPLOY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHt2cGx1c3Rlc3RrZXlmb3J0ZXN0c29ubHkx deploy@example.org';
const IMAGE = 'quay.io/containerdisks/fedora:41';

let workDir: string;
beforeAll(() => { workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'users-keys-')); });
afterAll(() => { fs.rmSync(workDir, { recursive: true, force: true }); });

let files = 0;
/** Runs the oracle on the chart's manifests; returns its exit code and output. */
function oracle(app: Chart): { status: number | null; output: string } {
  const file = path.join(workDir, `manifests-${++files}.yaml`);
  fs.writeFileSync(file, Yaml.stringify(...Testing.synth(app)));
  const result = spawnSync('bash', [ORACLE, file], { encoding: 'utf-8', timeout: 120_000 });
  if (result.error) throw new Error(`cannot run ${ORACLE}: ${result.error.message}`);
  if (result.status === 2) throw new Error(`the oracle could not run:\n${result.stdout}${result.stderr}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function chart(): Chart {
  return new Chart(Testing.app(), 'test', { namespace: 'apps' });
}

describeWith(CLOUD_INIT)('cloud-init gives every key to a user who can log in', () => {
  test('sshKeys next to cloud-init users reach the default user, each user its own keys', () => {
    const c = chart();
    new VirtualMachine(c, 'web', {
      name: 'web',
      bootDisk: BootDisk.containerDisk(IMAGE),
      sshKeys: [OPS],
      cloudInit: CloudInit.noCloud({ users: [{ name: 'deploy', groups: ['wheel'], sshAuthorizedKeys: [DEPLOY] }] }),
    });
    const { status, output } = oracle(c);
    expect(output).toContain('VirtualMachine apps/web: ok [cloud-config, fedora image, users: deploy, fedora(default)]: '
      + 'ops@example.org (sshKeys/public-keys) -> fedora; deploy@example.org (users[deploy]) -> deploy');
    expect(output).toMatch(/^1 VMs and pools checked, 1 with SSH keys, 0 with a key that reaches no login user$/m);
    expect(status).toBe(0);
  });

  test('a fleet shares one pair of Secrets; sshAuthorizedKeys of noCloud go to the default user too', () => {
    const c = chart();
    new SmartCloneFleet(c, 'workers', {
      replicas: 2,
      source: DataVolumeSource.snapshot('apps', 'fedora-41'),
      diskSize: Size.gibibytes(10),
      sshKeys: [OPS],
      cloudInit: CloudInit.noCloud({ users: [{ name: 'deploy' }], sshAuthorizedKeys: [DEPLOY] }),
    });
    const { status, output } = oracle(c);
    for (const vm of ['workers-0', 'workers-1']) {
      expect(output).toContain(`VirtualMachine apps/${vm}: ok [cloud-config, fedora image, users: deploy, fedora(default)]: `
        + 'ops@example.org (sshKeys/public-keys) -> fedora; deploy@example.org (ssh_authorized_keys) -> fedora');
    }
    expect(status).toBe(0);
  });
});

describeWith(CLOUD_INIT)('the oracle refuses keys that reach nobody, in cloud-init\'s words', () => {
  test('raw user data whose users list leaves out the default user', () => {
    const c = chart();
    new VirtualMachine(c, 'web', {
      name: 'web',
      bootDisk: BootDisk.containerDisk(IMAGE),
      sshKeys: [OPS],
      cloudInit: CloudInit.noCloud({ userData: `#cloud-config\nusers:\n  - name: deploy\n    ssh_authorized_keys: ['${DEPLOY}']\n` }),
    });
    const { status, output } = oracle(c);
    expect(output).toContain('VirtualMachine apps/web: NO LOGIN [cloud-config, fedora image, users: deploy]: '
      + 'ops@example.org (sshKeys/public-keys) -> NO LOGIN USER (only behind a forced command, root: Please login as the user "NONE" rather than the user "root".); '
      + 'deploy@example.org (users[deploy]) -> deploy');
    expect(output).toMatch(/^1 VMs and pools checked, 1 with SSH keys, 1 with a key that reaches no login user$/m);
    expect(status).toBe(1);
  });

  test('user data from an existing Secret of the app is read as KubeVirt reads it', () => {
    const c = chart();
    new k8s.KubeSecret(c, 'init', {
      metadata: { name: 'shared-init' },
      stringData: { userData: '#cloud-config\nusers: [deploy]\nssh_authorized_keys: [\'' + OPS + '\']\n' },
    });
    new VirtualMachine(c, 'web', { name: 'web', bootDisk: BootDisk.containerDisk(IMAGE), cloudInit: CloudInit.fromSecret('shared-init') });
    const { status, output } = oracle(c);
    expect(output).toContain('VirtualMachine apps/web: NO LOGIN [cloud-config, fedora image, users: deploy]: '
      + 'ops@example.org (ssh_authorized_keys) -> NO LOGIN USER');
    expect(status).toBe(1);
  });
});
