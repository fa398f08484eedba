import { requireString } from '../../validation/types';

/** The CPU model the guest sees (`domain.cpu.model`). */
export class CpuModel {
  /** The host's CPU exactly as it is; fastest, but migrates only to identical hosts. */
  public static readonly HOST_PASSTHROUGH = new CpuModel('host-passthrough');
  /** The closest named model to the host's CPU, with the host's extra features. */
  public static readonly HOST_MODEL = new CpuModel('host-model');

  /** A named libvirt CPU model, e.g. `Skylake-Server` or `EPYC-Rome`. */
  public static custom(model: string): CpuModel {
    requireString(undefined, 'model', model, 'pass the libvirt model name, e.g. \'Skylake-Server\'');
    return new CpuModel(model);
  }

  /** The model name as KubeVirt writes it. */
  public readonly value: string;

  private constructor(value: string) {
    this.value = value;
  }
}

/** What the guest CPU does with one CPU feature (`domain.cpu.features[].policy`). */
export enum CpuFeaturePolicy {
  /** Exposed to the guest even if the host lacks it. */
  FORCE = 'force',
  /** Exposed; the VM only runs on hosts that have it. */
  REQUIRE = 'require',
  /** Exposed when the host has it. */
  OPTIONAL = 'optional',
  /** Hidden from the guest. */
  DISABLE = 'disable',
  /** Hidden; the VM never runs on hosts that have it. */
  FORBID = 'forbid',
}

/** One CPU feature of the guest CPU model. */
export interface CpuFeature {
  /** Name of the feature as libvirt knows it, e.g. `pcid` or `vmx`. */
  readonly name: string;

  /**
   * What to do with it.
   *
   * @default CpuFeaturePolicy.REQUIRE
   */
  readonly policy?: CpuFeaturePolicy;
}

/** Size of the hugepages backing guest memory (`domain.memory.hugepages.pageSize`). */
export enum HugepagesSize {
  /** 2 MiB pages. */
  TWO_MI = '2Mi',
  /** 1 GiB pages. */
  ONE_GI = '1Gi',
}

/** How disks get their IO threads (`domain.ioThreadsPolicy`). */
export enum IoThreadsPolicy {
  /** One IO thread shared by every disk (dedicated disks excepted). */
  SHARED = 'shared',
  /** A pool of IO threads sized by the number of vCPUs. */
  AUTO = 'auto',
  /** A supplemental pool of `ioThreads` threads shared by every disk. */
  SUPPLEMENTAL_POOL = 'supplementalPool',
}
