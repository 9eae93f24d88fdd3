import { httpLoad } from "../lib/http-load.ts";
import { measure, type StepRecord } from "../lib/measure.ts";
import type { Databases } from "../lib/pg-admin.ts";
import { waitIdle } from "../lib/proc-stats.ts";
import { startServer } from "../lib/spawn.ts";
import { Targets } from "../lib/targets.ts";
import { freePort } from "../lib/usher.ts";

interface PeerUser {
  email: string;
  cookie: string;
}

/** The session cookie of a better-auth answer (set-cookie may come as one string or a list). */
function sessionCookie(headers: Record<string, string | string[]>): string {
  const raw = headers["set-cookie"] ?? headers["Set-Cookie"] ?? [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list
    .map((c) => c.split(";")[0] ?? "")
    .filter((c) => c.includes("session_token"))
    .join("; ");
}

/**
 * better-auth on the same PostgreSQL, in a database of its own: email+password sign-up (which
 * hashes the password, creates user, account and session, and sends the verification mail),
 * and send-verification-email for a signed-in user and, as its docs have it, without a session
 * (which waits until 500 ms have passed on purpose).
 */
export async function runPeer(
  databases: Databases,
  name: string,
  connections: number[],
  seconds: number,
): Promise<{ records: StepRecord[]; readyMs: number; mailsSent: number }> {
  const url = await databases.create(name);
  const port = await freePort();
  const server = await startServer({
    name: "better-auth",
    args: ["--import", "tsx", "bench/servers/better-auth.ts"],
    env: { PORT: String(port), DATABASE_URL: url },
    port,
  });
  const origin = { origin: server.baseUrl };
  const users = new Targets<PeerUser>();
  const records: StepRecord[] = [];
  let serial = 0;
  const step = async (op: string, c: number, load: () => ReturnType<typeof httpLoad>) => {
    await waitIdle(server.pid);
    return measure({ group: "peer", op, surface: "REST", connections: c }, [server.pid], load);
  };
  try {
    for (const c of connections) {
      records.push(
        await step("sign-up", c, () =>
          httpLoad({
            baseUrl: server.baseUrl,
            method: "POST",
            connections: c,
            seconds,
            headers: origin,
            next: () => {
              const email = `ba-${Date.now().toString(36)}-${++serial}@bench.example`;
              return {
                path: "/api/auth/sign-up/email",
                body: JSON.stringify({ email, password: "correct horse battery staple", name: "Bench User" }),
                onOk: (_body, headers) => users.add({ email, cookie: sessionCookie(headers) }),
              };
            },
          }),
        ),
      );
    }
    for (const c of connections) {
      records.push(
        await step("send-verification-session", c, () =>
          httpLoad({
            baseUrl: server.baseUrl,
            method: "POST",
            connections: c,
            seconds,
            headers: origin,
            next: () => {
              const u = users.next();
              return {
                path: "/api/auth/send-verification-email",
                body: JSON.stringify({ email: u.email }),
                headers: { cookie: u.cookie },
              };
            },
          }),
        ),
      );
    }
    for (const c of connections) {
      records.push(
        await step("send-verification-anonymous", c, () =>
          httpLoad({
            baseUrl: server.baseUrl,
            method: "POST",
            connections: c,
            seconds,
            headers: origin,
            next: () => ({
              path: "/api/auth/send-verification-email",
              body: JSON.stringify({ email: users.next().email }),
            }),
          }),
        ),
      );
    }
    const mail = (await (await fetch(`${server.baseUrl}/mail`)).json()) as { sent: number };
    return { records, readyMs: server.readyMs, mailsSent: mail.sent };
  } finally {
    await server.stop(5_000);
  }
}
