import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

/**
 * Calls to subscribers' URLs, safe to point at the internet from inside a private network:
 * http(s) only; loopback, private, link-local, shared, multicast and metadata addresses refused
 * (unless allowed) after DNS resolution, on every connection — the check runs in the lookup of
 * the socket that connects, so a name cannot resolve to a public address for the check and a
 * private one for the call; redirects are not followed; at most `responseLimit` bytes of an
 * answer are read; each call has a time limit.
 */
export interface EgressOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  responseLimit: number;
}

/** Why a call did not get an answer: refused by the egress rules, timed out, or the network. */
export class EgressError extends Error {
  constructor(
    message: string,
    readonly kind: "refused" | "timeout" | "network",
  ) {
    super(message);
  }
}

export interface EgressAnswer {
  status: number;
  /** At most `responseLimit` bytes of the body, as text. */
  body: string;
  durationMs: number;
}

const BLOCKED = new net.BlockList();
for (const [net4, bits] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // shared address space (carrier-grade NAT)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, with the cloud metadata address 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  BLOCKED.addSubnet(net4, bits, "ipv4");
for (const [net6, bits] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7], // unique local, with AWS's metadata address fd00:ec2::254
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  BLOCKED.addSubnet(net6, bits, "ipv6");

/** Whether an address is one a subscriber URL may not reach (IPv4-mapped IPv6 checked as IPv4). */
export function isBlockedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return BLOCKED.check(mapped[1], "ipv4");
  const family = net.isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** Checks a URL's form: http(s), a host, no credentials. Returns a problem or undefined. */
export function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "is not a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must be an http or https URL";
  if (!url.hostname) return "must name a host";
  if (url.username || url.password) return "must not carry credentials";
  return undefined;
}

/** Refuses an address literal in a URL at once (no lookup happens for those). */
export function literalRefusal(hostname: string, allowPrivate: boolean): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (allowPrivate || net.isIP(host) === 0) return undefined;
  return isBlockedAddress(host) ? `address ${host} is in a private, loopback or link-local range` : undefined;
}

type LookupCallback = (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A `lookup` for sockets that refuses a name when any of its addresses is blocked. */
function checkedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => isBlockedAddress(a.address));
    if (bad)
      return callback(
        new EgressError(
          `${hostname} resolves to ${bad.address}, a private, loopback or link-local address`,
          "refused",
        ),
        [],
      );
    if (options.all) return callback(null, list);
    const first = list[0];
    if (!first) return callback(new Error(`${hostname} has no address`), []);
    callback(null, first.address, first.family);
  });
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 256 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 256 }),
};

/** POSTs a JSON body; resolves with the answer (any status) or rejects with an EgressError. */
export function postJson(
  target: string,
  headers: Record<string, string>,
  body: string,
  o: EgressOptions,
): Promise<EgressAnswer> {
  const url = new URL(target);
  const refused = literalRefusal(url.hostname, o.allowPrivate);
  if (refused) return Promise.reject(new EgressError(refused, "refused"));
  const started = performance.now();
  const secure = url.protocol === "https:";
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (e: EgressError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e);
    };
    const req = (secure ? https : http).request(url, {
      method: "POST",
      agent: secure ? agents.https : agents.http,
      headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      ...(o.allowPrivate ? {} : { lookup: checkedLookup as never }),
    });
    const timer = setTimeout(
      () => fail(new EgressError(`no answer within ${o.timeoutMs} ms`, "timeout")),
      o.timeoutMs,
    );
    req.on("error", (e) =>
      fail(e instanceof EgressError ? e : new EgressError(`unreachable: ${e.message}`, "network")),
    );
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).subarray(0, o.responseLimit).toString("utf8"),
          durationMs: Math.round(performance.now() - started),
        });
      };
      res.on("data", (c: Buffer) => {
        if (size < o.responseLimit) chunks.push(c);
        size += c.length;
        // The rest is not read: the socket is dropped instead of drained.
        if (size > o.responseLimit) {
          done();
          res.destroy();
        }
      });
      res.on("end", done);
      res.on("error", () => done());
    });
    req.end(body);
  });
}

/**
 * Everything wrong with a subscriber URL that can be known now: its form, and (unless allowed)
 * a private address it is or resolves to. Calls check again on every connection.
 */
export async function targetProblem(text: string, allowPrivate: boolean): Promise<string | undefined> {
  const form = urlProblem(text);
  if (form) return form;
  const host = new URL(text).hostname.replace(/^\[|\]$/g, "");
  const literal = literalRefusal(host, allowPrivate);
  if (literal) return `is refused: ${literal}`;
  if (allowPrivate || net.isIP(host) !== 0) return undefined;
  const addresses = await dns.promises.lookup(host, { all: true }).catch(() => []);
  const bad = addresses.find((a) => isBlockedAddress(a.address));
  return bad
    ? `is refused: ${host} resolves to ${bad.address}, a private, loopback or link-local address`
    : undefined;
}
