import { Code } from "@connectrpc/connect";
import { csrfMatches, liveSession } from "../../commands/console-sessions.ts";
import type { CommandDeps } from "../../commands/deps.ts";
import { UsherError } from "../../errors/usher-error.ts";
import type { Req } from "../http/io.ts";
import { sessionCookie } from "./cookie.ts";
import { fromOwnOrigin } from "./same-origin.ts";

/** The header the console sends its session's anti-CSRF token in. */
export const CSRF_HEADER = "x-usher-csrf";

/**
 * Turns a console session cookie into the request's credential, for the API surfaces (ZITADEL
 * and tenant API), so every console action passes the same authentication and Cedar decisions
 * as an API client's. An explicit credential (`Authorization`, `X-API-Key`) wins and the cookie
 * is ignored. With the cookie, every call — reads too — must come from Usher's own origin and
 * carry the session's anti-CSRF token; otherwise it is refused before anything else is done.
 */
export async function applyConsoleCookie(deps: CommandDeps, req: Req): Promise<void> {
  if (req.headers.authorization || req.headers["x-api-key"]) return;
  const externalUrl = deps.config.externalUrl;
  const token = sessionCookie(req, externalUrl);
  if (token === undefined) return;
  const csrf = req.headers[CSRF_HEADER];
  if (!fromOwnOrigin(req, externalUrl) || !csrfMatches(token, typeof csrf === "string" ? csrf : null))
    throw new UsherError({ code: Code.PermissionDenied, id: "CONSOLE-CSRF1", key: "Errors.Console.Csrf" });
  if (!(await liveSession(deps, token)))
    throw new UsherError({
      code: Code.Unauthenticated,
      id: "CONSOLE-SESS1",
      key: "Errors.Console.Session.Invalid",
    });
  req.headers.authorization = `Bearer ${token}`;
}
