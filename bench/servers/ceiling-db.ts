// Ceiling (b): a bare node:http handler doing the database work of a resend — in one
// transaction, read and lock the user, replace its invite code, append the event (advancing
// the user's sequence, as Usher does in one statement) and queue the outbox row — on a `pg`
// pool, with unnamed statements or named (prepared) ones.
//   PORT=8092 DATABASE_URL=postgres://… NAMED=1 node --import tsx bench/servers/ceiling-db.ts
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import pg from "pg";

const named = process.env.NAMED === "1";
// DUE_LATER=1 queues each message for when its code expires, so that a Usher running beside
// this server (bench/phases/paired.ts) leaves the rows alone; the statements are the same.
const dueLater = process.env.DUE_LATER === "1";
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL ?? 10) });
const key = randomBytes(32);

const SQL = {
  user: "select * from users where id = $1 for update",
  code: `insert into user_codes (org_id, user_id, kind, code_hash, created_at, expires_at, failed_attempts,
           code_returned, url_template, application_name, auth_request_id)
         values ($1, $2, 'invite', $3, $4, $5, 0, false, '', '', '')
         on conflict (org_id, user_id, kind) do update set code_hash = excluded.code_hash,
           created_at = excluded.created_at, expires_at = excluded.expires_at, failed_attempts = 0`,
  event: `with s as (update users set sequence = sequence + 1, updated_at = $3 where org_id = $1 and id = $2
           returning sequence)
         insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor, created_at)
         select $1, 'user', $2, s.sequence, 'user.human.invite.code.added', $4::jsonb, 'bench', $3 from s
         returning sequence`,
  outbox: `insert into outbox (id, org_id, user_id, message_type, code_kind, recipient, status, payload, secret,
           next_attempt_at, created_at, updated_at, expires_at)
         values ($1, $2, $3, 'InviteUser', 'invite', $4, 'queued', $5::jsonb, $6, $9, $7, $7, $8)`,
} as const;

async function q<R extends pg.QueryResultRow>(
  c: pg.PoolClient,
  name: keyof typeof SQL,
  values: unknown[],
): Promise<R[]> {
  const r = await c.query<R>(named ? { name, text: SQL[name], values } : { text: SQL[name], values });
  return r.rows;
}

async function resend(userId: string): Promise<unknown> {
  const c = await pool.connect();
  try {
    await c.query("begin");
    const user = (await q<{ org_id: string; email: string }>(c, "user", [userId]))[0];
    if (!user) {
      await c.query("rollback");
      return undefined;
    }
    const at = new Date();
    const expires = new Date(at.getTime() + 72 * 3_600_000);
    const code = randomBytes(4).toString("hex").slice(0, 6).toUpperCase();
    await q(c, "code", [
      user.org_id,
      userId,
      createHmac("sha256", key).update(code).digest("hex"),
      at,
      expires,
    ]);
    const [event] = await q<{ sequence: number }>(c, "event", [
      user.org_id,
      userId,
      at,
      JSON.stringify({ expiry: 259200000000000, codeReturned: false }),
    ]);
    await q(c, "outbox", [
      randomUUID(),
      user.org_id,
      userId,
      user.email,
      JSON.stringify({ userId, orgId: user.org_id }),
      randomBytes(34).toString("base64"),
      at,
      expires,
      dueLater ? expires : at,
    ]);
    await c.query("commit");
    return { details: { sequence: String(event?.sequence), changeDate: at, resourceOwner: user.org_id } };
  } catch (e) {
    await c.query("rollback").catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const id = /^\/resend\/([^/]+)$/.exec(req.url ?? "")?.[1];
    if (req.url === "/readyz") return send(res, 200, { status: "ok" });
    if (!id) return send(res, 404, { message: "not found" });
    resend(decodeURIComponent(id)).then(
      (body) => (body ? send(res, 200, body) : send(res, 404, { message: "user not found" })),
      (e: unknown) => send(res, 500, { message: (e as Error).message }),
    );
  });
});

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => {
  server.close(() => void pool.end().then(() => process.exit(0)));
  server.closeIdleConnections();
});
