import assert from "node:assert/strict";
import { test } from "node:test";
import { goDurationString } from "./go-duration.ts";
import { goByteStr, goBytes, goFloat, goList, goQuote, goQuoteRune } from "./go-fmt.ts";
import { goCamelCase } from "./go-names.ts";
import { compileRe2 } from "./re2.ts";
import { runeCount, utf8Length } from "./runes.ts";

/** How Go prints things in PGV's messages; expectations checked against Go's fmt/strconv. */

test("%q quoting", () => {
  assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(goQuote("tab\there\n"), '"tab\\there\\n"');
  assert.equal(goQuote("\u0007\u007f\u00ad\u200b"), '"\\a\\x7f\\u00ad\\u200b"');
  assert.equal(goQuote("ü😀 "), '"ü😀 "');
  assert.equal(goQuoteRune("'"), "'\\''");
  assert.equal(goQuoteRune('"'), "'\"'");
});

test("fmt.Sprint of floats", () => {
  const cases: Array<[number, string]> = [
    [0, "0"],
    [-0, "-0"],
    [1.5, "1.5"],
    [100000, "100000"],
    [123456, "123456"],
    [1000000, "1e+06"],
    [1234567, "1.234567e+06"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1 / 3, "0.3333333333333333"],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NaN, "NaN"],
  ];
  for (const [v, want] of cases) assert.equal(goFloat(v), want, String(v));
  assert.equal(goFloat(Math.fround(0.1), 32), "0.1");
  assert.equal(goFloat(Math.fround(16777217), 32), "1.6777216e+07");
  // Exact halves round to the even digit, as Go's shortest formatting does.
  assert.equal(goFloat(289873.125, 32), "289873.12");
  assert.equal(goFloat(289873.375, 32), "289873.38");
});

test("fmt.Sprint of slices and bytes", () => {
  assert.equal(goList(["a", "b c"]), "[a b c]");
  assert.equal(goList([]), "[]");
  assert.equal(goBytes(new Uint8Array([1, 255])), "[1 255]");
  assert.equal(goList([new Uint8Array([1]), new Uint8Array([2, 3])], goBytes), "[[1] [2 3]]");
  assert.equal(goByteStr(new Uint8Array([1, 0xab])), '"\\x1\\xAB"');
});

test("time.Duration.String", () => {
  const s = 1_000_000_000n;
  assert.equal(goDurationString(0n), "0s");
  assert.equal(goDurationString(1n), "1ns");
  assert.equal(goDurationString(1_500n), "1.5µs");
  assert.equal(goDurationString(100_000_000n), "100ms");
  assert.equal(goDurationString(1_500_000_000n), "1.5s");
  assert.equal(goDurationString(90n * s), "1m30s");
  assert.equal(goDurationString(270n * s), "4m30s");
  assert.equal(goDurationString(3600n * s), "1h0m0s");
  assert.equal(goDurationString(-(3661n * s)), "-1h1m1s");
});

test("protoc-gen-go CamelCase names", () => {
  assert.equal(goCamelCase("user_id"), "UserId");
  assert.equal(goCamelCase("verification_code"), "VerificationCode");
  assert.equal(goCamelCase("idp_links"), "IdpLinks");
  assert.equal(goCamelCase("_hidden"), "XHidden");
  assert.equal(goCamelCase("v2_name"), "V2Name");
  assert.equal(goCamelCase("my_field_name_2"), "MyFieldName_2");
  assert.equal(goCamelCase("GetUserByIDRequest"), "GetUserByIDRequest");
});

test("runes and UTF-8 bytes", () => {
  assert.equal(runeCount("abc"), 3);
  assert.equal(runeCount("é😀"), 2);
  assert.equal(runeCount("\ud800"), 1);
  assert.equal(utf8Length("aé😀"), 1 + 2 + 4);
  assert.equal(utf8Length("\ud800"), 3);
});

test("RE2 patterns in JavaScript", () => {
  assert.equal(compileRe2("(?i)^abc$")?.test("ABC"), true);
  assert.equal(compileRe2("\\pL+")?.test("é"), true);
  assert.equal(compileRe2("\\Aab\\z")?.test("ab"), true);
  assert.equal(compileRe2("\\Aab\\z")?.test("ab\n"), false);
  assert.equal(compileRe2("(?P<x>a)")?.test("a"), true);
  assert.equal(compileRe2("[[:alpha:]]"), undefined);
});
