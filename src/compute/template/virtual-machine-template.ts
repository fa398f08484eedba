import { ApiObject, ApiObjectProps, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { TemplateParameter } from './template-parameter';
import { TEMPLATE_SOURCE_ANNOTATION } from '../../private/labels';
import { MissingNamespace, resolveNamespace } from '../../private/namespace';
import { reportWarnings } from '../../private/warnings';
import {
  optionalArray, optionalBoolean, optionalLabels, optionalString, propError, propPath,
  requireDns1123Subdomain, requireInstance, requireShape, requireString, Shape,
} from '../../validation';
import { VirtualMachine } from '../vm/virtual-machine';

/**
 * The labels KubeVirt v1.9.0 reads for a default instancetype and
 * preference (kubevirt.io/api instancetype/register.go:43-46): KubeVirt's
 * inference reads them on the volume a VM infers from
 * (pkg/instancetype/infer/handler.go:67,100), and `virtctl image-upload`
 * writes them on DataVolumes, PVCs and DataSources
 * (pkg/virtctl/imageupload/imageupload.go:661-676).
 */
const DEFAULT_INSTANCETYPE_LABEL = 'instancetype.kubevirt.io/default-instancetype';
const DEFAULT_INSTANCETYPE_KIND_LABEL = 'instancetype.kubevirt.io/default-instancetype-kind';
const DEFAULT_PREFERENCE_LABEL = 'instancetype.kubevirt.io/default-preference';
const DEFAULT_PREFERENCE_KIND_LABEL = 'instancetype.kubevirt.io/default-preference-kind';

/** A parameter name (virt-template internal/template/template.go:37). */
const PARAMETER_NAME = /^[a-zA-Z0-9_]+$/;
/** One `[ranges]{length}` part of a generator expression (virt-template internal/template/generator/expressionvalue.go:24). */
const EXPRESSION_PART = /\[([a-zA-Z0-9\-\\]+)\](\{(\w+)\})/g;
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Options of {@link VirtualMachineTemplate.fromVirtualMachine}. */
export interface VirtualMachineTemplateFromVmOptions {
  /**
   * The VM the template describes. Its rendered object becomes the
   * template's VM, with the parameters' fields replaced. The VM is still
   * synthesized where it lives; to publish only the template, build the VM
   * in a chart of an app that is never synthesized.
   */
  readonly vm: VirtualMachine;

  /**
   * Name of the template (a DNS-1123 subdomain).
   *
   * @default - the VM's name
   */
  readonly name?: string;

  /**
   * Namespace of the template.
   *
   * @default - the namespace of the chart
   */
  readonly namespace?: string;

  /**
   * The parameters, each replacing a field of the VM; names must be unique.
   *
   * @default - `TemplateParameter.vmName()` alone
   */
  readonly parameters?: TemplateParameter[];

  /**
   * An instructional message for the user of the template (`spec.message`).
   *
   * @default - none
   */
  readonly message?: string;

  /**
   * Labels of the template object. The VM's instancetype and preference are
   * added as the `instancetype.kubevirt.io/default-instancetype`,
   * `-default-instancetype-kind`, `-default-preference` and
   * `-default-preference-kind` labels unless `instancetypeLabels` is false.
   *
   * @default - none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Label the template with the VM's instancetype and preference, under
   * the keys KubeVirt and `virtctl` use for a default instancetype and
   * preference, so that catalogs can filter templates by them.
   *
   * @default true
   */
  readonly instancetypeLabels?: boolean;
}

/**
 * A VirtualMachineTemplate (template.kubevirt.io/v1beta1; the Template gate
 * is Beta, so on by default, in KubeVirt v1.9.0): a VM whose fields are
 * parameters, processed into a new VM by `virtctl template process` or the
 * template's `process` subresource.
 *
 * The template holds the VM object only. The Secrets a VM of this library
 * references (its cloud-init data, SSH keys) are separate objects: every VM
 * processed from the template references the same Secret names, in its own
 * namespace, so the Secrets must exist there (a warning lists them).
 */
export class VirtualMachineTemplate extends Construct {
  /**
   * A template of `options.vm`: the VM as this library renders it, with
   * each parameter's field replaced by its reference.
   */
  public static fromVirtualMachine(scope: Construct, id: string, options: VirtualMachineTemplateFromVmOptions): VirtualMachineTemplate {
    return new VirtualMachineTemplate(scope, id, options);
  }

  /** Name of the template. */
  public readonly name: string;
  /** Namespace of the template. */
  public readonly namespace: string;
  /** Names of the parameters, in order. */
  public readonly parameterNames: string[];

  private constructor(scope: Construct, id: string, options: VirtualMachineTemplateFromVmOptions) {
    super(scope, id);
    requireShape(this, 'options', options, {
      name: Shape.optString,
      namespace: Shape.optString,
      message: Shape.optString,
      labels: Shape.optLabels,
      instancetypeLabels: Shape.optBoolean,
    });
    requireInstance(this, 'vm', options.vm, VirtualMachine, 'pass a VirtualMachine (or IsolatedVm) construct');
    const vm = options.vm;
    const name = options.name ?? vm.name;
    requireDns1123Subdomain(this, 'name', name);
    const namespace = resolveNamespace(this, options.namespace, MissingNamespace.of('VM template'));
    const parameters = options.parameters === undefined ? [TemplateParameter.vmName()] : optionalArray<TemplateParameter>(this, 'parameters', options.parameters,
      (p, prop) => requireInstance(this, prop, p, TemplateParameter, 'TemplateParameter.vmName(), TemplateParameter.memory() or another TemplateParameter factory'));
    const seen = new Map<string, number>();
    parameters.forEach((p, i) => {
      const prop = propPath('parameters', i);
      checkParameterOptions(this, prop, p);
      const first = seen.get(p.parameterName);
      if (first !== undefined) {
        throw propError(this, propPath(prop, 'parameterName'), p.parameterName, `is already the name of parameters[${first}]`,
          'give each parameter its own name (parameterName)');
      }
      seen.set(p.parameterName, i);
    });
    optionalLabels(this, 'labels', options.labels);
    optionalBoolean(this, 'instancetypeLabels', options.instancetypeLabels);

    this.name = name;
    this.namespace = namespace;
    this.parameterNames = parameters.map(p => p.parameterName);

    const resource = vm.node.findChild('Resource') as ApiObject;
    const render = () => renderTemplate(this, resource.toJson(), parameters);
    // a VM kept out of this app is not validated by it: validate it here
    if (vm.node.root !== this.node.root) this.node.addValidation({ validate: () => vm.node.validate() });

    new TemplateObject(this, 'Resource', {
      apiVersion: 'template.kubevirt.io/v1beta1',
      kind: 'VirtualMachineTemplate',
      metadata: { name, namespace, annotations: { [TEMPLATE_SOURCE_ANNOTATION]: vm.name } },
      spec: Lazy.any({ produce: () => ({ ...(options.message !== undefined && { message: options.message }), ...render() }) }),
    }, () => templateLabels(resource.toJson(), options.labels, options.instancetypeLabels !== false));
    reportWarnings(this, () => {
      const secrets = referencedSecrets(resource.toJson().spec);
      return secrets.length === 0 ? [] : [
        `the template's VM references the Secret(s) ${secrets.map(s => `'${s}'`).join(', ')}, which are separate objects and not part of the template: `
        + 'create them in every namespace the template is processed into (every VM processed from it shares them)',
      ];
    });
  }
}

/** The template object: its labels follow the VM's instancetype and preference, read at synthesis. */
class TemplateObject extends ApiObject {
  constructor(scope: Construct, id: string, props: ApiObjectProps, private readonly labels: () => { [key: string]: string } | undefined) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    const labels = this.labels();
    if (labels) json.metadata = { ...json.metadata, labels };
    return json;
  }
}

