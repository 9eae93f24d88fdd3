import { Code } from "@connectrpc/connect";
import { authenticate } from "../../authz/authenticate.ts";
import { csrfMatches, csrfTokenOf, liveSession, signIn, signOut } from "../../commands/console-sessions.ts";
import type { CommandDeps } from "../../commands/deps.ts";
import { parseTrustedProxies } from "../../config/trusted-proxies.ts";
import { UsherError } from "../../errors/usher-error.ts";
import { userQueries } from "../../queries/users.ts";
import { clientAddress } from "../http/client-address.ts";
import { BodyTooLarge, type Req, type Res, readBody, sendJson } from "../http/io.ts";
import { utf8Text } from "../http/text-input.ts";
import { asUsherError, httpStatus, retryAfter } from "../zitadel/errors.ts";
import { clearSessionCookie, sessionCookie, setSessionCookie } from "./cookie.ts";
import { CSRF_HEADER } from "./cookie-credential.ts";
import { fromOwnOrigin } from "./same-origin.ts";

/** Where the console signs in (POST), learns who is signed in (GET) and signs out (DELETE). */
export const SESSION_PATH = "/ui/console/api/session";

const NO_STORE = { "cache-control": "no-store" };

/**
 * The console's session endpoint. Sign-in takes `{"loginName", "password"}` as JSON from Usher's
 * own origin (a JSON body cannot be posted by another site's form) and answers with the
 * session's anti-CSRF token; the session itself travels only in the HttpOnly cookie.
 */
export async function sessionApi(deps: CommandDeps, req: Req, res: Res): Promise<void> {
  try {
    if (req.method === "POST") return await postSession(deps, req, res);
    if (req.method === "GET") return await getSession(deps, req, res);
    if (req.method === "DELETE") return await deleteSession(deps, req, res);
    sendJson(res, 405, { code: "method_not_allowed", message: "This endpoint does not take that method." });
  } catch (e) {
    const err = e instanceof BodyTooLarge ? invalid("The body is too large.") : asUsherError(e);
    const retry = retryAfter(err);
    sendJson(
      res,
      httpStatus(err.code, err.httpStatus),
      { code: codeName(err), message: err.text(), details: err.details ?? {} },
      { ...NO_STORE, ...(retry === undefined ? {} : { "retry-after": String(retry) }) },
    );
  }
}

async function postSession(deps: CommandDeps, req: Req, res: Res): Promise<void> {
  const externalUrl = deps.config.externalUrl;
  if (!fromOwnOrigin(req, externalUrl) || !String(req.headers["content-type"]).startsWith("application/json"))
    throw new UsherError({ code: Code.PermissionDenied, id: "CONSOLE-CSRF2", key: "Errors.Console.Csrf" });
  const body = parseBody(await readBody(req, 4096));
  const session = await signIn(deps, {
    loginName: body.loginName,
    password: body.password,
    clientAddress: clientAddress(req, parseTrustedProxies(deps.config.trustedProxies)),
  });
  const maxAge = Math.floor(deps.config.consoleSessionTtl / 1000);
  sendJson(
    res,
    200,
    { userId: session.userId, orgId: session.orgId, csrfToken: csrfTokenOf(session.token) },
    { ...NO_STORE, "set-cookie": setSessionCookie(externalUrl, session.token, maxAge) },
  );
}

/** Who is signed in, with roles, and the session's anti-CSRF token (readable only same-origin). */
async function getSession(deps: CommandDeps, req: Req, res: Res): Promise<void> {
  const token = sessionCookie(req, deps.config.externalUrl);
  if (token === undefined || !fromOwnOrigin(req, deps.config.externalUrl)) throw notSignedIn();
  if (!(await liveSession(deps, token))) throw notSignedIn();
  const caller = await authenticate(deps.db, `Bearer ${token}`, deps.now(), deps.callers);
  const user = await userQueries(deps.db).byId(caller.userId);
  sendJson(
    res,
    200,
    {
      userId: caller.userId,
      orgId: caller.orgId,
      displayName: user?.displayName ?? "",
      email: user?.email ?? "",
      instanceRoles: caller.instanceRoles,
      orgRoles: Object.fromEntries(caller.orgRoles),
      csrfToken: csrfTokenOf(token),
    },
    NO_STORE,
  );
}

async function deleteSession(deps: CommandDeps, req: Req, res: Res): Promise<void> {
  const externalUrl = deps.config.externalUrl;
  const token = sessionCookie(req, externalUrl);
  const csrf = req.headers[CSRF_HEADER];
  if (token !== undefined) {
    if (!fromOwnOrigin(req, externalUrl) || !csrfMatches(token, typeof csrf === "string" ? csrf : null))
      throw new UsherError({ code: Code.PermissionDenied, id: "CONSOLE-CSRF3", key: "Errors.Console.Csrf" });
    await signOut(deps, token);
  }
  (res as import("node:http").ServerResponse).writeHead(204, {
    ...NO_STORE,
    "set-cookie": clearSessionCookie(externalUrl),
  });
  res.end();
}

function parseBody(raw: Buffer): { loginName: string; password: string } {
  let body: unknown;
  try {
    body = JSON.parse(utf8Text(raw));
  } catch {
    throw invalid("The body is not valid JSON.");
  }
  const b = body as { loginName?: unknown; password?: unknown };
  if (typeof b?.loginName !== "string" || b.loginName.trim() === "" || b.loginName.length > 200)
    throw invalid("loginName is required (at most 200 characters).");
  if (typeof b.password !== "string" || b.password === "" || b.password.length > 200)
    throw invalid("password is required (at most 200 characters).");
  return { loginName: b.loginName, password: b.password };
}

function invalid(message: string): UsherError {
  return new UsherError({ code: Code.InvalidArgument, key: message });
}

function notSignedIn(): UsherError {
  return new UsherError({
    code: Code.Unauthenticated,
    id: "CONSOLE-SESS2",
    key: "Errors.Console.Session.Invalid",
  });
}

/** The stable name clients branch on. */
function codeName(err: UsherError): string {
  if (err.id === "CONSOLE-SIGNIN") return "invalid_credentials";
  if (err.code === Code.ResourceExhausted) return "rate_limited";
  if (err.code === Code.PermissionDenied) return "csrf_refused";
  if (err.code === Code.Unauthenticated) return "not_signed_in";
  if (err.code === Code.InvalidArgument) return "invalid_request";
  return "internal";
}
