import type { LanguageTexts } from "./types.ts";

const footer = "If you did not expect this message, you can ignore it.";

export const en: LanguageTexts = {
  InviteUser: {
    subject: "Invitation to {{.ApplicationName}}",
    greeting: "Hello {{.DisplayName}},",
    body: "You have been invited to {{.ApplicationName}}. Accept the invitation to set up your account.",
    buttonText: "Accept invite",
    codeLabel: "Your code",
    footer,
  },
  VerifyEmail: {
    subject: "Verify email",
    greeting: "Hello {{.DisplayName}},",
    body: "A new email address was added to your account. Please confirm that it is yours.",
    buttonText: "Verify email",
    codeLabel: "Your code",
    footer,
  },
  InitCode: {
    subject: "Initialize User",
    greeting: "Hello {{.DisplayName}},",
    body: "An account was created for you with the login name {{.Username}}. Finish setting it up.",
    buttonText: "Finish initialization",
    codeLabel: "Your code",
    footer,
  },
  PasswordReset: {
    subject: "Reset password",
    greeting: "Hello {{.DisplayName}},",
    body: "A password reset was requested for your account.",
    buttonText: "Reset password",
    codeLabel: "Your code",
    footer,
  },
};
