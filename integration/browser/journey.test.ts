/**
 * The web app in a real browser (Debian's Chromium, puppeteer-core) against the whole platform of `npm run dev`
 * (startPlatform: real daprd, Kafka, Postgres, SMTP catcher, OpenID provider): the journey in two
 * browser contexts of one user, keyboard-only operation, axe-core on every screen. Screenshots go to
 * .artifacts/browser/ (CI keeps them).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import type { Browser, BrowserContext, Page } from "puppeteer-core";
import { secretNames } from "@tasks/catalog";
import { eventually, logLinesAbout, useTestPlatform, waitRealtimeLive } from "../test/helpers.js";
import { artifactsDir, axe, launch, screenshot, signIn, tabTo, watchErrors, webUrl, type AxeFinding } from "@tasks/dev-platform/browser";

let browser: Browser;
const user = `web-${randomBytes(4).toString("hex")}`;
let ctxA: BrowserContext;
let ctxB: BrowserContext;
let pageA: Page;
let pageB: Page;
const errors: string[] = [];
const findings: Record<string, AxeFinding[]> = {};

const platform = useTestPlatform({
  startTimeoutMs: 400_000,
  setUp: async (p) => {
    rmSync(artifactsDir, { recursive: true, force: true });
    await waitRealtimeLive(p, "probe-web");
    browser = await launch();
    ctxA = await browser.createBrowserContext();
    ctxB = await browser.createBrowserContext();
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    errors.push(...[pageA, pageB].flatMap((p) => watchErrors(p)));
    // The pages' own messages, in the test's log (a failure's context).
    for (const [name, page] of [
      ["A", pageA],
      ["B", pageB],
    ] as const) {
      page.on("console", (m) => process.stderr.write(`[page ${name}] ${m.type()}: ${m.text()}\n`));
      page.on("response", (r) => {
        if (r.status() >= 400 && r.url().includes("/api/"))
          void r.text().then((body) => process.stderr.write(`[page ${name}] ${r.status()} ${r.url()}: ${body.slice(0, 300)}\n`));
      });
      page.on("pageerror", (e) => process.stderr.write(`[page ${name}] uncaught: ${e instanceof Error ? e.stack : String(e)}\n`));
      page.on(
        "framenavigated",
        (f) => f === page.mainFrame() && process.stderr.write(`[page ${name}] navigated: ${f.url().replace(/code=[^&]+/, "code=…")}\n`),
      );
    }
  },
  tearDown: async () => {
    await browser?.close();
  },
});

const scan = async (page: Page, screen: string): Promise<void> => {
  findings[screen] = await axe(page);
};
const rowOf = (title: string) => `li[data-title="${title}"]`;
const taskIdsShown = (page: Page, title: string) =>
  page.$$eval(rowOf(title), (els) => els.map((e) => (e as HTMLElement).dataset.taskId ?? ""));

test("sign-in by code + PKCE in two browser contexts; the app's headers are strict", { timeout: 120_000 }, async () => {
  await signIn(pageA, platform(), user, { signIn: "01-sign-in", login: "02-provider-login" });
  await scan(pageA, "task list (empty)");
  await signIn(pageB, platform(), user);
  const res = await fetch(`${webUrl(platform())}/`);
  const csp = res.headers.get("content-security-policy") ?? "";
  assert.match(csp, /script-src 'self';/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(res.headers.get("cache-control"), "no-cache");
  const script = /src="(\/assets\/app-[^"]+\.js)"/.exec(await res.text())?.[1];
  assert.ok(script, "index.html names the hashed entry");
  assert.equal((await fetch(`${webUrl(platform())}${script}`)).headers.get("cache-control"), "public, max-age=31536000, immutable");
});

test(
  "silent renewal: the refresh token brings a new access token without a redirect; a reload signs in again by prompt=none",
  { timeout: 60_000 },
  async () => {
    const before = String(await pageA.evaluate(`window.tasksApp.auth.accessToken()`));
    const url = pageA.url();
    assert.equal(await pageA.evaluate(`window.tasksApp.auth.renew()`), true);
    const after = String(await pageA.evaluate(`window.tasksApp.auth.accessToken()`));
    assert.notEqual(after, before, "a new access token");
    assert.equal(pageA.url(), url, "no navigation");
    // Tokens live in memory only: a reload has none, and the provider's session signs the user in without a form.
    assert.equal(
      await pageA.evaluate(`Object.keys(localStorage).length + Object.keys(sessionStorage).filter((k) => /token/i.test(k)).length`),
      0,
    );
    await pageA.reload();
    await pageA.waitForSelector("#sign-out", { timeout: 30_000 });
    assert.equal(await pageA.$('input[name="login"]'), null);
    await pageA.waitForFunction(`document.getElementById("live-status").textContent === "Live"`, { timeout: 30_000 });
  },
);

test(
  "journey: create a daily task with a reminder → live in the second context → reminder in the bell and by email → complete → next occurrence in both → audit lists create and complete",
  { timeout: 240_000 },
  async () => {
    const title = `Water the plants ${randomBytes(3).toString("hex")}`;
    await pageA.goto(`${webUrl(platform())}/#/new`);
    await pageA.waitForSelector("#f-title");
    await pageA.type("#f-title", title);
    await pageA.type("#f-tags", "home, plants");
    // Due in 65 s (UTC) with a reminder 1 minute before: the reminder fires ~5 s from now.
    const due = new Date(Date.now() + 65_000);
    await pageA.select("#f-zone", "UTC");
    await pageA.$eval(
      "#f-due",
      (el, v) => {
        (el as HTMLInputElement).value = v;
        el.dispatchEvent(new Event("input", { bubbles: true }));
      },
      due.toISOString().slice(0, 19),
    );
    await pageA.type("#f-reminder-custom", "1");
    await pageA.select("#f-repeat", "daily");
    await pageA.waitForFunction(() => document.querySelectorAll("ol.next li").length === 5);
    const summary = await pageA.$eval("#rec-summary", (e) => e.textContent ?? "");
    assert.match(summary, /^Every day/);
    const next = await pageA.$$eval("ol.next li", (els) => els.map((e) => e.textContent ?? ""));
    assert.ok(
      next.every((n) => /UTC/.test(n)),
      `next five shown in the task's zone: ${next.join(" | ")}`,
    );
    await screenshot(pageA, "03-new-task-editor");
    await scan(pageA, "editor");

    await pageB.goto(`${webUrl(platform())}/#/`);
    await pageA.click("form.editor button[type=submit]");
    await pageA.waitForFunction(() => /^#\/tasks\/[0-9a-f-]{36}$/.test(location.hash));
    const firstId = /#\/tasks\/(.+)$/.exec(pageA.url())![1]!;
    await screenshot(pageA, "04-task-details");
    await scan(pageA, "task details");

    // Live: the second context shows it without a reload.
    await pageB.waitForSelector(rowOf(title), { timeout: 20_000 }).catch(async (err: unknown) => {
      await screenshot(pageB, "failed-second-context");
      throw err;
    });
    await screenshot(pageB, "05-second-context-live");

    // The reminder: a toast and the bell's count, and the email at the SMTP catcher.
    await pageA.goto(`${webUrl(platform())}/#/`);
    await pageA.waitForSelector(".toast.reminder", { timeout: 60_000 });
    await pageA.waitForFunction(() => Number(document.querySelector(".bell .badge")?.textContent ?? 0) >= 1);
    await pageA.click(".bell");
    await pageA.waitForFunction((t) => document.querySelector("#notifications-panel")?.textContent?.includes(t), {}, title);
    await screenshot(pageA, "06-notifications-bell");
    await scan(pageA, "notifications open");
    await eventually(
      "the reminder email",
      30_000,
      async () => platform().smtp.messages.find((m) => m.raw.includes(title)),
      () => logLinesAbout(platform().workDir, "notifications", [firstId, "digest", "reminder"], 40),
    );
    await pageA.click("#notifications-panel .toolbar button");
    await pageA.waitForFunction(() => (document.querySelector(".bell .badge")?.textContent ?? "") === "");
    await pageA.keyboard.press("Escape");

    // Complete in A: the next occurrence (a new task of the series) appears in both contexts.
    await pageA.$eval(`${rowOf(title)} button.complete`, (b) => (b as HTMLButtonElement).click());
    for (const page of [pageA, pageB]) {
      await page.waitForFunction(
        (sel, first) => [...document.querySelectorAll(sel)].some((e) => (e as HTMLElement).dataset.taskId !== first),
        { timeout: 60_000 },
        rowOf(title),
        firstId,
      );
      assert.ok(!(await taskIdsShown(page, title)).includes(firstId), "the completed occurrence leaves the open list");
    }
    await screenshot(pageA, "07-next-occurrence-a");
    await screenshot(pageB, "08-next-occurrence-b");
    await scan(pageB, "task list");

    // History: created and completed, by the user.
    await pageA.goto(`${webUrl(platform())}/#/tasks/${firstId}/history`);
    await pageA.waitForFunction(
      () => document.querySelector('tr[data-action="completed"]') && document.querySelector('tr[data-action="created"]'),
      {
        timeout: 30_000,
      },
    );
    await screenshot(pageA, "09-audit-history");
    await scan(pageA, "history");
  },
);

test("keyboard only: new task, complete it from the list, open and close the bell", { timeout: 120_000 }, async () => {
  const title = `Keyboard ${randomBytes(3).toString("hex")}`;
  await pageA.goto(`${webUrl(platform())}/#/`);
  await pageA.waitForSelector("ul.tasks");
  await pageA.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await tabTo(pageA, "nav a", "New task");
  await pageA.keyboard.press("Enter");
  await pageA.waitForSelector("#f-title");
  // The editor focuses the title: type it, then Enter submits the form.
  await pageA.keyboard.type(title);
  await pageA.keyboard.press("Enter");
  await pageA.waitForFunction(() => /^#\/tasks\//.test(location.hash));
  await pageA.goto(`${webUrl(platform())}/#/`);
  await pageA.waitForSelector(rowOf(title));
  await tabTo(pageA, "button.complete", `Complete ${title}`, 200);
  await pageA.keyboard.press("Enter");
  await pageA.waitForFunction((sel) => !document.querySelector(sel), {}, rowOf(title));
  await tabTo(pageA, "button.bell");
  await pageA.keyboard.press("Enter");
  await pageA.waitForSelector("#notifications-panel:not([hidden])");
  await tabTo(pageA, "#notifications-panel button", "Mark all read");
  await pageA.keyboard.press("Escape");
  await pageA.waitForSelector("#notifications-panel[hidden]");
  assert.equal(await pageA.evaluate(() => document.activeElement?.classList.contains("bell")), true, "Escape returns focus to the bell");
});

test(
  "preferences: saved through the form and read back; Web Push offered with the key notifications serves",
  { timeout: 60_000 },
  async () => {
    // The GET, not its CORS preflight (notifications has its own origin under `npm run dev`).
    const keyAnswer = pageA.waitForResponse(
      (r) => r.request().method() === "GET" && r.url().endsWith("/api/v1/notifications/push/public-key"),
    );
    await pageA.goto(`${webUrl(platform())}/#/preferences`);
    await pageA.waitForSelector("#p-default");
    // The web app has no VAPID config: the key comes from notifications, which reads it from the secret store.
    const served = await keyAnswer;
    assert.equal(served.status(), 200);
    const store = JSON.parse(readFileSync(path.join(platform().workDir, "secrets.json"), "utf8")) as Record<string, string>;
    assert.deepEqual(await served.json(), { publicKey: store[secretNames.vapidPublicKey] });
    await pageA.waitForSelector("#push-toggle:not([disabled])");
    assert.equal(await pageA.$eval("#push-status", (e) => e.textContent), "", "no 'unavailable' notice");
    await pageA.$eval("#p-default", (e) => ((e as HTMLInputElement).value = ""));
    await pageA.type("#p-default", "30");
    await pageA.click("#p-quiet");
    await pageA.click("form.prefs button[type=submit]");
    await pageA.waitForFunction(() => document.querySelector("form.prefs [role=status]")?.textContent === "Saved.");
    await screenshot(pageA, "10-preferences");
    await scan(pageA, "preferences");
    const token = await platform().token(user);
    const prefs = (await (
      await fetch(`${platform().services.notifications.url}/api/v1/notifications/preferences`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { defaultReminderMinutes: number | null; quietHours: unknown };
    assert.equal(prefs.defaultReminderMinutes, 30);
    assert.notEqual(prefs.quietHours, null);
    // A new task starts with the default reminder.
    await pageA.goto(`${webUrl(platform())}/#/new`);
    await pageA.waitForSelector("#f-reminder-custom");
    assert.equal(await pageA.$eval("#f-reminder-custom", (e) => (e as HTMLInputElement).value), "30");
  },
);

/** Creates tasks for the journey's user straight through the API (setup, not what is under test). */
async function createTasks(bodies: readonly Record<string, unknown>[]): Promise<{ id: string; title: string }[]> {
  const token = await platform().token(user);
  const out: { id: string; title: string }[] = [];
  for (const body of bodies) {
    const res = await fetch(`${platform().services["tasks-api"].url}/api/v1/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201);
    out.push((await res.json()) as { id: string; title: string });
  }
  return out;
}

test("live: after a dropped connection the app resumes from its last event and shows what it missed", { timeout: 90_000 }, async () => {
  await pageB.goto(`${webUrl(platform())}/#/`);
  await pageB.waitForSelector("ul.tasks");
  await pageB.evaluate(`window.tasksApp.live.drop(4000)`);
  await pageB.waitForFunction(`document.getElementById("live-status").textContent.startsWith("Offline")`);
  await screenshot(pageB, "11-offline-indicator");
  const [missed] = await createTasks([{ title: `Missed while offline ${randomBytes(3).toString("hex")}` }]);
  await pageB.waitForFunction(`document.getElementById("live-status").textContent === "Live"`, { timeout: 30_000 });
  await pageB.waitForSelector(rowOf(missed!.title), { timeout: 30_000 });
});

test("list: search, filter chips, multi-key sort and endless scroll over the API's cursors", { timeout: 120_000 }, async () => {
  const tag = `batch${randomBytes(3).toString("hex")}`;
  const prios = ["low", "medium", "high", "urgent"] as const;
  await createTasks(
    Array.from({ length: 30 }, (_, i) => ({ title: `Item ${String(i).padStart(2, "0")} ${tag}`, priority: prios[i % 4], tags: [tag] })),
  );
  await pageA.goto(`${webUrl(platform())}/#/preferences`);
  await pageA.goto(`${webUrl(platform())}/#/`);
  await pageA.waitForSelector("#tags");
  await pageA.type("#tags", tag);
  await pageA.$eval("#tags", (e) => e.dispatchEvent(new Event("change")));
  await pageA.select("#sort-0", "title:asc");
  // The API pages by 25: the rest arrives when the list's end scrolls into view.
  await pageA.waitForFunction((t) => document.querySelectorAll(`li[data-title$="${t}"]`).length === 25, {}, tag);
  // Sorted again and scrolled to the end while that page loads: the next page still comes.
  await pageA.select("#sort-0", "title:desc");
  await pageA.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await pageA.select("#sort-0", "title:asc");
  await pageA.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await pageA.waitForFunction((t) => document.querySelectorAll(`li[data-title$="${t}"]`).length === 30, { timeout: 20_000 }, tag);
  const titles = await pageA.$$eval("li[data-title]", (els) => els.map((e) => (e as HTMLElement).dataset.title!));
  assert.deepEqual(titles, [...titles].sort(), "sorted by title");
  // Chip: urgent only (7 of 30: items 3, 7, …, 27), then sort by priority then title descending.
  await pageA.evaluate(() => [...document.querySelectorAll<HTMLButtonElement>(".chip")].find((b) => b.textContent === "urgent")!.click());
  await pageA.waitForFunction((t) => document.querySelectorAll(`li[data-title$="${t}"]`).length === 7, {}, tag);
  await pageA.select("#sort-1", "title:desc");
  await pageA.select("#sort-0", "priority:desc");
  await pageA.waitForFunction((t) => document.querySelector("li[data-title]")?.getAttribute("data-title") === `Item 27 ${t}`, {}, tag);
  await screenshot(pageA, "12-filtered-sorted");
  // Search narrows to one.
  await pageA.type("#search", "Item 11");
  await pageA.waitForFunction(() => document.querySelectorAll("li[data-title]").length === 1);
  assert.equal(await pageA.$eval("li[data-title]", (e) => (e as HTMLElement).dataset.title), `Item 11 ${tag}`);
});

test("endless scroll: a task that arrived live at the top is shown once when its page loads", { timeout: 120_000 }, async () => {
  await pageA.goto(`${webUrl(platform())}/#/preferences`);
  await pageA.goto(`${webUrl(platform())}/#/`);
  // The unfiltered open list (more than a page by now: the list test's 30 tasks), sorted by title.
  await pageA.waitForSelector("#sort-0");
  await pageA.select("#sort-0", "title:asc");
  await pageA.waitForFunction(() => document.querySelectorAll("li[data-title]").length === 25);
  // Last by title: it belongs to the last page, and arrives live at the top before that page is loaded.
  const [live] = await createTasks([{ title: `zz live ${randomBytes(3).toString("hex")}` }]);
  await pageA.waitForSelector(rowOf(live!.title), { timeout: 20_000 });
  // Scroll until the list has no further page.
  for (let i = 0; i < 30 && (await pageA.$eval("button.more", (b) => !(b as HTMLButtonElement).hidden)); i++) {
    const before = await pageA.$$eval("li[data-title]", (els) => els.length);
    await pageA.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await pageA
      .waitForFunction((n) => document.querySelectorAll("li[data-title]").length > n, { timeout: 20_000 }, before)
      .catch(() => undefined);
  }
  assert.equal(await pageA.$eval("button.more", (b) => (b as HTMLButtonElement).hidden), true, "every page loaded");
  assert.equal((await taskIdsShown(pageA, live!.title)).length, 1, "shown once");
});

test("delete with undo: Undo keeps the task; without it the task is deleted when the toast closes", { timeout: 90_000 }, async () => {
  const word = `undo${randomBytes(3).toString("hex")}`;
  const [keep, gone] = await createTasks([{ title: `Keep ${word}` }, { title: `Drop ${word}` }]);
  await pageA.goto(`${webUrl(platform())}/#/preferences`);
  await pageA.goto(`${webUrl(platform())}/#/`);
  // Narrowed by a search: the user has more open tasks than one page.
  await pageA.waitForSelector("#search");
  await pageA.type("#search", word);
  // The searched list (exactly the two), not the first unfiltered page that may still show one of them.
  await pageA.waitForFunction(() => document.querySelectorAll("li[data-title]").length === 2);
  await pageA.$eval(`${rowOf(keep!.title)} button.delete`, (b) => (b as HTMLButtonElement).click());
  await pageA.waitForFunction((sel) => !document.querySelector(sel), {}, rowOf(keep!.title));
  await screenshot(pageA, "13-delete-undo-toast");
  await pageA.evaluate(() =>
    [...document.querySelectorAll<HTMLButtonElement>(".toast button")].find((b) => b.textContent === "Undo")!.click(),
  );
  await pageA.waitForSelector(rowOf(keep!.title));
  await pageA.$eval(`${rowOf(gone!.title)} button.delete`, (b) => (b as HTMLButtonElement).click());
  const token = await platform().token(user);
  const status = (id: string) =>
    fetch(`${platform().services["tasks-api"].url}/api/v1/tasks/${id}`, { headers: { authorization: `Bearer ${token}` } }).then(
      (r) => r.status,
    );
  await eventually("the task without Undo to be deleted", 20_000, async () => ((await status(gone!.id)) === 404 ? true : undefined));
  assert.equal(await status(keep!.id), 200, "the undone delete never reached the API");
});

test("edit: the editor saves changed fields; a rule the API refuses is shown at its field", { timeout: 60_000 }, async () => {
  const hex = randomBytes(3).toString("hex");
  const [t] = await createTasks([
    { title: `Edit me ${hex}`, dueAt: new Date(Date.now() + 86_400_000).toISOString(), timeZone: "Europe/Paris" },
  ]);
  await pageA.goto(`${webUrl(platform())}/#/tasks/${t!.id}`);
  await pageA.waitForSelector("#f-title");
  await pageA.$eval("#f-title", (e) => ((e as HTMLInputElement).value = ""));
  await pageA.type("#f-title", `Edited ${hex}`);
  await pageA.select("#f-priority", "urgent");
  await pageA.select("#f-repeat", "custom");
  await pageA.type("#f-rrule", "FREQ=MONTHLY;BYMONTHDAY=30;BYMONTH=2");
  await pageA.click("form.editor button[type=submit]");
  await pageA.waitForFunction(() => (document.getElementById("f-recurrence-error")?.textContent ?? "") !== "", { timeout: 20_000 });
  await screenshot(pageA, "15-editor-field-error");
  await pageA.$eval("#f-rrule", (e) => ((e as HTMLInputElement).value = ""));
  await pageA.type("#f-rrule", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
  await pageA.waitForFunction(() => document.querySelectorAll("ol.next li").length === 5);
  assert.match(await pageA.$eval("#rec-summary", (e) => e.textContent ?? ""), /^Every 2 weeks on Monday/);
  await pageA.click("form.editor button[type=submit]");
  const token = await platform().token(user);
  const saved = await eventually("the edit to be saved", 20_000, async () => {
    const r = (await (
      await fetch(`${platform().services["tasks-api"].url}/api/v1/tasks/${t!.id}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { title: string; priority: string; recurrence: string | null };
    return r.title === `Edited ${hex}` ? r : undefined;
  });
  assert.equal(saved.priority, "urgent");
  assert.equal(saved.recurrence, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
});

test(
  "reopen: a completed task is opened again from its page and comes back to the open list in the other context",
  { timeout: 60_000 },
  async () => {
    const word = `reopen${randomBytes(3).toString("hex")}`;
    const [t] = await createTasks([{ title: `Reopen ${word}` }]);
    const token = await platform().token(user);
    const tasksUrl = `${platform().services["tasks-api"].url}/api/v1/tasks/${t!.id}`;
    assert.equal((await fetch(`${tasksUrl}/complete`, { method: "POST", headers: { authorization: `Bearer ${token}` } })).status, 200);
    await pageB.goto(`${webUrl(platform())}/#/preferences`);
    await pageB.goto(`${webUrl(platform())}/#/`);
    await pageB.waitForSelector("#search");
    await pageB.type("#search", word);
    await pageB.waitForFunction(() => document.querySelector("li.empty") !== null);
    await pageA.goto(`${webUrl(platform())}/#/tasks/${t!.id}`);
    await pageA.waitForSelector("#reopen");
    await pageA.click("#reopen");
    await pageB.waitForSelector(rowOf(`Reopen ${word}`), { timeout: 20_000 });
    const after = (await (await fetch(tasksUrl, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string };
    assert.equal(after.status, "open");
  },
);

test("sign-out ends the provider's session: the next sign-in asks for the password again", { timeout: 60_000 }, async () => {
  await pageB.goto(`${webUrl(platform())}/#/`);
  await pageB.waitForSelector("#sign-out");
  await Promise.all([pageB.waitForNavigation(), pageB.click("#sign-out")]);
  // oidc-provider asks to confirm the sign-out (a form), then sends the browser back to the app.
  const confirm = await pageB.waitForSelector('button[name="logout"][value="yes"], #sign-in', { timeout: 20_000 });
  if (await confirm!.evaluate((e) => e.id !== "sign-in")) await Promise.all([pageB.waitForNavigation(), confirm!.click()]);
  await pageB.waitForSelector("#sign-in", { timeout: 20_000 });
  await screenshot(pageB, "14-signed-out");
  await scan(pageB, "sign-in");
  await Promise.all([pageB.waitForNavigation(), pageB.click("#sign-in")]);
  await pageB.waitForSelector('input[name="login"]', { timeout: 20_000 });
});

test("axe-core: no serious or critical findings on any screen; no CSP violation or page error", () => {
  const bad = Object.entries(findings).flatMap(([screen, f]) =>
    f.filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => `${screen}: ${x.id} (${x.impact}) ${x.help} ×${x.nodes}`),
  );
  console.log(`axe: ${Object.keys(findings).length} screens scanned; all findings: ${JSON.stringify(findings)}`);
  assert.ok(Object.keys(findings).length >= 6, "every screen was scanned");
  assert.deepEqual(bad, []);
  assert.deepEqual(errors, []);
});
