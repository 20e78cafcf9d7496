/**
 * The browser tier's and bench:web's helpers: Debian's Chromium driven by puppeteer-core (no browser download), signing a test
 * user in through the platform's provider, axe-core scans and screenshots under .artifacts/browser/.
 */
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import type { Platform } from "./dev-platform.js";
import { repoRoot } from "./dev-start.js";

export const artifactsDir = path.join(repoRoot, ".artifacts", "browser");

/** CHROMIUM, else Debian's /usr/bin/chromium (scripts/install-ci-tools.sh installs it). */
export function chromiumPath(): string {
  const p = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(p)) throw new Error(`Chromium not found at ${p}: apt-get install chromium (scripts/install-ci-tools.sh) or set CHROMIUM`);
  return p;
}

export function launch(): Promise<Browser> {
  mkdirSync(artifactsDir, { recursive: true });
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--no-first-run", "--disable-gpu"],
    defaultViewport: { width: 1200, height: 900 },
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  return file;
}

/** Collects CSP violations and uncaught errors of a page (both must stay empty). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
  return errors;
}

export const webUrl = (platform: Platform): string => platform.services.web.url;

/** Opens the app and signs `user` in through the provider's login form; resolves on the signed-in shell. */
export async function signIn(page: Page, platform: Platform, user: string, shots?: { signIn: string; login: string }): Promise<void> {
  const password = platform.identity.passwordOf(user);
  const t0 = Date.now();
  const step = (what: string) => process.stderr.write(`[sign-in ${user}] ${what} after ${Date.now() - t0} ms\n`);
  await page.goto(`${webUrl(platform)}/`, { waitUntil: "load" });
  // The app first tries a silent sign-in (prompt=none); without a provider session it shows the button.
  await page.waitForSelector("#sign-in", { timeout: 20_000 });
  step("sign-in button");
  if (shots) await screenshot(page, shots.signIn);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("#sign-in")]);
  await page.waitForSelector('input[name="login"]');
  step("provider's login form");
  await page.type('input[name="login"]', user);
  await page.type('input[name="password"]', password);
  if (shots) await screenshot(page, shots.login);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click('button[type="submit"]')]);
  await page.waitForSelector("#sign-out", { timeout: 20_000 });
  step("signed in");
  // Expressions as strings: this file is type-checked without the DOM library (it runs in Node).
  await page.waitForFunction('document.getElementById("live-status")?.textContent === "Live"', { timeout: 30_000 });
  step("live");
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
}

/** axe-core (WCAG 2 A/AA rules) on the page as it is; evaluated over CDP, so the page's CSP stays as served. */
export async function axe(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(axeSource);
  return (await page.evaluate(`axe
    .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length })))`)) as AxeFinding[];
}

/** Presses Tab until the focused element matches `selector` (and contains `text`), at most `max` presses. */
export async function tabTo(page: Page, selector: string, text = "", max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const ok = await page.evaluate(
      `(() => { const el = document.activeElement; return !!el && el.matches(${JSON.stringify(selector)}) && (el.textContent ?? "").includes(${JSON.stringify(text)}); })()`,
    );
    if (ok) return;
  }
  throw new Error(`keyboard: ${selector}${text ? ` "${text}"` : ""} not reached in ${max} Tab presses`);
}
