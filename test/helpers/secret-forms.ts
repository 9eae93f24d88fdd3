/**
 * The forms a secret may take at rest: as written, in other cases, URL-encoded, as hex, and as
 * base64/base64url — also where it sits inside a longer encoded value (a protobuf response kept
 * as base64 puts the secret at any byte offset, so every alignment is searched).
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms = new Set<string>([
    secret,
    secret.toLowerCase(),
    secret.toUpperCase(),
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    bytes.toString("hex"),
    bytes.toString("hex").toUpperCase(),
  ]);
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset), bytes]);
    // Only the characters made of the secret's bits alone: skip those mixed with the padding
    // before and with whatever follows.
    const from = Math.ceil((offset * 8) / 6);
    const to = Math.floor((padded.length * 8) / 6);
    for (const encoding of ["base64", "base64url"] as const) {
      forms.add(padded.toString(encoding).slice(from, to));
    }
  }
  return [...forms].filter((f) => f.length >= 6);
}

/** A secret handed out during a test, and how it was handed out. */
export interface Secret {
  what: string;
  value: string;
}

/** Every (secret, form) found in `haystack`; empty when none is readable there. */
export function findSecrets(haystack: string, secrets: readonly Secret[]): string[] {
  const found: string[] = [];
  for (const s of secrets) {
    for (const form of secretForms(s.value)) {
      const at = haystack.indexOf(form);
      if (at >= 0)
        found.push(
          `${s.what} (${JSON.stringify(form)}) near ${JSON.stringify(haystack.slice(Math.max(0, at - 80), at + form.length + 40))}`,
        );
    }
  }
  return found;
}
