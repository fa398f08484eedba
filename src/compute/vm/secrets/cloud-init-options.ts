/**
 * The parts of the cloud-init options: users, files and guest network
 * interfaces (cloud-init.ts holds the options of the factories).
 */

/** A user account that cloud-init creates (`users[]`). */
export interface CloudInitUser {
  /** Login name. */
  readonly name: string;

  /**
   * SSH public keys allowed to log in as this user.
   *
   * @default - none
   */
  readonly sshAuthorizedKeys?: string[];

  /**
   * Supplementary groups.
   *
   * @default - none
   */
  readonly groups?: string[];

  /**
   * A sudoers rule for the user, e.g. `ALL=(ALL) NOPASSWD:ALL`.
   *
   * @default - no sudo rights
   */
  readonly sudo?: string;

  /**
   * Login shell.
   *
   * @default - the distribution's default shell
   */
  readonly shell?: string;

  /**
   * Lock the password so that only key-based login works.
   *
   * @default true (cloud-init's default)
   */
  readonly lockPassword?: boolean;
}

/** A file that cloud-init writes (`write_files[]`). */
export interface CloudInitFile {
  /** Absolute path of the file in the guest. */
  readonly path: string;

  /** Content of the file, as text. */
  readonly content: string;

  /**
   * Octal file mode, e.g. `0644`.
   *
   * @default - cloud-init's default, 0644
   */
  readonly permissions?: string;

  /**
   * Owner as `user:group`.
   *
   * @default - root:root
   */
  readonly owner?: string;

  /**
   * Append to the file instead of replacing it.
   *
   * @default false
   */
  readonly append?: boolean;

  /**
   * Write the file late in boot, after users and packages exist.
   *
   * @default false
   */
  readonly defer?: boolean;
}

/** A route of a guest network interface. */
export interface CloudInitRoute {
  /** Destination CIDR, or `default`. */
  readonly to: string;
  /** Next-hop address. */
  readonly via: string;
}

/**
 * One guest Ethernet interface in network-config version 2
 * (`ethernets.<name>`).
 */
export interface CloudInitNetworkInterface {
  /** Interface id in the config, usually the guest's interface name (`eth0`, `enp1s0`). */
  readonly name: string;

  /**
   * Match the interface by MAC address instead of by name; pair it with the
   * `macAddress` of the VM interface.
   *
   * @default - matched by name
   */
  readonly macAddress?: string;

  /**
   * Ask for an IPv4 address over DHCP.
   *
   * @default false
   */
  readonly dhcp4?: boolean;

  /**
   * Ask for an IPv6 address over DHCPv6.
   *
   * @default false
   */
  readonly dhcp6?: boolean;

  /**
   * Static addresses in CIDR form (`10.123.124.10/24`).
   *
   * @default - none
   */
  readonly addresses?: string[];

  /**
   * Routes, e.g. `{ to: 'default', via: '10.123.124.1' }`.
   *
   * @default - none
   */
  readonly routes?: CloudInitRoute[];

  /**
   * DNS server addresses.
   *
   * @default - none
   */
  readonly nameservers?: string[];

  /**
   * DNS search domains.
   *
   * @default - none
   */
  readonly searchDomains?: string[];

  /**
   * MTU in bytes.
   *
   * @default - the link's MTU
   */
  readonly mtu?: number;
}
