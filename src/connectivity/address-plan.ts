import * as crypto from 'crypto';
import { Construct, IConstruct } from 'constructs';
import { SmartCloneFleet } from '../compute/fleet/smart-clone-fleet';
import { WorkloadFacts } from '../compute/vm/launcher-pods';
import { PlannedInterface } from '../compute/vm/secrets/network-data';
import { VirtualMachine } from '../compute/vm/virtual-machine';
import { NetworkAttachmentDefinition } from '../network/network-attachment-definition';
import { AppSlot, appState } from '../private/app-registry';
import {
  checkMacAddress, formatIp, formatPropError, optionalString, parseCidr, propError, requireInstance, requireString,
  requireStruct,
} from '../validation';
import { PlanBlock, PlanPool, planPools, usable, formatMac } from './private/address-pools';

/** KubeVirt's fixed MAC of the masquerade bridge inside virt-launcher (never usable by a VM). */
export const KUBEVIRT_RESERVED_MAC = '02:00:00:00:00:00';

/** Props of `AddressPlan`. */
export interface AddressPlanProps {
  /**
   * The network the addresses belong to: a NetworkAttachmentDefinition
   * whose IPAM is whereabouts, or host-local with one range set, or two
   * (one IPv4, one IPv6: dual-stack, with `ipv6Block`). (Static IPAM is
   * refused: its addresses are shared by every VM on the network, and
   * KubeVirt v1.9 passes no per-interface address to Multus.)
   */
  readonly network: NetworkAttachmentDefinition;
  /**
   * The block that planned addresses come from (IPv4 or IPv6), inside the
   * network's range (whereabouts) or a range's subnet (host-local). It must
   * be out of the dynamic pool, so the IPAM never hands one of them to
   * another pod: for whereabouts list it in `exclude` (whole, or in parts
   * such as `/128`s) or keep it outside `rangeStart`..`rangeEnd`; for
   * host-local, which has no exclude list, keep it outside every range's
   * `rangeStart`..`rangeEnd` (by default the whole subnet).
   */
  readonly block: string;
  /**
   * The IPv6 block of a dual-stack host-local network (an IPv4 and an IPv6
   * range set), kept out of the IPv6 range like `block` of the IPv4 one;
   * `block` is then the IPv4 block. Each VM gets one address of each, from
   * the same slot, and the guest both.
   * @default - none: a single-stack plan
   */
  readonly ipv6Block?: string;
  /**
   * First octets of the planned MAC addresses (three to five, e.g.
   * `02:5a:10`); the rest counts up. The first octet must mark a locally
   * administered unicast address (second-lowest bit set, lowest clear).
   */
  readonly macPrefix: string;
}

/** Options of `AddressPlan.assignVm()` and `assignFleet()`. */
export interface AddressPlanAssignOptions {
  /**
   * The interface that gets the address.
   * @default - the VM's one interface on the plan's network
   */
  readonly interfaceName?: string;
}

/** An address and MAC handed out by an `AddressPlan`. */
export interface PlannedAddress {
  /** Name of the VM. */
  readonly vmName: string;
  /** Namespace of the VM. */
  readonly namespace: string;
  /** Name of the interface in the VM spec. */
  readonly interfaceName: string;
  /** The address with the network's prefix length (`10.100.0.20/24`). */
  readonly address: string;
  /**
   * The IPv6 address of a dual-stack plan, with its prefix length.
   * @default - none: the plan is single-stack
   */
  readonly ipv6Address?: string;
  /** The interface's MAC address. */
  readonly macAddress: string;
}

/** App-wide record of planned addresses and MACs, so both are unique across plans. */
interface Registry {
  readonly addresses: Map<string, string>;
  readonly macs: Map<string, string>;
  readonly macPrefixes: Array<{ prefix: string; path: string }>;
  /** `network|namespace/vm/interface` of every planned interface. */
  readonly interfaces: Set<string>;
}
const PLANNED = new AppSlot<Registry>('planned addresses and MACs',
  () => ({ addresses: new Map(), macs: new Map(), macPrefixes: [], interfaces: new Set() }));
function registryOf(scope: IConstruct): Registry {
  return appState(scope, PLANNED);
}

