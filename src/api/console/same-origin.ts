import type { Req } from "../http/io.ts";

/**
 * Whether a request comes from a page of Usher's own origin, as far as the browser says:
 * `Sec-Fetch-Site` (when sent) must be `same-origin`, and `Origin` (when sent) must be the
 * external URL's origin or the host the request was sent to. Clients other than browsers send
 * neither and pass; a browser on another site always sends one of them.
 */
export function fromOwnOrigin(req: Req, externalUrl: string): boolean {
  const site = header(req, "sec-fetch-site");
  if (site !== undefined && site !== "same-origin") return false;
  const origin = header(req, "origin");
  if (origin === undefined) return true;
  if (origin === new URL(externalUrl).origin) return true;
  try {
    return new URL(origin).host === header(req, "host");
  } catch {
    return false;
  }
}

function header(req: Req, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
