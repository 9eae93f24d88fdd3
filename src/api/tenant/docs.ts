import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { type Res, sendHtml } from "../http/io.ts";

const ASSETS = path.dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const SERVED: Readonly<Record<string, string>> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

/** `/v1/docs`: the reference rendered by Swagger UI, served from the npm package (no CDN). */
export function docsPage(res: Res): void {
  sendHtml(
    res,
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Usher tenant API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/v1/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/v1/docs/assets/swagger-ui-bundle.js"></script>
<script src="/v1/docs/assets/init.js"></script></body></html>`,
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'",
  );
}

/** The Swagger UI files, and the small script that points it at `/v1/openapi.json`. */
export function docsAsset(name: string, res: Res): boolean {
  const out = res as ServerResponse;
  if (name === "init.js") {
    out.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
    out.end('window.ui = SwaggerUIBundle({ url: "/v1/openapi.json", dom_id: "#ui" });\n');
    return true;
  }
  const type = SERVED[name];
  if (!type) return false;
  out.writeHead(200, { "content-type": type, "cache-control": "public, max-age=86400" });
  out.end(readFileSync(path.join(ASSETS, name)));
  return true;
}
