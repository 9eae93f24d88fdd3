import { UserService } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { LeanGrpcClient } from "../lib/grpc-client.ts";
import { type HttpRequest, httpLoad } from "../lib/http-load.ts";
import type { LoadResult } from "../lib/load-result.ts";
import { measure, type StepRecord } from "../lib/measure.ts";
import { waitIdle } from "../lib/proc-stats.ts";
import { rpcLoad } from "../lib/rpc-load.ts";
import type { Server } from "../lib/spawn.ts";
import { Targets } from "../lib/targets.ts";
import { drainOutbox, fatalReport, outboxBacklog } from "../lib/usher.ts";

/** A running Usher with its credentials and the users seeded into it. */
export interface UsherUnderTest {
  server: Server;
  token: string;
  /** The default organization (the tenant of `apiKey`). */
  orgId: string;
  apiKey: string;
  seeded: Targets<string>;
  seedCount: number;
  /** The data folder when Usher runs on its embedded server (its memory is sampled too). */
  embeddedDataDir?: string | undefined;
  /** Starts Usher again on the same database (after it died in a step). */
  restart?: () => Promise<Server>;
}

/** The users the steps made and use, handed from one step to the next. */
export interface Pools {
  /** Users created through the API (v2 AddHumanUser, email code mailed, no password). */
  created: Targets<string>;
  /** Users that have a mailed invite code (resend targets). */
  invited: Targets<string>;
  invitedIds: Set<string>;
  /** The latest invite code returned to the caller, per user (an earlier one no longer works). */
  returned: Map<string, string>;
  /** Verify targets: the users and codes of `returned`, each to be used once. */
  toVerify: Targets<[string, string]>;
}

export function newPools(): Pools {
  return {
    created: new Targets(),
    invited: new Targets(),
    invitedIds: new Set(),
    returned: new Map(),
    toVerify: new Targets(),
  };
}

/** One hot operation: how to load it at a given concurrency. */
interface Operation {
  op: string;
  surface: "REST" | "gRPC" | "tenant";
  /** Seconds relative to the step length (the code-returning step runs longer to stock verify). */
  scale?: number;
  /** The step whose users this one draws on, while it has not run (BENCH_OPS may leave it out). */
  missing?: () => string | undefined;
  run(u: UsherUnderTest, connections: number, seconds: number): Promise<LoadResult>;
}

const invitesMissing = (pools: Pools) => () => (pools.invited.size === 0 ? "create-invite" : undefined);

const runId = Date.now().toString(36);
let serial = 0;
const newEmail = () => `bench-${runId}-${++serial}@bench.example`;
const userIdOf = (body: string) => (JSON.parse(body) as { userId: string }).userId;
const PASSWORD = "correct horse battery staple";

function rest(
  u: UsherUnderTest,
  method: "GET" | "POST",
  connections: number,
  seconds: number,
  next: () => HttpRequest,
  maxRequests?: number,
): Promise<LoadResult> {
  return httpLoad({
    baseUrl: u.server.baseUrl,
    method,
    connections,
    seconds,
    headers: { authorization: `Bearer ${u.token}` },
    next,
    maxRequests,
  });
}

function grpc<T>(
  u: UsherUnderTest,
  connections: number,
  seconds: number,
  next: () => T | undefined,
  call: (c: LeanGrpcClient, target: T) => Promise<unknown>,
  onOk?: (target: T, response: unknown) => void,
): Promise<LoadResult> {
  return rpcLoad({
    connections,
    seconds,
    client: () => new LeanGrpcClient(u.server.baseUrl, u.token),
    next,
    call,
    onOk,
    close: (c) => c.close(),
  });
}

const createBody = (withPassword: boolean) =>
  JSON.stringify({
    profile: { givenName: "Bench", familyName: "User" },
    email: { email: newEmail() },
    ...(withPassword ? { password: { password: PASSWORD, changeRequired: false } } : {}),
  });

