import type { DescField, DescMessage, DescMethod, JsonObject, JsonValue } from "@bufbuild/protobuf";
import { validationError } from "../../../errors/usher-error.ts";
import { findField, isJsonObject, overlaps, resolveFieldPath, setJsonField } from "./json-fields.ts";
import type { RestMatch } from "./routes.ts";
import { jsonFromStrings } from "./string-values.ts";

/**
 * Assembles the protobuf JSON of a transcoded REST request, ready for
 * `fromJson(method.input, json, { ignoreUnknownFields: true })`, with grpc-gateway's
 * precedence: the body as the rule's `body` says, then query parameters for every field
 * neither the body nor the path covers, then path variables, which always win.
 * Throws INVALID_ARGUMENT for a `*` body that is not an object and for malformed values.
 */
export function buildRequestJson(
  method: DescMethod,
  match: Pick<RestMatch, "pathParams" | "body">,
  body: unknown,
  query: URLSearchParams,
): JsonObject {
  const input = method.input;
  const json = bodyJson(input, match.body, body);

  const pathFields: Array<[string, DescField[], string]> = [];
  for (const [path, value] of Object.entries(match.pathParams)) {
    // A variable naming no field of the request has nowhere to go; fromJson would drop it too.
    const fields = resolveFieldPath(input, path.split("."));
    if (fields !== undefined) pathFields.push([path, fields, value]);
  }

  // With body "*" the body is the whole request, so grpc-gateway reads no query at all.
  if (match.body !== "*") {
    const covered = pathFields.map(([, fields]) => fields);
    const bodyField = match.body === "" ? undefined : findField(input, match.body);
    if (bodyField !== undefined) covered.push([bodyField]);
    applyQuery(input, json, query, covered);
  }

  for (const [path, fields, value] of pathFields) {
    const leaf = fields.at(-1) as DescField;
    const converted = jsonFromStrings(leaf, [value], path);
    if (converted !== undefined) setJsonField(json, fields, converted);
  }
  return json;
}

/** The part of the request taken from the body, as a fresh object this module may modify. */
function bodyJson(input: DescMessage, rule: string, body: unknown): JsonObject {
  if (rule === "") return {};
  if (rule === "*") {
    // An empty body is an empty message, as in grpc-gateway, which tolerates EOF.
    if (body === undefined) return {};
    if (!isJsonObject(body)) {
      throw validationError(`request body must be a JSON object (${input.typeName}), got ${describe(body)}`);
    }
    return { ...body };
  }
  const json: JsonObject = {};
  const field = findField(input, rule);
  if (field !== undefined && body !== undefined) setJsonField(json, [field], body as JsonValue);
  return json;
}

/**
 * Fills fields from query parameters: `a.b=1` addresses nested fields, repeated keys build
 * lists. Parameters naming no field are ignored; so are those overlapping a field the
 * path or body already sets, so a query can never override a path variable.
 */
function applyQuery(
  input: DescMessage,
  json: JsonObject,
  query: URLSearchParams,
  covered: ReadonlyArray<readonly DescField[]>,
): void {
  for (const key of new Set(query.keys())) {
    const fields = resolveFieldPath(input, key.split("."));
    if (fields === undefined) continue;
    if (covered.some((c) => overlaps(c, fields))) continue;
    const value = jsonFromStrings(fields.at(-1) as DescField, query.getAll(key), key);
    if (value !== undefined) setJsonField(json, fields, value);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
