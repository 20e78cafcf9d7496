/**
 * The whole platform on one machine: Kafka (or KAFKA_BROKERS), Postgres (embedded, or DATABASE_URL), an
 * SMTP catcher, the Dapr scheduler, and every catalog service behind its own daprd, using the selfhosted
 * Dapr resources the infra builders generate (the same ones the Kubernetes stacks deploy).
 * `npm run dev` (dev-cli.ts) and the integration tests (integration/test) both call startPlatform.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { allBrokerTopics, allServices, databaseRole, secretNames, servicesWithDatabase, type ServiceName } from "@tasks/catalog";
import { writeSelfhostedResources } from "@tasks/infra/dapr/index";
import { databaseUrl, ensureServiceRoleOn } from "@tasks/shared";
import webpush from "web-push";
import { ManagedProcess, waitReady, type ProcessSpec } from "./dev-process.js";
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from "./dev-smtp.js";
import { mintToken } from "./mint-token.js";
import { startDevPostgres, type DevPostgres } from "./dev-postgres.js";
import { freePort } from "./test-servers.js";
import { serviceUrlVariable } from "./migrate.js";

const run = promisify(execFile);
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const integrationDir = path.join(repoRoot, "scripts", "integration");

export interface PlatformOptions {
  /** App ports: the catalog's (npm run dev) or free ones (tests, so runs never collide). @default "free" */
  readonly appPorts?: "catalog" | "free";
  /** Progress lines. @default nothing */
  readonly log?: (line: string) => void;
  /** Extra env per service (e.g. a faster outbox poll in tests). */
  readonly serviceEnv?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  /** Seconds to wait for each component. @default 120 */
  readonly timeoutSeconds?: number;
  /** Called for every mail the SMTP catcher receives. */
  readonly onMail?: (mail: CaughtMail) => void;
  /** Keep the work dir (logs, resources) after stop. @default false */
  readonly keepWorkDir?: boolean;
  /**
   * How each service's app runs: by default a node process from the sources; the container tier runs its
   * image instead (integration/containers). Gets the env the node process would get (ports, SMTP catcher).
   */
  readonly appCommand?: (service: ServiceName, env: Readonly<Record<string, string>>) => AppCommand;
}

/** The process that runs one service's app, next to its daprd. */
export type AppCommand = Pick<ProcessSpec, "command" | "args" | "env">;

/** The app's process: the node process given, or what `appCommand` makes of it. */
function appProcess(opts: PlatformOptions, service: ServiceName, node: ProcessSpec): ProcessSpec {
  return opts.appCommand ? { ...node, ...opts.appCommand(service, node.env ?? {}) } : node;
}

export interface PlatformService {
  readonly name: ServiceName;
  readonly appPort: number;
  readonly url: string;
  readonly daprHttpPort: number;
  readonly app: ManagedProcess;
  readonly daprd: ManagedProcess;
  /** Starts the app again (after kill/stop) and waits until it is ready. */
  restartApp(): Promise<void>;
  /** Starts the sidecar again (after stop) and waits until it is healthy. */
  restartSidecar(): Promise<void>;
}

export interface Platform {
  readonly workDir: string;
  readonly kafkaBrokers: string;
  readonly databaseUrl: string;
  readonly smtp: SmtpCatcher;
  readonly services: Readonly<Record<ServiceName, PlatformService>>;
  /** A development JWT for user `sub` (default "dev-user"), signed with the platform's key. */
  token(sub?: string, ttlSeconds?: number): Promise<string>;
  /** Stops and starts the embedded Postgres on the same data and port (not with DATABASE_URL). */
  restartPostgres(): Promise<void>;
  /** kafka.sh with this platform's broker env (topics, run-class, ...). */
  kafka(args: readonly string[]): Promise<string>;
  /** Milliseconds each start step took. */
  readonly timings: Readonly<Record<string, number>>;
  stop(): Promise<void>;
}

