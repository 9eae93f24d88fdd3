import { Code } from "@connectrpc/connect";
import type { CommandDeps } from "../../commands/deps.ts";
import { isUsherError } from "../../errors/usher-error.ts";
import type { Req, Res } from "../http/io.ts";
import { retryAfter } from "../zitadel/errors.ts";
import { type Flow, flowAt, flowNamed } from "./flows.ts";
import { browserTexts, formToken, linkTexts, type PageRequest, pageRequest, render } from "./page-request.ts";
import { handlePost } from "./post.ts";
import { STYLESHEET_PATH, sendStylesheet } from "./respond.ts";
import { donePage, formPage, messagePage } from "./views.ts";

/**
 * Serves everything under `/ui/login/`: the three pages ZITADEL's mails link to (init,
 * invite, email verification), the pages shown after a post, and the stylesheet. Errors are
 * answered with an HTML page and passed on to the server's log.
 */
export async function servePage(deps: CommandDeps, req: Req, res: Res, url: URL): Promise<void> {
  if (url.pathname === STYLESHEET_PATH) return sendStylesheet(res);
  const p = pageRequest(deps, req, res, url);
  try {
    await route(p);
  } catch (e) {
    const status = pageErrorStatus(e);
    if (!res.headersSent) {
      const t = browserTexts(p);
      const retry = isUsherError(e) ? retryAfter(e) : undefined;
      const headers: Record<string, string> = retry === undefined ? {} : { "retry-after": String(retry) };
      render(p, status, messagePage(t, status === 400 ? t.badLink : t.failure), headers);
    }
    // A malformed link or form is the client's mistake, not the server's: nothing to log.
    if (status !== 400) throw e;
  }
}

/** 400 for input the database cannot take, 503 for an outage, 504 for a cut statement, else 500. */
function pageErrorStatus(e: unknown): number {
  if (!isUsherError(e)) return 500;
  if (e.code === Code.InvalidArgument) return 400;
  if (e.code === Code.Unavailable) return 503;
  if (e.code === Code.DeadlineExceeded) return 504;
  return 500;
}

async function route(p: PageRequest): Promise<void> {
  const method = p.req.method ?? "GET";
  const flow = flowAt(p.url.pathname);
  const reading = method === "GET" || method === "HEAD";
  if (flow && method === "POST") return handlePost(p, flow);
  if (!reading) return notAllowed(p, flow ? "GET, HEAD, POST" : "GET, HEAD");
  if (flow) return showForm(p, flow);
  const done = flowNamed(p.url.searchParams.get("flow"));
  const t = linkTexts(p, p.url.searchParams.get("lang"));
  if (p.url.pathname === "/ui/login/done" && done) return render(p, 200, donePage(t, done));
  if (p.url.pathname === "/ui/login/sent") return render(p, 200, messagePage(t, t.sent));
  return render(p, 404, messagePage(t, t.notFound));
}

/**
 * The page a mail links to: the form, prefilled with the link's code. Scanner-safe — it
 * reads nothing and changes nothing.
 */
function showForm(p: PageRequest, flow: Flow): void {
  const q = p.url.searchParams;
  const v = {
    userId: q.get("userID") ?? "",
    orgId: q.get("orgID") ?? "",
    code: (q.get("code") ?? "").slice(0, 64),
  };
  const t = linkTexts(p, q.get("lang"));
  if (!v.userId || v.userId.length > 200) render(p, 400, messagePage(t, t.badLink));
  else render(p, 200, formPage(t, flow, v, formToken(p, flow.name, v.userId), { policy: p.policy }));
}

function notAllowed(p: PageRequest, allow: string): void {
  const t = browserTexts(p);
  render(p, 405, messagePage(t, t.notFound), { allow });
}
