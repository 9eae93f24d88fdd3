import path from "node:path";

/** The database Usher's data lives in, and the superuser it connects as. */
export const DATABASE = "usher";
export const SUPERUSER = "usher";
/** The port number in the socket's name (`.s.PGSQL.5432`); with a socket nothing listens on TCP. */
export const SOCKET_PORT = 5432;
/** Longest Unix socket path (sun_path less its NUL on Linux; macOS allows 103). */
const MAX_SOCKET_PATH = process.platform === "darwin" ? 103 : 107;

/** Where the embedded server keeps everything, under `<data dir>/pg`. */
export interface Layout {
  /** `<data dir>/pg`: mode 0700, owned by the server's OS user. */
  root: string;
  /** The cluster (PGDATA). */
  data: string;
  /** `*:*:*:usher:<password>` (libpq's pgpass format), mode 0600, owned by Usher's user. */
  passfile: string;
  /** The server's log (stdout and stderr of postgres). */
  log: string;
  /** The pid of the Usher process that started the running server. */
  owner: string;
  /** The folder of the Unix socket, or undefined when its path would be too long (TCP then). */
  socketDir: string | undefined;
}

export function layoutOf(dataDir: string): Layout {
  const root = path.join(path.resolve(dataDir), "pg");
  const socketPath = path.join(root, `.s.PGSQL.${SOCKET_PORT}`);
  return {
    root,
    data: path.join(root, "data"),
    passfile: path.join(root, "pgpass"),
    log: path.join(root, "server.log"),
    owner: path.join(root, "owner.pid"),
    socketDir:
      process.platform !== "win32" && Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH ? root : undefined,
  };
}
