import type { PageTexts } from "./types.ts";
import { joinWords, requiredClasses } from "./words.ts";

const CLASSES = {
  lower: "a lower-case letter",
  upper: "an upper-case letter",
  number: "a digit",
  symbol: "a symbol",
};

/** English texts of the hosted pages. */
export const en: PageTexts = {
  lang: "en",
  flows: {
    init: {
      title: "Finish setting up your account",
      intro: "Enter the code from your email and choose a password.",
      submit: "Finish setup",
      doneTitle: "Your account is ready",
      doneBody: "Your email address is verified and your password is set. You can now sign in.",
    },
    invite: {
      title: "Accept your invitation",
      intro: "Enter the code from your invitation and choose a password.",
      submit: "Accept invitation",
      doneTitle: "Welcome aboard",
      doneBody: "Your invitation is accepted and your password is set. You can now sign in.",
    },
    email: {
      title: "Verify your email address",
      intro: "Enter the code from the email to confirm that this address is yours.",
      submit: "Verify email",
      doneTitle: "Email address verified",
      doneBody: "Thank you. Your email address is verified.",
    },
    password: {
      title: "Choose a new password",
      intro: "Enter the code from your email and choose a new password.",
      submit: "Set new password",
      doneTitle: "Your password is changed",
      doneBody: "Your new password is set. You can now sign in with it.",
    },
  },
  codeLabel: "Code",
  codeHint: "The code from the email, for example A1B2C3.",
  passwordLabel: "New password",
  passwordHint: (p) => {
    const needs = requiredClasses(p, CLASSES);
    return `At least ${p.minLength} characters${needs.length ? `, with ${joinWords(needs, "and")}` : ""}.`;
  },
  confirmLabel: "Confirm new password",
  errorTitlePrefix: "Error: ",
  errorSummary: "There is a problem",
  codeMissing: "Enter the code from the email.",
  passwordTooShort: (n) => `The password must have at least ${n} characters.`,
  passwordRules: "The password does not meet the requirements.",
  passwordMismatch: "The passwords do not match.",
  formExpired: "This form has expired. Please fill it in again.",
  resendHeading: "Need a new code?",
  resendText: "We can email you a new link. The old one stops working.",
  resendButton: "Send me a new code",
  invalid: {
    title: "This code can't be used",
    body: "The code is wrong, has expired or has already been used.",
    alreadyDone: "If you have already finished, there is nothing more to do.",
    retry: "Enter the code again",
  },
  sent: {
    title: "Check your email",
    body: "If this link belongs to an account that is waiting for it, we have sent a new email. It can take a few minutes to arrive.",
  },
  throttled: {
    title: "Please wait a moment",
    body: (m) => `There were too many requests. Please try again in ${m} ${m === 1 ? "minute" : "minutes"}.`,
  },
  closePage: "You can close this page now.",
  badLink: {
    title: "This link is incomplete",
    body: "Open the link from your email again, or copy the whole link into the address bar.",
  },
  notFound: { title: "Page not found", body: "There is no page at this address." },
  failure: { title: "Something went wrong", body: "Please try again later." },
};
