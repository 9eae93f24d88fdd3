import { type FormEvent, useCallback, useEffect, useState } from "react";
import { zitadel } from "./api.ts";
import { useApp } from "./app-context.ts";
import { failure, type Outcome, OutcomeLine } from "./result.tsx";

const ORG_SERVICE = "zitadel.org.v2.OrganizationService";

interface Org {
  id: string;
  name: string;
}

/** The organizations the person may read (ZITADEL's ListOrganizations): switch, create. */
export function OrgsPage({ onSwitch }: { onSwitch: (orgId: string) => void }) {
  const { t, orgId } = useApp();
  const [orgs, setOrgs] = useState<Org[] | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const load = useCallback(
    () =>
      zitadel<{ result?: Org[] }>(ORG_SERVICE, "ListOrganizations", {})
        .then((r) => setOrgs(r.result ?? []))
        .catch((e) => setOutcome(failure(t, e))),
    [t],
  );
  useEffect(() => {
    load();
  }, [load]);
  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name")).trim();
    setOutcome(null);
    try {
      await zitadel(ORG_SERVICE, "AddOrganization", { name });
      setOutcome({ ok: true, text: t("done") });
      await load();
    } catch (err) {
      setOutcome(failure(t, err));
    }
  }
  return (
    <main id="main">
      <h1>{t("orgs")}</h1>
      <form onSubmit={create} className="card inline">
        <label>
          {t("orgName")}
          <input name="name" required maxLength={200} />
        </label>
        <button type="submit">{t("createOrg")}</button>
      </form>
      <OutcomeLine outcome={outcome} />
      {orgs === null ? (
        <p>{t("loading")}</p>
      ) : (
        <ul className="orgs">
          {orgs.map((o) => (
            <li key={o.id}>
              <span>{o.name}</span>
              {o.id === orgId ? (
                <strong aria-current="true"> ✓</strong>
              ) : (
                <button type="button" onClick={() => onSwitch(o.id)}>
                  {t("switchOrg")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
