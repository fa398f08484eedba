import { formatIp, isValidVlan, parseCidr, ParsedCidr, ParsedIp, parseIp, PropPath, VLAN_MAX, VLAN_MIN } from '../../validation';
import { checkInterfaceName } from '../../validation/interface-name';

/**
 * Where a value sits in the props of a construct (`plugins[0].ipam.range`),
 * with the checks every network value class shares. Value classes are
 * validated by the construct that receives them, so every error carries the
 * construct path and the full prop path.
 */
export class PropContext extends PropPath {
  public child(name: string): PropContext {
    return new PropContext(this.scope, this.prop(name));
  }

  public cidr(name: string, text: string): ParsedCidr {
    const cidr = parseCidr(text);
    if (!cidr) {
      this.fail(name, text, 'must be a CIDR block such as 10.0.0.0/24 or fd00::/64', 'write an IPv4 or IPv6 address followed by /prefix-length');
    }
    return cidr;
  }

  public ip(name: string, text: string): ParsedIp {
    const ip = parseIp(text);
    if (!ip) {
      this.fail(name, text, 'must be an IPv4 or IPv6 address such as 10.0.0.1 or fd00::1', 'write a single address without a prefix length');
    }
    return ip;
  }

  /** Parses an address and requires it to lie inside the block. */
  public ipInside(name: string, text: string, block: ParsedCidr, blockText: string, what: string): ParsedIp {
    const ip = this.ip(name, text);
    if (ip.version !== block.version || ip.value < block.first || ip.value > block.last) {
      this.fail(name, text, `must lie inside ${what} ${blockText}`, `pick an address between ${formatIp(block.version, block.first)} and ${formatIp(block.version, block.last)}, or change ${what}`);
    }
    return ip;
  }

  public vlan(name: string, value: number): void {
    if (!isValidVlan(value)) {
      this.fail(name, value, `must be a whole number between ${VLAN_MIN} and ${VLAN_MAX}`, 'pick a VLAN id in that range (0 and 4095 are reserved)');
    }
  }

  public mtu(name: string, value: number): void {
    if (!Number.isInteger(value) || value < 68 || value > 65535) {
      this.fail(name, value, 'must be a whole number between 68 and 65535', 'set the MTU of the link, e.g. 1500 or 9000 for jumbo frames');
    }
  }

  public interfaceName(name: string, value: string): void {
    const problem = checkInterfaceName(value);
    if (problem) {
      this.fail(name, value, problem, 'use the name of the interface as `ip link` shows it on the nodes');
    }
  }
}
