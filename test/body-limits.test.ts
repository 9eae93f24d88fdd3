import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http2 from "node:http2";
import path from "node:path";
import { after, before, test } from "node:test";
import { type Upload, uploadHttp1, uploadHttp2 } from "./helpers/big-uploads.ts";
import { bytesReadBy, rssOf } from "./helpers/hostile-clients.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";
import { spawnUsher, type UsherProcess } from "./helpers/spawn-usher.ts";
import { freePort } from "./helpers/test-app.ts";

const MB = 1024 * 1024;
const KB = 1024;
const BODY = 150 * MB;
const UPLOADS = 10;
// What socket and stream buffers may take in before a refusal stops the reading: loopback TCP
// autotuning let one refused request bring in ~0.7 MB on a clean-clone CI run. Reading a whole
// 150 MB body still exceeds the bound a hundredfold.
const PER_REQUEST_SLACK = MB;
/** Other reads of the process meanwhile (the embedded database's files, for one). */
const PROCESS_SLACK = MB;
const ADD_HUMAN = "/zitadel.user.v2.UserService/AddHumanUser";
const KEEP_ALIVE_MS = 2_000;

interface Surface {
  name: string;
  /** Body bytes the surface may read before it refuses (0: the credential comes first). */
  readLimit: number;
  send(usher: UsherProcess, port: number, i: number, size: number, token?: string): Promise<Upload>;
}

const json = { "content-type": "application/json" };
const h1 =
  (path: string, headers: Record<string, string>) =>
  (_u: UsherProcess, port: number, i: number, size: number, token?: string) =>
    uploadHttp1(port, path, withToken(headers, token), { size, chunked: i % 2 === 1, timeoutMs: 60_000 });
const h2 =
  (path: string, headers: Record<string, string>) =>
  (u: UsherProcess, _port: number, _i: number, size: number, token?: string) =>
    uploadHttp2(u.baseUrl, path, withToken(headers, token), { size, timeoutMs: 60_000 });

function withToken(headers: Record<string, string>, token: string | undefined): Record<string, string> {
  return token ? { ...headers, authorization: `Bearer ${token}` } : headers;
}