function checkParameterOptions(scope: Construct, prop: string, p: TemplateParameter): void {
  const o = p._options;
  requireShape(scope, prop, o, {
    parameterName: Shape.optString,
    description: Shape.optString,
    displayName: Shape.optString,
    value: Shape.optString,
    required: Shape.optBoolean,
    generate: Shape.optString,
  });
  requireString(scope, propPath(prop, 'parameterName'), p.parameterName);
  if (!PARAMETER_NAME.test(p.parameterName)) {
    throw propError(scope, propPath(prop, 'parameterName'), p.parameterName,
      'is not a parameter name virt-template substitutes (letters, digits and \'_\' only)', 'use a name such as \'DISK_SIZE\'');
  }
  if (p._target.kind === 'field') optionalString(scope, propPath(prop, 'path'), p._target.path);
  if (o.generate !== undefined) {
    const problem = checkExpression(o.generate);
    if (problem) {
      throw propError(scope, propPath(prop, 'generate'), o.generate, problem,
        'write text with [ranges]{length} parts, such as \'web-[a-z0-9]{5}\' (ranges: characters, spans like a-z, \\d, \\w, \\a, \\A; length 1 to 255)');
    }
  }
}

/** What is wrong with a generator expression, following virt-template's expression generator. */
function checkExpression(expression: string): string | undefined {
  const parts = [...expression.matchAll(EXPRESSION_PART)];
  if (parts.length === 0) return 'has no [ranges]{length} part to generate';
  for (const part of parts) {
    const length = Number(part[3]);
    if (!/^\d+$/.test(part[3]) || length < 1 || length > 255) return `has the length '{${part[3]}}': it must be a whole number from 1 to 255`;
    const ranges = part[1];
    for (const span of ranges.matchAll(/(.)-(.)/g)) {
      if (span[0].includes('\\')) continue;
      const from = ALPHANUMERIC.indexOf(span[1]);
      const to = ALPHANUMERIC.indexOf(span[2]);
      if (from < 0 || to < 0 || from > to) return `has the range '${span[0]}': a span runs from a letter or digit to a later one (a-z, A-Z, 0-9)`;
    }
  }
  return undefined;
}

