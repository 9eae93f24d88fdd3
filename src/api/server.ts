import { Code, ConnectError } from "@connectrpc/connect";
import type { Logger } from "pino";
import type { CommandDeps } from "../commands/deps.ts";
import type { DbProbe } from "../db/probe.ts";
import type { UsherError } from "../errors/usher-error.ts";
import type { Metrics } from "../ops/metrics.ts";
import { applyConsoleCookie } from "./console/cookie-credential.ts";
import { SESSION_PATH, sessionApi } from "./console/session-api.ts";
import { serveConsole } from "./console/static.ts";
import { mailboxJson, mailboxPage } from "./dev-mailbox.ts";
import { type Req, type Res, sendJson } from "./http/io.ts";
import { createOnePortServer } from "./one-port.ts";
import { fittingConnectionCap, openFileLimit } from "./open-file-limit.ts";
import { health, metricsPage, ready } from "./ops.ts";
import { servePage } from "./pages/handler.ts";
import { refusalReporter } from "./refusal-log.ts";
import { docsAsset, docsPage } from "./tenant/docs.ts";
import { tenantHandler } from "./tenant/handler.ts";
import { openApiDocument } from "./tenant/openapi.ts";
import type { TenantRoute } from "./tenant/route.ts";
import { connectAdapter, MAX_MESSAGE_BYTES } from "./zitadel/connect-adapter.ts";
import { connectRoutes } from "./zitadel/connect-routes.ts";
import { asUsherError, httpStatus, restErrorBody, retryAfter } from "./zitadel/errors.ts";
import type { ServiceBinding } from "./zitadel/handler.ts";
import { createInvoker } from "./zitadel/invoke.ts";
import { restHandler } from "./zitadel/rest-handler.ts";

export interface ServerOptions {
  deps: CommandDeps;
  log: Logger;
  bindings: readonly ServiceBinding[];
  metrics: Metrics;
  tenantRoutes: readonly TenantRoute[];
  externalUrl: string;
  devMailbox: boolean;
  isReady: () => boolean;
  /** The database check of `/readyz`, on a connection of its own. */
  probe: DbProbe;
}

/** Every surface on one port: Connect/gRPC/gRPC-Web, REST, operations, dev mailbox. */
export function createServer(o: ServerOptions) {
  const invoke = createInvoker(o.deps, o.metrics);
  const logError = (e: unknown) => {
    const err = e as UsherError;
    if (err.code === 13 || err.code === 14)
      o.log.error({ err: err.cause ?? err, id: err.id }, "request failed");
  };
  const connect = connectAdapter({
    routes: connectRoutes(o.bindings, invoke, logError),
    authenticate: invoke.authenticate,
    readMaxBytes: MAX_MESSAGE_BYTES,
    onFailure: (e) => {
      if (ConnectError.from(e).code !== Code.Aborted) o.log.error({ err: e }, "connect request failed");
    },
  });
  const rest = restHandler(o.bindings, invoke, logError, o.deps.config.listFilterMaxCount);
  const db = o.deps.db;
  const tenant = tenantHandler(o.deps, o.tenantRoutes, o.log);
  const openapi = JSON.stringify(openApiDocument(o.tenantRoutes, o.externalUrl));

  async function route(req: Req, res: Res): Promise<void> {
    const url = new URL(req.url ?? "/", "http://usher.invalid");
    const path = url.pathname;
    if (path === "/") return redirect(res, "/ui/console");
    if (path === SESSION_PATH) return sessionApi(o.deps, req, res);
    if (path === "/ui/console" || path.startsWith("/ui/console/")) return serveConsole(path, res);
    if (path.startsWith("/zitadel.")) {
      await applyConsoleCookie(o.deps, req);
      return connect(req, res);
    }
    if (path === "/healthz") return health(res);
    if (path === "/readyz") return ready(o.probe, o.isReady, res);
    if (path === "/metrics") return metricsPage(db, o.metrics, res);
    if (path.startsWith("/ui/login/")) return servePage(o.deps, req, res, url);
    if (o.devMailbox && path === "/dev/mailbox") return mailboxPage(db, o.deps.keys.mailbox, res);
    if (o.devMailbox && path === "/dev/mailbox/messages")
      return mailboxJson(db, o.deps.keys.mailbox, url, res);
    if (path === "/v1/openapi.json") return sendRaw(res, openapi);
    if (path === "/v1/docs") return docsPage(res);
    if (path.startsWith("/v1/docs/assets/") && docsAsset(path.slice("/v1/docs/assets/".length), res)) return;
    // The console's session cookie is a credential of the API surfaces (and of nothing else).
    await applyConsoleCookie(o.deps, req);
    if (path.startsWith("/v1/")) {
      if (await tenant(req, res, url)) return;
      return sendJson(res, 404, {
        code: "not_found",
        message: "No such endpoint.",
        details: {},
        notices: [],
      });
    }
    if (await rest(req, res, url)) return;
    sendJson(res, 404, { code: 5, message: "Not Found", details: [] });
  }

  const config = o.deps.config;
  const fileLimit = openFileLimit();
  const maxConnections = fittingConnectionCap(config.maxConnections, fileLimit);
  if (maxConnections < config.maxConnections)
    o.log.warn(
      { maxConnections, configured: config.maxConnections, openFileLimit: fileLimit },
      "connection cap lowered to fit the open-file limit",
    );
  return createOnePortServer(
    (req, res) => {
      route(req, res).catch((e: unknown) => {
        const err = asUsherError(e);
        // The path only: a query string may carry a code (the hosted pages' links do).
        const path = req.url?.split("?")[0];
        if (err.code === 13) o.log.error({ err: e, path }, "unhandled request error");
        else if (err.code === 14) o.log.warn({ err: err.cause ?? err, path }, "database unavailable");
        const retry = retryAfter(err);
        if (!res.headersSent)
          sendJson(
            res,
            httpStatus(err.code, err.httpStatus),
            restErrorBody(err),
            retry === undefined ? {} : { "retry-after": String(retry) },
          );
        else res.end();
      });
    },
    {
      headersTimeoutMs: config.headersTimeout,
      requestTimeoutMs: config.requestTimeout,
      keepAliveTimeoutMs: config.keepAliveTimeout,
      maxConnections,
      maxConnectionsPerAddress: config.maxConnectionsPerAddress,
      http2MaxStreams: config.http2MaxStreams,
      onRefused: refusalReporter(o.log, o.metrics.connectionsRefused),
    },
  );
}

function redirect(res: Res, location: string): void {
  (res as import("node:http").ServerResponse).writeHead(302, { location });
  res.end();
}

function sendRaw(res: Res, json: string): void {
  (res as import("node:http").ServerResponse).writeHead(200, { "content-type": "application/json" });
  res.end(json);
}