/** The hot operations, in the order they run (each one's users come from the ones before). */
export function operations(pools: Pools, largestConnections: number): Operation[] {
  return [
    {
      op: "create-user",
      surface: "REST",
      run: (u, c, s) =>
        rest(u, "POST", c, s, () => ({
          path: "/v2/users/human",
          body: createBody(false),
          onOk: (body) => pools.created.add(userIdOf(body)),
        })),
    },
    {
      op: "create-user",
      surface: "gRPC",
      run: (u, c, s) =>
        grpc(
          u,
          c,
          s,
          () => newEmail(),
          (client, email) =>
            client.unary(UserService.method.addHumanUser, {
              profile: { givenName: "Bench", familyName: "User" },
              email: { email },
            }),
          (_, r) => pools.created.add((r as { userId: string }).userId),
        ),
    },
    {
      op: "create-user-password",
      surface: "REST",
      run: (u, c, s) => rest(u, "POST", c, s, () => ({ path: "/v2/users/human", body: createBody(true) })),
    },
    {
      op: "create-invite",
      surface: "REST",
      run: (u, c, s) =>
        rest(u, "POST", c, s, () => {
          const id = pools.created.next();
          return {
            path: `/v2/users/${id}/invite_code`,
            body: '{"sendCode":{"applicationName":"Bench"}}',
            onOk: () => {
              if (!pools.invitedIds.has(id)) pools.invited.add(id);
              pools.invitedIds.add(id);
            },
          };
        }),
    },
    {
      op: "resend-invite",
      missing: invitesMissing(pools),
      surface: "REST",
      run: (u, c, s) =>
        rest(u, "POST", c, s, () => ({
          path: `/v2/users/${pools.invited.next()}/invite_code/resend`,
          body: "{}",
        })),
    },
    {
      op: "resend-invite",
      missing: invitesMissing(pools),
      surface: "gRPC",
      run: (u, c, s) =>
        grpc(
          u,
          c,
          s,
          () => pools.invited.next(),
          (client, userId) => client.unary(UserService.method.resendInviteCode, { userId }),
        ),
    },
    {
      op: "resend-invite",
      missing: invitesMissing(pools),
      surface: "tenant",
      run: (u, c, s) =>
        httpLoad({
          baseUrl: u.server.baseUrl,
          method: "POST",
          connections: c,
          seconds: s,
          headers: { "x-api-key": u.apiKey, "x-tenant-id": u.orgId },
          next: () => ({ path: `/v1/users/${pools.invited.next()}/resend-invite`, body: "{}" }),
        }),
    },
    {
      op: "resend-email-code",
      surface: "REST",
      run: (u, c, s) =>
        rest(u, "POST", c, s, () => ({ path: `/v2/users/${pools.created.next()}/email/resend`, body: "{}" })),
    },
    {
      op: "create-invite-return",
      surface: "REST",
      scale: 1.5,
      run: async (u, c, s) => {
        // Which code is a user's latest is known only when no other request for it was in
        // flight: answers cut off at the step's end, or overlapping, leave it unknown.
        const inFlight = new Map<string, number>();
        const unknown = new Set<string>();
        const result = await rest(u, "POST", c, s, () => {
          // Not a user with a mailed invite: a returned code would make its resends fail later.
          let id = pools.created.next();
          for (let k = 0; k < 1000 && pools.invitedIds.has(id); k++) id = pools.created.next();
          if (inFlight.get(id)) unknown.add(id);
          inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
          return {
            path: `/v2/users/${id}/invite_code`,
            body: '{"returnCode":{}}',
            onOk: (body) => {
              inFlight.set(id, (inFlight.get(id) ?? 1) - 1);
              pools.returned.set(id, (JSON.parse(body) as { inviteCode: string }).inviteCode);
            },
          };
        });
        for (const [id, n] of inFlight) if (n > 0) unknown.add(id);
        for (const id of unknown) pools.returned.delete(id);
        return result;
      },
    },
    {
      op: "verify-invite",
      missing: () =>
        pools.returned.size === 0 && pools.toVerify.size === 0 ? "create-invite-return" : undefined,
      surface: "REST",
      run: (u, c, s) => {
        // Each code works once: the steps share what is left (a later step takes the rest).
        if (pools.toVerify.size === 0) for (const entry of pools.returned) pools.toVerify.add(entry);
        const share = c === largestConnections ? pools.toVerify.remaining : pools.toVerify.remaining / 2;
        return rest(
          u,
          "POST",
          c,
          s,
          () => {
            const [id, code] = pools.toVerify.take() ?? ["exhausted", "NONE"];
            return {
              path: `/v2/users/${id}/invite_code/verify`,
              body: JSON.stringify({ verificationCode: code }),
            };
          },
          share,
        );
      },
    },
    {
      op: "get-user",
      surface: "REST",
      run: (u, c, s) => rest(u, "GET", c, s, () => ({ path: `/v2/users/${u.seeded.random()}` })),
    },
    {
      op: "list-users",
      surface: "REST",
      run: (u, c, s) => rest(u, "POST", c, s, () => ({ path: "/v2/users", body: '{"query":{"limit":20}}' })),
    },
    {
      op: "list-users-email",
      surface: "REST",
      run: (u, c, s) =>
        rest(u, "POST", c, s, () => {
          const prefix = `seed-${String(Math.floor(Math.random() * (u.seedCount / 100))).padStart(4, "0")}`;
          return {
            path: "/v2/users",
            body: JSON.stringify({
              query: { limit: 20 },
              queries: [{ emailQuery: { emailAddress: prefix, method: "TEXT_QUERY_METHOD_STARTS_WITH" } }],
            }),
          };
        }),
    },
  ];
}