/** The template's labels: the user's, then the VM's instancetype and preference. */
function templateLabels(vmObject: any, labels: { [key: string]: string } | undefined, instancetypeLabels: boolean): any {
  const out: { [key: string]: string } = { ...(labels ?? {}) };
  const spec = vmObject.spec ?? {};
  if (instancetypeLabels && spec.instancetype?.name) {
    out[DEFAULT_INSTANCETYPE_LABEL] ??= spec.instancetype.name;
    if (spec.instancetype.kind) out[DEFAULT_INSTANCETYPE_KIND_LABEL] ??= spec.instancetype.kind;
  }
  if (instancetypeLabels && spec.preference?.name) {
    out[DEFAULT_PREFERENCE_LABEL] ??= spec.preference.name;
    if (spec.preference.kind) out[DEFAULT_PREFERENCE_KIND_LABEL] ??= spec.preference.kind;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Renders the template spec: the parameters and the VM with their references. */
function renderTemplate(scope: Construct, vmObject: any, parameters: TemplateParameter[]): any {
  const vm = JSON.parse(JSON.stringify(vmObject));
  const vmName: string = vm.metadata.name;
  // virt-template drops a namespace that is not a parameter; leave none to drop
  delete vm.metadata.namespace;
  // The firmware UUID and serial are the one VM's identity: every VM
  // processed from the template would share them. Left out, KubeVirt's VM
  // mutator draws each processed VM its own (v1.9.0
  // pkg/virt-api/webhooks/mutating-webhook/mutators/vm-mutator.go,
  // setFirmwareDefaultsIfEmpty, lines 127-139).
  const domain = vm.spec?.template?.spec?.domain;
  if (domain?.firmware) {
    delete domain.firmware.uuid;
    delete domain.firmware.serial;
    if (Object.keys(domain.firmware).length === 0) delete domain.firmware;
  }
  const claimed = new Map<string, number>();
  const rendered = parameters.map((p, i) => {
    const prop = propPath('parameters', i);
    const sites = parameterSites(scope, prop, vm, p);
    for (const site of sites) {
      const key = site.path.join('.');
      const other = claimed.get(key);
      if (other !== undefined) {
        throw propError(scope, prop, p.parameterName, `replaces ${key}, which parameters[${other}] already replaces`, 'drop one of the two parameters');
      }
      claimed.set(key, i);
    }
    const current = sites[0].value;
    const asString = typeof current === 'string';
    let value = p._options.value;
    if (value === undefined && p._target.kind !== 'name' && p._options.generate === undefined) value = String(current);
    if (!asString && value !== undefined && !isScalar(value, typeof current)) {
      throw propError(scope, propPath(prop, 'value'), value, `must be a ${typeof current}: ${p._describe()} holds ${JSON.stringify(current)}, and the template sets it from \${{${p.parameterName}}}`,
        `give a ${typeof current} such as ${JSON.stringify(current)}`);
    }
    for (const site of sites) {
      site.set(asString ? site.value.split(site.match).join(`\${${p.parameterName}}`) : `\${{${p.parameterName}}}`);
    }
    const generate = p._options.generate ?? (p._target.kind === 'name' && value === undefined ? `${vmName}-[a-z0-9]{5}` : undefined);
    return {
      name: p.parameterName,
      ...(p._options.displayName !== undefined && { displayName: p._options.displayName }),
      description: p._options.description ?? p._defaultDescription,
      ...(value !== undefined && { value }),
      ...(generate !== undefined && value === undefined && { generate: 'expression', from: generate }),
      ...(p._options.required === true && { required: true }),
    };
  });
  return { parameters: rendered, virtualMachine: vm };
}

function isScalar(value: string, type: string): boolean {
  if (type === 'number') return /^-?\d+(\.\d+)?$/.test(value);
  if (type === 'boolean') return value === 'true' || value === 'false';
  return false;
}

interface Site {
  readonly path: Array<string | number>;
  readonly value: any;
  /** The part of a string value the reference replaces. */
  readonly match: string;
  readonly set: (v: any) => void;
}

function siteAt(root: any, path: Array<string | number>, match?: string): Site | undefined {
  let node = root;
  for (const key of path.slice(0, -1)) {
    node = node?.[key];
    if (node === undefined || node === null || typeof node !== 'object') return undefined;
  }
  const last = path[path.length - 1];
  const value = node?.[last];
  if (value === undefined || value === null || typeof value === 'object') return undefined;
  return { path, value, match: match ?? String(value), set: v => { node[last] = v; } };
}

/** Where a parameter goes in `vm`; throws when the VM has no such field. */
function parameterSites(scope: Construct, prop: string, vm: any, p: TemplateParameter): Site[] {
  const t = p._target;
  const spec = ['spec', 'template', 'spec'];
  const missing = (what: string, fix: string): Error => propError(scope, prop, p.parameterName, `replaces ${what}, which the VM does not set`, fix);
  switch (t.kind) {
    case 'name': return nameSites(vm);
    case 'memory': {
      const site = siteAt(vm, [...spec, 'domain', 'memory', 'guest']);
      if (!site) throw missing('the guest memory', 'set the VM\'s memory, or use TemplateParameter.instancetype() for a VM sized by its instancetype');
      return [site];
    }
    case 'cpuCores': {
      const site = siteAt(vm, [...spec, 'domain', 'cpu', 'cores']);
      if (!site) throw missing('the CPU cores', 'set the VM\'s cpu cores');
      return [site];
    }
    case 'instancetype': {
      const site = siteAt(vm, ['spec', 'instancetype', 'name']);
      if (!site) throw missing('the instancetype', 'give the VM an instancetype');
      return [site];
    }
    case 'preference': {
      const site = siteAt(vm, ['spec', 'preference', 'name']);
      if (!site) throw missing('the preference', 'give the VM a preference');
      return [site];
    }
    case 'image': {
      const site = imageSite(vm);
      if (!site) throw missing('the boot disk\'s image', 'boot the VM from a container disk, a DataVolume template or a clone (BootDisk.containerDisk(), BootDisk.cloneOf()...)');
      return [site];
    }
    case 'field': {
      const path = parsePath(t.path);
      const site = path ? siteAt(vm, path) : undefined;
      if (!site) {
        throw propError(scope, propPath(prop, 'path'), t.path, 'is not a string, number or boolean field of the rendered VirtualMachine',
          'give a dotted path to a field the VM renders, such as \'spec.runStrategy\' or \'spec.template.spec.domain.cpu.sockets\'');
      }
      if (path![0] === 'metadata' && path![1] === 'name') {
        throw propError(scope, propPath(prop, 'path'), t.path, 'is the VM\'s name', 'use TemplateParameter.vmName(), which also renames the DataVolumes the VM owns');
      }
      return [site];
    }
  }
  return [];
}

function parsePath(path: string): Array<string | number> | undefined {
  if (typeof path !== 'string' || path.length === 0) return undefined;
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[\]]+)((\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    out.push(m[1]);
    for (const index of m[2].match(/\d+/g) ?? []) out.push(Number(index));
  }
  return out;
}

/** The VM's name and the names derived from it: the DataVolumes it owns and the volumes that use them. */
function nameSites(vm: any): Site[] {
  const vmName: string = vm.metadata.name;
  const sites: Site[] = [siteAt(vm, ['metadata', 'name'])!];
  const derived = (v: unknown): boolean => typeof v === 'string' && v.startsWith(`${vmName}-`);
  (vm.spec?.dataVolumeTemplates ?? []).forEach((_: any, i: number) => {
    const site = siteAt(vm, ['spec', 'dataVolumeTemplates', i, 'metadata', 'name'], vmName);
    if (site && derived(site.value)) sites.push(site);
  });
  (vm.spec?.template?.spec?.volumes ?? []).forEach((v: any, i: number) => {
    for (const path of [['dataVolume', 'name'], ['persistentVolumeClaim', 'claimName']]) {
      const site = siteAt(vm, ['spec', 'template', 'spec', 'volumes', i, ...path], vmName);
      if (site && derived(site.value) && ownedName(vm, site.value)) sites.push(site);
    }
    void v;
  });
  return sites;
}

function ownedName(vm: any, name: string): boolean {
  return (vm.spec?.dataVolumeTemplates ?? []).some((t: any) => t.metadata?.name === name);
}

/** The boot disk's image: the first disk with boot order 1, else the first disk. */
function imageSite(vm: any): Site | undefined {
  const tspec = vm.spec?.template?.spec ?? {};
  const disks: any[] = tspec.domain?.devices?.disks ?? [];
  const boot = disks.find(d => d.bootOrder === 1) ?? disks[0];
  if (!boot) return undefined;
  const index = (tspec.volumes ?? []).findIndex((v: any) => v.name === boot.name);
  if (index < 0) return undefined;
  const volume = tspec.volumes[index];
  const base = ['spec', 'template', 'spec', 'volumes', index];
  if (volume.containerDisk) return siteAt(vm, [...base, 'containerDisk', 'image']);
  const dvName = volume.dataVolume?.name;
  const t = (vm.spec?.dataVolumeTemplates ?? []).findIndex((d: any) => d.metadata?.name === dvName);
  if (dvName === undefined || t < 0) return undefined;
  const dv = ['spec', 'dataVolumeTemplates', t, 'spec'];
  for (const path of [['source', 'registry', 'url'], ['source', 'http', 'url'], ['source', 'pvc', 'name'], ['source', 'snapshot', 'name'], ['sourceRef', 'name']]) {
    const site = siteAt(vm, [...dv, ...path]);
    if (site) return site;
  }
  return undefined;
}

/** Names of the Secrets a VM spec references, sorted. */
function referencedSecrets(spec: any): string[] {
  const names = new Set<string>();
  const tspec = spec?.template?.spec ?? {};
  for (const v of tspec.volumes ?? []) {
    for (const key of ['cloudInitNoCloud', 'cloudInitConfigDrive']) {
      if (v[key]?.secretRef?.name) names.add(v[key].secretRef.name);
      if (v[key]?.networkDataSecretRef?.name) names.add(v[key].networkDataSecretRef.name);
    }
    if (v.secret?.secretName) names.add(v.secret.secretName);
    if (v.sysprep?.secret?.name) names.add(v.sysprep.secret.name);
  }
  for (const c of tspec.accessCredentials ?? []) {
    const s = c.sshPublicKey?.source?.secret?.secretName ?? c.userPassword?.source?.secret?.secretName;
    if (s) names.add(s);
  }
  return [...names].sort();
}
