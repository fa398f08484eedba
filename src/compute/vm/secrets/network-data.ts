/**
 * Planned addresses of a VM's interfaces (from an `AddressPlan`) and how they
 * change the rendered VM: the interface gets its MAC address, and the guest
 * gets network data (network-config v2) that sets the address statically,
 * through a Secret of the VM's own, since every VM of a fleet has other
 * addresses. A leaf file: the VM constructs apply these, the plan produces
 * them. Internal: not exported from the package index.
 */
import { ApiObject, Lazy, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { formatIp, formatPropError, parseCidr } from '../../../validation';
import { CLOUD_INIT_VOLUME_NAME } from '../vm-parts';

/** One planned interface of one VM. */
export interface PlannedInterface {
  /** Name of the interface in the VM spec. */
  readonly interfaceName: string;
  /** `namespace/name` of the network. */
  readonly network: string;
  /** Address with prefix length, e.g. `10.100.0.20/24`. */
  readonly address: string;
  /** The IPv6 address of a dual-stack plan, with its prefix length. */
  readonly ipv6Address?: string;
  /** MAC address of the interface. */
  readonly macAddress: string;
  /** Routes of the network (`to` a block `via` a gateway), of the planned addresses' IP versions. */
  readonly routes: Array<{ readonly to: string; readonly via: string }>;
}

function isIpv6Default(to: string): boolean {
  const cidr = parseCidr(to);
  return cidr !== undefined && cidr.version === 6 && cidr.prefix === 0;
}

/** Name of the Secret holding a VM's planned network data. */
export function networkDataSecretName(vmName: string): string {
  return `${vmName}-network-data`;
}

/** A VM interface as the network data sees it. */
export interface VmInterfaceMac {
  readonly name: string;
  readonly macAddress?: string;
}

/**
 * The network-config v2 document for a VM: planned interfaces get their
 * static address, every other interface (which must have a fixed MAC) keeps
 * DHCP; all are matched by MAC. Network data replaces cloud-init's fallback
 * configuration, so an interface left out would stay unconfigured.
 */
export function renderPlannedNetworkData(planned: PlannedInterface[], all: VmInterfaceMac[]): string {
  const ethernets: Record<string, any> = {};
  for (const i of all) {
    const p = planned.find(x => x.interfaceName === i.name);
    if (p) {
      // cloud-init before 23.1 turns a route to ::/0 into one to ::/64 (and
      // its non-netplan renderers still do): the IPv6 default is gateway6
      const v6Default = p.routes.find(r => isIpv6Default(r.to));
      const routes = p.routes.filter(r => r !== v6Default);
      ethernets[i.name] = {
        match: { macaddress: p.macAddress },
        addresses: [p.address, ...(p.ipv6Address !== undefined ? [p.ipv6Address] : [])],
        dhcp4: false,
        dhcp6: false,
        ...(v6Default ? { gateway6: v6Default.via } : {}),
        ...(routes.length > 0 ? { routes: routes.map(r => ({ to: r.to, via: r.via })) } : {}),
      };
    } else if (i.macAddress !== undefined) {
      ethernets[i.name] = { match: { macaddress: i.macAddress.toLowerCase().replace(/-/g, ':') }, dhcp4: true };
    }
  }
  return Yaml.stringify({ version: 2, ethernets });
}

/** A prefix length as the netmask OpenStack network data carries (`255.255.255.0`, `ffff:ffff::`). */
function netmaskOf(version: 4 | 6, prefix: number): string {
  const width = version === 4 ? 32 : 128;
  return formatIp(version, 2n ** BigInt(width) - 2n ** BigInt(width - prefix));
}

/**
 * The same network data as OpenStack's `network_data.json`, the format a
 * config drive carries (KubeVirt writes the Secret's text to
 * `openstack/latest/network_data.json`, and cloud-init's ConfigDrive
 * datasource reads it as OpenStack network data, not network-config v2).
 * Links are matched to the guest's NICs by MAC; default routes become the
 * network's gateway.
 */
export function renderPlannedConfigDriveNetworkData(planned: PlannedInterface[], all: VmInterfaceMac[]): string {
  const links: any[] = [];
  const networks: any[] = [];
  for (const i of all) {
    const p = planned.find(x => x.interfaceName === i.name);
    const mac = p ? p.macAddress : i.macAddress?.toLowerCase().replace(/-/g, ':');
    if (mac === undefined) continue;
    links.push({ id: i.name, type: 'phy', ethernet_mac_address: mac });
    if (!p) {
      networks.push({ id: `${i.name}-ipv4`, link: i.name, type: 'ipv4_dhcp' });
      continue;
    }
    for (const address of [p.address, ...(p.ipv6Address !== undefined ? [p.ipv6Address] : [])]) {
      const cidr = parseCidr(address)!;
      const family = cidr.version === 4 ? 'ipv4' : 'ipv6';
      const sameFamily = p.routes.filter(r => parseCidr(r.to)?.version === cidr.version);
      const defaultRoute = sameFamily.find(r => parseCidr(r.to)?.prefix === 0);
      const routes = sameFamily.filter(r => r !== defaultRoute).map(r => {
        const to = parseCidr(r.to)!;
        return { network: formatIp(to.version, to.first), netmask: netmaskOf(to.version, to.prefix), gateway: r.via };
      });
      networks.push({
        id: `${i.name}-${family}`,
        link: i.name,
        type: family,
        ip_address: address.split('/')[0],
        netmask: netmaskOf(cidr.version, cidr.prefix),
        ...(defaultRoute ? { gateway: defaultRoute.via } : {}),
        ...(routes.length > 0 ? { routes } : {}),
      });
    }
  }
  return `${JSON.stringify({ links, networks, services: [] }, undefined, 2)}\n`;
}

/**
 * Holds the planned interfaces of the VMs one construct renders, creates the
 * per-VM network-data Secrets, and patches rendered specs. A VM whose
 * cloud-init uses a config drive gets OpenStack network data on its
 * `cloudInitConfigDrive` volume; every other VM network-config v2 on
 * `cloudInitNoCloud`.
 */
export class PlannedAddresses {
  private readonly byVm = new Map<string, PlannedInterface[]>();

  constructor(private readonly scope: Construct, private readonly namespace: string, private readonly interfaces: () => VmInterfaceMac[],
    private readonly configDrive: () => boolean) {
    scope.node.addValidation({ validate: () => this.problems() });
  }

  /** Interfaces of planned VMs that network data could not configure (no plan, no fixed MAC). */
  private problems(): string[] {
    if (this.byVm.size === 0) return [];
    const planned = new Set([...this.byVm.values()].flatMap(list => list.map(p => p.interfaceName)));
    return this.interfaces().filter(i => !planned.has(i.name) && i.macAddress === undefined).map(i => formatPropError(`networks.${i.name}.macAddress`, undefined,
      'is needed: the planned network data replaces cloud-init\'s fallback DHCP, and only an interface with a fixed MAC can be kept on DHCP in it',
      `give interface '${i.name}' a macAddress (on the pod network one MAC for every VM is fine: masquerade keeps it inside the pod), or plan its address too`));
  }

  /** Records a planned interface; the VM's Secret is created on its first one. */
  public add(vmName: string, planned: PlannedInterface): void {
    let list = this.byVm.get(vmName);
    if (!list) {
      list = [];
      this.byVm.set(vmName, list);
      const own = list;
      new ApiObject(this.scope, `NetworkData-${vmName}`, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: networkDataSecretName(vmName), namespace: this.namespace },
        type: 'Opaque',
        data: Lazy.any({
          produce: () => {
            const text = this.configDrive()
              ? renderPlannedConfigDriveNetworkData(own, this.interfaces()) : renderPlannedNetworkData(own, this.interfaces());
            return { networkdata: Buffer.from(text, 'utf-8').toString('base64') };
          },
        }),
      });
    }
    list.push(planned);
  }

  /** The planned interfaces of one VM (a copy). */
  public of(vmName: string): PlannedInterface[] {
    return [...(this.byVm.get(vmName) ?? [])];
  }

  /** Every planned interface, by VM name order then interface (a copy). */
  public all(): Array<PlannedInterface & { vmName: string }> {
    return [...this.byVm.entries()].flatMap(([vmName, list]) => list.map(i => ({ vmName, ...i })));
  }

  /**
   * Returns a copy of a rendered VirtualMachine spec with the planned MACs on
   * the interfaces and the network-data Secret on the cloud-init volume
   * (added when the VM has none). Shared parts of the input are not changed.
   */
  public patch(vmName: string, spec: any): any {
    const planned = this.byVm.get(vmName);
    if (!planned || planned.length === 0) return spec;
    const template = spec.template;
    const devices = template.spec.domain.devices;
    const interfaces = (devices.interfaces ?? []).map((i: any) => {
      const p = planned.find(x => x.interfaceName === i.name);
      return p ? { ...i, macAddress: p.macAddress } : i;
    });
    let volumes: any[] = template.spec.volumes ?? [];
    let disks: any[] = devices.disks ?? [];
    const ref = { name: networkDataSecretName(vmName) };
    if (volumes.some(v => v.name === CLOUD_INIT_VOLUME_NAME)) {
      // a volume has exactly one source: the network data joins the one the cloud-init already uses
      volumes = volumes.map(v => {
        if (v.name !== CLOUD_INIT_VOLUME_NAME) return v;
        const key = v.cloudInitConfigDrive !== undefined ? 'cloudInitConfigDrive' : 'cloudInitNoCloud';
        return { ...v, [key]: { ...v[key], networkDataSecretRef: ref } };
      });
    } else {
      volumes = [...volumes, { name: CLOUD_INIT_VOLUME_NAME, cloudInitNoCloud: { networkDataSecretRef: ref } }];
      disks = [...disks, { name: CLOUD_INIT_VOLUME_NAME, disk: {} }];
    }
    return {
      ...spec,
      template: {
        ...template,
        spec: { ...template.spec, domain: { ...template.spec.domain, devices: { ...devices, disks, interfaces } }, volumes },
      },
    };
  }
}
