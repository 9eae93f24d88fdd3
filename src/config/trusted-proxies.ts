import { BlockList, isIP } from "node:net";

/** The reverse proxies whose forwarding headers Usher believes, parsed once. */
export interface TrustedProxies {
  /** Whether `address` (IPv4 or IPv6, IPv4-mapped IPv6 included) is one of them. */
  has(address: string): boolean;
  readonly empty: boolean;
}

const cache = new Map<string, TrustedProxies>();

/**
 * Parses `trustedProxies`: comma-separated addresses and CIDRs (`10.0.0.0/8`, `::1`,
 * `fd00::/8`). Throws a message naming the first bad entry.
 */
export function parseTrustedProxies(text: string): TrustedProxies {
  const known = cache.get(text);
  if (known) return known;
  const list = new BlockList();
  let count = 0;
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [address = "", bits, extra] = entry.split("/");
    const family = isIP(address);
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = family === 4 ? 32 : 128;
    if (
      family === 0 ||
      extra !== undefined ||
      (prefix !== undefined && !(/^\d+$/.test(bits ?? "") && prefix <= max))
    )
      throw new Error(`trustedProxies: "${entry}" is not an IP address or CIDR`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, prefix, type);
    count++;
  }
  const proxies: TrustedProxies = {
    empty: count === 0,
    has(address) {
      const plain = unmapped(address);
      const family = isIP(plain);
      return family !== 0 && count > 0 && list.check(plain, family === 4 ? "ipv4" : "ipv6");
    },
  };
  cache.set(text, proxies);
  return proxies;
}

/** `::ffff:192.0.2.1` (how a dual-stack socket shows an IPv4 peer) as `192.0.2.1`. */
export function unmapped(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m?.[1] ?? address;
}
