import { requireString } from '../../validation/types';

/**
 * Windows answer files (`autounattend.xml`, `unattend.xml`) that KubeVirt
 * hands to Windows Setup on a small CD-ROM (a `sysprep` volume). Like
 * cloud-init data they stay out of the VM spec: they sit in a Secret or a
 * ConfigMap of the VM's namespace. Attach one with `Disk.sysprep()`.
 */
export class Sysprep {
  /** Answer files kept in a Secret of the VM's namespace (recommended: they often hold passwords). */
  public static fromSecret(secretName: string): Sysprep {
    requireString(undefined, 'secretName', secretName, 'pass the name of the Secret that holds autounattend.xml');
    return new Sysprep('secret', secretName);
  }

  /** Answer files kept in a ConfigMap of the VM's namespace. */
  public static fromConfigMap(configMapName: string): Sysprep {
    requireString(undefined, 'configMapName', configMapName, 'pass the name of the ConfigMap that holds autounattend.xml');
    return new Sysprep('configMap', configMapName);
  }

  /** `secret` or `configMap`. */
  public readonly kind: string;
  /** Name of the Secret or ConfigMap. */
  public readonly name: string;

  private constructor(kind: string, name: string) {
    this.kind = kind;
    this.name = name;
  }
}
