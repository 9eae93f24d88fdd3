import type { ServerResponse } from "node:http";
import type { Res } from "../http/io.ts";
import { STYLESHEET } from "./style.ts";

/** Where the pages' stylesheet is served (the CSP allows styles from Usher only). */
export const STYLESHEET_PATH = "/ui/login/assets/pages.css";

/**
 * The Content-Security-Policy of every page: no scripts at all, styles and images from Usher,
 * forms posting to Usher (and, for the 303 after success, to `extraFormTargets`), no framing.
 */
export function pageCsp(extraFormTargets: readonly string[] = []): string {
  const formAction = ["'self'", ...extraFormTargets].join(" ");
  return `default-src 'none'; style-src 'self'; img-src 'self'; form-action ${formAction}; base-uri 'none'; frame-ancestors 'none'`;
}

/**
 * Headers every page response carries: pages hold codes and form tokens, so nothing is
 * cached, framed, or sent on as a referrer to other sites (the link's query has the code).
 */
function baseHeaders(csp: string): Record<string, string> {
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
  };
}

/** An HTML answer: status, body, the CSP it runs under, and extra headers (cookies, Retry-After). */
export interface PageResponse {
  status: number;
  html: string;
  csp: string;
  headers?: Record<string, string | string[]>;
}

/** Writes an HTML page. */
export function sendPage(res: Res, page: PageResponse): void {
  (res as ServerResponse).writeHead(page.status, {
    ...baseHeaders(page.csp),
    ...page.headers,
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(page.html),
  });
  res.end(page.html);
}

/** `303 See Other` after a POST, so a reload never submits the form twice. */
export function seeOther(res: Res, location: string, csp: string): void {
  (res as ServerResponse).writeHead(303, { ...baseHeaders(csp), location, "content-length": 0 });
  res.end();
}

/** The stylesheet, cacheable for an hour. */
export function sendStylesheet(res: Res): void {
  (res as ServerResponse).writeHead(200, {
    "content-type": "text/css; charset=utf-8",
    "content-length": Buffer.byteLength(STYLESHEET),
    "cache-control": "public, max-age=3600",
    "x-content-type-options": "nosniff",
  });
  res.end(STYLESHEET);
}
