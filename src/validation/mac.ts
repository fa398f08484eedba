const MAC = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/;

/**
 * Checks a unicast Ethernet MAC address written as six hex pairs separated
 * by ':' or '-' (`02:00:5e:10:00:01`).
 * @returns what is wrong, or undefined when the address is usable
 */
export function checkMacAddress(mac: string): string | undefined {
  if (typeof mac !== 'string' || !MAC.test(mac)) {
    return 'must be a MAC address of six hex pairs separated by \':\' (for example \'02:00:5e:10:00:01\')';
  }
  const octets = mac.split(/[:-]/).map(o => parseInt(o, 16));
  if (octets.every(o => o === 0)) {
    return 'must not be the all-zero address';
  }
  if (octets[0] % 2 === 1) {
    return 'must be a unicast address (the lowest bit of the first octet must be 0)';
  }
  return undefined;
}
