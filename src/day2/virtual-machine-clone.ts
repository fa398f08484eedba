import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { VirtualMachineCloneProps } from './day2-options';
import { snapshotGateProblems } from './private/gate';
import { PatchOp, requirePatches } from './private/patches';
import { appVm, appVms, vmInterfaces, vmResource } from './private/vm-facts';
import { AppSlot, appState } from '../private/app-registry';
import { sortedMap } from '../private/sorted-map';
import { ensureUniqueObjectNames } from '../private/unique-object-names';
import { reportWarnings } from '../private/warnings';
import {
  checkMacAddress, ErrorScope, formatPropError, propError, propPath, requireDns1123Label, requireDns1123Subdomain, requireShape, Shape,
} from '../validation';

const INTERFACE_MAC_PATH = /^\/spec\/template\/spec\/domain\/devices\/interfaces\/(\d+)\/macAddress$/;

/**
 * The clone admitter's filter rule (pkg/virt-api/webhooks/validating-webhook/admitters/vmclone-admitter.go:125-160
 * at v1.9.0): `!` only first and never alone, `*` only last.
 */
function requireFilters(scope: ErrorScope, prop: string, filters: readonly string[]): void {
  filters.forEach((f, i) => {
    const fix = 'write \'*\' for all, \'!key\' to drop one, \'prefix*\' for a prefix';
    if (f === '!') throw propError(scope, propPath(prop, i), f, 'is a negation alone, which KubeVirt refuses', fix);
    if (f.length > 1 && f.slice(1).includes('!')) throw propError(scope, propPath(prop, i), f, 'has \'!\' after its first character', fix);
    if (f.length > 1 && f.slice(0, -1).includes('*')) throw propError(scope, propPath(prop, i), f, 'has \'*\' before its last character', fix);
  });
}

/** Every clone of the app, so their new MACs are compared with each other too. */
const CLONES = new AppSlot<VirtualMachineClone[]>('VM clones', () => []);

/**
 * A KubeVirt VirtualMachineClone (clone.kubevirt.io/v1beta1, the storage
 * version at v1.9.0): KubeVirt snapshots the source VM and restores the
 * snapshot into a new VM, `targetName`, with new MACs and SMBIOS serial and
 * the label, annotation and JSON patches given. Needs the Snapshot feature
 * gate (Beta in v1.9.0, on by default).
 */
export class VirtualMachineClone extends Construct {
  /** Name of the VirtualMachineClone. */
  public readonly name: string;
  /** Namespace of the clone (its source's, and the new VM's). */
  public readonly namespace: string;
  /** Name of the new VM. */
  public readonly targetName: string;
  private readonly sourceName: string;
  private readonly newMacs: { [iface: string]: string };
  private readonly patchOps: PatchOp[];

  constructor(scope: Construct, id: string, props: VirtualMachineCloneProps) {
    super(scope, id);
    requireShape(this, 'props', props, {
      name: Shape.optString,
      source: Shape.ref('IVirtualMachine', ['name', 'namespace'], 'pass a VirtualMachine, or VirtualMachine.fromVirtualMachineName()'),
      targetName: Shape.string,
      newMacAddresses: Shape.optStringMap,
      newSmbiosSerial: Shape.optString,
      labelFilters: Shape.optArray(Shape.string),
      annotationFilters: Shape.optArray(Shape.string),
      patches: Shape.optArray(Shape.string),
    });
    ensureUniqueObjectNames(this);
    this.namespace = props.source.namespace;
    this.sourceName = props.source.name;
    requireDns1123Label(this, 'targetName', props.targetName);
    if (props.targetName === props.source.name) {
      // vmclone-admitter.go:228-247
      throw propError(this, 'targetName', props.targetName, 'is the source VM\'s name, which KubeVirt refuses', 'give the clone a name of its own');
    }
    this.targetName = props.targetName;
    this.newMacs = sortedMap(props.newMacAddresses ?? {});
    const seen = new Map<string, string>();
    for (const [iface, mac] of Object.entries(this.newMacs)) {
      const problem = checkMacAddress(mac); // vmclone-admitter.go:249-265
      if (problem) throw propError(this, propPath('newMacAddresses', iface), mac, problem, 'give a locally administered unicast MAC such as \'02:5a:10:00:00:01\'');
      const key = mac.toLowerCase().replace(/-/g, ':');
      if (seen.has(key)) {
        throw propError(this, propPath('newMacAddresses', iface), mac, `is also given to interface '${seen.get(key)}'`, 'give each interface its own MAC');
      }
      seen.set(key, iface);
    }
    requireFilters(this, 'labelFilters', props.labelFilters ?? []);
    requireFilters(this, 'annotationFilters', props.annotationFilters ?? []);
    this.patchOps = requirePatches(this, 'patches', props.patches ?? []);

    const resource = new ApiObject(this, 'Resource', {
      apiVersion: 'clone.kubevirt.io/v1beta1',
      kind: 'VirtualMachineClone',
      metadata: { ...(props.name !== undefined && { name: props.name }), namespace: this.namespace },
      spec: Lazy.any({
        produce: () => ({
          ...(props.annotationFilters && props.annotationFilters.length > 0 && { annotationFilters: [...props.annotationFilters] }),
          ...(props.labelFilters && props.labelFilters.length > 0 && { labelFilters: [...props.labelFilters] }),
          ...(Object.keys(this.newMacs).length > 0 && { newMacAddresses: { ...this.newMacs } }),
          ...(props.newSmbiosSerial !== undefined && { newSMBiosSerial: props.newSmbiosSerial }),
          ...(props.patches && props.patches.length > 0 && { patches: [...props.patches] }),
          source: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: this.sourceName },
          target: { apiGroup: 'kubevirt.io', kind: 'VirtualMachine', name: this.targetName },
        }),
      }),
    });
    const vm = vmResource(props.source);
    if (vm) resource.node.addDependency(vm);
    this.name = resource.name;
    requireDns1123Subdomain(this, 'name', this.name);

