import type { LanguageTexts } from "./types.ts";

const footer = "Si vous n'attendiez pas ce message, vous pouvez l'ignorer.";

export const fr: LanguageTexts = {
  InviteUser: {
    subject: "Invitation à {{.ApplicationName}}",
    greeting: "Bonjour {{.DisplayName}},",
    body: "Vous avez été invité(e) à {{.ApplicationName}}. Acceptez l'invitation pour configurer votre compte.",
    buttonText: "Accepter l'invitation",
    codeLabel: "Votre code",
    footer,
  },
  VerifyEmail: {
    subject: "Vérifier l'adresse e-mail",
    greeting: "Bonjour {{.DisplayName}},",
    body: "Une nouvelle adresse e-mail a été ajoutée à votre compte. Veuillez confirmer qu'elle vous appartient.",
    buttonText: "Vérifier l'e-mail",
    codeLabel: "Votre code",
    footer,
  },
  InitCode: {
    subject: "Initialiser l'utilisateur",
    greeting: "Bonjour {{.DisplayName}},",
    body: "Un compte a été créé pour vous avec l'identifiant {{.Username}}. Terminez sa configuration.",
    buttonText: "Terminer l'initialisation",
    codeLabel: "Votre code",
    footer,
  },
  PasswordReset: {
    subject: "Réinitialiser le mot de passe",
    greeting: "Bonjour {{.DisplayName}},",
    body: "Une réinitialisation du mot de passe a été demandée pour votre compte.",
    buttonText: "Réinitialiser le mot de passe",
    codeLabel: "Votre code",
    footer,
  },
};
