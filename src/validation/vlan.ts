/** Lowest usable 802.1Q VLAN id (0 means priority tagging only). */
export const VLAN_MIN = 1;
/** Highest usable 802.1Q VLAN id (4095 is reserved). */
export const VLAN_MAX = 4094;

/** Whether the value is a usable 802.1Q VLAN id. */
export function isValidVlan(vlan: number): boolean {
  return Number.isInteger(vlan) && vlan >= VLAN_MIN && vlan <= VLAN_MAX;
}
