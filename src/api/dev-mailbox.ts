import type { Db } from "../db/types.ts";
import { escapeHtml } from "../outbox/templates.ts";
import { type Res, sendHtml, sendJson } from "./http/io.ts";

interface MailRow {
  id: string;
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: Date;
}

async function latest(db: Db, limit: number): Promise<MailRow[]> {
  return db.query<MailRow>(
    "select id, recipient, subject, text_body, html_body, created_at from mailbox order by created_at desc, id desc limit $1",
    [limit],
  );
}

/** `/dev/mailbox/messages`: the newest messages as JSON (`?limit=`, default 50, max 500). */
export async function mailboxJson(db: Db, url: URL, res: Res): Promise<void> {
  const limit = Math.min(500, Math.max(1, Number(url.searchParams.get("limit")) || 50));
  const rows = await latest(db, limit);
  sendJson(res, 200, {
    messages: rows.map((r) => ({
      id: r.id,
      to: r.recipient,
      subject: r.subject,
      text: r.text_body,
      html: r.html_body,
      created_at: r.created_at.toISOString(),
    })),
  });
}

/** `/dev/mailbox`: a page listing the newest messages, text parts shown in full. */
export async function mailboxPage(db: Db, res: Res): Promise<void> {
  const rows = await latest(db, 100);
  const items = rows
    .map(
      (r) => `<article><h2>${escapeHtml(r.subject)}</h2>
<p class="meta">To <strong>${escapeHtml(r.recipient)}</strong> · ${escapeHtml(r.created_at.toISOString())}</p>
<pre>${linkify(escapeHtml(r.text_body))}</pre></article>`,
    )
    .join("\n");
  sendHtml(
    res,
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Usher dev mailbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
article{border:1px solid #ccc;border-radius:8px;padding:0 1rem;margin:1rem 0}.meta{color:#444}pre{white-space:pre-wrap}</style>
</head><body><h1>Dev mailbox</h1><p>Messages Usher "sent" while no SMTP server is configured, newest first. JSON: <a href="/dev/mailbox/messages">/dev/mailbox/messages</a>.</p>
${items || "<p>No messages yet.</p>"}</body></html>`,
  );
}

/** Makes escaped http(s) URLs clickable; input is already HTML-escaped. */
function linkify(escaped: string): string {
  return escaped.replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}">${u}</a>`);
}
