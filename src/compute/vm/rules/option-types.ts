/**
 * Runtime shape checks of the VM template options and of VM interfaces, run
 * before any other rule looks at them, so a caller from another language who
 * passes a string for a `Size` or a `BootDisk` gets the library's error.
 */
import { IConstruct } from 'constructs';
import {
  optionalArray, optionalBoolean, optionalEnum, optionalInstance, optionalSize, Shape, optionalString,
  optionalStringMap, propError, requireInstance, requireString, requireStruct,
} from '../../../validation';
import { Instancetype, Preference } from '../../instancetypes/selection';
import { EvictionStrategy } from '../eviction-strategy';
import { Firmware, MachineType } from '../machine';
import { InterfaceBinding, Network } from '../network';
import { RunStrategy } from '../run-strategy';
import { CloudInit } from '../secrets/cloud-init';
import { VirtualMachineTemplateOptions } from '../template-options';

/** Throws the library error unless every typed VM template option has its declared shape. */
export function requireTemplateShapes(scope: IConstruct, options: VirtualMachineTemplateOptions): void {
  requireStruct(scope, 'props', options);
  for (const prop of ['cores', 'sockets', 'threads'] as const) Shape.optNumber(scope, prop, options[prop]);
  optionalSize(scope, 'memory', options.memory);
  optionalEnum(scope, 'runStrategy', options.runStrategy, RunStrategy, 'RunStrategy');
  optionalEnum(scope, 'evictionStrategy', options.evictionStrategy, EvictionStrategy, 'EvictionStrategy');
  optionalInstance(scope, 'firmware', options.firmware, Firmware, 'Firmware.bios() or Firmware.efi()');
  optionalInstance(scope, 'machineType', options.machineType, MachineType, 'MachineType.Q35 or MachineType.custom(name)');
  optionalInstance(scope, 'instancetype', options.instancetype, Instancetype, 'Instancetype.cluster(name) or Instancetype.namespaced(name)');
  optionalInstance(scope, 'preference', options.preference, Preference, 'Preference.cluster(name) or Preference.namespaced(name)');
  optionalInstance(scope, 'cloudInit', options.cloudInit, CloudInit, 'CloudInit.noCloud({ userData }) or CloudInit.fromSecret(name)');
  optionalArray(scope, 'sshKeys', options.sshKeys, (key, prop) => requireString(scope, prop, key, 'give each public key as its own string entry'));
  for (const prop of ['labels', 'annotations', 'templateLabels', 'templateAnnotations', 'nodeSelector'] as const) {
    optionalStringMap(scope, prop, options[prop]);
  }
  optionalArray(scope, 'tolerations', options.tolerations, (t, prop) => requireStruct(scope, prop, t));
  if (options.affinity !== undefined) requireStruct(scope, 'affinity', options.affinity);
  optionalBoolean(scope, 'allowPodBridgeNetworkLiveMigration', options.allowPodBridgeNetworkLiveMigration);
  // not a shape, but as fundamental: KubeVirt's admission refuses these on every VM instance a user creates
  for (const key of Object.keys(options.templateLabels ?? {})) {
    if (RESERVED_VMI_LABELS.includes(key)) {
      throw propError(scope, 'templateLabels', key, 'is a label KubeVirt sets on VM instances itself, and its admission refuses it from users',
        'remove it, and select VMs by a label of your own (e.g. app.kubernetes.io/name)');
    }
  }
}

/** VM instance labels only KubeVirt's own components may set (virt-api's restricted VMI labels). */
export const RESERVED_VMI_LABELS = [
  'kubevirt.io/created-by', 'kubevirt.io/migrationJobUID', 'kubevirt.io/nodeName', 'kubevirt.io/migrationTargetNodeName',
  'kubevirt.io/schedulable', 'kubevirt.io/install-strategy',
];

/** Throws the library error unless one entry of `networks` (or the arguments of `addNetwork`) has its declared shape. */
export function requireInterfaceShape(scope: IConstruct, prop: string, name: unknown, network: unknown, binding: unknown, macAddress: unknown): void {
  requireString(scope, `${prop}.name`, name, 'name the interface with a short lowercase name such as \'default\'');
  requireInstance(scope, `${prop}.network`, network, Network, 'Network.pod() or Network.multus(nad)');
  optionalInstance(scope, `${prop}.binding`, binding, InterfaceBinding, 'InterfaceBinding.masquerade(), bridge(), sriov() or plugin(name)');
  optionalString(scope, `${prop}.macAddress`, macAddress);
}
