import { invalidArgument } from "../../errors/usher-error.ts";

const strict = new TextDecoder("utf-8", { fatal: true });

/** A body as UTF-8 text; bytes that are not UTF-8 are refused (INVALID_ARGUMENT), never replaced. */
export function utf8Text(body: Uint8Array): string {
  try {
    return strict.decode(body);
  } catch {
    throw invalidArgument("USHER-UTF08", "Errors.InvalidUtf8");
  }
}

/**
 * Refuses a decoded request holding a string with a NUL character anywhere (PostgreSQL cannot
 * store one in text): INVALID_ARGUMENT before any statement runs. Walks objects and arrays
 * without recursion; bytes fields (Uint8Array) may hold any byte.
 */
export function rejectNulStrings(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.includes("\0")) throw invalidArgument("USHER-NUL00", "Errors.InvalidInput");
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === "object" && !ArrayBuffer.isView(v)) stack.push(...Object.values(v));
  }
}
