import { type FormEvent, useState } from "react";
import { tenantApi, type User } from "./api.ts";
import { useApp } from "./app-context.ts";
import { Link } from "./link.tsx";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";

/** Invites one person: the tenant API creates the user and queues the invite mail. */
export function InvitePage() {
  const { t } = useApp();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [created, setCreated] = useState<User | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: Record<string, string> = { email: String(f.get("email")).trim() };
    for (const [field, key] of [
      ["name", "name"],
      ["locale", "locale"],
      ["app", "application_name"],
      ["template", "invite_url_template"],
    ] as const) {
      const v = String(f.get(field) ?? "").trim();
      if (v) body[key] = v;
    }
    setOutcome(null);
    try {
      const user = await tenantApi<User>("/users", { method: "POST", json: body });
      setCreated(user);
      setOutcome({ ok: true, text: t("invitedOk") });
      e.currentTarget?.reset();
    } catch (err) {
      setCreated(null);
      setOutcome(failure(t, err));
    }
  }
  return (
    <main id="main">
      <h1>{t("invite")}</h1>
      <form onSubmit={submit} className="card">
        <label>
          {t("name")}
          <input name="name" autoComplete="off" />
        </label>
        <label>
          {t("email")}
          <input name="email" type="email" required autoComplete="off" />
        </label>
        <label>
          {t("language")}
          <select name="locale" defaultValue="">
            <option value="">—</option>
            <option value="en">English</option>
            <option value="de">Deutsch</option>
          </select>
        </label>
        <label>
          {t("appName")}
          <input name="app" autoComplete="off" maxLength={200} />
        </label>
        <label>
          {t("linkTemplate")}
          <input name="template" autoComplete="off" />
        </label>
        <button type="submit">{t("sendInvite")}</button>
        <OutcomeLine outcome={outcome} />
        {created && <Link to={`/users/${created.id}`}>{t("openUser")}</Link>}
      </form>
    </main>
  );
}
