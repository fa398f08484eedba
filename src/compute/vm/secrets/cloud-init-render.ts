/**
 * Rendering of the structured cloud-init options into cloud-config and
 * netplan network data. Internal: CloudInit calls these.
 */
import { CloudInitFile, CloudInitNetworkInterface, CloudInitUser } from './cloud-init-options';

/** A user as cloud-config `users[]` writes it. */
export function renderUser(user: CloudInitUser): Record<string, any> {
  const u: Record<string, any> = { name: user.name };
  if (user.groups !== undefined) u.groups = [...user.groups];
  if (user.shell !== undefined) u.shell = user.shell;
  if (user.sudo !== undefined) u.sudo = user.sudo;
  if (user.lockPassword !== undefined) u.lock_passwd = user.lockPassword;
  if (user.sshAuthorizedKeys !== undefined) u.ssh_authorized_keys = [...user.sshAuthorizedKeys];
  return u;
}

/** A file as cloud-config `write_files[]` writes it. */
export function renderFile(file: CloudInitFile): Record<string, any> {
  const f: Record<string, any> = { path: file.path, content: file.content };
  if (file.permissions !== undefined) f.permissions = file.permissions;
  if (file.owner !== undefined) f.owner = file.owner;
  if (file.append !== undefined) f.append = file.append;
  if (file.defer !== undefined) f.defer = file.defer;
  return f;
}

/** The netplan `ethernets` of the guest network interfaces. */
export function renderEthernets(nics: CloudInitNetworkInterface[]): Record<string, any> {
  const ethernets: Record<string, any> = {};
  for (const nic of nics) {
    const e: Record<string, any> = {};
    if (nic.macAddress !== undefined) e.match = { macaddress: nic.macAddress.toLowerCase().replace(/-/g, ':') };
    if (nic.dhcp4 !== undefined) e.dhcp4 = nic.dhcp4;
    if (nic.dhcp6 !== undefined) e.dhcp6 = nic.dhcp6;
    if (nic.addresses !== undefined) e.addresses = [...nic.addresses];
    if (nic.routes !== undefined) e.routes = nic.routes.map(r => ({ to: r.to, via: r.via }));
    if (nic.nameservers !== undefined || nic.searchDomains !== undefined) {
      const ns: Record<string, any> = {};
      if (nic.nameservers !== undefined) ns.addresses = [...nic.nameservers];
      if (nic.searchDomains !== undefined) ns.search = [...nic.searchDomains];
      e.nameservers = ns;
    }
    if (nic.mtu !== undefined) e.mtu = nic.mtu;
    ethernets[nic.name] = e;
  }
  return ethernets;
}
