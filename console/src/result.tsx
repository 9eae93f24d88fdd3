import { ApiError } from "./api.ts";
import type { T } from "./i18n.ts";

/** What an action ended with, shown where it was taken. */
export type Outcome = { ok: true; text: string } | { ok: false; text: string } | null;

export function failure(t: T, e: unknown): Outcome {
  if (e instanceof ApiError && e.retryAfter !== undefined && e.status === 429)
    return { ok: false, text: `${e.message}. ${t("retryIn", { s: e.retryAfter })}` };
  if (e instanceof ApiError) return { ok: false, text: `${e.message} (${e.code})` };
  return { ok: false, text: String(e) };
}

export function OutcomeLine({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return (
    <p role={outcome.ok ? "status" : "alert"} className={outcome.ok ? "ok" : "error"}>
      {outcome.text}
    </p>
  );
}
