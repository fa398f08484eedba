/**
 * The storage scenarios: a DataVolume cloned from an existing PVC, a golden
 * image imported once and booted by a fleet of copy-on-write clones, the
 * same fleet by host-assisted copies, a golden image filled by upload, and
 * a fleet in another namespace than its image.
 *
 * Every NetworkAttachmentDefinition here sits on its own bridge and VLAN
 * (`br-golden`, VLANs 310 to 312), so these charts can share one App with
 * the networking examples.
 */
import { Chart, ChartProps, Size } from 'cdk8s';
import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import {
  CloudInit, CniPlugin, DataVolume, DataVolumeSource, GoldenImage, CloneStrategy, Ipam, Network,
  NetworkAttachmentDefinition, SmartCloneFleet,
} from '../src';

/** The Fedora cloud image the golden images import. */
export const FEDORA_IMAGE_URL = 'https://example.org/fedora-41.qcow2';
/** Ceph RBD storage class and its snapshot class (Rook's defaults). */
export const STORAGE_CLASS = 'rook-ceph-block';
export const SNAPSHOT_CLASS = 'csi-rbdplugin-snapclass';

/** A VLAN network on the `br-golden` bridge with whereabouts addresses. */
function goldenNetwork(scope: Construct, namespace: string, vlan: number): NetworkAttachmentDefinition {
  return new NetworkAttachmentDefinition(scope, 'fleet-net', {
    name: 'fleet-net',
    namespace,
    plugins: [CniPlugin.bridge({ bridge: 'br-golden', vlan, ipam: Ipam.whereabouts({ range: `10.31.${vlan - 310}.0/24` }) })],
  });
}

/**
 * The seeds' clone: a 10Gi ReadWriteOnce DataVolume copied from the PVC
 * `my-source-dv` in `my-ns`.
 */
export class ClonedDataVolumeChart extends Chart {
  public readonly dataVolume: DataVolume;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.dataVolume = new DataVolume(this, 'cloned-dv', {
      name: 'cloned-dv',
      namespace: 'my-ns',
      source: DataVolumeSource.pvc('my-ns', 'my-source-dv'),
      size: Size.gibibytes(10),
      accessModes: [PersistentVolumeAccessMode.READ_WRITE_ONCE],
    });
  }
}

/**
 * The recommended pattern at scale: a pre-allocated golden image imported
 * once from a URL and snapshotted, and three VMs on a Multus VLAN network
 * that each restore a copy-on-write clone of that snapshot (1 import,
 * 1 snapshot, 3 restores).
 */
export class GoldenImageFleetChart extends Chart {
  public readonly image: GoldenImage;
  public readonly fleet: SmartCloneFleet;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const net = goldenNetwork(this, 'golden', 310);
    this.image = new GoldenImage(this, 'fedora', {
      namespace: 'golden',
      source: DataVolumeSource.http(FEDORA_IMAGE_URL),
      size: Size.gibibytes(10),
      storageClass: STORAGE_CLASS,
      snapshotClass: SNAPSHOT_CLASS,
    });
    this.fleet = new SmartCloneFleet(this, 'workers', {
      namespace: 'golden',
      image: this.image,
      replicas: 3,
      memory: Size.gibibytes(2),
      networks: [{ name: 'default', network: Network.multus(net) }],
      cloudInit: CloudInit.noCloud({ packages: ['qemu-guest-agent'] }),
    });
  }
}

/**
 * The same fleet for storage without snapshots: every VM clones the image's
 * PVC. CDI decides how to copy (a host-assisted copy by a cloner pod unless
 * the storage offers a cheaper clone); the plan counts three full copies.
 */
export class HostAssistedFleetChart extends Chart {
  public readonly image: GoldenImage;
  public readonly fleet: SmartCloneFleet;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const net = goldenNetwork(this, 'golden-copies', 311);
    this.image = new GoldenImage(this, 'fedora', {
      namespace: 'golden-copies',
      source: DataVolumeSource.http(FEDORA_IMAGE_URL),
      size: Size.gibibytes(10),
      storageClass: 'local-path',
    });
    this.fleet = new SmartCloneFleet(this, 'workers', {
      namespace: 'golden-copies',
      image: this.image,
      replicas: 3,
      strategy: CloneStrategy.HOST_ASSISTED,
      memory: Size.gibibytes(2),
      networks: [{ name: 'default', network: Network.multus(net) }],
    });
  }
}

/**
 * A golden image for an isolated environment, filled by upload instead of a
 * download, and two VMs cut off from the pod network that boot clones of
 * it. After applying the manifests, upload the image with:
 *
 * ```sh
 * virtctl image-upload dv fedora --namespace golden-upload --no-create --image-path=<local image file>
 * ```
 *
 * (`image.uploadCommand` gives the same command.)
 */
export class UploadGoldenImageChart extends Chart {
  public readonly image: GoldenImage;
  public readonly fleet: SmartCloneFleet;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const net = goldenNetwork(this, 'golden-upload', 312);
    this.image = new GoldenImage(this, 'fedora', {
      namespace: 'golden-upload',
      source: DataVolumeSource.upload(),
      size: Size.gibibytes(10),
      storageClass: STORAGE_CLASS,
      snapshotClass: SNAPSHOT_CLASS,
    });
    this.fleet = new SmartCloneFleet(this, 'isolated', {
      namespace: 'golden-upload',
      image: this.image,
      replicas: 2,
      isolatedNetwork: net,
    });
  }
}

/**
 * A fleet in a tenant namespace booting clones of an image kept in a shared
 * `images` namespace: the fleet grants itself the clone of the image and
 * restores its VMs straight from the image's snapshot, which CDI does across
 * namespaces (1 import, 1 snapshot, 4 restores), here as one
 * VirtualMachinePool.
 */
export class CrossNamespaceFleetChart extends Chart {
  public readonly image: GoldenImage;
  public readonly fleet: SmartCloneFleet;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    this.image = new GoldenImage(this, 'fedora', {
      namespace: 'images',
      source: DataVolumeSource.http(FEDORA_IMAGE_URL),
      size: Size.gibibytes(10),
      storageClass: STORAGE_CLASS,
      snapshotClass: SNAPSHOT_CLASS,
    });
    this.fleet = new SmartCloneFleet(this, 'web', {
      namespace: 'tenant-fleet',
      image: this.image,
      replicas: 4,
      pool: true,
      memory: Size.gibibytes(1),
    });
  }
}
