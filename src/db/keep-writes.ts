/** Marks an error after which the transaction commits what it wrote before it is thrown on. */
const KEEP = Symbol("keepWrites");

/**
 * A refusal whose record must stand: the transaction commits, then the error is thrown to the
 * caller. For a failed code check, which counts against the code's attempt limit (as ZITADEL
 * pushes its `*.check.failed` event before it answers the error).
 */
export function keepWrites<E extends Error>(error: E): E {
  Object.defineProperty(error, KEEP, { value: true });
  return error;
}

/** Whether a transaction that threw `error` commits before passing it on. */
export function keepsWrites(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[KEEP] === true;
}
