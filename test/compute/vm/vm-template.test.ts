/**
 * The internal seam fleets build on: one checked VmSpecBuilder renders the
 * spec of N VirtualMachines, or the template of one VirtualMachinePool,
 * with the Secrets created once and shared.
 */
import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { BootDisk, CloudInit, Network, VirtualMachineTemplateOptions, EvictionStrategy } from '../../../src/compute';
import { VmSpecBuilder } from '../../../src/compute/vm/render/vm-template';
import { createVmSecrets } from '../../../src/compute/vm/secrets/vm-secrets';
import { NetworkAttachmentDefinition } from '../../../src/network';
import { findOne, synthValid } from '../../util';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHt2cGx1c3Rlc3RrZXlmb3J0ZXN0c29ubHkx user@host';

/** A stand-in for a fleet: N VMs, each with a DataVolume template cloned from one source. */
class TestFleet extends Construct {
  public readonly builder: VmSpecBuilder;
  constructor(scope: Construct, id: string, name: string, replicas: number, options: VirtualMachineTemplateOptions, pool = false) {
    super(scope, id);
    const nad = NetworkAttachmentDefinition.fromNetworkName(this, 'net', 'my-ns/tenant');
    this.builder = new VmSpecBuilder(this, options, [{ name: 'tenant', network: Network.multus(nad, { defaultNetwork: true }) }]);
    this.builder.autoattachPodInterface = false;
    const secrets = createVmSecrets(this, name, 'my-ns', options);
    const bootDisk = BootDisk._fromSource({
      description: 'clone of golden/fedora',
      validate: () => undefined,
      bind: vm => ({
        volume: { name: vm.volumeName, dataVolume: { name: `${vm.name}-root` } },
        dataVolumeTemplate: {
          metadata: { name: `${vm.name}-root` },
          spec: {
            source: { snapshot: { namespace: 'my-ns', name: 'fedora-snap' } },
            storage: { resources: { requests: { storage: '10Gi' } }, accessModes: ['ReadWriteMany'] },
          },
        },
      }),
    });
    if (pool) {
      new ApiObject(this, 'Pool', {
        apiVersion: 'pool.kubevirt.io/v1beta1',
        kind: 'VirtualMachinePool',
        metadata: { name, namespace: 'my-ns' },
        spec: {
          replicas,
          selector: { matchLabels: { pool: name } },
          virtualMachineTemplate: {
            metadata: { labels: { pool: name } },
            spec: this.builder.render({ name, namespace: 'my-ns', bootDisk, secrets }),
          },
        },
      });
      return;
    }
    for (let i = 0; i < replicas; i++) {
      const vmName = `${name}-${i}`;
      new ApiObject(this, `Vm${i}`, {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: vmName, namespace: 'my-ns' },
        spec: this.builder.renderVm({ name: vmName, namespace: 'my-ns', bootDisk, secrets }),
      });
    }
  }
}

