/**
 * The parameters of a VirtualMachineTemplate (template.kubevirt.io/v1beta1):
 * which field of the VM each one replaces, and its name, value and
 * generator. The substitution syntax is virt-template's (the processor
 * KubeVirt v1.9.0's `virtctl template process` links,
 * pkg/virtctl/template/process/process.go:41): `${NAME}` inside a string,
 * `${{NAME}}` as a whole value that becomes a number or boolean; a name is
 * `[a-zA-Z0-9_]+` (virt-template internal/template/template.go:37-40).
 */
import { optionalShape, requireString, Shape } from '../../validation';

/** Options of a {@link TemplateParameter}. */
export interface TemplateParameterOptions {
  /**
   * Name of the parameter: letters, digits and `_` (referenced as `${NAME}`).
   *
   * @default - the factory's name: `NAME`, `MEMORY`, `IMAGE`, `INSTANCETYPE`, `PREFERENCE`, `CPU_CORES`
   */
  readonly parameterName?: string;

  /**
   * What the parameter is for, shown by `virtctl template process --print-params` and UIs.
   *
   * @default - a description of the field it replaces
   */
  readonly description?: string;

  /**
   * A name a UI shows instead of the parameter's name.
   *
   * @default - none
   */
  readonly displayName?: string;

  /**
   * The value used when processing is given none. A generator is ignored
   * when a value is set.
   *
   * @default - the VM's own value of the field (for `vmName()`: none, the name is generated)
   */
  readonly value?: string;

  /**
   * Whether processing must be given a value (or have a generator).
   *
   * @default false
   */
  readonly required?: boolean;

  /**
   * Generate a value at processing time from this expression (virt-template's
   * `expression` generator): text with `[ranges]{length}` parts, such as
   * `web-[a-z0-9]{5}`; ranges are characters, `a-z`-style spans, `\d`, `\w`,
   * `\a` or `\A`, the length 1 to 255. Only used when there is no value.
   *
   * @default - no generator (for `vmName()`: `<vm name>-[a-z0-9]{5}`)
   */
  readonly generate?: string;
}

/** Where a parameter goes in the VM. @internal */
export type ParameterTarget =
  | { readonly kind: 'name' }
  | { readonly kind: 'memory' }
  | { readonly kind: 'image' }
  | { readonly kind: 'instancetype' }
  | { readonly kind: 'preference' }
  | { readonly kind: 'cpuCores' }
  | { readonly kind: 'field'; readonly path: string };

/**
 * A parameter of a `VirtualMachineTemplate`: a field of the VM that
 * processing the template fills in.
 */
export class TemplateParameter {
  /**
   * The VM's name (`NAME`): the VM's name, and the names of the DataVolumes
   * it owns (`<name>-rootdisk`...), become `${NAME}`. By default a fresh
   * name is generated each time (`<vm name>-[a-z0-9]{5}`).
   */
  public static vmName(options: TemplateParameterOptions = {}): TemplateParameter {
    return new TemplateParameter({ kind: 'name' }, 'NAME', 'Name of the VirtualMachine', options);
  }

  /** The guest memory (`MEMORY`, `spec.template.spec.domain.memory.guest`), a quantity such as `4Gi`. */
  public static memory(options: TemplateParameterOptions = {}): TemplateParameter {
    return new TemplateParameter({ kind: 'memory' }, 'MEMORY', 'Guest memory of the VirtualMachine (a quantity, such as 4Gi)', options);
  }

  /**
   * The boot disk's image (`IMAGE`): a container disk's image, the registry
   * or HTTP URL a DataVolume template imports, or the name of the
   * DataSource, PVC or VolumeSnapshot it clones.
   */
  public static image(options: TemplateParameterOptions = {}): TemplateParameter {
    return new TemplateParameter({ kind: 'image' }, 'IMAGE', 'Image the VirtualMachine boots', options);
  }

  /** The instancetype's name (`INSTANCETYPE`, `spec.instancetype.name`). */
  public static instancetype(options: TemplateParameterOptions = {}): TemplateParameter {
    return new TemplateParameter({ kind: 'instancetype' }, 'INSTANCETYPE', 'Instancetype of the VirtualMachine', options);
  }

  /** The preference's name (`PREFERENCE`, `spec.preference.name`). */
  public static preference(options: TemplateParameterOptions = {}): TemplateParameter {
    return new TemplateParameter({ kind: 'preference' }, 'PREFERENCE', 'Preference of the VirtualMachine', options);
  }

  /** The number of CPU cores (`CPU_CORES`, `spec.template.spec.domain.cpu.cores`), a whole number. */
  public static cpuCores(options: TemplateParameterOptions = {}): TemplateParameter {
    return new TemplateParameter({ kind: 'cpuCores' }, 'CPU_CORES', 'CPU cores of the VirtualMachine', options);
  }

  /**
   * Any field the VM renders, by its path in the VirtualMachine object
   * (`spec.runStrategy`, `spec.template.spec.domain.cpu.sockets`,
   * `spec.template.spec.volumes[0].containerDisk.image`). A string field
   * becomes `${NAME}`; a number or boolean becomes `${{NAME}}`, and the
   * parameter's value must then be one.
   */
  public static field(name: string, path: string, options: TemplateParameterOptions = {}): TemplateParameter {
    requireString(undefined, 'name', name);
    requireString(undefined, 'path', path);
    return new TemplateParameter({ kind: 'field', path }, name, `Value of ${path}`, options);
  }

  /** Name of the parameter. */
  public readonly parameterName: string;
  /** @internal */
  public readonly _target: ParameterTarget;
  /** @internal */
  public readonly _defaultDescription: string;
  /** @internal */
  public readonly _options: TemplateParameterOptions;

  private constructor(target: ParameterTarget, defaultName: string, description: string, options: TemplateParameterOptions) {
    optionalShape(undefined, 'options', options, {
      parameterName: Shape.optString,
      description: Shape.optString,
      displayName: Shape.optString,
      value: Shape.optString,
      required: Shape.optBoolean,
      generate: Shape.optString,
    });
    this._target = target;
    this._options = options ?? {};
    this.parameterName = this._options.parameterName ?? defaultName;
    this._defaultDescription = description;
  }

  /** What the parameter replaces, for error messages. @internal */
  public _describe(): string {
    return this._target.kind === 'field' ? this._target.path : `${this._target.kind}`;
  }
}
