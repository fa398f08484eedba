import { propError } from '../../validation';
import { checkInterfaceName } from '../../validation/interface-name';
import { requireString } from '../../validation/types';

/**
 * A host interface that networks attach to: a Linux bridge, an Open vSwitch
 * bridge or a macvlan master on the nodes. Pass it to `CniPlugin.bridge()`
 * (`hostBridge`), `CniPlugin.ovs()` (`hostBridge`) or `CniPlugin.macvlan()`
 * (`hostMaster`) instead of a plain name, so the library can check that the
 * nodes really have it.
 */
export interface IHostBridge {
  /** Name of the interface on the nodes. */
  readonly bridgeName: string;
  /**
   * Whether the interface is declared as already present on the nodes
   * (`HostBridge.existing()`) rather than created by a policy of the app.
   */
  readonly preExisting: boolean;
}

/**
 * References to host interfaces: `HostBridge.existing()` for one the nodes
 * already have; `NodeNetworkConfigurationPolicy.bridge()` returns those a
 * policy creates.
 */
export class HostBridge implements IHostBridge {
  /**
   * Declares an interface that already exists on every node the networks'
   * VMs can run on (created by hand, by the installer or by a tool outside
   * this app). The app-wide host-network rule accepts it as it is.
   */
  public static existing(name: string): IHostBridge {
    requireString(undefined, 'name', name, 'name the interface as `ip link` shows it on the nodes, e.g. \'br1\'');
    const problem = checkInterfaceName(name);
    if (problem) throw propError(undefined, 'name', name, problem, 'use the name of the interface as `ip link` shows it on the nodes');
    return new HostBridge(name, true);
  }

  /** @internal */
  public static _created(name: string): IHostBridge {
    return new HostBridge(name, false);
  }

  private constructor(public readonly bridgeName: string, public readonly preExisting: boolean) {}
}
