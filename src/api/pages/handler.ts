import type { CommandDeps } from "../../commands/deps.ts";
import type { Req, Res } from "../http/io.ts";
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
    if (!res.headersSent) {
      const t = browserTexts(p);
      render(p, 500, messagePage(t, t.failure));
    }
    throw e;
  }
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
