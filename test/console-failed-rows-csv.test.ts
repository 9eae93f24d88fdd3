import assert from "node:assert/strict";
import { test } from "node:test";
import { csvCell, failedRowsCsv } from "../console/src/failed-rows-csv.ts";

test("a cell is quoted when it must be, and a spreadsheet formula is disarmed", () => {
  const cases: Array<[string | number, string]> = [
    [12, "12"],
    ["ada@example.com", "ada@example.com"],
    ["Lovelace, Ada", '"Lovelace, Ada"'],
    ['say "hi"', '"say ""hi"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rhere", '"cr\rhere"'],
    ["=1+2", "'=1+2"],
    ["+49 30 123", "'+49 30 123"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\t=cmd", "'\t=cmd"],
    ["\r=cmd", `"'\r=cmd"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["a=b", "a=b"],
    ["", ""],
  ];
  for (const [value, expected] of cases) assert.equal(csvCell(value), expected, JSON.stringify(value));
});

test("the file: a byte order mark, a header, one CRLF line per row, notices joined", () => {
  const csv = failedRowsCsv([
    {
      row: 2,
      email: "bad",
      reason: "invalid_email",
      message: "The email address is not valid.",
      notices: [],
    },
    { row: 7, email: "x@example.com", reason: "forbidden", message: null, notices: ["No.", "Ask, please."] },
  ]);
  assert.equal(
    csv,
    "\uFEFFrow,email,reason,message,notices\r\n" +
      "2,bad,invalid_email,The email address is not valid.,\r\n" +
      '7,x@example.com,forbidden,,"No.; Ask, please."\r\n',
  );
  assert.equal(failedRowsCsv([]), "\uFEFFrow,email,reason,message,notices\r\n");
});
