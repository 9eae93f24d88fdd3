import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { addressKey } from "../src/api/pages/page-throttles.ts";
import { uuidv7 } from "../src/domain/ids.ts";
import { linkFrom } from "./helpers/browser.ts";
import { getPage, linkFields, postForm } from "./helpers/form-client.ts";
import { apiUser, eventTypes, initialUser, invitedUser } from "./helpers/pages.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";

const INIT = "/ui/login/user/init";
const INVITE = "/ui/login/user/invite";
const PASSWORD = { password: "correct horse battery", password2: "correct horse battery" };
let smtp: SmtpCatcher;
let t: TestApp;

before(async () => {
  smtp = await startSmtpCatcher();
  t = await startTestApp({ config: { smtpUrl: smtp.url } });
});
after(async () => {
  await t?.stop();
  await smtp?.close();
});

async function linkFor(email: string, path: string): Promise<string> {
  return linkFrom(await smtp.waitFor((m) => m.to.includes(email)), path);
}

/** A page's HTML without its per-request form tokens. */
const tokenless = (html: string) => html.replace(/name="form_token" value="[^"]+"/g, "");

describe("scanner safety and form tokens (no browser)", () => {
  test("GETs of a link change nothing and carry strict headers", async () => {
    const u = await invitedUser(t);
    const link = await linkFor(u.email, INVITE);
    for (let i = 0; i < 3; i++) {
      const page = await getPage(link);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.html, /<script|style=/i);
      const csp = page.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline|script-src/);
      assert.equal(page.headers.get("x-frame-options"), "DENY");
      assert.equal(page.headers.get("cache-control"), "no-store");
      assert.equal(page.headers.get("referrer-policy"), "same-origin");
    }
    assert.deepEqual(await apiUser(t, u.userId), {
      state: "USER_STATE_ACTIVE",
      emailVerified: false,
      passwordSet: false,
      passwordChangeRequired: false,
    });
    const page = await getPage(link);
    const done = await postForm(
      new URL(INVITE, link).toString(),
      { ...linkFields(link), ...PASSWORD, form_token: page.token ?? "", action: "submit" },
      { cookie: page.cookie ?? "" },
    );
    assert.equal(done.status, 303, done.html);
    assert.equal(done.headers.get("location"), "/ui/login/done?lang=en&flow=invite");
    assert.equal((await apiUser(t, u.userId)).passwordSet, true, "the code still worked after the GETs");
  });

  test("posts without a valid form token are refused and change nothing", async () => {
    const u = await initialUser(t);
    const other = await initialUser(t);
    const link = await linkFor(u.email, INIT);
    const url = new URL(INIT, link).toString();
    const fields = { ...linkFields(link), ...PASSWORD, action: "submit" };
    const mine = await getPage(link);
    const theirs = await getPage(await linkFor(other.email, INIT));
    const [expiry, rest] = (mine.token ?? "").split(/\.(.*)/s);
    const attempts: Array<[string, Record<string, string>, Record<string, string>]> = [
      ["no token", fields, { cookie: mine.cookie ?? "" }],
      ["no cookie", { ...fields, form_token: mine.token ?? "" }, {}],
      [
        "another user's token",
        { ...fields, form_token: theirs.token ?? "" },
        { cookie: theirs.cookie ?? "" },
      ],
      [
        "a changed expiry",
        { ...fields, form_token: `${Number(expiry) + 1}.${rest}` },
        { cookie: mine.cookie ?? "" },
      ],
      [
        "a foreign Origin",
        { ...fields, form_token: mine.token ?? "" },
        { cookie: mine.cookie ?? "", origin: "https://evil.example" },
      ],
    ];
    for (const [why, body, headers] of attempts) {
      const res = await postForm(url, body, headers);
      assert.equal(res.status, 403, `${why}: ${res.status}`);
      assert.match(res.html, /This form has expired/, why);
    }
    assert.equal((await apiUser(t, u.userId)).state, "USER_STATE_INITIAL");
    assert.ok(!(await eventTypes(t, u.userId)).includes("user.human.initialization.check.failed"));
    const ok = await postForm(
      url,
      { ...fields, form_token: mine.token ?? "" },
      { cookie: mine.cookie ?? "" },
    );
    assert.equal(ok.status, 303, ok.html);
    assert.equal((await apiUser(t, u.userId)).state, "USER_STATE_ACTIVE");
  });
});

