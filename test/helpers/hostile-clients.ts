import { readFileSync } from "node:fs";
import http2 from "node:http2";
import net from "node:net";

/** A connection the test holds open, and when (ms after it opened) the server closed it. */
export interface Held {
  readonly openedAt: number;
  closedAfter: number | undefined;
  /** When (ms after it opened) the server first wrote. */
  answeredAfter?: number;
  /** What the server wrote before it closed the connection. */
  received: string;
  stop(): void;
}

/**
 * Opens a TCP connection to `port`, writes `first` (nothing for a silent client), then keeps
 * writing `drip` every `dripMs` if given. Resolves once connected.
 */
export function hold(
  port: number,
  options: { first?: string; drip?: string; dripMs?: number; localAddress?: string } = {},
): Promise<Held> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1", localAddress: options.localAddress });
    let timer: NodeJS.Timeout | undefined;
    const held: Held = {
      openedAt: 0,
      closedAfter: undefined,
      received: "",
      stop: () => {
        clearInterval(timer);
        socket.destroy();
      },
    };
    socket.on("data", (d) => {
      held.answeredAfter ??= performance.now() - held.openedAt;
      held.received += d.toString("latin1");
    });
    socket.on("error", () => {});
    socket.once("close", () => {
      clearInterval(timer);
      if (held.closedAfter === undefined) held.closedAfter = performance.now() - held.openedAt;
    });
    socket.once("connect", () => {
      (held as { openedAt: number }).openedAt = performance.now();
      if (options.first) socket.write(options.first);
      if (options.drip)
        timer = setInterval(() => {
          if (!socket.destroyed) socket.write(options.drip as string);
        }, options.dripMs ?? 200);
      resolve(held);
    });
    socket.once("error", reject);
  });
}

/** An HTTP/2 connection without requests, and when the server closed it. */
export async function holdHttp2(baseUrl: string): Promise<Held> {
  const session = http2.connect(baseUrl);
  session.on("error", () => {});
  await new Promise<void>((resolve, reject) => {
    session.once("connect", () => resolve());
    session.once("error", reject);
  });
  const held: Held = {
    openedAt: performance.now(),
    closedAfter: undefined,
    received: "",
    stop: () => session.destroy(),
  };
  session.once("close", () => {
    held.closedAfter = performance.now() - held.openedAt;
  });
  return held;
}

/** An HTTP/2 request whose body trickles, and when the server ended its stream. */
export async function holdHttp2SlowBody(baseUrl: string, path: string, token: string): Promise<Held> {
  const session = http2.connect(baseUrl);
  session.on("error", () => {});
  const stream = session.request({
    ":method": "POST",
    ":path": path,
    "content-type": "application/json",
    authorization: `Bearer ${token}`,
  });
  stream.on("error", () => {});
  stream.resume();
  const held: Held = {
    openedAt: performance.now(),
    closedAfter: undefined,
    received: "",
    stop: () => {
      clearInterval(timer);
      session.destroy();
    },
  };
  stream.write("{");
  const timer = setInterval(() => {
    if (!stream.destroyed && !stream.closed) stream.write(" ");
  }, 200);
  stream.once("close", () => {
    clearInterval(timer);
    held.received = `rst ${stream.rstCode}`;
    held.closedAfter = performance.now() - held.openedAt;
  });
  return held;
}

/** Waits until every held connection is closed or `ms` passed; returns those still open. */
export async function untilClosed(all: readonly Held[], ms: number): Promise<Held[]> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline && all.some((h) => h.closedAfter === undefined))
    await new Promise((r) => setTimeout(r, 50));
  return all.filter((h) => h.closedAfter === undefined);
}

/** Resident memory of a process, in bytes. */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb) * 1024;
}

/** Bytes a process has read through read(2) — sockets included — since it started. */
export function bytesReadBy(pid: number): number {
  return Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1]);
}

/** The 99th percentile of a list of numbers. */
export function p99(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
}
