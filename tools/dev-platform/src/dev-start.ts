/**
 * The start steps of the dev platform (dev-platform.ts startPlatform runs them in order): the Dapr
 * binaries, Kafka and the topics, Postgres with the services' roles and migrations, the secret store file
 * and the selfhosted Dapr resources, the Dapr scheduler.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { allBrokerTopics, allServices, databaseRole, secretStoreContents, servicesWithDatabase, type ServiceName } from "@tasks/catalog";
import { writeSelfhostedResources } from "@tasks/infra/dapr/index";
import { databaseUrl, ensureServiceRoleOn } from "@tasks/shared";
import webpush from "web-push";
import type { PlatformOptions } from "./dev-platform.js";
import { ManagedProcess, waitReady } from "./dev-process.js";
import { startDevPostgres, type DevPostgres } from "./dev-postgres.js";
import { schedulerArgs } from "./dev-scheduler.js";
import { schedulerTls, startLocalSentry, type LocalSentry } from "./dev-security.js";
import { freePort } from "./test-servers.js";
import { serviceUrlVariable } from "./migrate.js";
import type { ToxiproxyServer } from "./dev-toxiproxy.js";

const run = promisify(execFile);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const integrationDir = path.join(repoRoot, "scripts", "integration");

function parseKeyValues(out: string): Record<string, string> {
  return Object.fromEntries(
    out
      .split("\n")
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l.trim()))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
}

export async function daprBinaries(): Promise<{ daprd: string; scheduler: string; sentry: string }> {
  const { DAPRD, DAPR_SCHEDULER, DAPR_SENTRY } = process.env;
  if (DAPRD && DAPR_SCHEDULER && DAPR_SENTRY) return { daprd: DAPRD, scheduler: DAPR_SCHEDULER, sentry: DAPR_SENTRY };
  const { stdout } = await run(path.join(integrationDir, "dapr-binaries.sh"), [], { maxBuffer: 1 << 20, timeout: 30 * 60_000 });
  const kv = parseKeyValues(stdout);
  if (!kv.DAPRD || !kv.DAPR_SCHEDULER || !kv.DAPR_SENTRY)
    throw new Error(`dapr-binaries.sh printed no DAPRD/DAPR_SCHEDULER/DAPR_SENTRY:\n${stdout}`);
  return { daprd: kv.DAPRD, scheduler: kv.DAPR_SCHEDULER, sentry: kv.DAPR_SENTRY };
}

/** freePort() releases the port at once, so the kernel may hand it out twice: never give out one twice. */
const handedOut = new Set<number>();
export async function uniquePort(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (!handedOut.has(p)) {
      handedOut.add(p);
      return p;
    }
  }
}

/**
 * Creates each catalog service's database and its own login role (ensureServiceRole, a fresh password
 * every start: rotation on a reused DATABASE_URL server) on the server of `adminUrl`; returns each
 * service's URL as that role.
 */
export async function ensureServiceRoles(adminUrl: string): Promise<Partial<Record<ServiceName, string>>> {
  const urls: Partial<Record<ServiceName, string>> = {};
  for (const s of servicesWithDatabase()) {
    const spec = { role: databaseRole(s.name), password: randomBytes(18).toString("base64url"), database: s.database };
    await ensureServiceRoleOn(adminUrl, spec);
    const url = new URL(databaseUrl(adminUrl, s.database));
    url.username = spec.role;
    url.password = spec.password;
    urls[s.name] = url.toString();
  }
  return urls;
}

/** What every start step shares: the work dir, progress, timings and the stop list. */
export interface StartContext {
  readonly opts: PlatformOptions;
  readonly workDir: string;
  readonly logs: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
  readonly timings: Record<string, number>;
  /** Runs one named step, with progress lines and its time. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a stop action; they run in reverse order. */
  onStop(name: string, fn: () => Promise<void>): void;
}

export function startContext(opts: PlatformOptions): StartContext & { stopAll(): Promise<void> } {
  const log = opts.log ?? (() => undefined);
  const workDir = mkdtempSync(path.join(tmpdir(), "tasks-platform-dev-"));
  const logs = path.join(workDir, "logs");
  mkdirSync(logs);
  const timings: Record<string, number> = {};
  const cleanups: (() => Promise<void>)[] = [];
  return {
    opts,
    workDir,
    logs,
    timeoutMs: (opts.timeoutSeconds ?? 120) * 1000,
    log,
    timings,
    async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const t = Date.now();
      opts.signal?.throwIfAborted();
      log(`${name}…`);
      const result = await fn();
      opts.signal?.throwIfAborted();
      timings[name] = Date.now() - t;
      log(`${name}: ok (${((Date.now() - t) / 1000).toFixed(1)}s)`);
      return result;
    },
    onStop: (name, fn) =>
      void cleanups.push(async () => {
        log(`stopping ${name}`);
        await fn();
      }),
    async stopAll() {
      for (const c of cleanups.reverse()) {
        await c().catch((e: unknown) => log(`stop: ${String(e)}`));
      }
      cleanups.length = 0;
    },
  };
}