/** Every surface that takes a body, as a client of it would send one. */
const SURFACES: Surface[] = [
  { name: "ZITADEL REST", readLimit: 0, send: h1("/v2/users/human", json) },
  { name: "Connect (HTTP/1.1, JSON)", readLimit: 0, send: h1(ADD_HUMAN, json) },
  {
    name: "Connect (HTTP/2, binary)",
    readLimit: 0,
    send: h2(ADD_HUMAN, { "content-type": "application/proto" }),
  },
  {
    name: "gRPC-Web",
    readLimit: 0,
    send: h1(ADD_HUMAN, { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" }),
  },
  { name: "gRPC", readLimit: 0, send: h2(ADD_HUMAN, { "content-type": "application/grpc", te: "trailers" }) },
  {
    name: "gRPC with a deadline",
    readLimit: 0,
    send: h2(ADD_HUMAN, { "content-type": "application/grpc", te: "trailers", "grpc-timeout": "20S" }),
  },
  {
    name: "tenant API",
    readLimit: 0,
    send: h1("/v1/users", { ...json, "x-tenant-id": "0190a4c6-0000-7000-8000-000000000000" }),
  },
  {
    name: "hosted pages",
    readLimit: 16 * KB,
    send: h1("/ui/login/user/invite", { "content-type": "application/x-www-form-urlencoded" }),
  },
];

/**
 * Waits until the process has read nothing for 300 ms (at most 10 s), so that a step's count
 * starts after the bytes of the step before (still arriving on its connections) have stopped.
 */
async function readsSettled(pid: number): Promise<void> {
  const deadline = performance.now() + 10_000;
  let last = bytesReadBy(pid);
  while (performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
    const now = bytesReadBy(pid);
    if (now === last) return;
    last = now;
  }
}

/** Runs ten uploads on a surface at once; the bytes the process read meanwhile. */
async function tenUploads(s: Surface, usher: UsherProcess, port: number, token?: string) {
  const pid = usher.child.pid as number;
  await readsSettled(pid);
  const started = performance.now();
  const before = bytesReadBy(pid);
  const uploads = await Promise.all(
    Array.from({ length: UPLOADS }, (_, i) => s.send(usher, port, i, BODY, token)),
  );
  const read = bytesReadBy(pid) - before;
  const answered = uploads.filter((u) => u.status !== undefined).length;
  console.log(
    `${s.name}${token ? " (authenticated)" : ""}: read ${(read / MB).toFixed(2)} MB for ${UPLOADS} bodies of 150 MB; ` +
      `${answered} answered (${[...new Set(uploads.map((u) => u.status))].join(", ")}), ` +
      `largest sent ${(Math.max(...uploads.map((u) => u.sent)) / MB).toFixed(1)} MB, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  for (const u of uploads) {
    assert.ok(!u.timedOut, `${s.name}: an upload was neither refused nor closed`);
    // HTTP/2: the stream is reset with NO_ERROR once the answer is out, not cancelled (8) by the
    // request timeout while the client is still blocked sending.
    if (u.resetCode !== undefined)
      assert.equal(u.resetCode, 0, `${s.name}: the stream ended with RST_STREAM code ${u.resetCode}`);
  }
  return read;
}

// One Usher for both tests: a start on a loaded machine takes up to a minute.
let db: Awaited<ReturnType<typeof sharedDatabase>>;
let usher: UsherProcess;
let port: number;
before(async () => {
  db = await sharedDatabase();
  port = await freePort();
  // A short keep-alive timeout, so that an idle HTTP/2 connection is seen closed (last test).
  usher = await spawnUsher(port, { ...db.env, USHER_KEEP_ALIVE_TIMEOUT: `${KEEP_ALIVE_MS}ms` });
});
after(async () => {
  await usher?.stop();
  await db?.drop();
});

/** Samples the process's resident memory every 25 ms; `stop` gives the highest seen. */
function sampleRss(pid: number) {
  let max = rssOf(pid);
  const timer = setInterval(() => {
    max = Math.max(max, rssOf(pid));
  }, 25);
  return () => {
    clearInterval(timer);
    return Math.max(max, rssOf(pid));
  };
}

test("ten unauthenticated 150 MB bodies on each surface are refused before more than the limit is read, and memory stays flat", {
  timeout: 300_000,
}, async () => {
  {
    const pid = usher.child.pid as number;
    // Each surface once with a small body first, so code loaded on first use is not counted.
    for (const s of SURFACES) await s.send(usher, port, 0, KB);
    const baseline = rssOf(pid);
    const peak = sampleRss(pid);
    for (const s of SURFACES) {
      const read = await tenUploads(s, usher, port);
      const bound = UPLOADS * (s.readLimit + PER_REQUEST_SLACK) + PROCESS_SLACK;
      assert.ok(read <= bound, `${s.name}: read ${read} bytes, more than ${bound}`);
    }
    const growth = peak() - baseline;
    console.log(
      `resident memory: ${(baseline / MB).toFixed(1)} MB before, grew at most ${(growth / MB).toFixed(1)} MB`,
    );
    assert.ok(growth < 50 * MB, `the process grew ${(growth / MB).toFixed(1)} MB`);
  }
});

test("authenticated bodies past the limit are refused once the limit is read, on REST, Connect and gRPC", {
  timeout: 300_000,
}, async () => {
  const token = readFileSync(path.join(db.env.USHER_DATA_DIR as string, "admin.pat"), "utf8").trim();
  const me = await fetch(`${usher.baseUrl}/management/v1/orgs/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const orgId = ((await me.json()) as { org: { id: string } }).org.id;
  const limited: Surface[] = [
    { name: "ZITADEL REST", readLimit: MB, send: h1("/v2/users/human", json) },
    { name: "Connect (HTTP/1.1, JSON)", readLimit: 4 * MB, send: h1(ADD_HUMAN, json) },
    {
      name: "gRPC",
      readLimit: 4 * MB,
      send: h2(ADD_HUMAN, { "content-type": "application/grpc", te: "trailers" }),
    },
    { name: "tenant API", readLimit: 64 * KB, send: h1("/v1/users", { ...json, "x-tenant-id": orgId }) },
  ];
  for (const s of limited) {
    const read = await tenUploads(s, usher, port, token);
    const bound = UPLOADS * (s.readLimit + PER_REQUEST_SLACK) + PROCESS_SLACK;
    assert.ok(read <= bound, `${s.name}: read ${read} bytes, more than ${bound}`);
  }
});

test("a refused HTTP/2 upload's stream ends on the server too: its idle connection is closed after the keep-alive timeout", {
  timeout: 60_000,
}, async () => {
  const session = http2.connect(usher.baseUrl);
  session.on("error", () => {});
  try {
    const closed = new Promise<number>((resolve) => session.once("close", () => resolve(performance.now())));
    const stream = session.request({
      ":method": "POST",
      ":path": ADD_HUMAN,
      "content-type": "application/proto",
    });
    stream.on("error", () => {});
    stream.resume();
    const ended = new Promise<void>((resolve) => stream.once("close", () => resolve()));
    const chunk = Buffer.alloc(64 * KB, 0x61);
    const pump = () => {
      while (!stream.closed && !stream.destroyed)
        if (!stream.write(chunk)) return void stream.once("drain", pump);
    };
    pump();
    await ended;
    const streamClosedAt = performance.now();
    // The session stays open on the client's side: only the server can close it, once it counts
    // no open stream (a stream it reset but never let end would hold it open for good).
    const limit = new Promise<undefined>((resolve) =>
      setTimeout(() => resolve(undefined), KEEP_ALIVE_MS + 10_000),
    );
    const at = await Promise.race([closed, limit]);
    assert.ok(
      at !== undefined,
      "the server never closed the idle connection: the refused stream is still open on its side",
    );
    console.log(
      `connection closed by the server ${((at - streamClosedAt) / 1000).toFixed(1)} s after the stream ended`,
    );
  } finally {
    session.destroy();
  }
});
