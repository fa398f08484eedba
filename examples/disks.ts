/**
 * The disk scenarios: a database VM with a data disk, a scratch disk, an
 * install ISO and a config disk beside its boot disk, and a fleet whose VMs
 * each get a copy-on-write clone of a second golden image (a data set) as a
 * data disk, next to the clone of the boot image.
 */
import { Chart, ChartProps, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { SNAPSHOT_CLASS, STORAGE_CLASS } from './storage';
import {
  BootDisk, CloudInit, DataVolumeSource, Disk, DiskDevice, GoldenImage, SmartCloneFleet, VirtualMachine,
} from '../src';

/**
 * A PostgreSQL VM in `databases`: it boots a clone of a Fedora golden image
 * and has a 100Gi blank data disk it owns (`db-data`), a 20Gi scratch disk
 * that lives as long as its pod, an install ISO on a CD-ROM (second in the
 * boot order) and its configuration as a ConfigMap disk with a serial the
 * guest can find it by (`/dev/disk/by-id/*APPCFG`).
 */
export class DatabaseVmChart extends Chart {
  public readonly vm: VirtualMachine;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'databases', ...props });
    const image = new GoldenImage(this, 'fedora', {
      source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
      size: Size.gibibytes(10),
      storageClass: STORAGE_CLASS,
      snapshotClass: SNAPSHOT_CLASS,
    });
    new k8s.KubeConfigMap(this, 'app-config', {
      metadata: { name: 'app-config', namespace: 'databases' },
      data: { 'postgresql.conf': 'max_connections = 200\nshared_buffers = 2GB\n' },
    });
    this.vm = new VirtualMachine(this, 'db', {
      name: 'db',
      bootDisk: BootDisk.cloneOf(image),
      cores: 4,
      memory: Size.gibibytes(8),
      cloudInit: CloudInit.noCloud({ packages: ['postgresql-server'] }),
    });
    this.vm.addDisk('data', Disk.dataVolumeTemplate({
      source: DataVolumeSource.blank(), size: Size.gibibytes(100), storageClass: STORAGE_CLASS,
    }));
    this.vm.addDisk('scratch', Disk.emptyDisk(Size.gibibytes(20)));
    this.vm.addDisk('install', Disk.containerDisk('quay.io/containerdisks/fedora:41'), { device: DiskDevice.CDROM, bootOrder: 2 });
    this.vm.addDisk('app-config', Disk.configMap('app-config'), { serial: 'APPCFG' });
  }
}

/**
 * Three analysis VMs in `analytics`: each boots a copy-on-write clone of
 * the Fedora image and gets a copy-on-write clone of a 50Gi data set
 * imported once as a second golden image (`analysts-<i>-dataset`). The
 * analysis settings are one ConfigMap every VM references.
 */
export class DataSetFleetChart extends Chart {
  public readonly fleet: SmartCloneFleet;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, { namespace: 'analytics', ...props });
    const fedora = new GoldenImage(this, 'fedora', {
      source: DataVolumeSource.http('https://example.org/fedora-41.qcow2'),
      size: Size.gibibytes(10),
      storageClass: STORAGE_CLASS,
      snapshotClass: SNAPSHOT_CLASS,
    });
    const dataset = new GoldenImage(this, 'dataset', {
      source: DataVolumeSource.http('https://example.org/datasets/census-2020.qcow2'),
      size: Size.gibibytes(50),
      storageClass: STORAGE_CLASS,
      snapshotClass: SNAPSHOT_CLASS,
    });
    new k8s.KubeConfigMap(this, 'analysis-config', {
      metadata: { name: 'analysis-config', namespace: 'analytics' },
      data: { 'settings.toml': 'threads = 8\n' },
    });
    this.fleet = new SmartCloneFleet(this, 'analysts', {
      image: fedora,
      replicas: 3,
      disks: [
        { name: 'dataset', disk: Disk.cloneOf(dataset) },
        { name: 'config', disk: Disk.configMap('analysis-config'), serial: 'ANALYSIS' },
      ],
    });
  }
}
