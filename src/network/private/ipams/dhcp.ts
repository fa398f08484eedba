import { IpamVariant, ValidatedIpam } from './ipam-variant';

/** `Ipam.dhcp()`: addresses leased from a DHCP server on the attached network. */
export class DhcpIpam extends IpamVariant {
  public readonly type = 'dhcp';

  public validate(): ValidatedIpam {
    return { pools: [] };
  }

  public toJson(): Record<string, unknown> {
    return { type: 'dhcp' };
  }
}
