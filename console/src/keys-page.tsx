import { type FormEvent, useCallback, useEffect, useState } from "react";
import { type ApiKey, type Page, tenantApi } from "./api.ts";
import { useApp } from "./app-context.ts";
import { formatTime } from "./i18n.ts";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";

const ROLES = ["admin", "user_manager", "viewer"] as const;

/** The organization's API keys: create (the raw key is shown once), list, revoke. */
export function KeysPage() {
  const { t, lang, orgId } = useApp();
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [raw, setRaw] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const load = useCallback(
    () =>
      tenantApi<Page<ApiKey>>("/api-keys?limit=100")
        .then((p) => setKeys(p.data))
        .catch((e) => setOutcome(failure(t, e))),
    [t],
  );
  useEffect(() => {
    void orgId;
    load();
  }, [load, orgId]);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setOutcome(null);
    try {
      const k = await tenantApi<ApiKey>("/api-keys", {
        method: "POST",
        json: { name: String(f.get("name")).trim(), roles: [String(f.get("role"))] },
      });
      setRaw(k.raw_key ?? null);
      await load();
    } catch (err) {
      setOutcome(failure(t, err));
    }
  }
  async function revoke(id: string) {
    setOutcome(null);
    try {
      await tenantApi(`/api-keys/${id}`, { method: "DELETE" });
      setOutcome({ ok: true, text: t("done") });
      await load();
    } catch (err) {
      setOutcome(failure(t, err));
    }
  }
  return (
    <main id="main">
      <h1>{t("apiKeys")}</h1>
      <form onSubmit={create} className="card inline">
        <label>
          {t("keyName")}
          <input name="name" required maxLength={200} />
        </label>
        <label>
          {t("roles")}
          <select name="role" defaultValue="user_manager">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("createKey")}</button>
      </form>
      {raw && (
        <div className="card once" role="status">
          <p>{t("keyOnce")}</p>
          <code className="secret">{raw}</code>{" "}
          <button type="button" onClick={() => navigator.clipboard?.writeText(raw)}>
            {t("copy")}
          </button>
        </div>
      )}
      <OutcomeLine outcome={outcome} />
      {keys === null ? (
        <p>{t("loading")}</p>
      ) : keys.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t("keyName")}</th>
                <th scope="col">{t("roles")}</th>
                <th scope="col">{t("created")}</th>
                <th scope="col">{t("lastUsed")}</th>
                <th scope="col">
                  <span className="sr-only">{t("revoke")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id}>
                  <td data-label={t("keyName")}>{k.name}</td>
                  <td data-label={t("roles")}>{k.roles.join(", ")}</td>
                  <td data-label={t("created")}>{formatTime(lang, k.created_at)}</td>
                  <td data-label={t("lastUsed")}>
                    {k.last_used_at ? formatTime(lang, k.last_used_at) : t("never")}
                  </td>
                  <td>
                    {k.revoked_at ? (
                      formatTime(lang, k.revoked_at)
                    ) : (
                      <button type="button" className="danger" onClick={() => revoke(k.id)}>
                        {t("revoke")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}