interface Kafka {
  readonly brokers: string;
  readonly kafka: (args: readonly string[]) => Promise<string>;
  /** The catalog's topics, created concurrently with the rest of the start-up. */
  readonly topicsDone: Promise<unknown>;
  /** With network faults: each service's daprd reaches Kafka at its own proxy (`kafka-<service>`). */
  readonly serviceBrokers?: Readonly<Record<ServiceName, string>>;
}

/** The Kafka listener of one service's proxy path, e.g. SVC_TASKS_API for tasks-api. */
const listenerName = (service: ServiceName) => `SVC_${service.replace(/\W/g, "_").toUpperCase()}`;

/** Kafka: an existing broker (KAFKA_BROKERS), or one started by kafka.sh with its state in the work dir; then the topics. */
export async function startKafka(ctx: StartContext, toxiproxy?: ToxiproxyServer): Promise<Kafka> {
  const kafkaEnv: Record<string, string> = { ...(process.env as Record<string, string>), CI: "true" };
  if (!process.env.KAFKA_BROKERS) {
    Object.assign(kafkaEnv, {
      KAFKA_PORT: String(await uniquePort()),
      KAFKA_CONTROLLER_PORT: String(await uniquePort()),
      KAFKA_STATE_DIR: path.join(ctx.workDir, "kafka"),
    });
  } else if (toxiproxy) {
    throw new Error("networkFaults: needs the platform's own Kafka (one listener per proxied sidecar); unset KAFKA_BROKERS");
  }
  // With network faults each daprd gets a listener of its own, advertised at its proxy's port: Kafka's
  // metadata then sends that sidecar back through the proxy, never straight to the broker.
  const paths = toxiproxy
    ? await Promise.all(allServices.map(async (s) => ({ service: s.name, listen: await uniquePort(), proxy: await uniquePort() })))
    : [];
  if (paths.length) kafkaEnv.KAFKA_EXTRA_LISTENERS = paths.map((p) => `${listenerName(p.service)}:${p.listen}:${p.proxy}`).join(" ");
  const kafka = async (args: readonly string[]) =>
    (await run(path.join(integrationDir, "kafka.sh"), [...args], { env: kafkaEnv, maxBuffer: 8 << 20, timeout: 180_000 })).stdout;
  const kafkaOut = await ctx.step("kafka", async () => {
    try {
      return parseKeyValues(await kafka(["start"]));
    } catch (err) {
      throw new Error(
        `kafka did not start: ${String((err as { stderr?: string }).stderr ?? err)}\nlog: ${path.join(ctx.workDir, "kafka", "kafka.log")}`,
        { cause: err },
      );
    }
  });
  kafkaEnv.KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? "";
  if (!process.env.KAFKA_BROKERS) ctx.onStop("kafka", async () => void (await kafka(["stop"])));
  const serviceBrokers = {} as Record<ServiceName, string>;
  for (const p of paths) {
    await toxiproxy!.proxy(`kafka-${p.service}`, `127.0.0.1:${p.listen}`, p.proxy);
    serviceBrokers[p.service] = `127.0.0.1:${p.proxy}`;
  }
  // Topics with the catalog's partition counts.
  const topicsDone = ctx.step("topics", () =>
    Promise.all(
      allBrokerTopics().map((t) =>
        kafka(["topics", "--create", "--if-not-exists", "--topic", t.name, "--partitions", String(t.partitions)]),
      ),
    ),
  );
  topicsDone.catch(() => undefined);
  return { brokers: kafkaOut.KAFKA_BROKERS!, kafka, topicsDone, ...(toxiproxy ? { serviceBrokers } : {}) };
}

type PlatformPostgres = DevPostgres | { url: string; stop: () => Promise<void>; restart?: undefined };

/**
 * Postgres (embedded, or DATABASE_URL) with every catalog database, also those of services without
 * migrations (realtime's Dapr state store), each owned by the service's own login role as the
 * database-roles Job does in the clusters; then the migrations, run as those roles (least privilege).
 */
