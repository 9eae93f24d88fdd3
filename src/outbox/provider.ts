import type { Config } from "../config/load.ts";
import type { Db } from "../db/types.ts";
import type { Keys } from "../domain/secrets.ts";
import { mailboxSender } from "./mailbox-sender.ts";
import { rateLimited } from "./rate-limited.ts";
import { redacting } from "./redacting.ts";
import type { Sender } from "./sender.ts";
import { smtpSender } from "./smtp-sender.ts";
import { webhookSender } from "./webhook-sender.ts";

/**
 * The configured mail provider. With `auto`, SMTP wins over the webhook; with neither, the dev
 * mailbox — unless NODE_ENV=production, where a missing provider stops the start instead of
 * silently keeping mail in the database. Whatever the provider answers passes `redacting`.
 */
export function createSender(
  config: Config,
  db: Db,
  keys: Keys,
  env: NodeJS.ProcessEnv = process.env,
): Sender {
  let kind = config.mailProvider;
  if (kind === "auto") {
    kind = config.smtpUrl ? "smtp" : config.webhookUrl ? "webhook" : "mailbox";
    if (kind === "mailbox" && env.NODE_ENV === "production") {
      throw new Error(
        "no mail provider: set USHER_SMTP_URL or USHER_WEBHOOK_URL (or USHER_MAIL_PROVIDER=mailbox to keep mail in the dev mailbox)",
      );
    }
  }
  const sender =
    kind === "smtp"
      ? smtpSender(config.smtpUrl as string)
      : kind === "webhook"
        ? webhookSender({
            url: config.webhookUrl as string,
            secret: config.webhookSecret,
            timeoutMs: config.webhookTimeout,
          })
        : mailboxSender(db, keys.mailbox);
  return rateLimited(redacting(sender), config.mailRatePerSecond);
}
