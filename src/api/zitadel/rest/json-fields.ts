import type { DescField, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";

/** Finds a field by its proto name or its JSON name, the two keys protobuf JSON accepts. */
export function findField(message: DescMessage, name: string): DescField | undefined {
  return message.fields.find((f) => f.name === name || f.jsonName === name);
}

/**
 * Resolves a dotted path (`domain_query.domain`, `domainQuery.domain`) to its fields.
 * Every step but the last must be a singular message field; `undefined` otherwise, since
 * such a path cannot address anything in the request.
 */
export function resolveFieldPath(message: DescMessage, names: readonly string[]): DescField[] | undefined {
  const fields: DescField[] = [];
  let current: DescMessage | undefined = message;
  for (const name of names) {
    if (current === undefined) return undefined;
    const field = findField(current, name);
    if (field === undefined) return undefined;
    fields.push(field);
    current = field.fieldKind === "message" ? field.message : undefined;
  }
  return fields.length > 0 ? fields : undefined;
}

/** True when one field path is a prefix of the other, i.e. they address overlapping data. */
export function overlaps(a: readonly DescField[], b: readonly DescField[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Sets `value` at `fields` inside `json`, creating or copying the objects on the way so a
 * caller's parsed body is never mutated. Both spellings of each key are removed first:
 * protobuf-es rejects a field given under its proto name and its JSON name at once.
 */
export function setJsonField(json: JsonObject, fields: readonly DescField[], value: JsonValue): void {
  let target = json;
  const last = fields.length - 1;
  for (let i = 0; i < last; i++) {
    const field = fields[i] as DescField;
    const existing = takeKey(target, field);
    const child: JsonObject = isJsonObject(existing) ? { ...existing } : {};
    target[field.jsonName] = child;
    target = child;
  }
  const leaf = fields[last];
  if (leaf === undefined) return;
  takeKey(target, leaf);
  target[leaf.jsonName] = value;
}

/** A plain JSON object, not an array or null. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Removes the field from `json` under either spelling and returns what was there. */
function takeKey(json: JsonObject, field: DescField): JsonValue | undefined {
  const value = json[field.jsonName] ?? json[field.name];
  delete json[field.jsonName];
  delete json[field.name];
  return value;
}