export async function startDatabase(
  ctx: StartContext,
  toxiproxy?: ToxiproxyServer,
): Promise<{ pg: PlatformPostgres; serviceUrls: Partial<Record<ServiceName, string>> }> {
  const pgLog = path.join(ctx.logs, "postgres.log");
  const pg = await ctx.step("postgres", async (): Promise<PlatformPostgres> =>
    process.env.DATABASE_URL
      ? { url: process.env.DATABASE_URL, stop: async () => undefined }
      : startDevPostgres(await uniquePort(), (l) => appendFileSync(pgLog, l.endsWith("\n") ? l : `${l}\n`)).catch((err: unknown) => {
          throw new Error(`postgres did not start: ${String(err)}; log: ${pgLog}`);
        }),
  );
  ctx.onStop("postgres", pg.stop);
  const serviceUrls = await ctx.step("database roles", () => ensureServiceRoles(pg.url));
  await ctx.step("migrations", async () => {
    const urlEnv = Object.fromEntries(Object.entries(serviceUrls).map(([service, url]) => [serviceUrlVariable(service), url]));
    try {
      await run(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./migrate.ts", import.meta.url))], {
        cwd: repoRoot,
        env: { ...process.env, ...urlEnv },
        timeout: 180_000,
      });
    } catch (err) {
      throw new Error(`migrations failed: ${String((err as { stderr?: string }).stderr ?? err)}`, { cause: err });
    }
  });
  if (!toxiproxy) return { pg, serviceUrls };
  // With network faults the services (and realtime's state store) reach Postgres through `postgres-<service>`.
  const proxied: Partial<Record<ServiceName, string>> = {};
  for (const [service, raw] of Object.entries(serviceUrls) as [ServiceName, string][]) {
    const url = new URL(raw);
    url.port = String(await toxiproxy.proxy(`postgres-${service}`, `${url.hostname}:${url.port || 5432}`));
    url.hostname = "127.0.0.1";
    proxied[service] = url.toString();
  }
  return { pg, serviceUrls: proxied };
}

/**
 * The secret store's contents (secretStoreContents, as on Azure and minikube) in a local file only this
 * user can read, and the selfhosted Dapr resources that point at it and at the broker.
 */
export function writeDaprFiles(
  ctx: StartContext,
  brokers: string,
  serviceUrls: Partial<Record<ServiceName, string>>,
  serviceBrokers?: Readonly<Record<ServiceName, string>>,
) {
  const vapid = webpush.generateVAPIDKeys();
  const secrets = secretStoreContents<string>({
    smtpUsername: "dev",
    smtpPassword: randomBytes(12).toString("hex"),
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
    databaseUrl: (s) => serviceUrls[s.name]!,
  });
  const secretsFile = path.join(ctx.workDir, "secrets.json");
  writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  const dapr = writeSelfhostedResources(
    {
      target: "selfhosted",
      broker: { kind: "kafka", brokers },
      secretStore: { kind: "localfile", secretsFile },
      ...(ctx.opts.tracingEndpoint ? { tracingEndpoint: ctx.opts.tracingEndpoint } : {}),
    },
    path.join(ctx.workDir, "resources"),
    path.join(ctx.workDir, "config"),
  );
  // With network faults, each daprd's resources name its own Kafka proxy as the broker.
  const resourcesDirs = Object.fromEntries(
    allServices.map((s) => {
      const broker = serviceBrokers?.[s.name];
      if (!broker) return [s.name, dapr.resourcesDir];
      const dir = path.join(ctx.workDir, `resources-${s.name}`);
      writeSelfhostedResources(
        { target: "selfhosted", broker: { kind: "kafka", brokers: broker }, secretStore: { kind: "localfile", secretsFile } },
        dir,
        path.join(ctx.workDir, "config"),
      );
      return [s.name, dir];
    }),
  ) as Record<ServiceName, string>;
  return { dapr, resourcesDirs };
}

/** The local Dapr sentry (the CA of every daprd's mTLS identity), healthy; stopped with the platform. */
export async function startSentry(ctx: StartContext, binary: string, controlPlaneConfigFile: string): Promise<LocalSentry> {
  const ports = { grpc: await uniquePort(), healthz: await uniquePort(), metrics: await uniquePort() };
  return ctx.step("dapr sentry", async () => {
    const sentry = await startLocalSentry({
      binary,
      dir: path.join(ctx.workDir, "sentry"),
      configFile: controlPlaneConfigFile,
      logFile: path.join(ctx.logs, "sentry.log"),
      ports,
      timeoutMs: ctx.timeoutMs,
    });
    ctx.onStop("dapr sentry", () => sentry.process.stop());
    return sentry;
  });
}

/** The Dapr scheduler (Jobs API), standalone with TLS from the local sentry; resolves to its port once healthy. */
export async function startScheduler(ctx: StartContext, binary: string, sentry: LocalSentry): Promise<number> {
  const ports = {
    port: await uniquePort(),
    healthz: await uniquePort(),
    etcdPeer: await uniquePort(),
    metrics: await uniquePort(),
    etcdClient: await uniquePort(),
  };
  const scheduler = new ManagedProcess({
    name: "dapr scheduler",
    command: binary,
    logFile: path.join(ctx.logs, "scheduler.log"),
    args: [...schedulerArgs(ports, ctx.workDir), ...schedulerTls(sentry, path.join(ctx.workDir, "scheduler-identity"))],
  });
  await ctx.step("dapr scheduler", async () => {
    scheduler.start();
    ctx.onStop("dapr scheduler", () => scheduler.stop());
    await waitReady(scheduler, `http://127.0.0.1:${ports.healthz}/healthz`, ctx.timeoutMs);
  });
  return ports.port;
}
