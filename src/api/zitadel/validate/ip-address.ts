import { isIPv4, isIPv6 } from "node:net";

/**
 * Go's `net.ParseIP` as PGV uses it: `ip` accepts any address, `ipv4` wants `ip.To4() != nil`
 * (which includes IPv4-mapped IPv6 such as `::ffff:1.2.3.4`), `ipv6` wants the rest.
 *
 * Node's checks match Go on the parts that matter (no leading zeros in IPv4 octets); Go
 * rejects zones (`fe80::1%eth0`) while Node accepts them, so those are refused up front.
 */

/** IPv4-mapped IPv6 after WHATWG normalisation: `[::ffff:102:304]`. */
const mapped = /^\[::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}\]$/;

/** 4 when Go's `To4()` would succeed, 6 for other IPv6 addresses, 0 when `ParseIP` fails. */
export function ipFamily(s: string): 0 | 4 | 6 {
  if (isIPv4(s)) return 4;
  if (s.includes("%") || !isIPv6(s)) return 0;
  // Let the URL parser canonicalise the address instead of expanding `::` here.
  return mapped.test(new URL(`http://[${s}]`).hostname) ? 4 : 6;
}

/** Go's `net.ParseIP(s) != nil`. */
export function isGoIP(s: string): boolean {
  return ipFamily(s) !== 0;
}

/** The family of a raw address in bytes (`net.IP(b)`), as PGV's bytes `ip*` rules see it. */
export function ipBytesFamily(b: Uint8Array): 0 | 4 | 6 {
  if (b.length === 4) return 4;
  if (b.length !== 16) return 0;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return 6;
  return b[10] === 0xff && b[11] === 0xff ? 4 : 6;
}
