import { IpamVariant, ValidatedIpam } from './ipam-variant';

/** `Ipam.none()`: a layer-2 only network, the config has no `ipam` key. */
export class NoIpam extends IpamVariant {
  public readonly type = undefined;

  public validate(): ValidatedIpam {
    return { pools: [] };
  }

  public toJson(): undefined {
    return undefined;
  }
}
