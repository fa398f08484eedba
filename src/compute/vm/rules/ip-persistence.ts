/**
 * Whether a VM keeps its address across a live migration on a whereabouts
 * network. whereabouts v0.9.4 keys each allocation by pod and interface and
 * frees it by container: the migration target (a new virt-launcher pod)
 * gets a new address, and deleting the source pod frees the address the
 * guest keeps using, which whereabouts then hands to the next pod
 * (kubevirt#13709). An AddressPlan address sits outside the dynamic pool.
 */
import { IConstruct } from 'constructs';
import { EvictionStrategy } from '../eviction-strategy';
import { InterfaceBindingType } from '../network';
import { effectiveEvictionStrategy } from './platform';
import { NetworkAttachmentDefinition } from '../../../network/network-attachment-definition';
import { VmInterface } from '../vm-parts';

/** Warnings for bridge-bound interfaces on dynamic whereabouts pools of VMs that live-migrate. */
export function migratingWhereaboutsWarnings(
  scope: IConstruct, own: EvictionStrategy | undefined, interfaces: VmInterface[], planned: Set<string>,
): string[] {
  const eviction = effectiveEvictionStrategy(scope, own);
  if (eviction.strategy !== EvictionStrategy.LIVE_MIGRATE && eviction.strategy !== EvictionStrategy.LIVE_MIGRATE_IF_POSSIBLE) return [];
  const warnings: string[] = [];
  for (const i of interfaces) {
    const nad = i.network.networkAttachmentDefinition;
    if (i.binding.type !== InterfaceBindingType.BRIDGE || !(nad instanceof NetworkAttachmentDefinition) || planned.has(i.name)) continue;
    if (nad.plugins[0]?._ipamType !== 'whereabouts') continue;
    warnings.push(`interface '${i.name}' takes its address from the whereabouts pool of ${nad.networkName} while the VM live-migrates `
      + `(evictionStrategy ${eviction.strategy}${eviction.inheritedFrom ? ', the cluster default' : ''}): whereabouts keys an address by pod, so the migration target gets another one `
      + 'and deleting the source pod frees the address the guest keeps, which whereabouts may then give to another VM (kubevirt#13709); '
      + 'fix the address with an AddressPlan (plan.assignVm / assignFleet), or set evictionStrategy None');
  }
  return warnings;
}
