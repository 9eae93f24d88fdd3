import { createHash, type Hash } from "node:crypto";
import { type IdempotencyDeps, idempotent } from "../../commands/idempotency.ts";
import type { TenantResult } from "./route.ts";
import { TenantError } from "./tenant-error.ts";

/** What is kept for a replay: the response, and the SHA-256 of the file that made it. */
interface Kept {
  result: TenantResult;
  file: string;
}

/**
 * `Idempotency-Key` on an upload route. The file is streamed, so it cannot be part of the
 * fingerprint checked before the request runs (`fingerprint` holds the route, tenant and
 * options); instead its SHA-256 is taken while the handler reads it and kept with the
 * response. A replay reads the new file through the same hash — it is not stored again — and
 * answers the kept response only when the files are equal; another file with the same key is
 * refused with 422 `idempotency_key_reused`, as any other request with a reused key.
 */
export async function idempotentUpload(
  deps: IdempotencyDeps,
  call: {
    scope: string;
    key: string;
    fingerprint: string;
    upload: AsyncIterable<Buffer>;
    run: (upload: AsyncIterable<Buffer>) => Promise<TenantResult>;
  },
): Promise<TenantResult> {
  let ran = false;
  const kept = await idempotent<Kept>(deps, {
    scope: call.scope,
    key: call.key,
    fingerprint: call.fingerprint,
    run: async () => {
      ran = true;
      const hash = createHash("sha256");
      const result = await call.run(hashed(call.upload, hash));
      return { result, file: hash.digest("base64url") };
    },
    encode: (k) => JSON.stringify(k),
    decode: (s) => JSON.parse(s) as Kept,
  });
  if (ran) return kept.result;
  const hash = createHash("sha256");
  for await (const _ of hashed(call.upload, hash));
  if (hash.digest("base64url") !== kept.file)
    throw new TenantError(
      422,
      "idempotency_key_reused",
      "This Idempotency-Key was used with a different request (another file).",
    );
  return kept.result;
}

async function* hashed(chunks: AsyncIterable<Buffer>, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
}
