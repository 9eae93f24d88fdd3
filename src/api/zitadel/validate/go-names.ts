import type { DescField, DescMessage, DescOneof } from "@bufbuild/protobuf";

/**
 * The Go identifiers PGV puts in its messages. PGV names things through protoc-gen-star's
 * `PGGUpperCamelCase` (the classic protoc-gen-go `CamelCase`), so `user_id` is `UserId`, not
 * `UserID`, and a nested message is `Outer_Inner`.
 */

const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/**
 * protoc-gen-go's CamelCase: a leading `_` becomes `X`; `_` before a lower-case letter is
 * dropped and the letter upper-cased; digits and other characters are kept as they are.
 */
export function goCamelCase(name: string): string {
  let out = "";
  let i = 0;
  if (name.charCodeAt(0) === 0x5f) {
    out = "X";
    i = 1;
  }
  for (; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0x5f && i + 1 < name.length && isLower(name.charCodeAt(i + 1))) continue;
    if (isDigit(c)) {
      out += name[i];
      continue;
    }
    out += isLower(c) ? String.fromCharCode(c - 0x20) : name[i];
    while (i + 1 < name.length && isLower(name.charCodeAt(i + 1))) {
      i++;
      out += name[i];
    }
  }
  return out;
}

/** Field and oneof names that would clash with generated Go methods get a `_` suffix. */
const protectedNames = new Set([
  "Reset",
  "String",
  "ProtoMessage",
  "Marshal",
  "Unmarshal",
  "ExtensionRangeArray",
  "ExtensionMap",
  "Descriptor",
]);

/** The Go name of a field or oneof, as PGV prints it after `<Msg>.`. */
export function goFieldName(element: DescField | DescOneof): string {
  const name = goCamelCase(element.name);
  return protectedNames.has(name) ? `${name}_` : name;
}

/** The Go type name of a message: nested messages are joined with `_` (`AddHumanUserRequest_Profile`). */
export function goMessageName(message: DescMessage): string {
  const own = goCamelCase(message.name);
  return message.parent === undefined ? own : `${goMessageName(message.parent)}_${own}`;
}
