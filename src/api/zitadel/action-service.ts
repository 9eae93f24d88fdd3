import { type Duration, durationFromMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type {
  CreateTargetRequest,
  DeleteTargetRequest,
  GetTargetRequest,
  ListExecutionsRequest,
  ListTargetsRequest,
  SetExecutionRequest,
  UpdateTargetRequest,
} from "@zitadel/proto/zitadel/action/v2beta/action_service_pb.js";
import { ActionService } from "@zitadel/proto/zitadel/action/v2beta/action_service_pb.js";
import type { CommandDeps } from "../../commands/deps.ts";
import { changeSubscriber, createSubscriber, rotateSecret } from "../../commands/webhooks.ts";
import { open } from "../../domain/secrets.ts";
import { failedPrecondition, notFound, unimplemented } from "../../errors/usher-error.ts";
import { type TargetType, type WebhookRow, webhookQueries } from "../../queries/webhooks.ts";
import type { ServiceBinding } from "./handler.ts";

type TargetCase = CreateTargetRequest["targetType"];

const TYPE_OF: Record<string, TargetType> = {
  restWebhook: "rest_webhook",
  restCall: "rest_call",
  restAsync: "rest_async",
};

const msOf = (d: Duration | undefined, fallback: number) =>
  d ? Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6) : fallback;

function targetTypeOf(row: WebhookRow): TargetCase {
  if (row.target_type === "rest_call")
    return { case: "restCall", value: { interruptOnError: row.interrupt_on_error } as never };
  if (row.target_type === "rest_async") return { case: "restAsync", value: {} as never };
  return { case: "restWebhook", value: { interruptOnError: row.interrupt_on_error } as never };
}

/**
 * An execution condition as stored: `event:<type>`, `group:<prefix>` or `all`. Only event
 * conditions are served; request, response and function conditions answer UNIMPLEMENTED.
 */
function conditionKey(req: SetExecutionRequest["condition"]): string {
  const c = req?.conditionType;
  if (c?.case !== "event")
    throw unimplemented("EXEC-Cond01", "only event conditions are implemented for executions");
  const e = c.value.condition;
  if (e.case === "event") return `event:${e.value}`;
  if (e.case === "group") return `group:${e.value}`;
  if (e.case === "all") return "all";
  throw failedPrecondition("EXEC-Cond02", "Errors.Execution.Invalid");
}

function conditionOf(key: string) {
  const [kind, value = ""] = key.includes(":")
    ? [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)]
    : [key];
  const condition =
    kind === "all" ? { case: "all" as const, value: true } : { case: kind as "event" | "group", value };
  return { conditionType: { case: "event" as const, value: { condition } } };
}

/**
 * `zitadel.action.v2beta.ActionService`: Actions v2 targets (REST webhook, call and async) and
 * executions on events, delivered by the webhook worker with ZITADEL's payload and
 * `ZITADEL-Signature`. Targets are the instance's, as in ZITADEL.
 */
export function actionServiceV2beta(deps: CommandDeps): ServiceBinding {
  const q = () => webhookQueries(deps.db);
  const target = async (id: string) => {
    const row = await q().byId(id, null, "zitadel");
    if (!row) throw notFound("QUERY-4e8rg", "Errors.Target.NotFound");
    return row;
  };
  const view = (row: WebhookRow) => ({
    id: row.id,
    creationDate: timestampFromDate(row.created_at),
    changeDate: timestampFromDate(row.updated_at),
    name: row.name,
    targetType: targetTypeOf(row),
    timeout: durationFromMs(row.timeout_ms),
    endpoint: row.url,
    signingKey: open(deps.keys.webhook, row.secret, row.id),
  });
  return {
    service: ActionService,
    handlers: {
      async createTarget(req: CreateTargetRequest) {
        const { webhook, secret } = await createSubscriber(deps, {
          orgId: null,
          kind: "zitadel",
          name: req.name,
          url: req.endpoint,
          description: "",
          eventTypes: [],
          timeoutMs: msOf(req.timeout, 10_000),
          targetType: TYPE_OF[req.targetType.case ?? ""] ?? "rest_webhook",
          interruptOnError:
            (req.targetType.value as { interruptOnError?: boolean } | undefined)?.interruptOnError ?? false,
        });
        return { id: webhook.id, creationDate: timestampFromDate(webhook.created_at), signingKey: secret };
      },

      async updateTarget(req: UpdateTargetRequest) {
        const row = await target(req.id);
        const changed = await changeSubscriber(deps, row, {
          name: req.name,
          url: req.endpoint,
          timeoutMs: req.timeout ? msOf(req.timeout, row.timeout_ms) : undefined,
          targetType: req.targetType.case ? TYPE_OF[req.targetType.case] : undefined,
          interruptOnError: (req.targetType.value as { interruptOnError?: boolean } | undefined)
            ?.interruptOnError,
        });
        const signingKey = req.expirationSigningKey
          ? await rotateSecret(deps, changed, msOf(req.expirationSigningKey, 0))
          : undefined;
        return { changeDate: timestampFromDate(deps.now()), signingKey };
      },

      async deleteTarget(req: DeleteTargetRequest) {
        const row = await q().byId(req.id, null, "zitadel");
        if (row) await q().remove(row.id);
        return { deletionDate: timestampFromDate(deps.now()) };
      },

      async getTarget(req: GetTargetRequest) {
        return { target: view(await target(req.id)) };
      },

      async listTargets(req: ListTargetsRequest) {
        let ids: string[] | undefined;
        let name: string | undefined;
        for (const f of req.filters) {
          if (f.filter.case === "inTargetIdsFilter") ids = f.filter.value.targetIds;
          if (f.filter.case === "targetNameFilter") name = f.filter.value.targetName;
        }
        const all = (await q().list(null, "zitadel", 10_000, undefined, ids)).filter(
          (r) => name === undefined || r.name.includes(name),
        );
        const offset = Number(req.pagination?.offset ?? 0n);
        const limit = req.pagination?.limit || 100;
        return {
          pagination: { totalResult: BigInt(all.length), appliedLimit: BigInt(limit) },
          targets: all.slice(offset, offset + limit).map(view),
        };
      },

      async setExecution(req: SetExecutionRequest) {
        const key = conditionKey(req.condition);
        const existing = await q().existingTargets(req.targets);
        if (existing.length !== new Set(req.targets).size)
          throw failedPrecondition("COMMAND-17e8f", "Errors.Target.NotFound");
        await q().setExecution(key, req.targets, deps.now());
        return { setDate: timestampFromDate(deps.now()) };
      },

      async listExecutions(req: ListExecutionsRequest) {
        const rows = await q().executions();
        const offset = Number(req.pagination?.offset ?? 0n);
        const limit = req.pagination?.limit || 100;
        return {
          pagination: { totalResult: BigInt(rows.length), appliedLimit: BigInt(limit) },
          executions: rows.slice(offset, offset + limit).map((r) => ({
            condition: conditionOf(r.condition),
            creationDate: timestampFromDate(r.created_at),
            changeDate: timestampFromDate(r.updated_at),
            targets: r.targets,
          })),
        };
      },
    },
  };
}
