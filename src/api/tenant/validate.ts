import type { TSchema } from "@sinclair/typebox";
import { FormatRegistry } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import { ValueErrorType } from "@sinclair/typebox/errors";
import { validation } from "./tenant-error.ts";

FormatRegistry.Set("email", (v) => /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(v));
FormatRegistry.Set(
  "date-time",
  (v) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
    !Number.isNaN(Date.parse(v)),
);

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

/** The schema compiled once (TypeBox's compiler), reused for every request. */
export function checker(schema: TSchema): TypeCheck<TSchema> {
  let c = compiled.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c;
}

/** Throws 400 `validation_error` listing every problem (`details.fields`) unless `value` fits. */
export function assertValid(schema: TSchema, value: unknown, where: "body" | "query"): void {
  const c = checker(schema);
  if (c.Check(value)) return;
  const fields = [...c.Errors(value)].slice(0, 20).map((err) => {
    const path = err.path.replace(/^\//, "").replaceAll("/", ".");
    const extra = err.type === ValueErrorType.ObjectAdditionalProperties ? "unknown field" : err.message;
    return { field: path ? `${where}.${path}` : where, message: extra };
  });
  throw validation(dedupe(fields));
}

function dedupe<T extends { field: string; message: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = `${i.field}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
