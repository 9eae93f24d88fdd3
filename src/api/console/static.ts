import { existsSync, readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Res } from "../http/io.ts";

/** Where `npm run build` (and `npm ci`) writes the console's bundle: `console/dist`. */
export const CONSOLE_DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../console/dist",
);

/**
 * The console's Content-Security-Policy: scripts, styles and calls from Usher only — no inline
 * script or style, nothing from elsewhere, no framing.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

interface Bundle {
  index: Buffer;
  assets: Map<string, { body: Buffer; type: string }>;
}

let bundle: Bundle | null | undefined;

/** The built bundle, read once; null when the console has not been built. */
function loadBundle(dir: string): Bundle | null {
  const indexFile = path.join(dir, "index.html");
  if (!existsSync(indexFile)) return null;
  const assets = new Map<string, { body: Buffer; type: string }>();
  const assetDir = path.join(dir, "assets");
  if (existsSync(assetDir))
    for (const name of readdirSync(assetDir)) {
      const type = TYPES[path.extname(name)];
      if (type) assets.set(name, { body: readFileSync(path.join(assetDir, name)), type });
    }
  return { index: readFileSync(indexFile), assets };
}

/**
 * Serves the console: `/ui/console/assets/*` (content-hashed names, cached for a year) and the
 * single page for every other `/ui/console` path (each page has its own URL; the page's script
 * routes). Without a build it says how to make one.
 */
export function serveConsole(pathname: string, res: Res): void {
  bundle ??= loadBundle(CONSOLE_DIST);
  const r = res as ServerResponse;
  const security = {
    "content-security-policy": CONSOLE_CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
  };
  if (!bundle) {
    const text = "The console is not built. Run `npm run build` in Usher's folder, then restart Usher.\n";
    r.writeHead(503, {
      ...security,
      "content-type": "text/plain; charset=utf-8",
      "cache-control": "no-store",
    });
    r.end(text);
    return;
  }
  const prefix = "/ui/console/assets/";
  if (pathname.startsWith(prefix)) {
    const asset = bundle.assets.get(pathname.slice(prefix.length));
    if (!asset) {
      r.writeHead(404, { ...security, "content-type": "text/plain; charset=utf-8" });
      r.end("Not found\n");
      return;
    }
    r.writeHead(200, {
      ...security,
      "content-type": asset.type,
      "content-length": asset.body.length,
      "cache-control": "public, max-age=31536000, immutable",
    });
    r.end(asset.body);
    return;
  }
  r.writeHead(200, {
    ...security,
    "content-type": "text/html; charset=utf-8",
    "content-length": bundle.index.length,
    "cache-control": "no-store",
  });
  r.end(bundle.index);
}
