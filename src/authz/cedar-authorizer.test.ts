import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { UsherError } from "../errors/usher-error.ts";
import type { Caller } from "./caller.ts";
import { loadCedarAuthorizer } from "./cedar-authorizer.ts";

const authz = loadCedarAuthorizer();
const caller = (
  instanceRoles: string[],
  orgRoles: Record<string, string[]> = {},
  userId = "caller",
): Caller => ({
  userId,
  orgId: "org-a",
  tokenId: "t",
  instanceRoles,
  orgRoles: new Map(Object.entries(orgRoles)),
});
const inA = { orgId: "org-a", userId: "target" };
const inB = { orgId: "org-b", userId: "target" };

test("roles map to ZITADEL's permissions", () => {
  const table: Array<
    [
      string,
      Caller,
      "user.read" | "user.write" | "user.delete" | "user.invite.send" | "org.create",
      typeof inA,
      boolean,
    ]
  > = [
    ["IAM_OWNER writes anywhere", caller(["IAM_OWNER"]), "user.write", inB, true],
    [
      "IAM_OWNER creates orgs",
      caller(["IAM_OWNER"]),
      "org.create",
      { orgId: "", userId: undefined } as never,
      true,
    ],
    ["IAM_USER_MANAGER deletes anywhere", caller(["IAM_USER_MANAGER"]), "user.delete", inB, true],
    [
      "IAM_USER_MANAGER cannot create orgs",
      caller(["IAM_USER_MANAGER"]),
      "org.create",
      { orgId: "" } as never,
      false,
    ],
    ["ORG_OWNER of A writes in A", caller([], { "org-a": ["ORG_OWNER"] }), "user.write", inA, true],
    ["ORG_OWNER of A cannot write in B", caller([], { "org-a": ["ORG_OWNER"] }), "user.write", inB, false],
    [
      "ORG_USER_MANAGER of A sends invites in A (a user.write action)",
      caller([], { "org-a": ["ORG_USER_MANAGER"] }),
      "user.invite.send",
      inA,
      true,
    ],
    ["ORG_USER_VIEWER reads", caller([], { "org-a": ["ORG_USER_VIEWER"] }), "user.read", inA, true],
    ["ORG_USER_VIEWER cannot write", caller([], { "org-a": ["ORG_USER_VIEWER"] }), "user.write", inA, false],
    ["a user reads itself", caller([], {}, "target"), "user.read", inA, true],
    ["a user has its own invite sent", caller([], {}, "target"), "user.invite.send", inA, true],
    ["a user cannot write itself otherwise", caller([], {}, "target"), "user.write", inA, false],
  ];
  for (const [name, c, action, target, allowed] of table) {
    assert.equal(authz.decide(c, action, target).allowed, allowed, name);
  }
});

test("require: no membership → AUTHZ-cdgFk; membership without permission → the call's id", () => {
  assert.throws(
    () => authz.require(caller([]), "user.write", inA, "AUTH-AWfge"),
    (e: unknown) =>
      e instanceof UsherError &&
      e.id === "AUTHZ-cdgFk" &&
      e.statusMessage() === "membership not found (AUTHZ-cdgFk)",
  );
  assert.throws(
    () => authz.require(caller([], { "org-a": ["ORG_USER_VIEWER"] }), "user.write", inA, "AUTH-AWfge"),
    (e: unknown) =>
      e instanceof UsherError && e.id === "AUTH-AWfge" && e.text() === "No matching permissions found",
  );
});

test("operator policies: a forbid with @notice wins and its notice is reported", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "usher-policies-"));
  writeFileSync(
    path.join(dir, "domains.cedar"),
    `@id("only-example-domains")
@notice("Invites go only to addresses at example.com.")
forbid (principal, action == Usher::Action::"user.invite.send", resource is Usher::User)
when { resource has email && !(resource.email like "*@example.com") };\n`,
  );
  const withOperator = loadCedarAuthorizer({ policyDir: dir });
  const owner = caller(["IAM_OWNER"]);
  assert.ok(withOperator.decide(owner, "user.invite.send", { ...inA, email: "a@example.com" }).allowed);
  const denied = withOperator.decide(owner, "user.invite.send", { ...inA, email: "a@elsewhere.org" });
  assert.equal(denied.allowed, false);
  assert.deepEqual(denied.policies, ["only-example-domains"]);
  assert.deepEqual(denied.notices, ["Invites go only to addresses at example.com."]);
  assert.throws(
    () => withOperator.require(owner, "user.invite.send", { ...inA, email: "a@elsewhere.org" }, "AUTH-AWfge"),
    (e: unknown) =>
      e instanceof UsherError &&
      e.id === "AUTH-AWfge" &&
      (e.details?.notices as string[] | undefined)?.[0] === denied.notices[0],
  );
});