    appState(this, CLONES).push(this);
    this.node.addValidation({
      validate: () => {
        return [...snapshotGateProblems(this, 'a VirtualMachineClone'), ...this.graphProblems()];
      },
    });
    reportWarnings(this, () => this.macWarnings());
  }

  /**
   * The MACs the clone's interfaces end with: KubeVirt first sets each
   * source interface's MAC to its `newMacAddresses` entry or empties it,
   * then applies the user's patches (pkg/virt-controller/watch/clone/vm-target.go:36-53, 70-78).
   * @internal
   */
  public _cloneMacs(): Array<{ where: string; mac: string }> {
    const out = Object.entries(this.newMacs).map(([iface, mac]) => ({ where: `newMacAddresses.${iface}`, mac }));
    this.patchOps.forEach((p, i) => {
      if ((p.op === 'add' || p.op === 'replace') && INTERFACE_MAC_PATH.test(p.path) && typeof p.value === 'string' && p.value !== '') {
        out.push({ where: `patches[${i}]`, mac: p.value });
      }
    });
    return out;
  }

  private graphProblems(): string[] {
    const problems: string[] = [];
    const source = appVm(this, this.namespace, this.sourceName);
    if (source) {
      const names = vmInterfaces(source).map(i => i.name);
      for (const iface of Object.keys(this.newMacs)) {
        if (!names.includes(iface)) {
          problems.push(formatPropError(propPath('newMacAddresses', iface), this.newMacs[iface],
            `names no interface of the VM '${source.name}' (it has ${names.map(n => `'${n}'`).join(', ') || 'none'}); KubeVirt ignores it`,
            'key newMacAddresses by the source VM\'s interface names'));
        }
      }
    }
    const existing = appVm(this, this.namespace, this.targetName);
    if (existing) {
      // a clone is a snapshot restored into the target (pkg/virt-controller/watch/clone/clone.go:539-575)
      problems.push(formatPropError('targetName', this.targetName,
        `names the VM at ${existing.path}, which the clone's restore would overwrite`, 'clone into a new VM name'));
    }
    const owners = new Map<string, string>();
    for (const vm of appVms(this)) {
      for (const i of vmInterfaces(vm)) {
        if (i.macAddress) owners.set(normal(i.macAddress), `interface '${i.name}' of the VM at ${vm.path}`);
      }
    }
    for (const other of appState(this, CLONES)) {
      if (other === this) continue;
      for (const m of other._cloneMacs()) {
        const key = normal(m.mac);
        if (!owners.has(key)) owners.set(key, `${m.where} of the clone at ${other.node.path}`);
      }
    }
    for (const m of this._cloneMacs()) {
      const owner = owners.get(normal(m.mac));
      if (owner) {
        problems.push(formatPropError(m.where, m.mac, `collides with the MAC of ${owner}: two interfaces on one L2 network would share it`,
          'give the clone a MAC no other VM or clone of the app uses'));
      }
    }
    return problems;
  }

  /** The source's fixed MACs that the clone loses (vm-target.go:70-78). */
  private macWarnings(): string[] {
    const source = appVm(this, this.namespace, this.sourceName);
    if (!source) return [];
    const lost = vmInterfaces(source).filter(i => i.macAddress && this.newMacs[i.name] === undefined).map(i => `'${i.name}'`);
    if (lost.length === 0) return [];
    return [`interfaces ${lost.join(', ')} of '${source.name}' have fixed MACs, which the clone loses (KubeVirt empties a MAC `
      + 'newMacAddresses does not give, and the cluster picks one); cloud-init network data matched by MAC will not match in the clone: '
      + 'give each interface a MAC in newMacAddresses'];
  }
}

function normal(mac: string): string {
  return mac.toLowerCase().replace(/-/g, ':');
}
