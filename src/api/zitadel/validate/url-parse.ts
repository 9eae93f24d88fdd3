import { goQuote } from "./go-fmt.ts";

/**
 * The part of Go's `net/url.Parse` that PGV's `uri` and `uri_ref` rules depend on: whether it
 * fails, with which error text (`parse "<url>": <reason>`), and whether the result has a
 * scheme (`IsAbs`). Go's parser is famously lenient — `not a uri` parses as a relative path —
 * and WHATWG's `URL` is not a substitute, so its decisions are re-implemented here.
 *
 * Follows Go's behaviour before 1.24's stricter IPv6-literal host checks.
 */

/** `absolute` when parsing succeeded, otherwise Go's error text. */
export type UrlParse = { readonly absolute: boolean } | { readonly error: string };

type Mode = "path" | "host" | "zone" | "userinfo" | "fragment";

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);
/** Characters Go leaves unescaped in a host besides alphanumerics (its `shouldEscape`). */
const hostSafe = new Set([..."!$&'()*+,;=:[]<>\"-_.~"]);
const userinfoSafe = new Set([..."-._:~!$&'()*+,;=%@"]);

/** Go's `url.Parse(raw)`. */
export function parseGoUrl(raw: string): UrlParse {
  const hash = raw.indexOf("#");
  const u = hash < 0 ? raw : raw.slice(0, hash);
  const parsed = parseReference(u);
  if (typeof parsed !== "boolean") return { error: `parse ${goQuote(u)}: ${parsed.error}` };
  const fragmentError = hash < 0 ? undefined : unescapeError(raw.slice(hash + 1), "fragment");
  if (fragmentError !== undefined) return { error: `parse ${goQuote(raw)}: ${fragmentError}` };
  return { absolute: parsed };
}

/** Go's internal `parse(rawURL, false)`: true/false for "has a scheme", or the bare error. */
function parseReference(raw: string): boolean | { error: string } {
  if (hasControlByte(raw)) return { error: "net/url: invalid control character in URL" };
  if (raw === "*") return false;
  const split = splitScheme(raw);
  if ("error" in split) return split;
  const scheme = split.scheme;
  let rest = split.rest;
  if (rest.endsWith("?") && rest.indexOf("?") === rest.length - 1) rest = rest.slice(0, -1);
  else if (rest.includes("?")) rest = rest.slice(0, rest.indexOf("?"));

  if (!rest.startsWith("/")) {
    // `scheme:opaque` needs no further checks; a relative path must not look like a scheme.
    if (scheme !== "") return true;
    const firstSegment = rest.split("/", 1)[0] ?? "";
    if (firstSegment.includes(":")) return { error: "first path segment in URL cannot contain colon" };
  }
  if ((scheme !== "" || !rest.startsWith("///")) && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    const authorityError = checkAuthority(authority);
    if (authorityError !== undefined) return { error: authorityError };
  }
  const pathError = unescapeError(rest, "path");
  if (pathError !== undefined) return { error: pathError };
  return scheme !== "";
}

/** Go's `stringContainsCTLByte`: ASCII control characters and DEL. */
function hasControlByte(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Go's `getScheme`: `[a-zA-Z][a-zA-Z0-9+-.]*:` or no scheme at all. */
function splitScheme(raw: string): { scheme: string; rest: string } | { error: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (/^[A-Za-z]$/.test(c)) continue;
    if (/^[0-9+\-.]$/.test(c)) {
      if (i === 0) return { scheme: "", rest: raw };
      continue;
    }
    if (c === ":") {
      if (i === 0) return { error: "missing protocol scheme" };
      return { scheme: raw.slice(0, i).toLowerCase(), rest: raw.slice(i + 1) };
    }
    return { scheme: "", rest: raw };
  }
  return { scheme: "", rest: raw };
}

function checkAuthority(authority: string): string | undefined {
  const at = authority.lastIndexOf("@");
  const hostError = checkHost(at < 0 ? authority : authority.slice(at + 1));
  if (hostError !== undefined || at < 0) return hostError;
  const userinfo = authority.slice(0, at);
  for (const c of userinfo) if (!isAlnum(c) && !userinfoSafe.has(c)) return "net/url: invalid userinfo";
  for (const part of userinfo.split(":", 2)) {
    const e = unescapeError(part, "userinfo");
    if (e !== undefined) return e;
  }
  return undefined;
}

/** Go's `parseHost`: `host[:port]` or `[ipv6%25zone][:port]`. */
function checkHost(host: string): string | undefined {
  if (host.startsWith("[")) {
    const close = host.lastIndexOf("]");
    if (close < 0) return "missing ']' in host";
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) return `invalid port ${goQuote(colonPort)} after host`;
    const zone = host.slice(0, close).indexOf("%25");
    if (zone >= 0) {
      return (
        unescapeError(host.slice(0, zone), "host") ??
        unescapeError(host.slice(zone, close), "zone") ??
        unescapeError(host.slice(close), "host")
      );
    }
  } else {
    const colon = host.lastIndexOf(":");
    if (colon >= 0 && !validOptionalPort(host.slice(colon))) {
      return `invalid port ${goQuote(host.slice(colon))} after host`;
    }
  }
  return unescapeError(host, "host");
}

function validOptionalPort(port: string): boolean {
  return port === "" || /^:[0-9]*$/.test(port);
}

/** Go's `unescape` validation: malformed `%` escapes, and characters a host cannot hold. */
function unescapeError(s: string, mode: Mode): string | undefined {
  const hostLike = mode === "host" || mode === "zone";
  for (let i = 0; i < s.length; ) {
    const c = s[i] as string;
    if (c === "%") {
      if (!isHex(s[i + 1]) || !isHex(s[i + 2])) return `invalid URL escape ${goQuote(s.slice(i, i + 3))}`;
      const triplet = s.slice(i, i + 3);
      const byte = Number.parseInt(triplet.slice(1), 16);
      // Hosts may only %-encode non-ASCII bytes, except RFC 6874's `%25` before a zone.
      if (mode === "host" && byte < 0x80 && triplet !== "%25")
        return `invalid URL escape ${goQuote(triplet)}`;
      if (mode === "zone" && triplet !== "%25" && byte !== 0x20 && !isHostByte(byte)) {
        return `invalid URL escape ${goQuote(triplet)}`;
      }
      i += 3;
      continue;
    }
    if (hostLike && c.charCodeAt(0) < 0x80 && !isAlnum(c) && !hostSafe.has(c)) {
      return `invalid character ${goQuote(c)} in host name`;
    }
    i++;
  }
  return undefined;
}

/** A byte Go would leave unescaped in a host; non-ASCII bytes never are. */
function isHostByte(byte: number): boolean {
  if (byte >= 0x80) return false;
  const c = String.fromCharCode(byte);
  return isAlnum(c) || hostSafe.has(c);
}