describe("nothing tells whether a user exists", () => {
  test("a wrong code and an unknown user get the same pages", async () => {
    const u = await invitedUser(t);
    const link = await linkFor(u.email, INVITE);
    const unknown = new URL(link);
    unknown.searchParams.set("userID", uuidv7());
    const answers: string[] = [];
    for (const target of [link, unknown.toString()]) {
      const page = await getPage(target);
      const fields = { ...linkFields(target), code: "WRONG1", ...PASSWORD, action: "submit" };
      const res = await postForm(
        new URL(INVITE, link).toString(),
        { ...fields, form_token: page.token ?? "" },
        {
          cookie: page.cookie ?? "",
        },
      );
      assert.equal(res.status, 400);
      answers.push(tokenless(res.html).replace(/userID=[^&"]+|name="userID" value="[^"]+"/g, ""));
    }
    assert.equal(answers[0], answers[1]);
    assert.equal((await eventTypes(t, u.userId)).at(-1), "user.human.invite.check.failed");
  });

  test("the page's language never follows a user's stored preference", async () => {
    const u = await invitedUser(t, "de");
    const mailed = await linkFor(u.email, INVITE);
    const url = new URL(INVITE, mailed).toString();
    const english = { "accept-language": "en" };
    for (const userID of [u.userId, uuidv7()]) {
      // A link made by someone who only knows (or guesses) a user id.
      const forged = `${url}?${new URLSearchParams({ userID, orgID: t.defaultOrgId, code: "WRONG1" })}`;
      const page = await getPage(forged, english);
      assert.match(page.html, /<html lang="en">/, "the form");
      const fields = { ...linkFields(forged), ...PASSWORD, action: "submit", form_token: page.token ?? "" };
      const res = await postForm(url, fields, { ...english, cookie: page.cookie ?? "" });
      assert.equal(res.status, 400);
      assert.match(res.html, /<html lang="en">/, "the answer to a post without a lang field");
    }
    // The mail names the language it was written in, so its reader gets the page in it.
    assert.equal(new URL(mailed).searchParams.get("lang"), "de");
    const page = await getPage(mailed, english);
    assert.match(page.html, /<html lang="de">/);
    assert.match(page.html, /name="lang" value="de"/, "the form keeps the language for its post");
  });

  test("'send me a new one' answers alike, and both run into the same throttle", async () => {
    const u = await invitedUser(t);
    const link = await linkFor(u.email, INVITE);
    const unknown = new URL(link);
    unknown.searchParams.set("userID", uuidv7());
    const outcomes: Array<Array<[number, string | null, string]>> = [];
    for (const target of [link, unknown.toString()]) {
      const page = await getPage(target);
      const seen: Array<[number, string | null, string]> = [];
      for (let i = 0; i < 3; i++) {
        const res = await postForm(
          new URL(INVITE, link).toString(),
          { ...linkFields(target), form_token: page.token ?? "", action: "resend" },
          { cookie: page.cookie ?? "" },
        );
        seen.push([res.status, res.headers.get("location"), res.html]);
      }
      outcomes.push(seen);
    }
    const [known, nobody] = outcomes;
    assert.deepEqual(
      known?.map((o) => o[0]),
      [303, 303, 429],
    );
    assert.deepEqual(known, nobody);
    assert.match(known?.[2]?.[2] ?? "", /try again in 6 minutes/);
    // The invite and the two resends were queued for the known user only; a resend replaces a
    // message still queued (superseded), so the mails sent are the invite, maybe the first
    // resend, and the second.
    const statuses = async () =>
      (
        await t.app.db.query<{ status: string }>(
          "select status from outbox where user_id = $1 order by created_at, id",
          [u.userId],
        )
      ).map((r) => r.status);
    const deadline = Date.now() + 10_000;
    while ((await statuses()).some((s) => s === "queued" || s === "sending") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const final = await statuses();
    assert.equal(final.length, 3);
    assert.equal(final.at(-1), "sent");
    assert.ok(
      final.every((s) => s === "sent" || s === "superseded"),
      final.join(),
    );
    const sent = final.filter((s) => s === "sent").length;
    await smtp.waitFor(
      (m) => m.to.includes(u.email) && smtp.mails.filter((x) => x.to.includes(u.email)).length === sent,
    );
  });
});

describe("limits and odd requests", () => {
  test("posts are throttled per client address", async () => {
    const u = await initialUser(t);
    const link = await linkFor(u.email, INIT);
    const page = await getPage(link);
    for (const address of ["127.0.0.1", "::ffff:127.0.0.1"])
      await t.app.db.query(
        `insert into send_throttle (key, tokens, updated_at) values ($1, 0, $2)
         on conflict (key) do update set tokens = 0, updated_at = $2`,
        [addressKey(address), t.app.deps.now()],
      );
    try {
      const res = await postForm(
        new URL(INIT, link).toString(),
        { ...linkFields(link), ...PASSWORD, form_token: page.token ?? "", action: "submit" },
        { cookie: page.cookie ?? "" },
      );
      assert.equal(res.status, 429);
      assert.equal(res.headers.get("retry-after"), "120");
      assert.match(res.html, /try again in 2 minutes/);
      assert.equal((await apiUser(t, u.userId)).state, "USER_STATE_INITIAL");
    } finally {
      await t.app.db.query("delete from send_throttle where key like 'ui:addr:%'");
    }
  });

  test("the forms show and apply the configured password policy", async () => {
    const strict = await startTestApp({ config: { passwordMinLength: 10, passwordRequireNumber: true } });
    try {
      const link = `${strict.baseUrl}${INIT}?userID=${uuidv7()}&orgID=${strict.defaultOrgId}&code=ABC123`;
      const page = await getPage(link, { "accept-language": "de" });
      assert.match(page.html, /Mindestens 10 Zeichen, darunter eine Ziffer\./);
      assert.match(page.html, /minlength="10"/);
      const fields = { ...linkFields(link), password: "no digits here", password2: "no digits here" };
      const res = await postForm(
        new URL(INIT, link).toString(),
        { ...fields, form_token: page.token ?? "", action: "submit" },
        { cookie: page.cookie ?? "", "accept-language": "de" },
      );
      assert.equal(res.status, 400);
      assert.match(res.html, /id="password-error">Das Passwort erfüllt die Anforderungen nicht\./);
    } finally {
      await strict.stop();
    }
  });

  test("broken links, unknown paths, other methods, the stylesheet", async () => {
    const noUser = await getPage(`${t.baseUrl}${INIT}?code=ABC123`);
    assert.equal(noUser.status, 400);
    assert.match(noUser.html, /This link is incomplete/);
    const german = await getPage(`${t.baseUrl}${INIT}?code=ABC123`, { "accept-language": "fr;q=0.9, de-CH" });
    assert.match(german.html, /<html lang="de">/);
    const missing = await getPage(`${t.baseUrl}/ui/login/nothing`);
    assert.equal(missing.status, 404);
    assert.match(missing.html, /Page not found/);
    const put = await fetch(`${t.baseUrl}${INIT}`, { method: "PUT" });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get("allow"), "GET, HEAD, POST");
    const css = await fetch(`${t.baseUrl}/ui/login/assets/pages.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get("content-type") ?? "", /^text\/css/);
  });
});
