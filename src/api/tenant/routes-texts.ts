import type { CommandDeps } from "../../commands/deps.ts";
import type { MessageType } from "../../outbox/message.ts";
import { renderMail } from "../../outbox/templates.ts";
import { textTemplateProblem } from "../../outbox/text-template.ts";
import { LANGUAGES } from "../../outbox/texts/index.ts";
import { messageTextQueries } from "../../queries/message-texts.ts";
import type { TenantCall, TenantRoute } from "./route.ts";
import { MessageTexts, PreviewRequest } from "./schemas.ts";
import { notFound, validation } from "./tenant-error.ts";

const TYPES: readonly MessageType[] = ["InviteUser", "VerifyEmail", "InitCode", "PasswordReset"];
const caller = (c: TenantCall) => c.caller as NonNullable<TenantCall["caller"]>;

function typeAndLanguage(c: TenantCall): { type: MessageType; language: string } {
  const type = c.params.type as MessageType;
  const language = c.params.language ?? "";
  const fields = [];
  if (!TYPES.includes(type))
    fields.push({ field: "path.type", message: `must be one of ${TYPES.join(", ")}` });
  if (!LANGUAGES.includes(language))
    fields.push({ field: "path.language", message: `must be one of ${LANGUAGES.join(", ")}` });
  if (fields.length > 0) throw validation(fields);
  return { type, language };
}

/** The tenant's own message texts (subject, greeting, body, button) and a preview. */
export function textRoutes(deps: CommandDeps): TenantRoute[] {
  const texts = messageTextQueries(deps.db);
  return [
    {
      method: "PUT",
      path: "/v1/message-texts/{type}/{language}",
      operationId: "setMessageTexts",
      summary: "Replace the tenant's texts of one message type and language; unset fields use the defaults",
      tag: "Messages",
      access: "credential",
      body: MessageTexts,
      responses: { 200: "MessageTexts" },
      idempotent: true,
      async handler(c) {
        deps.authz.require(caller(c), "org.write", { orgId: c.tenantId }, "AUTH-AWfge");
        const { type, language } = typeAndLanguage(c);
        const body = c.body as { subject?: string; greeting?: string; body?: string; button_text?: string };
        const problems = Object.entries(body).flatMap(([k, v]) => {
          const p = textTemplateProblem(String(v));
          return p ? [{ field: `body.${k}`, message: p }] : [];
        });
        if (problems.length > 0) throw validation(problems);
        await texts.put(
          c.tenantId,
          type,
          language,
          { subject: body.subject, greeting: body.greeting, body: body.body, buttonText: body.button_text },
          deps.now(),
        );
        return { status: 200, body };
      },
    },
    {
      method: "DELETE",
      path: "/v1/message-texts/{type}/{language}",
      operationId: "resetMessageTexts",
      summary: "Go back to the default texts of one message type and language",
      tag: "Messages",
      access: "credential",
      responses: { 204: null, 404: "Error" },
      async handler(c) {
        deps.authz.require(caller(c), "org.write", { orgId: c.tenantId }, "AUTH-AWfge");
        const { type, language } = typeAndLanguage(c);
        if (!(await texts.remove(c.tenantId, type, language))) throw notFound("Message texts");
        return { status: 204 };
      },
    },
    {
      method: "POST",
      path: "/v1/message-texts/{type}/{language}/preview",
      operationId: "previewMessage",
      summary: "Render a message with the tenant's texts and sample values, without sending it",
      tag: "Messages",
      access: "credential",
      body: PreviewRequest,
      responses: { 200: "Preview" },
      async handler(c) {
        deps.authz.require(caller(c), "org.read", { orgId: c.tenantId }, "AUTH-AWfge");
        const { type, language } = typeAndLanguage(c);
        const sample = c.body as { display_name?: string; application_name?: string };
        const overrides = await texts.forType(c.tenantId, type);
        const mail = renderMail({
          type,
          code: "K7Q2ZD",
          externalUrl: deps.config.externalUrl,
          defaultLanguage: deps.config.defaultLanguage,
          overrides: (l) => overrides.get(l),
          payload: {
            userId: "user-id",
            orgId: c.tenantId,
            username: "ada@example.com",
            displayName: sample.display_name ?? "Ada Lovelace",
            givenName: "Ada",
            preferredLanguage: language,
            applicationName: sample.application_name ?? deps.config.applicationName,
          },
        });
        return {
          status: 200,
          body: { subject: mail.subject, text: mail.text, html: mail.html, language: mail.language },
        };
      },
    },
  ];
}
