import { type FormEvent, useState } from "react";
import { session } from "./api.ts";
import type { T } from "./i18n.ts";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";

/** The sign-in form: a person's login name and password; the session comes back as a cookie. */
export function SignIn({ t, onSignedIn }: { t: T; onSignedIn: () => void }) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setOutcome(null);
    try {
      await session.signIn(String(form.get("loginName")), String(form.get("password")));
      onSignedIn();
    } catch (err) {
      setOutcome(failure(t, err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main id="main" className="signin">
      <h1>{t("title")}</h1>
      <form onSubmit={submit} className="card">
        <label>
          {t("loginName")}
          <input id="loginName" name="loginName" autoComplete="username" required />
        </label>
        <label>
          {t("password")}
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? t("signingIn") : t("signIn")}
        </button>
        <OutcomeLine outcome={outcome} />
      </form>
    </main>
  );
}
