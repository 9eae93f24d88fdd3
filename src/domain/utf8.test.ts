import assert from "node:assert/strict";
import { isUtf8 } from "node:buffer";
import { test } from "node:test";
import { firstInvalidUtf8, incompleteTail } from "./utf8.ts";

const bytes = (...b: number[]) => Uint8Array.from(b);

test("well-formed UTF-8 has no invalid byte", () => {
  assert.equal(firstInvalidUtf8(Buffer.from("plain ascii, Müller, 日本, 😀", "utf8")), -1);
  assert.equal(firstInvalidUtf8(bytes()), -1);
});

test("the first malformed byte is found: Latin-1, overlong, surrogate, too high, cut off, stray continuation", () => {
  const cases: Array<[string, Uint8Array, number]> = [
    ["Latin-1 ü", bytes(0x4d, 0xfc, 0x6c), 1],
    ["overlong /", bytes(0x61, 0xc0, 0xaf), 1],
    ["overlong 3-byte", bytes(0xe0, 0x80, 0xaf), 0],
    ["surrogate", bytes(0x61, 0x62, 0xed, 0xa0, 0x80), 2],
    ["above U+10FFFF", bytes(0xf4, 0x90, 0x80, 0x80), 0],
    ["cut off at the end", bytes(0x61, 0xe6, 0x97), 1],
    ["stray continuation", bytes(0x61, 0x80), 1],
    ["lead without continuation", bytes(0xc3, 0x41), 0],
  ];
  for (const [name, b, at] of cases) {
    assert.equal(firstInvalidUtf8(b), at, name);
    assert.equal(isUtf8(b), false, `${name}: Node agrees it is malformed`);
  }
});

test("an incomplete sequence at a chunk's end is kept for the next chunk", () => {
  const text = Buffer.from("a日😀", "utf8"); // 1 + 3 + 4 bytes
  assert.equal(incompleteTail(text), 0);
  assert.equal(incompleteTail(text.subarray(0, 2)), 1);
  assert.equal(incompleteTail(text.subarray(0, 3)), 2);
  assert.equal(incompleteTail(text.subarray(0, 4)), 0);
  assert.equal(incompleteTail(text.subarray(0, 7)), 3);
  assert.equal(incompleteTail(bytes(0x61)), 0);
});
