/**
 * The fixed names and the interface entry that every VM spec is built from,
 * read by the rules, the rendering and the cloud-init network data.
 */
import { Size } from 'cdk8s';
import { InterfaceBinding, Network } from './network';
import { InterfaceModel } from '../devices/guest-devices';

/** KubeVirt's annotation that allows live migration with a bridge-bound pod network. */
export const ALLOW_POD_BRIDGE_MIGRATION_ANNOTATION = 'kubevirt.io/allow-pod-bridge-network-live-migration';

/** Name of the boot volume and disk in every VM spec. */
export const BOOT_VOLUME_NAME = 'rootdisk';

/** Name of the cloud-init NoCloud volume and disk. */
export const CLOUD_INIT_VOLUME_NAME = 'cloudinitdisk';

/** Guest memory of a VM that sets neither memory nor an instancetype. */
export const DEFAULT_MEMORY = Size.gibibytes(1);

/** One interface of a VM together with its network (same name). */
export interface VmInterface {
  readonly name: string;
  readonly network: Network;
  readonly binding: InterfaceBinding;
  readonly macAddress?: string;
  /** NIC model and boot order, when given. */
  readonly model?: InterfaceModel;
  readonly bootOrder?: number;
}

/** The binding an interface gets when none is given. */
export function resolveInterface(name: string, network: Network, binding?: InterfaceBinding, macAddress?: string): VmInterface {
  return { name, network, binding: binding ?? network._defaultBinding(), macAddress };
}
