/** A copy of a string map with its keys in sorted order, for deterministic output. */
export function sortedMap(map: { [key: string]: string }): { [key: string]: string } {
  return Object.fromEntries(Object.keys(map).sort().map(k => [k, map[k]]));
}