/**
 * Hands each VM that asks (or every VM of a fleet) a fixed address inside a
 * block of a network's pool and a fixed MAC from a declared prefix, and
 * writes both into the VM: the interface's `macAddress`, and cloud-init
 * network data (network-config v2, matched by MAC) that sets the address
 * and the network's routes statically in the guest, through a Secret
 * `<vm name>-network-data`. Network data replaces cloud-init's fallback
 * DHCP, so the VM's other interfaces need a fixed MAC: they stay on DHCP.
 *
 * The slot of each interface comes from a hash of `namespace/vm/interface`,
 * moving on to the next free slot when taken, so the same program always
 * gives the same addresses and adding a VM moves no other VM's address
 * unless their hashes meet. The address and MAC share the slot.
 *
 * On a dual-stack host-local network (an IPv4 and an IPv6 range set) the
 * plan takes an IPv4 `block` and an `ipv6Block`, and each VM gets one
 * address of each from the same slot.
 *
 * Rules: the block lies inside the network's range (or host-local subnet)
 * and outside its dynamic pool; no planned address is the network's
 * gateway, a route's next hop, the network or the IPv4 broadcast address;
 * no address or MAC is handed out twice in the app; MACs are locally
 * administered unicast and never KubeVirt's reserved `02:00:00:00:00:00`;
 * the interface has no MAC of its own and the VM's cloud-init no network
 * data of its own. The guest's routes are the network's routes of the
 * blocks' IP versions.
 *
 * Why a plan: KubeVirt v1.9 asks Multus for an interface's MAC but not for
 * an address, and whereabouts v0.9.4 keys an allocation by pod and
 * interface (host-local by container), so a restarted or migrated VM (a new
 * virt-launcher pod) gets a new dynamic address. A static address in the guest, kept out of the
 * dynamic pool, does not move.
 */
export class AddressPlan extends Construct {
  /** The network the addresses belong to. */
  public readonly network: NetworkAttachmentDefinition;
  /** The block planned addresses come from. */
  public readonly block: string;
  /** The IPv6 block of a dual-stack plan. */
  public readonly ipv6Block?: string;
  /** The MAC prefix. */
  public readonly macPrefix: string;

  /** One pool per block: the first for `block`, the second for `ipv6Block`. */
  private readonly pools: PlanPool[];
  private readonly prefixOctets: number[];
  private readonly slots: bigint;
  private readonly taken = new Set<bigint>();
  private readonly handedOut: PlannedAddress[] = [];

  public constructor(scope: Construct, id: string, props: AddressPlanProps) {
    super(scope, id);
    const p = requireStruct<AddressPlanProps>(this, 'props', props);
    requireInstance(this, 'network', p.network, NetworkAttachmentDefinition, 'new NetworkAttachmentDefinition() or new StorageNetwork()');
    requireString(this, 'block', p.block);
    optionalString(this, 'ipv6Block', p.ipv6Block);
    requireString(this, 'macPrefix', p.macPrefix);
    this.network = p.network;
    this.block = p.block;
    this.ipv6Block = p.ipv6Block;
    this.macPrefix = p.macPrefix.toLowerCase();

    const parseBlock = (prop: 'block' | 'ipv6Block', text: string): PlanBlock => {
      const cidr = parseCidr(text);
      if (!cidr || cidr.hostBitsSet) {
        throw propError(this, prop, text, 'must be a CIDR block with its network address, such as 10.100.0.64/27 or fd00:10::40/122', 'write the block as network-address/prefix');
      }
      return { prop, text, cidr };
    };
    const blocks = [parseBlock('block', p.block), ...(p.ipv6Block !== undefined ? [parseBlock('ipv6Block', p.ipv6Block)] : [])];
    this.pools = planPools(this, p.network, blocks);

    const octets = this.macPrefix.split(':');
    if (octets.length < 3 || octets.length > 5 || octets.some(o => !/^[0-9a-f]{2}$/.test(o))) {
      throw propError(this, 'macPrefix', p.macPrefix, 'must be three to five hex pairs separated by \':\'', 'write it like \'02:5a:10\'');
    }
    this.prefixOctets = octets.map(o => parseInt(o, 16));
    // eslint-disable-next-line no-bitwise
    if ((this.prefixOctets[0] & 0x02) === 0 || (this.prefixOctets[0] & 0x01) === 1) {
      throw propError(this, 'macPrefix', p.macPrefix, 'must start with a locally administered unicast octet (second-lowest bit set, lowest clear), such as 02, 06, 0a or fe',
        'use a first octet such as \'02\'');
    }
    // a slot gives one address of each block and a MAC
    this.slots = blocks.map(b => b.cidr.last - b.cidr.first + 1n).reduce((a, b) => (b < a ? b : a), 256n ** BigInt(6 - octets.length));

    const registry = registryOf(this);
    for (const other of registry.macPrefixes) {
      if (other.prefix.startsWith(this.macPrefix) || this.macPrefix.startsWith(other.prefix)) {
        throw propError(this, 'macPrefix', p.macPrefix, `overlaps the MAC prefix '${other.prefix}' of the plan at ${other.path}, so MACs could repeat`,
          'give each plan a MAC prefix of its own');
      }
    }
    registry.macPrefixes.push({ prefix: this.macPrefix, path: this.node.path });
    this.node.addValidation({ validate: () => this.macClashProblems() });
  }

