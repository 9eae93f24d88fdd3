import assert from "node:assert/strict";
import { test } from "node:test";
import { goDurationString } from "./go-duration.ts";
import { goQuote, goQuoteRune } from "./go-fmt.ts";
import { goCamelCase } from "./go-names.ts";
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
