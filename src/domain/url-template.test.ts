import assert from "node:assert/strict";
import { test } from "node:test";
import { UsherError } from "../errors/usher-error.ts";
import { checkUrlTemplate, renderUrlTemplate } from "./url-template.ts";

const data = { UserID: "u1", Code: "ABC123", OrgID: "o1" };

test("renders the three fields", () => {
  const t = "https://app.example.com/verify?userID={{.UserID}}&code={{.Code}}&orgID={{.OrgID}}";
  assert.equal(renderUrlTemplate(t, data), "https://app.example.com/verify?userID=u1&code=ABC123&orgID=o1");
});

test("accepts http(s) templates in any letter case, with fields in host, path and query", () => {
  for (const t of [
    "https://app.example/verify?c={{.Code}}",
    "HTTP://localhost:3000/{{.UserID}}",
    "https://{{.OrgID}}.app.example/x",
    "https://app.example",
  ])
    assert.doesNotThrow(() => checkUrlTemplate(t), t);
});

test("renders text without actions, spaces and trim markers", () => {
  assert.equal(renderUrlTemplate("/relative/path", data), "/relative/path");
  assert.equal(renderUrlTemplate("a {{ .Code }} b", data), "a ABC123 b");
  assert.equal(renderUrlTemplate("a {{- .Code -}} b", data), "aABC123b");
});

const cases: Array<[string, string]> = [
  ["javascript:alert(document.cookie)//{{.Code}}", "USHER-LINK1"],
  ["JavaScript:alert(1)", "USHER-LINK1"],
  ["data:text/html,<script>alert(1)</script>{{.Code}}", "USHER-LINK1"],
  ["vbscript:msgbox({{.Code}})", "USHER-LINK1"],
  [" https://x/{{.Code}}", "USHER-LINK1"],
  ["https:\\\\x/{{.Code}}", "USHER-LINK1"],
  ["//x.example/{{.Code}}", "USHER-LINK1"],
  ["/relative/{{.Code}}", "USHER-LINK1"],
  ["{{.OrgID}}:alert(1)", "USHER-LINK1"],
  ["{{.Code}}https://x/", "USHER-LINK1"],
  ["ftp://x/{{.Code}}", "USHER-LINK1"],
  ["https://", "USHER-LINK1"],
  ["https://x/{{.LoginName}}", "DOMAIN-ieYa7"],
  ["https://x/{{.Code.Foo}}", "DOMAIN-ieYa7"],
  ["https://x/{{.Code", "DOMAIN-oGh5e"],
  ["https://x/{{}}", "DOMAIN-oGh5e"],
  ['https://x/{{printf "%s" .Code}}', "DOMAIN-oGh5e"],
  ["https://x/{{if .Code}}y{{end}}", "DOMAIN-oGh5e"],
];
for (const [template, id] of cases) {
  test(`rejects ${template} with ${id}`, () => {
    assert.throws(
      () => checkUrlTemplate(template),
      (e: unknown) =>
        e instanceof UsherError && e.id === id && e.statusMessage() === `URL Template is invalid (${id})`,
    );
  });
}
