import { PersistentVolumeAccessMode } from 'cdk8s-plus-33';
import { IConstruct } from 'constructs';
import { checkPinnedImage, propError, requireDns1123Subdomain } from '../validation';
import { BootDiskBindContext, BootDiskBinding, BootDiskSource } from './internal-types';

/** Options of {@link BootDisk.containerDisk}. */
export interface BootDiskContainerDiskOptions {
  /**
   * Path of the disk image inside the container.
   *
   * @default - KubeVirt looks in `/disk`
   */
  readonly path?: string;
}

/** Options of {@link BootDisk.persistentVolumeClaim}. */
export interface BootDiskPersistentVolumeClaimOptions {
  /**
   * Access mode of the claim, when known. It lets the VM check live
   * migration: a ReadWriteOnce claim cannot follow the VM to another node.
   *
   * @default - unknown; no live-migration check on this disk
   */
  readonly accessMode?: PersistentVolumeAccessMode;

  /**
   * Attach the claim read-only.
   *
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * The disk a VM boots from. Container disks are ephemeral (reset at every
 * start); persistent volume claims keep their data.
 */
export class BootDisk {
  /**
   * Boots from a container disk image: the image is pulled onto the node and
   * the VM writes to a throwaway overlay. The image must be pinned to a tag
   * other than `latest` or to a digest.
   */
  public static containerDisk(image: string, options: BootDiskContainerDiskOptions = {}): BootDisk {
    return new BootDisk({
      description: `containerDisk '${image}'`,
      validate: (scope, prop) => {
        const problem = checkPinnedImage(image);
        if (problem) {
          throw propError(scope, `${prop}.image`, image, problem,
            'pin the image to a release tag (quay.io/containerdisks/fedora:41) or a digest (...@sha256:<hex>)');
        }
        if (options.path !== undefined && !options.path.startsWith('/')) {
          throw propError(scope, `${prop}.path`, options.path, 'must be an absolute path inside the image', 'start the path with \'/\'');
        }
      },
      bind: vm => ({
        volume: {
          name: vm.volumeName,
          containerDisk: options.path === undefined ? { image } : { image, path: options.path },
        },
        migratable: true,
      }),
    });
  }

  /**
   * Boots from an existing PersistentVolumeClaim in the VM's namespace.
   * Give its access mode when you know it, so the VM can tell whether it
   * can live-migrate.
   */
  public static persistentVolumeClaim(claimName: string, options: BootDiskPersistentVolumeClaimOptions = {}): BootDisk {
    return new BootDisk({
      description: `persistentVolumeClaim '${claimName}'`,
      validate: (scope, prop) => requireDns1123Subdomain(scope, `${prop}.claimName`, claimName),
      bind: vm => {
        const pvc: any = { claimName };
        if (options.readOnly) pvc.readOnly = true;
        return {
          volume: { name: vm.volumeName, persistentVolumeClaim: pvc },
          accessModes: options.accessMode === undefined ? undefined : [options.accessMode],
        };
      },
    });
  }

  /**
   * Creates a boot disk from any source, for factories in other areas such
   * as DataVolume sources.
   * @internal
   */
  public static _fromSource(source: BootDiskSource): BootDisk {
    return new BootDisk(source);
  }

  private readonly source: BootDiskSource;

  private constructor(source: BootDiskSource) {
    this.source = source;
  }

  /** Short text for error messages. @internal */
  public get _description(): string {
    return this.source.description;
  }

  /** Throws the library error when the disk is unusable. @internal */
  public _validate(scope: IConstruct, prop: string): void {
    this.source.validate(scope, prop);
  }

  /** Renders the disk for one VM. @internal */
  public _bind(vm: BootDiskBindContext): BootDiskBinding {
    return this.source.bind(vm);
  }
}
