import assert from "node:assert/strict";
import { test } from "node:test";
import { escapeLike } from "../domain/user-filter.ts";
import { compileWhere, orderBy } from "./user-filter-sql.ts";

test("LIKE wildcards and the escape character are taken literally", () => {
  assert.equal(escapeLike("50%_off\\"), "50\\%\\_off\\\\");
  const w = compileWhere({ all: true }, [
    { kind: "text", field: "givenName", value: "a%b", method: "contains" },
  ]);
  assert.equal(w.sql, "given_name like $1 escape '\\'");
  assert.deepEqual(w.params, ["%a\\%b%"]);
});

test("every value is a parameter, the scope comes first, nesting is kept", () => {
  const w = compileWhere({ all: false, orgIds: ["o1"], selfId: "me" }, [
    {
      kind: "or",
      filters: [
        { kind: "text", field: "email", value: "A@x.example", method: "equals" },
        { kind: "not", filter: { kind: "state", state: 4 } },
      ],
    },
    { kind: "and", filters: [] },
    { kind: "or", filters: [] },
  ]);
  assert.equal(
    w.sql,
    "(org_id = any($1::text[]) or id = $2) and ((lower(email) = lower($3) and email = $3) or not (state = $4)) and true and false",
  );
  assert.deepEqual(w.params, [["o1"], "me", "A@x.example", 4]);
});

test("sorting always ends with the id", () => {
  assert.equal(orderBy("id", false), "id desc");
  assert.equal(orderBy("email", true), "email asc, id asc");
});
