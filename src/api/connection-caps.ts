import type net from "node:net";

/** Why a connection was refused: the process is full, or its client address is. */
export type Refusal = "total" | "per_address";

/**
 * Counts the connections the listener holds, in total and per client address, and says
 * whether one more may be admitted. Every admitted connection must be released once.
 */
export class ConnectionCaps {
  private total = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly maxPerAddress: number,
  ) {}

  /** Takes a slot for a connection from `address`, or says why there is none. */
  admit(address: string): Refusal | undefined {
    const fromAddress = this.byAddress.get(address) ?? 0;
    if (this.total >= this.max) return "total";
    if (fromAddress >= this.maxPerAddress) return "per_address";
    this.total++;
    this.byAddress.set(address, fromAddress + 1);
    return undefined;
  }

  release(address: string): void {
    this.total--;
    const left = (this.byAddress.get(address) ?? 1) - 1;
    if (left <= 0) this.byAddress.delete(address);
    else this.byAddress.set(address, left);
  }

  get open(): number {
    return this.total;
  }
}

/** The client address of a socket, with IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as plain IPv4. */
export function addressOf(socket: net.Socket): string {
  const a = socket.remoteAddress ?? "";
  return a.startsWith("::ffff:") && a.includes(".") ? a.slice(7) : a;
}

const BUSY_BODY = JSON.stringify({
  code: "unavailable",
  message: "Too many connections; try again shortly.",
  details: {},
  notices: [],
});
const BUSY = Buffer.from(
  "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n" +
    `connection: close\r\ncontent-length: ${Buffer.byteLength(BUSY_BODY)}\r\n\r\n${BUSY_BODY}`,
);
/** How long a refused connection may still send (read and dropped) before it is cut. */
const REFUSED_LINGER_MS = 1_000;

/**
 * Answers a connection that got no slot: a 503 written at once (before the protocol is known,
 * so in HTTP/1.1; an HTTP/2 client sees its connection closed), then the connection is closed.
 * Whatever the client still sends is dropped for a moment, so it can read the answer instead
 * of a reset, and then the socket is destroyed.
 */
export function refuseConnection(socket: net.Socket): void {
  socket.on("error", () => {});
  socket.end(BUSY);
  socket.resume();
  const cut = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
  cut.unref();
  socket.once("close", () => clearTimeout(cut));
}
