/**
 * Rules of a VM template that depend on the cluster's KubeVirt configuration.
 * They read the rendered KubeVirt CR of the same app; without one (the
 * platform is managed elsewhere) they stay silent. Messages have no path
 * (for `node.addValidation`).
 */
import { IConstruct } from 'constructs';
import { missingKubeVirtGate, PlatformKind, platformObjectOf } from '../../../private/platform-config';
import { formatPropError } from '../../../validation';
import { EvictionStrategy } from '../eviction-strategy';
import { InterfaceBindingType, NetworkKind } from '../network';
import { VirtualMachineTemplateOptions } from '../template-options';
import { VmInterface } from '../vm-parts';

/** KubeVirt's default `emulatedMachines` on amd64 (virt-config's DefaultAMD64EmulatedMachines). */
export const DEFAULT_AMD64_EMULATED_MACHINES = ['q35*', 'pc-q35*'];

/** Template annotations that only work with a KubeVirt feature gate: annotation, gate, FeatureGate constant, what it is. */
export const GATED_ANNOTATIONS: ReadonlyArray<[string, string, string, string]> = [
  ['kubevirt.io/ignitiondata', 'ExperimentalIgnitionSupport', 'EXPERIMENTAL_IGNITION_SUPPORT', 'Ignition data'],
  ['hooks.kubevirt.io/hookSidecars', 'Sidecar', 'SIDECAR', 'hook sidecars'],
];

/** Whether `name` matches a glob pattern the way Go's `filepath.Match` does (`*`, `?`, `[...]`, `\` escapes). */
export function globMatch(pattern: string, name: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {re += '[^/]*';} else if (c === '?') {re += '[^/]';} else if (c === '\\' && i + 1 < pattern.length) {re += `\\${pattern[++i]}`;} else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return false; // a malformed pattern matches nothing
      const body = pattern.slice(i + 1, end);
      re += `[${body.startsWith('^') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else {re += c.replace(/[.+^${}()|\]\\]/g, '\\$&');}
  }
  try {
    return new RegExp(`^${re}$`).test(name);
  } catch {
    return false;
  }
}

/** The eviction strategy a VM ends up with: its own, or the cluster default of the app's KubeVirt CR. */
export function effectiveEvictionStrategy(scope: IConstruct, own: EvictionStrategy | undefined): { strategy?: string; inheritedFrom?: string } {
  if (own !== undefined) return { strategy: own };
  const kubevirt = platformObjectOf(scope, PlatformKind.KUBEVIRT);
  const strategy = kubevirt?.spec.configuration?.evictionStrategy;
  return strategy === undefined ? {} : { strategy, inheritedFrom: kubevirt!.path };
}

/** The errors of a VM template against the app's KubeVirt CR. */
export function kubeVirtConfigProblems(
  scope: IConstruct, options: VirtualMachineTemplateOptions, interfaces: VmInterface[], allowsPodBridgeMigration: boolean,
): string[] {
  const kubevirt = platformObjectOf(scope, PlatformKind.KUBEVIRT);
  if (!kubevirt) return [];
  const problems: string[] = [];
  const config = kubevirt.spec.configuration ?? {};

  for (const [annotation, gate, constant, what] of GATED_ANNOTATIONS) {
    if ((options.templateAnnotations ?? {})[annotation] === undefined) continue;
    const missing = missingKubeVirtGate(scope, gate, constant, `templateAnnotations '${annotation}' (${what})`);
    if (missing) problems.push(missing);
  }

  const machineType = options.machineType?.value;
  if (machineType !== undefined) {
    const allowed: string[] = config.emulatedMachines ?? config.architectureConfiguration?.amd64?.emulatedMachines ?? DEFAULT_AMD64_EMULATED_MACHINES;
    if (!allowed.some(p => globMatch(p, machineType))) {
      problems.push(formatPropError('machineType', machineType,
        `matches none of the machine types the KubeVirt at '${kubevirt.path}' allows (${allowed.join(', ')}), so KubeVirt refuses the VM`,
        'use a machine type that matches them, or add it to that KubeVirt\'s \'emulatedMachines\''));
    }
  }

  const bindings: { [name: string]: any } = config.network?.binding ?? {};
  const eviction = effectiveEvictionStrategy(scope, options.evictionStrategy);
  for (const iface of interfaces) {
    const prop = `networks.${iface.name}.binding`;
    if (iface.binding.type === InterfaceBindingType.PLUGIN) {
      const name = iface.binding.pluginName!;
      const plugin = bindings[name];
      if (plugin === undefined) {
        const known = Object.keys(bindings);
        problems.push(formatPropError(prop, name,
          `is not a network binding plugin registered in the KubeVirt at '${kubevirt.path}' (${known.length > 0 ? `registered: ${known.join(', ')}` : 'none registered'})`,
          'register it with that KubeVirt\'s \'networkBindings\', or use a registered plugin'));
      } else if (eviction.strategy === EvictionStrategy.LIVE_MIGRATE && plugin.migration === undefined) {
        problems.push(formatPropError(prop, name,
          `declares no migration method in the KubeVirt at '${kubevirt.path}', so the VM cannot live-migrate, yet its evictionStrategy is LiveMigrate${eviction.inheritedFrom ? ' (the cluster default)' : ''}: KubeVirt denies its eviction and node drains block`,
          'give the plugin a \'migration\' in networkBindings if it supports one, or set evictionStrategy LiveMigrateIfPossible or None on this VM'));
      }
    }
    if (eviction.inheritedFrom !== undefined && eviction.strategy === EvictionStrategy.LIVE_MIGRATE
      && iface.network.kind === NetworkKind.POD && iface.binding.type === InterfaceBindingType.BRIDGE && !allowsPodBridgeMigration) {
      problems.push(formatPropError(prop, 'bridge',
        `on the pod network cannot live-migrate, while the KubeVirt at '${eviction.inheritedFrom}' makes LiveMigrate every VM's eviction strategy: KubeVirt accepts the VM, but denies its eviction, so node drains block`,
        'use InterfaceBinding.masquerade(), or set evictionStrategy LiveMigrateIfPossible or None on this VM'));
    }
  }
  return problems;
}