  /**
   * Hands a VM's interface on the plan's network a planned address and MAC.
   * @returns what the VM got
   */
  public assignVm(vm: VirtualMachine, options: AddressPlanAssignOptions = {}): PlannedAddress {
    const target = this.checkTarget('vm', vm, options);
    return this.assign(vm as any, target.facts, target.interfaceName, vm.name);
  }

  /**
   * Hands every VM of a fleet a planned address and MAC on its interface on
   * the plan's network; they show in `fleet.plan.addresses`.
   * @returns what the VMs got, in VM order
   */
  public assignFleet(fleet: SmartCloneFleet, options: AddressPlanAssignOptions = {}): PlannedAddress[] {
    const target = this.checkTarget('fleet', fleet, options);
    if (target.facts.pool) {
      throw propError(this, 'fleet', (fleet as any).name, 'is a VirtualMachinePool, whose VMs share one template, so they cannot get an address each',
        'drop pool: true from the fleet to plan its addresses');
    }
    return fleet.vmNames.map(name => this.assign(fleet as any, target.facts, target.interfaceName, name));
  }

  /** Everything handed out so far, in order (a copy). */
  public get addresses(): PlannedAddress[] {
    return [...this.handedOut];
  }

  private checkTarget(prop: string, target: unknown, options: AddressPlanAssignOptions) {
    const t = target as any;
    if (t === null || typeof t !== 'object' || typeof t._workloadFacts !== 'function' || typeof t._planAddress !== 'function') {
      throw propError(this, prop, target, `must be a ${prop === 'vm' ? 'VirtualMachine' : 'SmartCloneFleet'}`, `pass the ${prop === 'vm' ? 'VirtualMachine' : 'SmartCloneFleet'} construct itself`);
    }
    const o = requireStruct<AddressPlanAssignOptions>(this, 'options', options, true);
    optionalString(this, 'options.interfaceName', o.interfaceName);
    const facts: WorkloadFacts = t._workloadFacts();
    const onNetwork = facts.interfaces.filter(i => i.networkName === this.network.networkName);
    let iface = o.interfaceName === undefined ? undefined : facts.interfaces.find(i => i.name === o.interfaceName);
    if (o.interfaceName !== undefined && (!iface || iface.networkName !== this.network.networkName)) {
      throw propError(this, 'options.interfaceName', o.interfaceName, `is not an interface of ${t.name} on network '${this.network.networkName}'`,
        onNetwork.length > 0 ? `use '${onNetwork[0].name}'` : `attach ${t.name} to '${this.network.networkName}' first`);
    }
    if (!iface) {
      if (onNetwork.length !== 1) {
        throw propError(this, prop, t.name, onNetwork.length === 0 ? `has no interface on network '${this.network.networkName}'` : `has ${onNetwork.length} interfaces on network '${this.network.networkName}'`,
          onNetwork.length === 0 ? 'attach it with Network.multus(network) first' : 'name one with interfaceName');
      }
      iface = onNetwork[0];
    }
    if (iface.macAddress !== undefined) {
      throw propError(this, prop, t.name, `already sets MAC ${iface.macAddress} on interface '${iface.name}'`, 'remove that macAddress and let the plan give one');
    }
    if (facts.hasNetworkData) {
      throw propError(this, prop, t.name, 'has cloud-init network data of its own, which the planned network data would replace',
        'drop networkData / networkInterfaces from its cloud-init and let the plan write them');
    }
    return { facts, interfaceName: iface.name };
  }

