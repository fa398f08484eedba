/**
 * Checks of cloud-init data that stand apart from the CloudInit class: the
 * shape of the factories' options and the guest network interfaces.
 * Internal.
 */
import { IConstruct } from 'constructs';
import { CloudInitNetworkInterface } from './cloud-init-options';
import { checkMacAddress, requireShape, parseCidr, parseIp, propError, Shape } from '../../../validation';

/** The first line of a long text, for error messages. */
export function preview(text: string): string {
  const first = text.split('\n')[0].slice(0, 40);
  return first.length < text.length ? `${first}...` : first;
}

/** The shape of the options of `noCloud()` and `configDrive()`, for callers from any language. */
export function requireNoCloudShape(where: string, options: unknown): void {
  const strings = Shape.optArray(Shape.string);
  requireShape(where, 'options', options, {
    users: Shape.optArray(Shape.struct({
      name: Shape.string,
      sshAuthorizedKeys: strings,
      groups: strings,
      sudo: Shape.optString,
      shell: Shape.optString,
      lockPassword: Shape.optBoolean,
    })),
    keepDefaultUser: Shape.optBoolean,
    sshAuthorizedKeys: strings,
    packages: strings,
    packageUpdate: Shape.optBoolean,
    packageUpgrade: Shape.optBoolean,
    bootcmd: strings,
    runcmd: strings,
    writeFiles: Shape.optArray(Shape.struct({
      path: Shape.string,
      content: Shape.string,
      permissions: Shape.optString,
      owner: Shape.optString,
      append: Shape.optBoolean,
      defer: Shape.optBoolean,
    })),
    extraConfig: Shape.optObject,
    userData: Shape.optString,
    networkInterfaces: Shape.optArray(Shape.struct({
      name: Shape.string,
      macAddress: Shape.optString,
      dhcp4: Shape.optBoolean,
      dhcp6: Shape.optBoolean,
      addresses: strings,
      routes: Shape.optArray(Shape.struct({ to: Shape.string })),
    })),
    networkData: Shape.optString,
  });
}

/** Checks the guest network interfaces of `networkInterfaces`; throws the library error. */
export function requireNetworkInterfaces(scope: IConstruct, prop: string, nics: CloudInitNetworkInterface[]): void {
  const names = new Set<string>();
  nics.forEach((nic, i) => {
    const p = `${prop}[${i}]`;
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/.test(nic.name ?? '')) {
      throw propError(scope, `${p}.name`, nic.name, 'must be a guest interface name of at most 15 characters', 'use a name such as \'eth0\' or \'enp1s0\'');
    }
    if (names.has(nic.name)) {
      throw propError(scope, `${p}.name`, nic.name, 'is listed twice', 'give each guest interface once');
    }
    names.add(nic.name);
    if (nic.macAddress !== undefined) {
      const problem = checkMacAddress(nic.macAddress);
      if (problem) throw propError(scope, `${p}.macAddress`, nic.macAddress, problem, 'use the MAC address given to the VM interface');
    }
    (nic.addresses ?? []).forEach((address, a) => {
      if (!parseCidr(address)) {
        throw propError(scope, `${p}.addresses[${a}]`, address, 'must be an address with prefix length', 'write it like \'10.123.124.10/24\'');
      }
    });
    (nic.routes ?? []).forEach((route, r) => {
      if (route.to !== 'default' && !parseCidr(route.to)) {
        throw propError(scope, `${p}.routes[${r}].to`, route.to, 'must be a CIDR or \'default\'', 'write it like \'10.0.0.0/8\' or \'default\'');
      }
      if (!parseIp(route.via)) {
        throw propError(scope, `${p}.routes[${r}].via`, route.via, 'must be an IP address', 'give the next-hop address, like \'10.123.124.1\'');
      }
    });
    (nic.nameservers ?? []).forEach((server, s) => {
      if (!parseIp(server)) {
        throw propError(scope, `${p}.nameservers[${s}]`, server, 'must be an IP address', 'give the DNS server address, like \'10.123.124.1\'');
      }
    });
    if (nic.mtu !== undefined && (!Number.isInteger(nic.mtu) || nic.mtu < 576 || nic.mtu > 65535)) {
      throw propError(scope, `${p}.mtu`, nic.mtu, 'must be a whole number between 576 and 65535', 'use the MTU of the network, e.g. 1500');
    }
  });
}
