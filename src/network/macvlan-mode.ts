/** Modes of a macvlan interface. */
export enum MacvlanMode {
  /** Interfaces on the same master reach each other directly. */
  BRIDGE = 'bridge',
  /** Interfaces on the same master cannot reach each other. */
  PRIVATE = 'private',
  /** Traffic between interfaces goes through the external switch. */
  VEPA = 'vepa',
  /** One interface takes over the master. */
  PASSTHRU = 'passthru',
}
