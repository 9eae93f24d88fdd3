/** A hosted page as a client without a browser sees it (a link scanner, an attacker). */
export interface FetchedPage {
  status: number;
  html: string;
  headers: Headers;
  /** The form token of the page's first form, if any. */
  token: string | undefined;
  /** The `name=value` part of the page's Set-Cookie, if any. */
  cookie: string | undefined;
}

async function toPage(res: Response): Promise<FetchedPage> {
  const html = await res.text();
  return {
    status: res.status,
    html,
    headers: res.headers,
    token: /name="form_token" value="([^"]+)"/.exec(html)?.[1],
    cookie: res.headers.get("set-cookie")?.split(";")[0],
  };
}

/** GETs a page, as a mail scanner would. */
export async function getPage(url: string, headers: Record<string, string> = {}): Promise<FetchedPage> {
  return toPage(await fetch(url, { headers, redirect: "manual" }));
}

/** POSTs a form (urlencoded) without following the redirect. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<FetchedPage> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
  return toPage(res);
}

/** The fields a page link carries (`userID`, `orgID`, `code`). */
export function linkFields(link: string): { userID: string; orgID: string; code: string } {
  const q = new URL(link).searchParams;
  return { userID: q.get("userID") ?? "", orgID: q.get("orgID") ?? "", code: q.get("code") ?? "" };
}
