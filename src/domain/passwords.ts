import { randomBytes } from "node:crypto";
import { PasswordThreads } from "./password-threads.ts";

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const PARAMS = { memorySize: 19_456, iterations: 2, parallelism: 1, hashLength: 32 } as const;

// One pool per process: hashing is CPU and memory the whole process shares, whichever app asks.
const threads = new PasswordThreads();

/** Hashes a password with argon2id into a PHC string (`$argon2id$v=19$…`), off the event loop. */
export function hashPassword(password: string): Promise<string> {
  return threads.run({
    fn: "argon2id",
    options: { ...PARAMS, password, salt: randomBytes(16), outputType: "encoded" },
  });
}

/** Checks a password against a stored argon2 or bcrypt hash, off the event loop. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  if (encoded.startsWith("$argon2"))
    return threads.run({ fn: "argon2Verify", options: { password, hash: encoded } });
  if (/^\$2[aby]\$/.test(encoded))
    return threads.run({ fn: "bcryptVerify", options: { password, hash: encoded } });
  return false;
}

/** Whether an imported hash is in a format Usher can verify later. */
export function isSupportedHash(encoded: string): boolean {
  return (
    /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.test(encoded) ||
    /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(encoded)
  );
}
