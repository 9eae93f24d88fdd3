import "./style.css";
import { StrictMode, useCallback, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { type Session, session, setApiSession } from "./api.ts";
import { type AppContext, BASE, Ctx } from "./app-context.ts";
import { BulkInvitePage } from "./bulk-invite-page.tsx";
import { DeliveriesPage } from "./deliveries-page.tsx";
import { initialLang, type Lang, translator } from "./i18n.ts";
import { InviteJobPage } from "./invite-job-page.tsx";
import { InvitePage } from "./invite-page.tsx";
import { KeysPage } from "./keys-page.tsx";
import { Link } from "./link.tsx";
import { OrgsPage } from "./orgs-page.tsx";
import { SignIn } from "./sign-in.tsx";
import { TextsPage } from "./texts-page.tsx";
import { UserPage } from "./user-page.tsx";
import { UsersPage } from "./users-page.tsx";

const WRITERS = ["ORG_OWNER", "ORG_USER_MANAGER"];

function currentPath(): string {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : "";
  return p === "" || p === "/" ? "/users" : p;
}

function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = useMemo(() => translator(lang), [lang]);
  const [me, setMe] = useState<Session | null | undefined>(undefined);
  const [orgId, setOrgId] = useState("");
  const [path, setPath] = useState(currentPath);

  const refresh = useCallback(() => {
    session
      .get()
      .then((s) => {
        setApiSession(s);
        setOrgId(s.orgId);
        setMe(s);
      })
      .catch(() => {
        setApiSession(null);
        setMe(null);
      });
  }, []);
  useEffect(refresh, [refresh]);
  useEffect(() => {
    const onPop = () => setPath(currentPath());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
    sessionStorage.setItem("usher-console-lang", lang);
  }, [lang]);
  // Focus moves to the new page's content, so keyboard and screen reader users land there.
  const focusContent = useCallback((el: HTMLDivElement | null) => el?.focus(), []);

  const navigate = useCallback((to: string) => {
    history.pushState(null, "", `${BASE}${to}`);
    setPath(to);
  }, []);

  const langButton = (
    <button type="button" className="lang" onClick={() => setLang(lang === "en" ? "de" : "en")}>
      {lang === "en" ? "Deutsch" : "English"}
    </button>
  );
  if (me === undefined) return <p className="center">{t("loading")}</p>;
  if (me === null)
    return (
      <>
        <div className="topright">{langButton}</div>
        <SignIn t={t} onSignedIn={refresh} />
      </>
    );

  const canWrite =
    me.instanceRoles.includes("IAM_OWNER") || (me.orgRoles[orgId] ?? []).some((r) => WRITERS.includes(r));
  const ctx: AppContext = { t, lang, session: me, orgId, canWrite, navigate };
  const switchOrg = (id: string) => {
    setApiSession(me, id);
    setOrgId(id);
    navigate("/users");
  };
  const userMatch = /^\/users\/([^/]+)$/.exec(path);
  const jobMatch = /^\/bulk-invite\/([^/]+)$/.exec(path);
  const nav: Array<[string, string]> = [
    ["/users", t("users")],
    ["/invite", t("invite")],
    ["/bulk-invite", t("bulkInvite")],
    ["/deliveries", t("deliveries")],
    ["/texts", t("texts")],
    ["/keys", t("apiKeys")],
  ];
  if (me.instanceRoles.length > 0) nav.push(["/orgs", t("orgs")]);

  return (
    <Ctx.Provider value={ctx}>
      <a className="skip" href="#content">
        {t("skip")}
      </a>
      <header>
        <strong className="brand">Usher</strong>
        <nav aria-label="main">
          {nav.map(([to, label]) => (
            <Link key={to} to={to} className={path.startsWith(to) ? "current" : ""}>
              {label}
            </Link>
          ))}
        </nav>
        <span className="who">{me.email || me.displayName}</span>
        {langButton}
        <button
          type="button"
          onClick={() =>
            session
              .signOut()
              .catch(() => {})
              .then(() => {
                setApiSession(null);
                setMe(null);
              })
          }
        >
          {t("signOut")}
        </button>
      </header>
      <div id="content" key={path} ref={focusContent} tabIndex={-1} className="content">
        {userMatch ? (
          <UserPage key={userMatch[1]} id={decodeURIComponent(userMatch[1] ?? "")} />
        ) : jobMatch ? (
          <InviteJobPage id={decodeURIComponent(jobMatch[1] ?? "")} />
        ) : path === "/bulk-invite" ? (
          <BulkInvitePage />
        ) : path === "/invite" ? (
          <InvitePage />
        ) : path === "/deliveries" ? (
          <DeliveriesPage />
        ) : path === "/texts" ? (
          <TextsPage />
        ) : path === "/keys" ? (
          <KeysPage />
        ) : path === "/orgs" ? (
          <OrgsPage onSwitch={switchOrg} />
        ) : (
          <UsersPage key={orgId} />
        )}
      </div>
    </Ctx.Provider>
  );
}

const root = document.getElementById("root");
if (root)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
