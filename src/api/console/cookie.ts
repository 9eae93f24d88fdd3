import type { Req } from "../http/io.ts";

/**
 * The console's session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's
 * page makes the browser send it), Path=/ (the console calls the APIs at their own paths), and
 * over https `Secure` with the `__Host-` prefix (no subdomain can set or shadow it).
 */
export function cookieName(externalUrl: string): string {
  return isHttps(externalUrl) ? "__Host-usher_console" : "usher_console";
}

/** The session token the request's cookie carries, if any. */
export function sessionCookie(req: Req, externalUrl: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const name = cookieName(externalUrl);
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** `Set-Cookie` for a new session, ending with the session's absolute end. */
export function setSessionCookie(externalUrl: string, token: string, maxAgeSeconds: number): string {
  return `${cookieName(externalUrl)}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure(externalUrl)}`;
}

/** `Set-Cookie` that removes the session cookie. */
export function clearSessionCookie(externalUrl: string): string {
  return `${cookieName(externalUrl)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure(externalUrl)}`;
}

function secure(externalUrl: string): string {
  return isHttps(externalUrl) ? "; Secure" : "";
}

function isHttps(externalUrl: string): boolean {
  return externalUrl.startsWith("https:");
}
