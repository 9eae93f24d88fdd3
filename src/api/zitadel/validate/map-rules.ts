import { ScalarType } from "@bufbuild/protobuf";
import type { MapRules } from "@zitadel/proto/validate/validate_pb.js";
import { MapRulesSchema } from "@zitadel/proto/validate/validate_pb.js";
import { countRule } from "./count-rule.ts";
import { explicit } from "./explicit.ts";
import { atIndex, type ValueCheck } from "./violation.ts";

/** How a map key type turns protobuf-es's string property names back into key values. */
interface KeyType {
  readonly parse: (key: string) => unknown;
  readonly compare: (a: string, b: string) => number;
}

/** Go sorts string keys bytewise, which is code point order, not UTF-16 order. */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** protobuf-es keeps every map key as a string property; PGV sorts and checks typed keys. */
export function keyType(scalar: ScalarType): KeyType {
  switch (scalar) {
    case ScalarType.STRING:
      return { parse: (k) => k, compare: compareCodePoints };
    case ScalarType.BOOL:
      return { parse: (k) => k === "true", compare: (a, b) => (a === b ? 0 : a === "false" ? -1 : 1) };
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return {
        parse: (k) => BigInt(k),
        compare: (a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0),
      };
    default:
      return { parse: Number, compare: (a, b) => Number(a) - Number(b) };
  }
}

/**
 * A map field (`templates/goshared/map.go`): `ignore_empty`, the pair count, then each entry
 * in sorted key order — key rules (`invalid key for Msg.Field[k]: …`) before value rules
 * (`invalid Msg.Field[k]: …`).
 *
 * Not supported: `no_sparse` — a protobuf-es map cannot hold an absent message value.
 */
export function compileMap(
  raw: MapRules | undefined,
  keys: KeyType,
  keyCheck: ValueCheck | undefined,
  valueCheck: ValueCheck | undefined,
): ValueCheck | undefined {
  const r = raw === undefined ? {} : explicit(MapRulesSchema, raw);
  const count = countRule(r.minPairs, r.maxPairs, "pair");
  if (count === undefined && keyCheck === undefined && valueCheck === undefined) return undefined;
  const ignoreEmpty = r.ignoreEmpty === true;

  return (value) => {
    const map = value as Readonly<Record<string, unknown>>;
    const names = Object.keys(map);
    if (ignoreEmpty && names.length === 0) return undefined;
    const wrongCount = count?.(names.length);
    if (wrongCount !== undefined) return wrongCount;
    if (keyCheck === undefined && valueCheck === undefined) return undefined;
    for (const name of names.sort(keys.compare)) {
      const badKey = keyCheck?.(keys.parse(name));
      if (badKey !== undefined) return atIndex(badKey, name, true);
      const badValue = valueCheck?.(map[name]);
      if (badValue !== undefined) return atIndex(badValue, name);
    }
    return undefined;
  };
}
