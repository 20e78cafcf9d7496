/**
 * npm run bench:web — the web app in Debian's Chromium against the whole platform (startPlatform):
 *  - browser-to-browser sync latency: a change made in context A (the app's own API call, from A's page) until
 *    the row is rendered in context B (a MutationObserver in B stamps it), p50/p95/p99 over --changes (200:
 *    half creates, half renames), one at a time;
 *  - first load: a fresh page of a signed-in context until the task list is rendered (the silent sign-in
 *    round trip to the provider included), p50 over --loads (5);
 *  - the bundle size (first load and everything, gzipped) and the load average (other work skews the numbers).
 * Options: --changes 200  --loads 5
 */
import { loadavg } from "node:os";
import { randomBytes } from "node:crypto";
import type { Page } from "puppeteer-core";
import { buildBundle, measureBundle } from "@tasks/web";
import { startPlatform } from "@tasks/dev-platform/dev-platform";
import { launch, signIn, webUrl } from "@tasks/dev-platform/browser";

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};

const changes = arg("changes", 200);
const loads = arg("loads", 5);
const size = measureBundle(await buildBundle());
const platform = await startPlatform({
  serviceEnv: { "tasks-api": { OUTBOX_POLL_MS: "100" } },
  log: (l) => process.stderr.write(`[platform] ${l}\n`),
});
const browser = await launch();
try {
  const user = `bench-${randomBytes(4).toString("hex")}`;
  const [a, b] = [await browser.createBrowserContext(), await browser.createBrowserContext()];
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  await signIn(pageA, platform, user);
  await signIn(pageB, platform, user);
  await pageB.evaluate(`(() => {
    const seen = (window.seen = {});
    new MutationObserver(() => {
      for (const li of document.querySelectorAll("li[data-title]")) seen[li.dataset.title] ??= Date.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  })()`);

  /** One change in A (create, or rename of the last created); resolves with A's start time and B's render time. */
  const change = async (page: Page, i: number, lastId: string | undefined): Promise<{ ms: number; id: string }> => {
    const title = `bench ${i} ${randomBytes(3).toString("hex")}`;
    // In A's page, with A's token: the app's own API call (the page's fetch, its CORS, its access token).
    const r = (await page.evaluate(`(async () => {
      const cfg = await (await fetch("/config.json")).json();
      const token = await window.tasksApp.auth.accessToken();
      const t0 = Date.now();
      const res = await fetch(cfg.apiBase.tasks + "/api/v1/tasks" + ${JSON.stringify(lastId ? `/${lastId}` : "")}, {
        method: ${JSON.stringify(lastId ? "PATCH" : "POST")},
        headers: { authorization: "Bearer " + token, "content-type": "application/json" },
        body: JSON.stringify({ title: ${JSON.stringify(title)} }),
      });
      return { t0, id: (await res.json()).id };
    })()`)) as { t0: number; id: string };
    const seenAt = await pageB.waitForFunction(`window.seen[${JSON.stringify(title)}]`, { timeout: 30_000, polling: "mutation" });
    return { ms: Number(await seenAt.jsonValue()) - r.t0, id: r.id };
  };

  // Warm-up, unmeasured: realtime's subscription starts at the newest offset once Kafka assigns it partitions.
  for (let i = 0; ; i++) {
    try {
      await change(pageA, -1 - i, undefined);
      break;
    } catch (err) {
      if (i >= 5) throw err;
    }
  }
  const latencies: number[] = [];
  let lastId: string | undefined;
  for (let i = 0; i < changes; i++) {
    const r = await change(pageA, i, i % 2 === 1 ? lastId : undefined);
    lastId = r.id;
    latencies.push(r.ms);
  }

  const loadTimes: number[] = [];
  for (let i = 0; i < loads; i++) {
    const page = await a.newPage();
    const t0 = Date.now();
    await page.goto(`${webUrl(platform)}/`);
    await page.waitForSelector("ul.tasks li", { timeout: 30_000 });
    loadTimes.push(Date.now() - t0);
    await page.close();
  }

  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  console.log(`bench:web (${changes} changes, ${loads} loads)`);
  console.log(
    `  sync A→B   p50 ${pct(latencies, 50)} ms  p95 ${pct(latencies, 95)} ms  p99 ${pct(latencies, 99)} ms  max ${Math.max(...latencies)} ms (target p95 ≤ 500 ms)`,
  );
  console.log(`  first load p50 ${pct(loadTimes, 50)} ms  max ${Math.max(...loadTimes)} ms (signed-in context: silent sign-in + list)`);
  console.log(`  bundle     first load ${kb(size.firstLoadGzip)} gzip, everything ${kb(size.totalGzip)} gzip (budget 150 kB)`);
  console.log(
    `  load average ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")} (${(await import("node:os")).cpus().length} cores)`,
  );
} finally {
  await browser.close();
  await platform.stop();
}
