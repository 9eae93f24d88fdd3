import type { PasswordPolicy } from "../../../domain/password-policy.ts";

/** The hosted pages, named after the code they take. */
export type FlowName = "init" | "invite" | "email" | "password";

/** The words of one page kind: its heading, a line under it, and its main button. */
export interface FlowTexts {
  title: string;
  intro: string;
  submit: string;
  doneTitle: string;
  doneBody: string;
}

/** A title and a paragraph, for the simple message pages. */
export interface MessageText {
  title: string;
  body: string;
}

/** Every text of the hosted pages in one language. Functions build texts with numbers. */
export interface PageTexts {
  /** The BCP 47 tag written into `<html lang>`. */
  lang: string;
  flows: Readonly<Record<FlowName, FlowTexts>>;
  codeLabel: string;
  codeHint: string;
  passwordLabel: string;
  /** The password rules in one sentence. */
  passwordHint: (policy: PasswordPolicy) => string;
  confirmLabel: string;
  /** Prefix of `<title>` when the page reports errors (screen readers hear it first). */
  errorTitlePrefix: string;
  errorSummary: string;
  codeMissing: string;
  passwordTooShort: (minLength: number) => string;
  passwordRules: string;
  passwordMismatch: string;
  formExpired: string;
  resendHeading: string;
  resendText: string;
  resendButton: string;
  invalid: MessageText & { alreadyDone: string; retry: string };
  sent: MessageText;
  throttled: { title: string; body: (minutes: number) => string };
  closePage: string;
  badLink: MessageText;
  notFound: MessageText;
  failure: MessageText;
}
