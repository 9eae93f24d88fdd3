import { isIP } from "node:net";
import { type TrustedProxies, unmapped } from "../../config/trusted-proxies.ts";
import type { Req } from "./io.ts";

/**
 * The address of the client a request comes from. The connection's peer, unless that peer is
 * a trusted proxy: then the forwarding chain (`Forwarded`'s `for=`, else `X-Forwarded-For`) is
 * read from the right — each trusted proxy appends the address it saw — and the first address
 * that is not a trusted proxy is the client. What a client writes into those headers itself
 * lies to the left of that and is never believed. A hop that is not an address (`unknown`, an
 * obfuscated name) ends the walk at the proxy that wrote it.
 */
export function clientAddress(req: Req, proxies: TrustedProxies): string {
  let address = unmapped(req.socket?.remoteAddress ?? "");
  if (proxies.empty || !proxies.has(address)) return address;
  const chain = forwardedChain(req);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = unmapped(chain[i] ?? "");
    if (isIP(hop) === 0) return address;
    address = hop;
    if (!proxies.has(hop)) return hop;
  }
  return address;
}

/** The hops a request passed, oldest first: `Forwarded` when present, else `X-Forwarded-For`. */
function forwardedChain(req: Req): string[] {
  const forwarded = joined(req.headers.forwarded);
  if (forwarded) {
    return forwarded.split(",").map((element) => {
      const pair = element
        .split(";")
        .map((p) => p.trim())
        .find((p) => p.toLowerCase().startsWith("for="));
      return pair ? hostOf(pair.slice(4).trim().replace(/^"|"$/g, "")) : "";
    });
  }
  const xff = joined(req.headers["x-forwarded-for"]);
  return xff ? xff.split(",").map((h) => hostOf(h.trim())) : [];
}

/** `[2001:db8::1]:443` → `2001:db8::1`; `192.0.2.1:80` → `192.0.2.1`; bare addresses as they are. */
function hostOf(node: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(node);
  if (bracketed) return bracketed[1] ?? "";
  const v4port = /^(\d+\.\d+\.\d+\.\d+):\d+$/.exec(node);
  return v4port?.[1] ?? node;
}

function joined(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}
