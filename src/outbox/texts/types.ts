import type { MessageType } from "../message.ts";

/** The texts of one message: each may use `{{.ApplicationName}}`, `{{.DisplayName}}`, `{{.GivenName}}`, `{{.Username}}`. */
export interface MessageTexts {
  subject: string;
  greeting: string;
  body: string;
  buttonText: string;
  /** The line that introduces the code. */
  codeLabel: string;
  /** The closing line under the button. */
  footer: string;
}

export type LanguageTexts = Readonly<Record<MessageType, MessageTexts>>;

/** The text fields an organization may override. */
export const OVERRIDABLE = ["subject", "greeting", "body", "buttonText"] as const;
export type OverridableField = (typeof OVERRIDABLE)[number];
