import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ApiError, type Preview, tenantApi } from "./api.ts";
import { useApp } from "./app-context.ts";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";

const TYPES = ["InviteUser", "VerifyEmail", "InitCode", "PasswordReset"] as const;
const LANGUAGES = ["en", "de"] as const;

/** The organization's message texts per type and language: edit, preview (rendered by Usher), reset. */
export function TextsPage() {
  const { t } = useApp();
  const [type, setType] = useState<string>("InviteUser");
  const [language, setLanguage] = useState<string>("en");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const path = `/message-texts/${type}/${language}`;
  const refresh = useCallback(
    () =>
      tenantApi<Preview>(`${path}/preview`, { method: "POST", json: {} })
        .then(setPreview)
        .catch((e) => setOutcome(failure(t, e))),
    [path, t],
  );
  useEffect(() => {
    refresh();
  }, [refresh]);

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body: Record<string, string> = {};
    for (const k of ["subject", "greeting", "body", "button_text"]) {
      const v = String(f.get(k) ?? "").trim();
      if (v) body[k] = v;
    }
    setOutcome(null);
    try {
      await tenantApi(path, { method: "PUT", json: body });
      setOutcome({ ok: true, text: t("done") });
      await refresh();
    } catch (err) {
      setOutcome(failure(t, err));
    }
  }
  async function reset() {
    setOutcome(null);
    try {
      await tenantApi(path, { method: "DELETE" });
      setOutcome({ ok: true, text: t("done") });
    } catch (err) {
      // Nothing stored: the defaults are already in use.
      if (!(err instanceof ApiError && err.status === 404)) return setOutcome(failure(t, err));
      setOutcome({ ok: true, text: t("done") });
    }
    await refresh();
  }
  return (
    <main id="main">
      <h1>{t("texts")}</h1>
      <div className="filters">
        <label>
          {t("type")}
          <select value={type} onChange={(e) => setType(e.target.value)}>
            {TYPES.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </label>
        <label>
          {t("language")}
          <select value={language} onChange={(e) => setLanguage(e.target.value)}>
            {LANGUAGES.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        </label>
      </div>
      <div className="split">
        <form onSubmit={save} className="card" key={path}>
          <label>
            {t("subject")}
            <input name="subject" maxLength={200} />
          </label>
          <label>
            {t("greeting")}
            <input name="greeting" />
          </label>
          <label>
            {t("text")}
            <textarea name="body" rows={5} />
          </label>
          <label>
            {t("buttonText")}
            <input name="button_text" maxLength={100} />
          </label>
          <div className="buttons">
            <button type="submit">{t("save")}</button>
            <button type="button" className="danger" onClick={reset}>
              {t("reset")}
            </button>
          </div>
          <OutcomeLine outcome={outcome} />
        </form>
        <section className="card" aria-labelledby="preview">
          <h2 id="preview">{t("preview")}</h2>
          {preview ? (
            <>
              <p>
                <strong>{preview.subject}</strong>
              </p>
              <pre className="mail">{preview.text}</pre>
            </>
          ) : (
            <p>{t("loading")}</p>
          )}
        </section>
      </div>
    </main>
  );
}
