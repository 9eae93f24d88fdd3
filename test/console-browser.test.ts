import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page, Request } from "playwright-core";
import { callerOfToken } from "../src/authz/authenticate.ts";
import { applyBatch } from "../src/jobs/invite-job-batch.ts";
import { inviteJobQueries } from "../src/queries/invite-jobs.ts";
import { assertAccessible, focusOrder } from "./helpers/a11y.ts";
import { browserSkip, launchBrowser } from "./helpers/browser.ts";
import { consoleShots } from "./helpers/console.ts";
import { uploadJob } from "./helpers/invite-jobs.ts";
import { initialUser } from "./helpers/pages.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";

const PASSWORD = "Console admin 9!";

describe("the console in Chromium: a newcomer's first hour", { skip: browserSkip }, () => {
  let smtp: SmtpCatcher;
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let initLink = "";

  before(async () => {
    // The first mail to a `slow-` address takes 3 s: a resend meanwhile waits behind it, queued.
    smtp = await startSmtpCatcher({
      delayFor: (to, nth) => (to.startsWith("slow-") && nth === 0 ? 3000 : 0),
    });
    t = await startTestApp({
      config: { smtpUrl: smtp.url, deliveryMaxAttempts: 1 },
      announce: (text) => {
        initLink = /(http\S+\/ui\/login\/user\/init\?\S+)/.exec(text)?.[1] ?? initLink;
      },
    });
    browser = await launchBrowser();
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
    await smtp?.close();
  });

  /** The timeline's messages as text, once `predicate` holds for them (the page polls). */
  async function timelineUntil(predicate: (items: string[]) => boolean): Promise<string[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const items = await page.locator(".timeline li:not(.event)").allInnerTexts();
      if (predicate(items)) return items;
      if (Date.now() > deadline) throw new Error(`timeline never matched: ${JSON.stringify(items)}`);
      await page.waitForTimeout(250);
    }
  }

  /** The job reads (`GET /v1/invite-jobs/{id}`) the page makes in `ms` milliseconds. */
  async function jobReadsWithin(ms: number): Promise<string[]> {
    const asked: string[] = [];
    const onRequest = (r: Request) => {
      if (/^\/v1\/invite-jobs\/[^/]+$/.test(new URL(r.url()).pathname)) asked.push(r.url());
    };
    page.on("request", onRequest);
    await page.waitForTimeout(ms);
    page.off("request", onRequest);
    return asked;
  }

  test("the first admin sets a password through the printed link, then signs in", async () => {
    assert.ok(
      initLink.startsWith(t.baseUrl.replace("127.0.0.1", "localhost")) || initLink.includes("/ui/login/"),
    );
    const link = new URL(initLink);
    await page.goto(`${t.baseUrl}${link.pathname}${link.search}`);
    await page.fill("#password", PASSWORD);
    await page.fill("#password2", PASSWORD);
    await page.click("button[value=submit]");
    await page.waitForURL(/\/ui\/login\/done/);

    const root = await fetch(`${t.baseUrl}/`, { redirect: "manual" });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get("location"), "/ui/console");
    const shell = await fetch(`${t.baseUrl}/ui/console`);
    assert.match(shell.headers.get("content-security-policy") ?? "", /script-src 'self';/);
    assert.doesNotMatch(await shell.text(), /<script>|<script(?![^>]*\bsrc=)[^>]*>/i, "no inline script");

    await page.goto(`${t.baseUrl}/`);
    await page.getByLabel("Email or username").waitFor();
    await assertAccessible(page);
    assert.deepEqual(await focusOrder(page), ["Deutsch", "loginName", "password", "Sign in"]);
    await consoleShots(page, "sign-in");
    await page.getByLabel("Email or username").fill("admin@localhost");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("The login name or the password is wrong").waitFor();
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Users" }).waitFor();
    await assertAccessible(page);
    // Runs in the page (the test's own TypeScript has no DOM types).
    const stored = await page.evaluate(
      "JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })",
    );
    assert.doesNotMatch(String(stored), /usher_console_|csrf/i, "no session or token in web storage");
  });

  test("invite, see the mail arrive, resend, correct the address, and see a failed delivery's reason", async () => {
    const email = `${unique("newcomer")}@example.com`;
    await page.getByRole("link", { name: "Invite", exact: true }).click();
    await page.getByLabel("Name", { exact: true }).fill("Grace Hopper");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Language").selectOption("en");
    await page.getByLabel("Application name (optional)").fill("Acme Portal");
    await consoleShots(page, "invite");
    await page.getByRole("button", { name: "Send invite" }).click();
    await page.getByText("Invited.").waitFor();
    const invited = await smtp.waitFor((m) => m.to.includes(email));
    assert.match(invited.text, /Acme Portal/);
    await page.getByRole("link", { name: "Open the user" }).click();
    await page.getByRole("heading", { name: "Grace Hopper" }).waitFor();
    await timelineUntil((items) => items.length === 1 && /sent/.test(items[0] ?? ""));
    await assertAccessible(page);

    await page.getByRole("button", { name: "Resend invite" }).click();
    await page.getByRole("status").getByText("Done.").waitFor();
    await timelineUntil((items) => items.length === 2 && items.every((i) => /sent/.test(i)));
    assert.equal(smtp.mails.filter((m) => m.to.includes(email)).length, 2);
    // The events beside the messages: each code added, and sent.
    const events = await page.locator(".timeline li.event").allInnerTexts();
    assert.equal(events.filter((e) => e.startsWith("invite.code.added")).length, 2, JSON.stringify(events));
    assert.ok(events.some((e) => e.startsWith("added")));

    const corrected = `${unique("corrected")}@example.com`;
    await page.getByLabel("Corrected email address (optional)").fill(corrected);
    await page.getByRole("button", { name: "Resend invite" }).click();
    await smtp.waitFor((m) => m.to.includes(corrected));
    await timelineUntil((items) => items.length === 3 && (items[0] ?? "").includes(corrected));
    assert.match(await page.locator("dl").innerText(), new RegExp(corrected.replace(/[.]/g, "\\.")));

    await consoleShots(page, "user");

    // Two resends while the first mail is still being sent: the first resend's code is superseded
    // by the second before it goes out, and the timeline says so.
    await page.getByRole("link", { name: "Invite", exact: true }).click();
    await page.getByLabel("Name", { exact: true }).fill("Slow Person");
    const slow = `${unique("slow")}@example.com`;
    await page.getByLabel("Email").fill(slow);
    await page.getByRole("button", { name: "Send invite" }).click();
    await page.getByRole("link", { name: "Open the user" }).click();
    await timelineUntil((items) => /sending/.test(items[0] ?? ""));
    await page.getByRole("button", { name: "Resend invite" }).click();
    await page.getByRole("status").getByText("Done.").waitFor();
    await page.getByRole("button", { name: "Resend invite" }).click();
    await page.getByRole("status").getByText("Done.").waitFor();
    const slowItems = await timelineUntil(
      (items) => items.length === 3 && /sent/.test(items[0] ?? "") && /superseded/.test(items[1] ?? ""),
    );
    assert.match(slowItems[2] ?? "", /sent/);
    await consoleShots(page, "user-superseded");

    // Someone whose mail server refuses: the delivery fails with the provider's answer.
    smtp.rejectWith(550, "5.1.1 mailbox unavailable");
    await page.getByRole("link", { name: "Invite", exact: true }).click();
    await page.getByLabel("Name", { exact: true }).fill("Bounce Person");
    await page.getByLabel("Email").fill(`${unique("bounce")}@example.com`);
    await page.getByRole("button", { name: "Send invite" }).click();
    await page.getByRole("link", { name: "Open the user" }).click();
    const items = await timelineUntil((list) => /failed/.test(list[0] ?? ""));
    assert.match(items[0] ?? "", /550/);
    assert.match(items[0] ?? "", /mailbox unavailable/);
    smtp.rejectWith(undefined);
    await consoleShots(page, "user-failed");

    // The deliveries page lists it with the provider's reason; a retry sends it.
    await page.getByRole("link", { name: "Deliveries", exact: true }).click();
    const failedRow = page.getByRole("row", { name: /mailbox unavailable/ });
    await failedRow.waitFor();
    await consoleShots(page, "deliveries");
    await failedRow.getByRole("button", { name: "Retry" }).click();
    await page.getByRole("status").getByText("Done.").waitFor();
    await smtp.waitFor((m) => m.to.some((to) => to.startsWith("bounce-")));

    await page.getByRole("link", { name: "Users", exact: true }).click();
    await page.getByRole("link", { name: "Grace Hopper" }).waitFor();
    const row = page.getByRole("row", { name: /Grace Hopper/ });
    assert.match(await row.innerText(), /accepting the invite since/);
    await consoleShots(page, "users");
  });

  test("a throttled resend says when it is possible again; API keys and organizations", async () => {
    await page.getByRole("link", { name: "Grace Hopper" }).click();
    // Grace had her invite (a first code takes nothing from the burst) and two resends: one more
    // uses up the send throttle's burst (3), and the next is refused.
    await page.getByRole("button", { name: "Resend invite" }).click();
    await page.getByRole("status").getByText("Done.").waitFor();
    await page.getByRole("button", { name: "Resend invite" }).click();
    await page
      .getByRole("alert")
      .getByText(/possible again in \d+ s/)
      .waitFor();

    // Someone waiting for initialization: the initialization goes out again, to a corrected address.
    const waiting = await initialUser(t);
    await smtp.waitFor((m) => m.to.includes(waiting.email));
    await page.goto(`${t.baseUrl}/ui/console/users/${waiting.userId}`);
    await page.getByLabel("Message").selectOption("init");
    const fixed = `${unique("fixed")}@example.com`;
    await page.getByLabel("Corrected email address (optional)").fill(fixed);
    await page.getByRole("button", { name: "Resend initialization" }).click();
    await page.getByRole("status").getByText("Done.").waitFor();
    const initMail = await smtp.waitFor((m) => m.to.includes(fixed));
    assert.match(initMail.text, /\/ui\/login\/user\/init\?/);

    await page.getByRole("link", { name: "Message texts" }).click();
    await page.getByLabel("Subject").fill("Welcome to {{.ApplicationName}}, friend");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("section strong", { hasText: "Welcome to" }).waitFor();
    await consoleShots(page, "message-texts");
    await page.getByRole("button", { name: "Reset to default" }).click();
    await page.getByRole("status").getByText("Done.").waitFor();
    await page.locator("section strong", { hasText: "Welcome to" }).waitFor({ state: "detached" });

    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByLabel("Name", { exact: true }).fill("CRM sync");
    await page.getByRole("button", { name: "Create key" }).click();
    await page.getByText("The key, shown once").waitFor();
    assert.match(await page.locator(".secret").innerText(), /\S{20,}/);
    await consoleShots(page, "api-keys");

    await page.getByRole("link", { name: "Organizations" }).click();
    await page.getByLabel("Name", { exact: true }).fill(unique("Acme"));
    await page.getByRole("button", { name: "Create organization" }).click();
    await page.getByRole("button", { name: "Switch" }).first().waitFor();
    await consoleShots(page, "organizations");

    await page.getByRole("button", { name: "Deutsch" }).click();
    await page.getByRole("link", { name: "Benutzer", exact: true }).click();
    await page.getByRole("heading", { name: "Benutzer" }).waitFor();
    await consoleShots(page, "users-de");

    await page.getByRole("button", { name: "Abmelden" }).click();
    await page.getByLabel("E-Mail oder Benutzername").waitFor();
  });

  test("bulk invite: a dry run's report first, then the job live, its failed rows as CSV", async () => {
    // No animation of the bar: the screenshots show where it is.
    await page.emulateMedia({ reducedMotion: "reduce" });
    // The test before signed out in German.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByLabel("Email or username").fill("admin@localhost");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Bulk invite" }).click();
    await page.getByRole("heading", { name: "Bulk invite" }).waitFor();
    await assertAccessible(page);

    // A file dropped on the form is taken like a chosen one.
    const dropped = await page.evaluateHandle(
      `(() => { const d = new DataTransfer(); d.items.add(new File(["email\\n"], "dropped.jsonl")); return d; })()`,
    );
    await page.locator(".drop").dispatchEvent("drop", { dataTransfer: dropped });
    await page.getByText("dropped.jsonl, 6 B, read as JSON lines").waitFor();

    const p = unique("team");
    const csv = [
      "email,name",
      `${p}-ada@example.com,Ada Lovelace`,
      `not-an-address,"Bad, Row"`,
      `${p}-grace@example.com,Grace Hopper`,
      `${p}-ADA@example.com,Ada again`,
      `"=HYPERLINK(""http://evil.example"")",Formula`,
    ].join("\n");
    await page
      .getByLabel("File (CSV or JSON lines)")
      .setInputFiles({ name: "people.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByText(/^people\.csv, \d+ B, read as CSV$/).waitFor();
    await page.getByLabel("Application name (optional)").fill("Acme Portal");
    await page.getByRole("button", { name: "Check the file (dry run)" }).click();

    // The report: how many rows are fine, which are not and why; focus on its heading.
    await page.getByText("2 rows are fine").waitFor();
    await page.getByText("3 rows are not").waitFor();
    assert.equal(await page.evaluate("document.activeElement.id"), "dry-run");
    const reported = await page.locator("#failed-rows ~ .table-wrap tbody tr").allInnerTexts();
    assert.equal(reported.length, 3, JSON.stringify(reported));
    assert.match(reported[0] ?? "", /^2\s+not-an-address\s+invalid_email/);
    assert.match(reported[1] ?? "", /^4\s+\S+-ADA@example\.com\s+duplicate The address is already in row 1/);
    assert.match(reported[2] ?? "", /^5\s+=HYPERLINK/);
    const before = await t.app.db.query("select 1 from users where email like $1", [`${p}-%`]);
    assert.equal(before.length, 0, "a dry run creates nobody");
    await assertAccessible(page);
    await consoleShots(page, "bulk-invite-dry-run");

    // Start: the same file for real, on the job's own page, live until it has finished.
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await page.waitForURL(/\/ui\/console\/bulk-invite\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { name: "Progress" }).waitFor();
    assert.equal(await page.evaluate("document.activeElement.id"), "job-progress");
    await page.locator(".job-state").getByText("Finished").waitFor();
    const bar = page.getByRole("progressbar");
    assert.equal(await bar.getAttribute("aria-valuenow"), "100");
    assert.equal(await bar.getAttribute("aria-valuetext"), "100 % — 5 of 5 rows");
    assert.match(await page.locator("[aria-live=polite]").innerText(), /^Finished\. 100 %/);
    const totals = async () =>
      Object.fromEntries(
        (await page.locator(".totals > div").allInnerTexts()).map((x) => {
          const [k, v] = x.split("\n");
          return [k, Number(v)];
        }),
      );
    assert.deepEqual(
      { ...(await totals()), "Invites mailed": 0 },
      {
        "Rows read": 5,
        "Users created": 2,
        "Invites queued": 2,
        "Invites mailed": 0,
        Skipped: 0,
        Failed: 3,
      },
    );
    const mails = await Promise.all(
      ["ada", "grace"].map((who) => smtp.waitFor((m) => m.to.includes(`${p}-${who}@example.com`))),
    );
    assert.match(mails[0]?.text ?? "", /Acme Portal/);
    assert.deepEqual(await jobReadsWithin(2500), [], "no more reads once the job has ended");
    // Polling stopped with the job; Refresh asks once more, and the mails are counted.
    for (let i = 0; (await totals())["Invites mailed"] !== 2; i++) {
      assert.ok(i < 40, "both invites counted as mailed");
      await page.getByRole("button", { name: "Refresh" }).click();
      await page.waitForTimeout(250);
    }
    await assertAccessible(page);
    await consoleShots(page, "bulk-invite-done");

    // Every failed row as CSV, formulas disarmed and quotes escaped.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download the failed rows (CSV)" }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^invite-job-[0-9a-f-]{36}-failed\.csv$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    assert.equal(
      Buffer.concat(chunks).toString("utf8"),
      [
        "\uFEFFrow,email,reason,message,notices",
        "2,not-an-address,invalid_email,The email address is not valid.,",
        `4,${p}-ADA@example.com,duplicate,The address is already in row 1 of the file.,`,
        `5,"'=HYPERLINK(""http://evil.example"")",invalid_email,The email address is not valid.,`,
        "",
      ].join("\r\n"),
    );
  });

  test("a bulk invite job's page while it runs: rows/s, time left, and cancel", async () => {
    // The workers are held, and the test applies one batch itself: the page shows a job part-way.
    await t.app.inviteJobs.stop();
    try {
      const p = unique("many");
      const people = Array.from({ length: 250 }, (_, i) => `${p}-${i}@example.com,Person ${i}`);
      const up = await uploadJob(
        { baseUrl: t.baseUrl, token: t.adminToken, tenantId: t.defaultOrgId },
        ["email,name", ...people].join("\n"),
        { query: { send_invite: "false" } },
      );
      assert.equal(up.status, 202, JSON.stringify(up.body));
      const id = String(up.body.id);
      await page.goto(`${t.baseUrl}/ui/console/bulk-invite/${id}`);
      await page.locator(".job-state").getByText("Waiting for a worker").waitFor();
      const jobs = inviteJobQueries(t.app.db);
      const job = await jobs.get(t.defaultOrgId, id);
      const caller = job && (await callerOfToken(t.app.db, job.tokenId, new Date()));
      assert.ok(job && caller);
      await applyBatch(t.app.deps, job, caller, 100);
      await page.locator(".job-state").getByText("Running").waitFor();
      const bar = page.getByRole("progressbar");
      assert.equal(await bar.getAttribute("aria-valuenow"), "40");
      assert.equal(await bar.getAttribute("aria-valuetext"), "40 % — 100 of 250 rows");
      assert.equal(await page.locator("[aria-live=polite]").innerText(), "Running: 40 %");
      await page.getByText(/^[\d.,]+ rows\/s$/).waitFor();
      await page.getByText(/^time left \d+:\d\d$/).waitFor();
      await assertAccessible(page);
      await consoleShots(page, "bulk-invite-progress");

      // A running job is read every second while its page is open, and not once it is left.
      assert.ok((await jobReadsWithin(2500)).length >= 1);
      await page.getByRole("link", { name: "Users", exact: true }).click();
      await page.getByRole("heading", { name: "Users" }).waitFor();
      assert.deepEqual(await jobReadsWithin(2500), [], "no reads after the page is left");
      await page.goBack();
      await page.locator(".job-state").getByText("Running").waitFor();
      await page.getByRole("button", { name: "Cancel the job" }).click();
      await page.locator(".job-state").getByText("Cancelled").waitFor();
      assert.equal((await jobs.get(t.defaultOrgId, id))?.status, "cancelled");
      assert.equal(await page.getByRole("button", { name: "Cancel the job" }).count(), 0);
    } finally {
      await t.app.inviteJobs.start();
    }
  });

  test("with no mail provider configured, the invited person's mail is in the dev mailbox", async () => {
    let link = "";
    const dev = await startTestApp({
      announce: (text) => {
        link = /(http\S+\/ui\/login\/user\/init\?\S+)/.exec(text)?.[1] ?? link;
      },
    });
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
    try {
      const p = await context.newPage();
      const init = new URL(link);
      await p.goto(`${dev.baseUrl}${init.pathname}${init.search}`);
      await p.fill("#password", PASSWORD);
      await p.fill("#password2", PASSWORD);
      await p.click("button[value=submit]");
      await p.waitForURL(/\/ui\/login\/done/);
      await p.goto(`${dev.baseUrl}/`);
      await p.getByLabel("Email or username").fill("admin@localhost");
      await p.getByLabel("Password").fill(PASSWORD);
      // Enter submits: the form works from the keyboard alone.
      await p.getByLabel("Password").press("Enter");
      await p.getByRole("link", { name: "Invite", exact: true }).click();
      const email = `${unique("mailbox")}@example.com`;
      await p.getByLabel("Email").fill(email);
      await p.getByRole("button", { name: "Send invite" }).click();
      await p.getByText("Invited.").waitFor();
      // The worker delivers within moments; the mailbox page is read again until the mail is there.
      for (let i = 0; ; i++) {
        await p.goto(`${dev.baseUrl}/dev/mailbox`);
        if ((await p.getByText(email).count()) > 0) break;
        assert.ok(i < 50, "the invite reaches the dev mailbox");
        await p.waitForTimeout(200);
      }
    } finally {
      await context.close();
      await dev.stop();
    }
  });
});
