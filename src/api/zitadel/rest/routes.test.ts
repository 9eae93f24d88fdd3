import assert from "node:assert/strict";
import { test } from "node:test";
import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import { UserService } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import { parsePathTemplate } from "./path-template.ts";
import { buildRestRoutes, type RestMatch } from "./routes.ts";

const router = buildRestRoutes([
  { service: UserService },
  { service: ManagementService, prefix: "/management/v1" },
]);

/** Routes and asserts a match, returning the RPC name, path params and body rule. */
function routed(verb: string, path: string) {
  const m = router.match(verb, path);
  assert.equal(m.kind, "match", `${verb} ${path} should match, got ${m.kind}`);
  const { method, pathParams, body } = m as RestMatch;
  return { rpc: `${method.parent.name}.${method.name}`, pathParams, body };
}

test("v2 literal template beats the variable one for its verb", () => {
  assert.deepEqual(routed("POST", "/v2/users/human"), {
    rpc: "UserService.AddHumanUser",
    pathParams: {},
    body: "*",
  });
});

test("a literal only wins for its own verb; others fall through to the variable, as grpc-gateway does", () => {
  // There is no GET /v2/users/human, so GET /v2/users/{user_id} takes it.
  assert.deepEqual(routed("GET", "/v2/users/human").pathParams, { user_id: "human" });
  assert.equal(routed("GET", "/v2/users/human").rpc, "UserService.GetUserByID");
  // PUT /v2/users/human/{user_id} vs POST /v2/users/{user_id}/email: backtracking per verb.
  assert.deepEqual(routed("PUT", "/v2/users/human/email"), {
    rpc: "UserService.UpdateHumanUser",
    pathParams: { user_id: "email" },
    body: "*",
  });
  assert.equal(routed("POST", "/v2/users/human/email").rpc, "UserService.SetEmail");
});

test("v2 variables and body rules", () => {
  assert.deepEqual(routed("GET", "/v2/users/abc"), {
    rpc: "UserService.GetUserByID",
    pathParams: { user_id: "abc" },
    body: "",
  });
  assert.deepEqual(routed("POST", "/v2/users/u1/invite_code/resend"), {
    rpc: "UserService.ResendInviteCode",
    pathParams: { user_id: "u1" },
    body: "",
  });
  assert.equal(routed("POST", "/v2/users/u1/invite_code/verify").rpc, "UserService.VerifyInviteCode");
  assert.equal(routed("DELETE", "/v2/users/x").rpc, "UserService.DeleteUser");
  assert.equal(routed("delete", "/v2/users/x").rpc, "UserService.DeleteUser", "verbs are case-insensitive");
});

test("literal segment beats a sibling variable deeper in the path", () => {
  assert.deepEqual(routed("POST", "/v2/users/u1/passkeys/registration_link"), {
    rpc: "UserService.CreatePasskeyRegistrationLink",
    pathParams: { user_id: "u1" },
    body: "*",
  });
  assert.deepEqual(routed("POST", "/v2/users/u1/passkeys/pk9").pathParams, {
    user_id: "u1",
    passkey_id: "pk9",
  });
  assert.equal(routed("POST", "/v2/users/u1/passkeys/_search").rpc, "UserService.ListPasskeys");
});

test("not found and method not allowed", () => {
  assert.deepEqual(router.match("GET", "/v2/nothing/here"), { kind: "not_found" });
  assert.deepEqual(router.match("GET", "/v2/users/u1/invite_code/resend/extra"), { kind: "not_found" });
  assert.deepEqual(router.match("PATCH", "/v2/users/x"), { kind: "method_not_allowed" });
  assert.deepEqual(router.match("GET", "/v2/users/u1/invite_code/resend"), { kind: "method_not_allowed" });
  assert.deepEqual(router.match("GET", "users/x"), { kind: "not_found" });
  // Relative v1 annotations are only served under their prefix.
  assert.deepEqual(router.match("GET", "/users/123"), { kind: "not_found" });
});

test("management v1 under its prefix", () => {
  assert.deepEqual(routed("GET", "/management/v1/users/123"), {
    rpc: "ManagementService.GetUserByID",
    pathParams: { id: "123" },
    body: "",
  });
  assert.deepEqual(routed("POST", "/management/v1/users/123/_resend_initialization"), {
    rpc: "ManagementService.ResendHumanInitialization",
    pathParams: { user_id: "123" },
    body: "*",
  });
  // Same trie node, different variable names per verb: /idps/{id} (GET) vs /idps/{idp_id} (PUT).
  assert.deepEqual(routed("GET", "/management/v1/idps/i1").pathParams, { id: "i1" });
  assert.deepEqual(routed("PUT", "/management/v1/idps/i1").pathParams, { idp_id: "i1" });
  assert.equal(routed("POST", "/management/v1/users/_search").rpc, "ManagementService.ListUsers");
});

test("path segments are percent-decoded one by one", () => {
  assert.deepEqual(routed("GET", "/v2/users/a%40b%20c").pathParams, { user_id: "a@b c" });
  // An encoded slash stays inside its segment instead of splitting the path.
  assert.deepEqual(routed("GET", "/v2/users/a%2Fb").pathParams, { user_id: "a/b" });
  assert.equal(routed("POST", "/v2/users/%68uman").rpc, "UserService.AddHumanUser");
  assert.deepEqual(router.match("GET", "/v2/users/%zz"), { kind: "not_found" });
});

test("{field=**} captures the rest of the path", () => {
  assert.deepEqual(routed("DELETE", "/management/v1/projects/p1/roles/a/b%20c"), {
    rpc: "ManagementService.RemoveProjectRole",
    pathParams: { project_id: "p1", role_key: "a/b c" },
    body: "",
  });
  assert.equal(
    routed("POST", "/management/v1/projects/p1/roles/_search").rpc,
    "ManagementService.ListProjectRoles",
  );
});

test("two rules with the same verb and template shape are rejected at build time", () => {
  assert.throws(() => buildRestRoutes([{ service: UserService }, { service: UserService }]), /collides with/);
});

test("parsePathTemplate handles sub-templates, deep wildcards and custom verbs", () => {
  assert.deepEqual(parsePathTemplate("/v1/{name=projects/*/roles/*}:undelete"), {
    segments: [
      { kind: "literal", value: "v1" },
      { kind: "literal", value: "projects" },
      { kind: "any" },
      { kind: "literal", value: "roles" },
      { kind: "any" },
    ],
    variables: [{ fieldPath: "name", start: 1, end: 5 }],
    verb: "undelete",
  });
  assert.deepEqual(parsePathTemplate("/files/{a.b}/{path=**}").variables, [
    { fieldPath: "a.b", start: 1, end: 2 },
    { fieldPath: "path", start: 2, end: undefined },
  ]);
  assert.throws(() => parsePathTemplate("v1/x"), /must start/);
  assert.throws(() => parsePathTemplate("/v1/{x"), /unclosed/);
  assert.throws(() => parsePathTemplate("/v1/**/x"), /last segment/);
  assert.throws(() => parsePathTemplate("/v1/a{x}"), /whole segments/);
});
