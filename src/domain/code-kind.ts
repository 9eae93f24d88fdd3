/** The kinds of verification code, one row each per user. */
export type CodeKind = "invite" | "email" | "init" | "password";

/** A stored code: never the code itself, only its keyed hash. */
export interface StoredCode {
  kind: CodeKind;
  /** Null once the code was used or discarded; the row keeps the inherited settings. */
  codeHash: string | null;
  createdAt: Date;
  expiresAt: Date;
  failedAttempts: number;
  codeReturned: boolean;
  urlTemplate: string;
  applicationName: string;
  authRequestId: string;
  /**
   * The address the code was issued for (sent to, or returned for). A code proves only that
   * address: it stops working when the user's address is no longer this one.
   */
  email: string | null;
  /** Messages of this kind the worker delivered to the user, and when last (read, never written here). */
  sends?: { count: number; lastAt: Date | null };
}

/** Whether a stored code can still be checked (it exists and has not expired). */
export function isUsable(code: StoredCode | undefined, now: Date): code is StoredCode & { codeHash: string } {
  return code !== undefined && code.codeHash !== null && code.expiresAt.getTime() > now.getTime();
}
