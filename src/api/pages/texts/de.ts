import type { PageTexts } from "./types.ts";
import { joinWords, requiredClasses } from "./words.ts";

const CLASSES = {
  lower: "ein Kleinbuchstabe",
  upper: "ein Großbuchstabe",
  number: "eine Ziffer",
  symbol: "ein Sonderzeichen",
};

/** German texts of the hosted pages (formal address, as in the German emails). */
export const de: PageTexts = {
  lang: "de",
  flows: {
    init: {
      title: "Konto fertig einrichten",
      intro: "Geben Sie den Code aus Ihrer E-Mail ein und wählen Sie ein Passwort.",
      submit: "Einrichtung abschließen",
      doneTitle: "Ihr Konto ist bereit",
      doneBody:
        "Ihre E-Mail-Adresse ist bestätigt und Ihr Passwort ist gesetzt. Sie können sich jetzt anmelden.",
    },
    invite: {
      title: "Einladung annehmen",
      intro: "Geben Sie den Code aus Ihrer Einladung ein und wählen Sie ein Passwort.",
      submit: "Einladung annehmen",
      doneTitle: "Willkommen",
      doneBody: "Ihre Einladung ist angenommen und Ihr Passwort ist gesetzt. Sie können sich jetzt anmelden.",
    },
    email: {
      title: "E-Mail-Adresse bestätigen",
      intro: "Geben Sie den Code aus der E-Mail ein, um zu bestätigen, dass diese Adresse Ihnen gehört.",
      submit: "E-Mail bestätigen",
      doneTitle: "E-Mail-Adresse bestätigt",
      doneBody: "Vielen Dank. Ihre E-Mail-Adresse ist bestätigt.",
    },
    password: {
      title: "Neues Passwort festlegen",
      intro: "Geben Sie den Code aus Ihrer E-Mail ein und wählen Sie ein neues Passwort.",
      submit: "Neues Passwort speichern",
      doneTitle: "Ihr Passwort ist geändert",
      doneBody: "Ihr neues Passwort ist gesetzt. Sie können sich jetzt damit anmelden.",
    },
  },
  codeLabel: "Code",
  codeHint: "Der Code aus der E-Mail, zum Beispiel A1B2C3.",
  passwordLabel: "Neues Passwort",
  passwordHint: (p) => {
    const needs = requiredClasses(p, CLASSES);
    return `Mindestens ${p.minLength} Zeichen${needs.length ? `, darunter ${joinWords(needs, "und")}` : ""}.`;
  },
  confirmLabel: "Neues Passwort bestätigen",
  errorTitlePrefix: "Fehler: ",
  errorSummary: "Es gibt ein Problem",
  codeMissing: "Geben Sie den Code aus der E-Mail ein.",
  passwordTooShort: (n) => `Das Passwort muss mindestens ${n} Zeichen lang sein.`,
  passwordRules: "Das Passwort erfüllt die Anforderungen nicht.",
  passwordMismatch: "Die Passwörter stimmen nicht überein.",
  formExpired: "Das Formular ist abgelaufen. Bitte füllen Sie es erneut aus.",
  resendHeading: "Brauchen Sie einen neuen Code?",
  resendText: "Wir können Ihnen einen neuen Link senden. Der alte funktioniert dann nicht mehr.",
  resendButton: "Neuen Code senden",
  invalid: {
    title: "Dieser Code kann nicht verwendet werden",
    body: "Der Code ist falsch, abgelaufen oder wurde bereits verwendet.",
    alreadyDone: "Wenn Sie bereits fertig sind, ist nichts weiter zu tun.",
    retry: "Code erneut eingeben",
  },
  sent: {
    title: "Sehen Sie in Ihr Postfach",
    body: "Wenn dieser Link zu einem Konto gehört, das darauf wartet, haben wir eine neue E-Mail gesendet. Es kann einige Minuten dauern, bis sie ankommt.",
  },
  throttled: {
    title: "Bitte warten Sie einen Moment",
    body: (m) =>
      `Es gab zu viele Anfragen. Bitte versuchen Sie es in ${m} ${m === 1 ? "Minute" : "Minuten"} erneut.`,
  },
  closePage: "Sie können diese Seite jetzt schließen.",
  badLink: {
    title: "Dieser Link ist unvollständig",
    body: "Öffnen Sie den Link aus Ihrer E-Mail erneut oder kopieren Sie den ganzen Link in die Adresszeile.",
  },
  notFound: { title: "Seite nicht gefunden", body: "Unter dieser Adresse gibt es keine Seite." },
  failure: { title: "Etwas ist schiefgelaufen", body: "Bitte versuchen Sie es später erneut." },
};
