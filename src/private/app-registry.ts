import { IConstruct } from 'constructs';

/**
 * The one app-wide registry. Rules that look across a whole construct tree
 * (network names, host interfaces, the platform's CRs, object names, node
 * needs, planned addresses) keep their state in a slot of the tree's record
 * here instead of a map of their own. The record is keyed by the tree's
 * root, so two apps in one process never see each other's state, and it
 * goes when the app goes.
 *
 * Each area declares its slot once (`new AppSlot(...)`) next to its own
 * rules; a lookup is one map read, so a rule per object stays linear.
 */
export class AppSlot<T> {
  /**
   * @param name what the slot holds, for debugging
   * @param create makes the slot's state the first time a tree asks for it
   */
  public constructor(public readonly name: string, public readonly create: (root: IConstruct) => T) {}
}

const apps = new WeakMap<IConstruct, Map<AppSlot<unknown>, unknown>>();

/** The state of `slot` in the app `scope` belongs to, made on first use. */
export function appState<T>(scope: IConstruct, slot: AppSlot<T>): T {
  const root = scope.node.root;
  let record = apps.get(root);
  if (!record) {
    record = new Map();
    apps.set(root, record);
  }
  if (!record.has(slot)) record.set(slot, slot.create(root));
  return record.get(slot) as T;
}

/** Records one message about one construct. */
export type Report = (construct: IConstruct, message: string) => void;

/**
 * The messages an app-wide rule gives each construct. The rule runs once
 * for the whole tree on the first lookup and again only after `invalidate()`
 * (a registration changed the facts), so n constructs asking for their
 * messages cost one run of the rule, not n.
 */
export class MessagesByConstruct {
  private messages?: Map<IConstruct, string[]>;

  /** @param rule reports every message of the tree, in the order they are shown */
  public constructor(private readonly rule: (report: Report) => void) {}

  /** Forgets the messages, so the next lookup runs the rule again. */
  public invalidate(): void {
    this.messages = undefined;
  }

  /** The messages of one construct (a copy). */
  public for(construct: IConstruct): string[] {
    if (!this.messages) {
      const messages = new Map<IConstruct, string[]>();
      this.rule((c, message) => {
        const list = messages.get(c) ?? [];
        list.push(message);
        messages.set(c, list);
      });
      this.messages = messages;
    }
    return [...(this.messages.get(construct) ?? [])];
  }
}