function parseKeyValues(out: string): Record<string, string> {
  return Object.fromEntries(
    out
      .split("\n")
      .map((l) => /^([A-Z_]+)=(.*)$/.exec(l.trim()))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );
}

async function daprBinaries(): Promise<{ daprd: string; scheduler: string }> {
  if (process.env.DAPRD && process.env.DAPR_SCHEDULER) return { daprd: process.env.DAPRD, scheduler: process.env.DAPR_SCHEDULER };
  const { stdout } = await run(path.join(integrationDir, "dapr-binaries.sh"), [], { maxBuffer: 1 << 20, timeout: 30 * 60_000 });
  const kv = parseKeyValues(stdout);
  if (!kv.DAPRD || !kv.DAPR_SCHEDULER) throw new Error(`dapr-binaries.sh printed no DAPRD/DAPR_SCHEDULER:\n${stdout}`);
  return { daprd: kv.DAPRD, scheduler: kv.DAPR_SCHEDULER };
}

/** freePort() releases the port at once, so the kernel may hand it out twice: never give out one twice. */
const handedOut = new Set<number>();
async function uniquePort(): Promise<number> {
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

export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const log = opts.log ?? (() => undefined);
  const timeoutMs = (opts.timeoutSeconds ?? 120) * 1000;
  const workDir = mkdtempSync(path.join(tmpdir(), "tasks-platform-dev-"));
  const logs = path.join(workDir, "logs");
  mkdirSync(logs);
  const timings: Record<string, number> = {};
  const cleanups: (() => Promise<void>)[] = [];
  const t0 = Date.now();
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    log(`${name}…`);
    const result = await fn();
    timings[name] = Date.now() - t;
    log(`${name}: ok (${((Date.now() - t) / 1000).toFixed(1)}s)`);
    return result;
  };
  const onStop = (name: string, fn: () => Promise<void>) =>
    cleanups.push(async () => {
      log(`stopping ${name}`);
      await fn();
    });
  const stopAll = async () => {
    for (const c of cleanups.reverse()) {
      await c().catch((e: unknown) => log(`stop: ${String(e)}`));
    }
    cleanups.length = 0;
  };

  try {
    const bins = await step("dapr binaries", daprBinaries);

    // Kafka: an existing broker, or one started by kafka.sh with its state in the work dir.
    const kafkaEnv: Record<string, string> = { ...(process.env as Record<string, string>), CI: "true" };
    if (!process.env.KAFKA_BROKERS) {
      Object.assign(kafkaEnv, {
        KAFKA_PORT: String(await uniquePort()),
        KAFKA_CONTROLLER_PORT: String(await uniquePort()),
        KAFKA_STATE_DIR: path.join(workDir, "kafka"),
      });
    }
    const kafka = async (args: readonly string[]) =>
      (await run(path.join(integrationDir, "kafka.sh"), [...args], { env: kafkaEnv, maxBuffer: 8 << 20, timeout: 180_000 })).stdout;
    const kafkaOut = await step("kafka", async () => {
      try {
        return parseKeyValues(await kafka(["start"]));
      } catch (err) {
        throw new Error(
          `kafka did not start: ${String((err as { stderr?: string }).stderr ?? err)}\nlog: ${path.join(workDir, "kafka", "kafka.log")}`,
          { cause: err },
        );
      }
    });
    const brokers = kafkaOut.KAFKA_BROKERS!;
    kafkaEnv.KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? "";
    if (!process.env.KAFKA_BROKERS) onStop("kafka", async () => void (await kafka(["stop"])));
    // Topics with the catalog's partition counts; run concurrently with the rest of the start-up.
    const topicsDone = step("topics", () =>
      Promise.all(
        allBrokerTopics().map((t) =>
          kafka(["topics", "--create", "--if-not-exists", "--topic", t.name, "--partitions", String(t.partitions)]),
        ),
      ),
    );
    topicsDone.catch(() => undefined);

    const pgLog = path.join(logs, "postgres.log");
    const pg = await step("postgres", async (): Promise<DevPostgres | { url: string; stop: () => Promise<void>; restart?: undefined }> =>
      process.env.DATABASE_URL
        ? { url: process.env.DATABASE_URL, stop: async () => undefined }
        : startDevPostgres(await uniquePort(), (l) => appendFileSync(pgLog, l.endsWith("\n") ? l : `${l}\n`)).catch((err: unknown) => {
            throw new Error(`postgres did not start: ${String(err)}; log: ${pgLog}`);
          }),
    );
    onStop("postgres", pg.stop);
    // Every catalog database, also those of services without migrations (realtime's Dapr state store), with
    // the service's own login role owning it, as the database-roles Job does in the clusters: the services
    // and their migrations run least-privileged, never as the admin.
    const serviceUrls = await step("database roles", () => ensureServiceRoles(pg.url));
    await step("migrations", async () => {
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

    const smtp = await step("smtp catcher", async () => startSmtpCatcher(await uniquePort(), opts.onMail));
    onStop("smtp catcher", smtp.stop);

    // Secrets: a local file only this user can read, keyed by the catalog's secret names.
    const jwtKey = randomBytes(32).toString("base64url");
    const vapid = webpush.generateVAPIDKeys();
    const secrets: Record<string, string> = {
      [secretNames.jwtSigningKey]: jwtKey,
      [secretNames.smtpUsername]: "dev",
      [secretNames.smtpPassword]: randomBytes(12).toString("hex"),
      [secretNames.vapidPublicKey]: vapid.publicKey,
      [secretNames.vapidPrivateKey]: vapid.privateKey,
      ...Object.fromEntries(servicesWithDatabase().map((s) => [secretNames.databaseUrl(s.name), serviceUrls[s.name]!])),
    };
    const secretsFile = path.join(workDir, "secrets.json");
    writeFileSync(secretsFile, JSON.stringify(secrets, null, 2), { mode: 0o600 });

    const dapr = writeSelfhostedResources(
      { target: "selfhosted", broker: { kind: "kafka", brokers }, secretStore: { kind: "localfile", secretsFile } },
      path.join(workDir, "resources"),
      path.join(workDir, "config"),
    );

    const schedulerPort = await uniquePort();
    const schedulerHealthz = await uniquePort();
    const peer = await uniquePort();
    const scheduler = new ManagedProcess({
      name: "dapr scheduler",
      command: bins.scheduler,
      logFile: path.join(logs, "scheduler.log"),
      args: [
        "--port",
        String(schedulerPort),
        "--listen-address",
        "127.0.0.1",
        "--override-broadcast-host-port",
        `127.0.0.1:${schedulerPort}`,
        "--healthz-port",
        String(schedulerHealthz),
        "--healthz-listen-address",
        "127.0.0.1",
        "--metrics-port",
        String(await uniquePort()),
        "--metrics-listen-address",
        "127.0.0.1",
        "--etcd-data-dir",
        path.join(workDir, "scheduler-etcd"),
        "--etcd-client-port",
        String(await uniquePort()),
        "--etcd-client-listen-address",
        "127.0.0.1",
        "--etcd-initial-cluster",
        `dapr-scheduler-server-0=http://127.0.0.1:${peer}`,
        "--id",
        "dapr-scheduler-server-0",
        "--mode",
        "standalone",
      ],
    });
    await step("dapr scheduler", async () => {
      scheduler.start();
      onStop("dapr scheduler", () => scheduler.stop());
      await waitReady(scheduler, `http://127.0.0.1:${schedulerHealthz}/healthz`, timeoutMs);
    });
    await topicsDone;

    const services = {} as Record<ServiceName, PlatformService>;
    for (const spec of allServices) {
      const appPort = opts.appPorts === "catalog" ? spec.port : await uniquePort();
      const daprHttpPort = await uniquePort();
      const daprd = new ManagedProcess({
        name: `daprd ${spec.name}`,
        command: bins.daprd,
        logFile: path.join(logs, `daprd-${spec.name}.log`),
        args: [
          "--app-id",
          spec.name,
          "--app-port",
          String(appPort),
          "--app-protocol",
          "http",
          "--app-channel-address",
          "127.0.0.1",
          "--dapr-http-port",
          String(daprHttpPort),
          "--dapr-grpc-port",
          String(await uniquePort()),
          "--dapr-internal-grpc-port",
          String(await uniquePort()),
          "--dapr-listen-addresses",
          "127.0.0.1",
          "--metrics-port",
          String(await uniquePort()),
          "--metrics-listen-address",
          "127.0.0.1",
          "--resources-path",
          dapr.resourcesDir,
          "--config",
          dapr.configFiles[spec.name]!,
          "--scheduler-host-address",
          `127.0.0.1:${schedulerPort}`,
          "--mode",
          "standalone",
          "--log-level",
          "info",
        ],
      });
      const nodeApp: ProcessSpec = {
        name: spec.name,
        command: process.execPath,
        args: ["--import", "tsx", path.join(repoRoot, "apps", spec.name, "src", "main.ts")],
        cwd: repoRoot,
        logFile: path.join(logs, `${spec.name}.log`),
        env: {
          PORT: String(appPort),
          HOST: "127.0.0.1",
          DAPR_HTTP_PORT: String(daprHttpPort),
          MIGRATE_ON_START: "false",
          ...(spec.name === "notifications"
            ? {
                SMTP_HOST: "127.0.0.1",
                SMTP_PORT: String(smtp.port),
                SMTP_TLS: "none",
                SMTP_AUTH: "false",
                MAIL_FROM: "tasks@localhost",
                VAPID_SUBJECT: "mailto:dev@localhost",
              }
            : {}),
          ...opts.serviceEnv?.[spec.name],
        },
      };
      const app = new ManagedProcess(appProcess(opts, spec.name, nodeApp));
      const url = `http://127.0.0.1:${appPort}`;
      const daprUrl = `http://127.0.0.1:${daprHttpPort}/v1.0/healthz`;
      services[spec.name] = {
        name: spec.name,
        appPort,
        url,
        daprHttpPort,
        app,
        daprd,
        restartApp: async () => {
          app.start();
          await waitReady(app, `${url}/readyz`, timeoutMs);
        },
        restartSidecar: async () => {
          daprd.start();
          await waitReady(daprd, daprUrl, timeoutMs);
        },
      };
      onStop(`daprd ${spec.name}`, () => daprd.stop());
      onStop(spec.name, () => app.stop());
    }
    await step("services", () =>
      Promise.all(
        Object.values(services).map(async (s) => {
          s.daprd.start();
          s.app.start();
          await Promise.all([
            waitReady(s.app, `${s.url}/readyz`, timeoutMs),
            waitReady(s.daprd, `http://127.0.0.1:${s.daprHttpPort}/v1.0/healthz`, timeoutMs),
          ]);
          log(`  ${s.name} ready on ${s.url} (daprd HTTP ${s.daprHttpPort})`);
        }),
      ),
    );
    timings.total = Date.now() - t0;

    return {
      workDir,
      kafkaBrokers: brokers,
      databaseUrl: pg.url,
      smtp,
      services,
      timings,
      token: (sub = "dev-user", ttlSeconds = 3600) => mintToken(jwtKey, { sub, ttlSeconds }),
      kafka,
      restartPostgres: async () => {
        if (!pg.restart) throw new Error("restartPostgres: the platform uses DATABASE_URL, not its own Postgres");
        await pg.restart();
      },
      stop: async () => {
        await stopAll();
        if (!opts.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    log(`start failed; logs kept in ${logs}`);
    await stopAll();
    throw err;
  }
}