describe('VmSpecBuilder', () => {
  const options: VirtualMachineTemplateOptions = {
    memory: Size.gibibytes(2),
    cores: 2,
    sshKeys: [KEY],
    cloudInit: CloudInit.noCloud({ packages: ['nginx'] }),
    evictionStrategy: EvictionStrategy.LIVE_MIGRATE,
    templateLabels: { app: 'web' },
  };

  test('renders N VMs that share one cloud-init and one SSH key Secret', () => {
    const c = new Chart(Testing.app(), 'test');
    new TestFleet(c, 'fleet', 'web', 3, options);
    const docs = synthValid(c);
    expect(docs.filter(d => d.kind === 'Secret').map(d => d.metadata.name)).toEqual(['web-cloud-init', 'web-ssh-keys']);
    const vms = docs.filter(d => d.kind === 'VirtualMachine');
    expect(vms.map(d => d.metadata.name)).toEqual(['web-0', 'web-1', 'web-2']);
    for (const [i, vm] of vms.entries()) {
      const t = vm.spec.template.spec;
      expect(vm.spec.dataVolumeTemplates[0].metadata.name).toBe(`web-${i}-root`);
      expect(t.volumes[0]).toEqual({ name: 'rootdisk', dataVolume: { name: `web-${i}-root` } });
      expect(t.volumes[1].cloudInitNoCloud.secretRef.name).toBe('web-cloud-init');
      expect(t.accessCredentials[0].sshPublicKey.source.secret.secretName).toBe('web-ssh-keys');
      expect(t.networks).toEqual([{ name: 'tenant', multus: { networkName: 'my-ns/tenant', default: true } }]);
      expect(t.domain.devices.autoattachPodInterface).toBe(false);
      expect(vm.spec.template.metadata.labels).toEqual({ app: 'web' });
    }
  });

  test('renders a VirtualMachinePool template that the pool schema accepts', () => {
    const c = new Chart(Testing.app(), 'test');
    new TestFleet(c, 'fleet', 'web', 3, options, true);
    const pool = findOne(synthValid(c), 'VirtualMachinePool', 'web');
    expect(pool.spec.virtualMachineTemplate.spec.dataVolumeTemplates[0].spec.source.snapshot.name).toBe('fedora-snap');
    expect(pool.spec.virtualMachineTemplate.spec.template.spec.domain.memory.guest).toBe('2Gi');
  });

  test('checks options and networks with the fleet\'s path', () => {
    const c = new Chart(Testing.app(), 'test');
    expect(() => new TestFleet(c, 'fleet', 'web', 1, { cores: 0 })).toThrow(/\[test\/fleet\] 'cores' must be a whole number of at least 1/);
    const c2 = new Chart(Testing.app(), 'test');
    const fleet = new TestFleet(c2, 'fleet', 'web', 1, {});
    expect(() => fleet.builder.addNetwork('pod', Network.pod()))
      .toThrow(/\[test\/fleet\] 'networks.pod.network' cannot be added next to the Multus default network of interface 'tenant'/);
  });

  test('reports live-migration problems of a ReadWriteOnce boot disk', () => {
    const c = new Chart(Testing.app(), 'test');
    const builder = new VmSpecBuilder(c, { evictionStrategy: EvictionStrategy.LIVE_MIGRATE });
    const rwo = BootDisk.persistentVolumeClaim('root', { accessMode: PersistentVolumeAccessMode.READ_WRITE_ONCE_POD });
    expect(builder.migrationProblems({ name: 'vm', namespace: 'my-ns', bootDisk: rwo })).toEqual([
      expect.stringMatching(/^'bootDisk' \(persistentVolumeClaim 'root'\) cannot follow a live migration .*got 'ReadWriteOncePod'/),
    ]);
  });
});

describe('shared spec parts', () => {
  test('a fleet renders the name-independent parts once and every VM refers to them', () => {
    const chart = Testing.chart();
    const builder = new VmSpecBuilder(chart, { memory: Size.gibibytes(2) });
    const disk = BootDisk.containerDisk('quay.io/containerdisks/fedora:41');
    const a = builder.render({ name: 'a', namespace: 'ns', bootDisk: disk });
    const b = builder.render({ name: 'b', namespace: 'ns', bootDisk: disk });
    expect(a.template.spec.domain).toBe(b.template.spec.domain);
    expect(a.template.spec.volumes).not.toBe(b.template.spec.volumes);
  });

  test('adding a network renders the shared parts again', () => {
    const chart = Testing.chart();
    const builder = new VmSpecBuilder(chart, {});
    const disk = BootDisk.containerDisk('quay.io/containerdisks/fedora:41');
    const before = builder.render({ name: 'a', namespace: 'ns', bootDisk: disk });
    builder.addNetwork('extra', Network.multus(NetworkAttachmentDefinition.fromNetworkName(chart, 'net', 'ns/net')));
    const after = builder.render({ name: 'a', namespace: 'ns', bootDisk: disk });
    expect(before.template.spec.networks).toEqual([{ name: 'default', pod: {} }]);
    expect(after.template.spec.networks).toEqual([{ name: 'default', pod: {} }, { name: 'extra', multus: { networkName: 'ns/net' } }]);
    expect(after.template.spec.domain.devices.interfaces.map((i: any) => i.name)).toEqual(['default', 'extra']);
  });
});
