import { isIPv4, isIPv6 } from "node:net";

/**
 * Go's `net.ParseIP`, as Go's mail parser uses it for domain literals (`user@[192.0.2.1]`).
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
