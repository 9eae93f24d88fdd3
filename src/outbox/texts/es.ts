import type { LanguageTexts } from "./types.ts";

const footer = "Si no esperaba este mensaje, puede ignorarlo.";

export const es: LanguageTexts = {
  InviteUser: {
    subject: "Invitación a {{.ApplicationName}}",
    greeting: "Hola {{.DisplayName}}:",
    body: "Le han invitado a {{.ApplicationName}}. Acepte la invitación para configurar su cuenta.",
    buttonText: "Aceptar invitación",
    codeLabel: "Su código",
    footer,
  },
  VerifyEmail: {
    subject: "Verificar correo electrónico",
    greeting: "Hola {{.DisplayName}}:",
    body: "Se ha añadido una nueva dirección de correo a su cuenta. Confirme que le pertenece.",
    buttonText: "Verificar correo",
    codeLabel: "Su código",
    footer,
  },
  InitCode: {
    subject: "Inicializar usuario",
    greeting: "Hola {{.DisplayName}}:",
    body: "Se ha creado una cuenta para usted con el nombre de usuario {{.Username}}. Termine de configurarla.",
    buttonText: "Terminar la inicialización",
    codeLabel: "Su código",
    footer,
  },
  PasswordReset: {
    subject: "Restablecer contraseña",
    greeting: "Hola {{.DisplayName}}:",
    body: "Se ha solicitado restablecer la contraseña de su cuenta.",
    buttonText: "Restablecer contraseña",
    codeLabel: "Su código",
    footer,
  },
};