/**
 * Every hot operation at every concurrency against one running Usher. Before each step the
 * delivery worker is given up to 30 s to empty the outbox, so no step pays for the mail of the
 * one before; the backlog left at each step's end is recorded.
 */
export async function runUsherOps(
  u: UsherUnderTest,
  group: string,
  connections: number[],
  seconds: number,
  pools: Pools,
  only?: (op: string, surface: string) => boolean,
): Promise<StepRecord[]> {
  const records: StepRecord[] = [];
  const ops = operations(pools, Math.max(...connections));
  // Warm-up (not recorded): JIT, the pool's connections and their prepared statements.
  await ops[0]?.run(u, Math.min(...connections), Math.min(3, seconds));
  for (const o of ops) {
    if (only && !only(o.op, o.surface)) continue;
    const missing = o.missing?.();
    if (missing) {
      process.stdout.write(
        `  ${group}  ${o.op} ${o.surface}: skipped, it uses the users ${missing} prepares (add ${missing} to BENCH_OPS)\n`,
      );
      continue;
    }
    for (const c of connections) {
      await drainOutbox(u.server.baseUrl);
      await waitIdle(u.server.pid);
      const r = await measure(
        { group, op: o.op, surface: o.surface, connections: c },
        [u.server.pid],
        () => o.run(u, c, seconds * (o.scale ?? 1)),
        u.embeddedDataDir,
      );
      const { exitCode, signalCode } = u.server.child;
      if (exitCode !== null || signalCode !== null) {
        // Record the crash with what the process said, and go on with a new Usher.
        const lines = u.server.output().trim().split("\n").filter(Boolean);
        const fatal = lines.findIndex((l) => l.includes("Fatal error"));
        // What the process printed just before and at the fatal error (with --trace-deopt: the last deopts).
        const said = lines.slice(Math.max(0, fatal - 6), fatal + 10).join(" / ");
        const report = fatalReport(u.server.pid);
        r.note = `Usher died (${exitCode ?? signalCode}): ${said.slice(0, 3000)}`;
        if (report) r.note += ` || report ${report.file}: ${report.message} | ${report.stack.join(" | ")}`;
        process.stdout.write(`      ${r.note}\n`);
        if (!u.restart) throw new Error(r.note);
        await u.server.stop();
        u.server = await u.restart();
      } else r.backlogAfter = await outboxBacklog(u.server.baseUrl);
      records.push(r);
    }
  }
  return records;
}