test("a broken operator policy stops loading with a message naming the file", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "usher-policies-"));
  writeFileSync(
    path.join(dir, "typo.cedar"),
    `permit (principal, action == Usher::Action::"user.wirte", resource);\n`,
  );
  assert.throws(() => loadCedarAuthorizer({ policyDir: dir }), /typo\.cedar/);
  writeFileSync(
    path.join(dir, "typo.cedar"),
    "permit (principal, action, resource) when { context.nope };\n",
  );
  assert.throws(() => loadCedarAuthorizer({ policyDir: dir }), /typo\.cedar/);
  writeFileSync(path.join(dir, "typo.cedar"), "permit (principal, action, resource\n");
  assert.throws(() => loadCedarAuthorizer({ policyDir: dir }), /typo\.cedar/);
});

test("reused decisions never hide what a policy reads: attributes and named entities", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "usher-policy-cache-"));
  writeFileSync(
    path.join(dir, "narrow.cedar"),
    `@id("no-mail-to-example")
forbid (principal, action == Usher::Action::"user.invite.send", resource is Usher::User)
when { resource has email && resource.email like "*@example.org" };

@id("protect-ceo")
forbid (principal, action == Usher::Action::"user.delete", resource == Usher::User::"ceo");
`,
  );
  const operator = loadCedarAuthorizer({ policyDir: dir });
  const manager = caller([], { "org-a": ["ORG_USER_MANAGER"] });
  const send = (email: string, userId: string) =>
    operator.decide(manager, "user.invite.send", { orgId: "org-a", userId, email }).allowed;
  // Same organization, roles and action: only the address differs, and the policy reads it.
  assert.equal(send("a@example.com", "u1"), true);
  assert.equal(send("b@example.org", "u2"), false);
  assert.equal(send("c@example.com", "u3"), true);
  // A policy names a user: ids are part of the decision, so another user is not refused.
  const del = (userId: string) => operator.decide(manager, "user.delete", { orgId: "org-a", userId }).allowed;
  assert.equal(del("someone"), true);
  assert.equal(del("ceo"), false);
  assert.equal(del("someone-else"), true);
  // Acting on oneself is its own case (self-service policies compare principal and resource).
  const plain = caller([], {}, "me");
  assert.equal(authz.decide(plain, "user.invite.send", { orgId: "org-a", userId: "other" }).allowed, false);
  assert.equal(authz.decide(plain, "user.invite.send", { orgId: "org-a", userId: "me" }).allowed, true);
  assert.equal(authz.decide(plain, "user.invite.send", { orgId: "org-a", userId: "other2" }).allowed, false);
});

test("the checked policies are kept between starts, and a changed policy file is checked again", () => {
  const cacheDir = mkdtempSync(path.join(os.tmpdir(), "usher-cedar-cache-"));
  const policyDir = mkdtempSync(path.join(os.tmpdir(), "usher-policies-"));
  const owner = caller(["IAM_OWNER"]);
  writeFileSync(
    path.join(policyDir, "op.cedar"),
    `@id("no-delete")\nforbid (principal, action == Usher::Action::"user.delete", resource);\n`,
  );
  assert.equal(loadCedarAuthorizer({ policyDir, cacheDir }).decide(owner, "user.delete", inA).allowed, false);
  const kept = readdirSync(path.join(cacheDir, "cedar"));
  assert.equal(kept.length, 1);
  // The next start reads the kept result instead of checking: proven by a result edited on disk.
  const file = path.join(cacheDir, "cedar", kept[0] as string);
  const result = JSON.parse(readFileSync(file, "utf8")) as { policies: Array<{ id: string; text: string }> };
  result.policies = result.policies.filter((p) => p.id !== "no-delete");
  writeFileSync(file, JSON.stringify(result));
  assert.equal(loadCedarAuthorizer({ policyDir, cacheDir }).decide(owner, "user.delete", inA).allowed, true);
  // A changed file is another fingerprint: checked again, so a broken policy still stops the start.
  writeFileSync(path.join(policyDir, "op.cedar"), "permit (principal, action, resource\n");
  assert.throws(() => loadCedarAuthorizer({ policyDir, cacheDir }), /op\.cedar/);
});
