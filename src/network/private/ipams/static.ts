import { OptionsIpam, routesJson, Subnet, ValidatedIpam, validateRoutes } from './ipam-variant';
import { formatIp, propPath } from '../../../validation';
import { IpamStaticOptions } from '../../ipam-options';
import { PropContext } from '../context';
import { compact } from '../json';
import { AddressPool } from '../pools';

/** `Ipam.staticAddresses()`: fixed addresses with the static IPAM plugin. */
export class StaticIpam extends OptionsIpam<IpamStaticOptions> {
  public readonly type = 'static';

  public validate(ctx: PropContext): ValidatedIpam {
    const o = this.options;
    if (!Array.isArray(o.addresses) || o.addresses.length === 0) {
      ctx.fail('addresses', o.addresses, 'must hold at least one address', 'add an address with its prefix length, e.g. { address: \'10.10.0.5/24\' }');
    }
    const pools: AddressPool[] = [];
    const subnets: Subnet[] = [];
    o.addresses.forEach((a, i) => {
      const actx = ctx.child(propPath('addresses', i));
      const cidr = actx.cidr('address', a.address);
      const width = cidr.version === 4 ? 32 : 128;
      const subnetText = `${formatIp(cidr.version, cidr.first)}/${cidr.prefix}`;
      // an address equal to the network address (or the IPv4 broadcast address) is not a host of its subnet
      const hostBits = width - cidr.prefix;
      if (hostBits >= 2 && (cidr.address === cidr.first || (cidr.version === 4 && cidr.address === cidr.last))) {
        actx.fail('address', a.address, `must be a host address of its subnet ${subnetText}, not its ${cidr.address === cidr.first ? 'network' : 'broadcast'} address`,
          `pick an address between ${formatIp(cidr.version, cidr.first + 1n)} and ${formatIp(cidr.version, cidr.version === 4 ? cidr.last - 1n : cidr.last)}`);
      }
      if (a.gateway !== undefined) {
        actx.ipInside('gateway', a.gateway, cidr, subnetText, 'the subnet of the address');
      }
      subnets.push({ cidr, text: subnetText });
      pools.push({ version: cidr.version, first: cidr.address, last: cidr.address, prop: actx.prop('address'), text: a.address });
    });
    validateRoutes(ctx, o.routes, subnets);
    return { pools };
  }

  public toJson(): Record<string, unknown> {
    const o = this.options;
    return compact({
      type: 'static',
      addresses: o.addresses.map(a => compact({ address: a.address, gateway: a.gateway })),
      routes: routesJson(o.routes),
    });
  }
}
