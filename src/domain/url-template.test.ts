import assert from "node:assert/strict";
import { test } from "node:test";
import { UsherError } from "../errors/usher-error.ts";
import { checkUrlTemplate, renderUrlTemplate } from "./url-template.ts";

const data = { UserID: "u1", Code: "ABC123", OrgID: "o1" };

test("renders the three fields", () => {
  const t = "https://app.example.com/verify?userID={{.UserID}}&code={{.Code}}&orgID={{.OrgID}}";
  assert.equal(renderUrlTemplate(t, data), "https://app.example.com/verify?userID=u1&code=ABC123&orgID=o1");
});

test("accepts text without actions, spaces and trim markers", () => {
  assert.equal(renderUrlTemplate("/relative/path", data), "/relative/path");
  assert.equal(renderUrlTemplate("a {{ .Code }} b", data), "a ABC123 b");
  assert.equal(renderUrlTemplate("a {{- .Code -}} b", data), "aABC123b");
});

const cases: Array<[string, string]> = [
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
