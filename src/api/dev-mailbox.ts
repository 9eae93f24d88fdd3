import type { Db } from "../db/types.ts";
import { type MailboxContent, openMail } from "../outbox/mailbox-sealing.ts";
import { escapeHtml } from "../outbox/templates.ts";
import { mailboxQueries } from "../queries/mailbox.ts";
import { type Res, sendHtml, sendJson } from "./http/io.ts";

interface MailRow extends MailboxContent {
  id: string;
  recipient: string;
  created_at: Date;
}

/** The newest messages, opened with the mailbox key (stored only sealed). */
async function latest(db: Db, key: Buffer, limit: number): Promise<MailRow[]> {
  const rows = await mailboxQueries(db).latest(limit);
  return rows.map((r) => ({
    id: r.id,
    recipient: r.recipient,
    created_at: r.created_at,
    ...openMail(key, r),
  }));
}

/** `/dev/mailbox/messages`: the newest messages as JSON (`?limit=`, default 50, max 500). */
export async function mailboxJson(db: Db, key: Buffer, url: URL, res: Res): Promise<void> {
  const limit = Math.min(500, Math.max(1, Number(url.searchParams.get("limit")) || 50));
  const rows = await latest(db, key, limit);
  sendJson(res, 200, {
    messages: rows.map((r) => ({
      id: r.id,
      to: r.recipient,
      subject: r.subject,
      text: r.text,
      html: r.html,
      created_at: r.created_at.toISOString(),
    })),
  });
}

/** `/dev/mailbox`: a page listing the newest messages, text parts shown in full. */
export async function mailboxPage(db: Db, key: Buffer, res: Res): Promise<void> {
  const rows = await latest(db, key, 100);
  const items = rows
    .map(
      (r) => `<article><h2>${escapeHtml(r.subject)}</h2>
<p class="meta">To <strong>${escapeHtml(r.recipient)}</strong> · ${escapeHtml(r.created_at.toISOString())}</p>
<pre>${linkify(escapeHtml(r.text))}</pre></article>`,
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
