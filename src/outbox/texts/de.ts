import type { LanguageTexts } from "./types.ts";

const footer = "Wenn Sie diese Nachricht nicht erwartet haben, können Sie sie ignorieren.";

export const de: LanguageTexts = {
  InviteUser: {
    subject: "Einladung zu {{.ApplicationName}}",
    greeting: "Hallo {{.DisplayName}},",
    body: "Sie wurden zu {{.ApplicationName}} eingeladen. Nehmen Sie die Einladung an, um Ihr Konto einzurichten.",
    buttonText: "Einladung annehmen",
    codeLabel: "Ihr Code",
    footer,
  },
  VerifyEmail: {
    subject: "E-Mail-Adresse bestätigen",
    greeting: "Hallo {{.DisplayName}},",
    body: "Ihrem Konto wurde eine neue E-Mail-Adresse hinzugefügt. Bitte bestätigen Sie, dass sie Ihnen gehört.",
    buttonText: "E-Mail bestätigen",
    codeLabel: "Ihr Code",
    footer,
  },
  InitCode: {
    subject: "Benutzer initialisieren",
    greeting: "Hallo {{.DisplayName}},",
    body: "Für Sie wurde ein Konto mit dem Anmeldenamen {{.Username}} angelegt. Schließen Sie die Einrichtung ab.",
    buttonText: "Initialisierung abschließen",
    codeLabel: "Ihr Code",
    footer,
  },
  PasswordReset: {
    subject: "Passwort zurücksetzen",
    greeting: "Hallo {{.DisplayName}},",
    body: "Für Ihr Konto wurde das Zurücksetzen des Passworts angefordert.",
    buttonText: "Passwort zurücksetzen",
    codeLabel: "Ihr Code",
    footer,
  },
};
