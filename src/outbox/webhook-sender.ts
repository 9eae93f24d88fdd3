import { createHmac } from "node:crypto";
import { type OutgoingMail, SendError, type Sender, type SendReceipt } from "./sender.ts";

export interface WebhookOptions {
  url: string;
  /** Signs each body: `X-Usher-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
  secret: string | undefined;
  timeoutMs: number;
}

/**
 * Delivers by POSTing the rendered message and its arguments as JSON. 2xx is delivered; 408,
 * 429, 5xx and network errors are retried and count as the receiver being unavailable (the
 * circuit); any other 4xx is final.
 */
export function webhookSender(o: WebhookOptions): Sender {
  return {
    name: "webhook",
    async send(mail: OutgoingMail): Promise<SendReceipt> {
      const body = JSON.stringify({
        contextInfo: {
          recipientEmailAddress: mail.to,
          eventType: mail.args.type,
          provider: "usher",
          messageId: mail.messageId,
        },
        templateData: {
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          url: mail.args.link,
          language: mail.args.language,
        },
        args: {
          code: mail.args.code,
          userID: mail.args.userId,
          orgID: mail.orgId,
          userName: mail.args.username,
          displayName: mail.args.displayName,
          applicationName: mail.args.applicationName,
          lastEmail: mail.to,
        },
      });
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "idempotency-key": mail.messageId,
      };
      if (o.secret) {
        const t = Math.floor(Date.now() / 1000);
        headers["x-usher-signature"] =
          `t=${t},v1=${createHmac("sha256", o.secret).update(`${t}.${body}`).digest("hex")}`;
      }
      let res: Response;
      try {
        res = await fetch(o.url, { method: "POST", headers, body, signal: AbortSignal.timeout(o.timeoutMs) });
      } catch (e) {
        throw new SendError(`webhook unreachable: ${(e as Error).message}`, false, true);
      }
      const reply = (await res.text().catch(() => "")).slice(0, 200);
      if (res.ok) return { response: `${res.status} ${reply}`.trim() };
      const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
      throw new SendError(`webhook answered ${res.status} ${reply}`.trim(), permanent, !permanent);
    },
  };
}
