import assert from "node:assert/strict";
import { ActionService } from "@zitadel/proto/zitadel/action/v2beta/action_service_pb.js";
import { rest } from "../helpers/clients.ts";
import { unique } from "../helpers/test-app.ts";
import { type CallerKind, key, type Outcome, type Row, type Target } from "./matrix-types.ts";

const m = (name: string) => {
  const method = ActionService.methods.find((x) => x.name === name);
  if (!method) throw new Error(`no method ${name}`);
  return key(method);
};

/**
 * Actions v2 targets and executions are the instance's: only instance roles hold `action.*`.
 * Organization roles are refused; a caller without any role finds no membership.
 */
function instanceOwnersOnly(kind: CallerKind): Outcome {
  if (kind === "none") return { code: 16 };
  if (kind === "revoked" || kind === "expired") return { code: 16, id: "AUTH-7fs1e" };
  if (kind === "instanceOwner") return "ok";
  if (kind === "self") return { code: 5, id: "AUTHZ-cdgFk" };
  return { code: 7, id: "AUTH-5mWD2" };
}

/** Rows for `zitadel.action.v2beta.ActionService`; targets are made by the instance admin over REST. */
export function actionRows(h: { baseUrl: string; adminToken: string }): Record<string, Row> {
  const target = async (t: Target) => {
    const res = await rest(h.baseUrl, "POST", "/v2beta/actions/targets", {
      token: h.adminToken,
      body: {
        name: unique("matrix-target"),
        endpoint: "https://receiver.example/hook",
        restAsync: {},
        timeout: "10s",
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    t.extra.targetId = res.body.id as string;
  };
  const expect = (kind: CallerKind) => instanceOwnersOnly(kind);
  return {
    [m("CreateTarget")]: {
      request: () => ({
        name: unique("matrix-target"),
        endpoint: "https://receiver.example/hook",
        targetType: { case: "restAsync", value: {} },
        timeout: { seconds: 10n },
      }),
      expect,
    },
    [m("UpdateTarget")]: {
      setup: target,
      request: (t) => ({ id: t.extra.targetId, name: unique("renamed") }),
      expect,
    },
    [m("DeleteTarget")]: { setup: target, request: (t) => ({ id: t.extra.targetId }), expect },
    [m("GetTarget")]: { setup: target, request: (t) => ({ id: t.extra.targetId }), expect },
    [m("ListTargets")]: { request: () => ({}), expect },
    [m("SetExecution")]: {
      setup: target,
      request: (t) => ({
        condition: {
          conditionType: {
            case: "event",
            value: { condition: { case: "event", value: "user.human.added" } },
          },
        },
        targets: [t.extra.targetId],
      }),
      expect,
    },
    [m("ListExecutions")]: { request: () => ({}), expect },
  };
}
