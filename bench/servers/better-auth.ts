// The peer: better-auth with email+password sign-up and email verification on PostgreSQL
// (its own database, its tables made by its own migrations), rate limiter off, telemetry off,
// and every "sent" verification mail captured in memory (a counter and the last URL).
//   PORT=8093 DATABASE_URL=postgres://… node --import tsx bench/servers/better-auth.ts
import http from "node:http";
import { betterAuth } from "better-auth";
import { getMigrations } from "better-auth/db/migration";
import { toNodeHandler } from "better-auth/node";
import pg from "pg";

const port = Number(process.env.PORT);
const mail = { sent: 0, lastUrl: "" };
const options = {
  database: new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL ?? 10) }),
  baseURL: `http://127.0.0.1:${port}`,
  secret: "bench-secret-bench-secret-bench-secret-0123456789",
  telemetry: { enabled: false },
  rateLimit: { enabled: false },
  logger: { disabled: true },
  emailAndPassword: { enabled: true, requireEmailVerification: false },
  emailVerification: {
    sendOnSignUp: true,
    async sendVerificationEmail({ url }: { url: string }) {
      mail.sent++;
      mail.lastUrl = url;
    },
  },
};

const { runMigrations } = await getMigrations(options);
await runMigrations();
const auth = betterAuth(options);
const handler = toNodeHandler(auth);

const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if (req.url === "/readyz" || req.url === "/mail") {
    const body = JSON.stringify(req.url === "/mail" ? mail : { status: "ok" });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
    return;
  }
  void handler(req, res);
});
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