  private assign(target: { _planAddress(vmName: string, planned: PlannedInterface): void }, facts: WorkloadFacts,
    interfaceName: string, vmName: string): PlannedAddress {
    const key = `${facts.namespace}/${vmName}/${interfaceName}`;
    const registry = registryOf(this);
    if (registry.interfaces.has(`${this.network.networkName}|${key}`)) {
      throw propError(this, 'vm', vmName, `interface '${interfaceName}' already has a planned address on '${this.network.networkName}'`, 'assign each VM once');
    }
    const digest = crypto.createHash('sha256').update(key).digest('hex');
    const start = BigInt(`0x${digest.slice(0, 16)}`) % this.slots;
    const network = this.network.networkName;
    for (let i = 0n; i < this.slots; i++) {
      const slot = (start + i) % this.slots;
      if (this.taken.has(slot)) continue;
      const values = this.pools.map(pool => pool.block.cidr.first + slot);
      if (!values.every((value, k) => usable(this.pools[k], value))) continue;
      const addresses = values.map((value, k) => formatIp(this.pools[k].subnet.version, value));
      const mac = this.macFor(slot);
      if (mac === KUBEVIRT_RESERVED_MAC || checkMacAddress(mac) !== undefined) continue;
      if (addresses.some(a => registry.addresses.has(`${network}|${a}`)) || registry.macs.has(mac)) continue;
      this.taken.add(slot);
      registry.interfaces.add(`${network}|${key}`);
      for (const a of addresses) registry.addresses.set(`${network}|${a}`, key);
      registry.macs.set(mac, key);
      const [address, ipv6Address] = addresses.map((a, k) => `${a}/${this.pools[k].subnet.prefix}`);
      const planned: PlannedAddress = {
        vmName, namespace: facts.namespace, interfaceName, address, ...(ipv6Address !== undefined ? { ipv6Address } : {}), macAddress: mac,
      };
      target._planAddress(vmName, {
        interfaceName, network, address, ipv6Address, macAddress: mac, routes: this.pools.flatMap(pool => pool.routes),
      });
      this.handedOut.push(planned);
      return planned;
    }
    throw propError(this, 'block', this.block, `has no free address left for ${key}`, `use a larger block${this.pools.length > 1 ? ' (and ipv6Block)' : ''}`);
  }

  /** Planned MACs that some VM of the app also sets by hand on an interface. */
  private macClashProblems(): string[] {
    const planned = new Map(this.handedOut.map(a => [a.macAddress, a]));
    if (planned.size === 0) return [];
    const errors: string[] = [];
    for (const c of this.node.root.node.findAll()) {
      const facts = typeof (c as any)._workloadFacts === 'function' ? (c as any)._workloadFacts() as WorkloadFacts : undefined;
      for (const i of facts?.interfaces ?? []) {
        const mac = i.macAddress?.toLowerCase().replace(/-/g, ':');
        const owner = mac === undefined ? undefined : planned.get(mac);
        if (owner) {
          errors.push(formatPropError('macPrefix', this.macPrefix,
            `gave ${owner.namespace}/${owner.vmName} interface '${owner.interfaceName}' the MAC ${mac}, which ${c.node.path} also sets by hand on interface '${i.name}'`,
            'change that macAddress, or give the plan another MAC prefix'));
        }
      }
    }
    return errors;
  }

  private macFor(slot: bigint): string {
    const rest = 6 - this.prefixOctets.length;
    const tail: number[] = [];
    let v = slot;
    for (let i = 0; i < rest; i++) {
      tail.unshift(Number(v % 256n));
      v /= 256n;
    }
    return formatMac([...this.prefixOctets, ...tail]);
  }
}
