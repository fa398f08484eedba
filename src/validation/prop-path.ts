import { IConstruct } from 'constructs';
import { propError } from './errors';

/**
 * The prop path of `field` below `parent`, as errors name it: `ipam.range`,
 * `disks[2]` (a number is a list index), the field alone at the top (an
 * empty `parent`).
 */
export function propPath(parent: string, field: string | number): string {
  if (typeof field === 'number') return `${parent}[${field}]`;
  return parent ? `${parent}.${field}` : field;
}

/**
 * Where a value sits in the props of a construct (`plugins[0].ipam`): the
 * construct that reports the error and the prop path so far. Value classes
 * are checked by the construct that receives them, which hands them a
 * `PropPath` so that their errors carry the construct path and the full
 * prop path.
 */
export class PropPath {
  public constructor(public readonly scope: IConstruct, public readonly prefix: string) {}

  /** The full path of `name` below this one; a name already in brackets (`[2]`) is an index. */
  public prop(name: string): string {
    return name.startsWith('[') ? `${this.prefix}${name}` : propPath(this.prefix, name);
  }

  /** The path of `name` below this one, to hand to a nested value. */
  public child(name: string): PropPath {
    return new PropPath(this.scope, this.prop(name));
  }

  /** Throws the library error for the prop `name` below this path. */
  public fail(name: string, value: unknown, problem: string, fix: string): never {
    throw propError(this.scope, this.prop(name), value, problem, fix);
  }
}
