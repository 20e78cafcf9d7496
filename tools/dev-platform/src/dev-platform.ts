/**
 * The whole platform on one machine: Kafka (or KAFKA_BROKERS), Postgres (embedded, or DATABASE_URL), an
 * SMTP catcher, the Dapr sentry and scheduler, and every catalog service behind its own daprd (mTLS,
 * app tokens), using the selfhosted Dapr resources the infra builders generate (the same ones the
 * Kubernetes stacks deploy).
 * `npm run dev` (dev-cli.ts) and the integration tests (integration/test) both call startPlatform.
 */
import { rmSync } from "node:fs";
import { allServices, mcpEndpoint, runsDaprSidecar, services as catalogServices, type ServiceName } from "@tasks/catalog";
import type { ManagedProcess, ProcessSpec } from "./dev-process.js";
import { startSmtpCatcher, type CaughtMail, type SmtpCatcher } from "./dev-smtp.js";
import { startDevIdentity, webAppEnv, type DevIdentity } from "./dev-identity.js";
import { createService, startServices } from "./dev-services.js";
import { sidecarMtls } from "./dev-security.js";
import { startToxiproxy, type NetworkFaults } from "./dev-toxiproxy.js";
import {
  daprBinaries,
  startContext,
  startDatabase,
  startKafka,
  startScheduler,
  startSentry,
  uniquePort,
  writeDaprFiles,
} from "./dev-start.js";

export { ensureServiceRoles, repoRoot } from "./dev-start.js";

const webSpec = catalogServices.web;

export interface PlatformOptions {
  /** App ports: the catalog's (npm run dev) or free ones (tests, so runs never collide). @default "free" */
  readonly appPorts?: "catalog" | "free";
  /** Progress lines. @default nothing */
  readonly log?: (line: string) => void;
  /** Extra env per service (e.g. a faster outbox poll in tests). */
  readonly serviceEnv?: Partial<Record<ServiceName, Readonly<Record<string, string>>>>;
  /** Extra daprd flags per service (benchmarks, e.g. `--scheduler-job-streams`). */
  readonly daprdArgs?: Partial<Record<ServiceName, readonly string[]>>;
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
  /** Aborting it stops the start-up between steps; what started is stopped and startPlatform rejects. */
  readonly signal?: AbortSignal;
  /** Where the sidecars export their spans (OTLP, plaintext `host:port`). @default none: spans are dropped */
  readonly tracingEndpoint?: { readonly address: string; readonly protocol: "grpc" | "http" };
  /**
   * Route each daprd → Kafka and each service → Postgres through its own Toxiproxy proxy
   * (`kafka-<service>`, `postgres-<service>`), so tests can add latency, bandwidth limits, resets and
   * partitions (Platform.faults). Needs the platform's own Kafka (not KAFKA_BROKERS). @default false
   */
  readonly networkFaults?: boolean;
}

/** The process that runs one service's app, next to its daprd. */
export type AppCommand = Pick<ProcessSpec, "command" | "args" | "env">;

export interface PlatformService {
  readonly name: ServiceName;
  readonly appPort: number;
  readonly url: string;
  /**
   * The sidecar's HTTP port, tokens, metrics port and process: undefined for a service whose catalog entry uses
   * no Dapr building block (web), which runs without a daprd as its pod does (catalog runsDaprSidecar).
   */
  readonly daprHttpPort?: number;
  /** Dapr's API token of this sidecar: its HTTP API answers 401 without it (as only the app has it). */
  readonly daprApiToken?: string;
  /** Dapr's app token: what this sidecar sends to its app (tests that stand in for the sidecar need it). */
  readonly daprAppToken?: string;
  /** daprd's Prometheus endpoint (`/metrics` on 127.0.0.1). */
  readonly daprMetricsPort?: number;
  readonly app: ManagedProcess;
  readonly daprd?: ManagedProcess;
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
  /** The platform's OpenID Provider (apps/local-idp) and its test users. */
  readonly identity: DevIdentity;
  /** An access token for test user `user` (default "dev-user"), by code + PKCE through the provider's login form. */
  token(user?: string): Promise<string>;
  /** Stops and starts the embedded Postgres on the same data and port (not with DATABASE_URL). */
  restartPostgres(): Promise<void>;
  /** kafka.sh with this platform's broker env (topics, run-class, ...). */
  kafka(args: readonly string[]): Promise<string>;
  /** Milliseconds each start step took. */
  readonly timings: Readonly<Record<string, number>>;
  /** The proxies of each network path, with `networkFaults` only. */
  readonly faults?: NetworkFaults;
  stop(): Promise<void>;
}

/**
 * Starts the platform, step by step: the Dapr binaries, Kafka and the topics, Postgres with the
 * services' roles and migrations, the SMTP catcher, the OpenID Provider, the secret store file and Dapr resources, the Dapr
 * scheduler, then every catalog service next to its daprd. On a failure, what started is stopped.
 */
export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const ctx = startContext(opts);
  const t0 = Date.now();
  try {
    const bins = await ctx.step("dapr binaries", daprBinaries);
    const toxiproxy = opts.networkFaults ? await startToxiproxy(ctx) : undefined;
    const { brokers, kafka, topicsDone, serviceBrokers } = await startKafka(ctx, toxiproxy);
    const { pg, serviceUrls } = await startDatabase(ctx, toxiproxy);
    const smtp = await ctx.step("smtp catcher", async () => startSmtpCatcher(await uniquePort(), opts.onMail));
    ctx.onStop("smtp catcher", smtp.stop);
    // The web app's port first: the provider registers its redirect URI and the services allow its origin.
    const webPort = opts.appPorts === "catalog" ? webSpec.port : await uniquePort();
    const identity = await ctx.step("identity provider", () => startDevIdentity(ctx, `http://127.0.0.1:${webPort}`));
    const { dapr, resourcesDirs } = writeDaprFiles(ctx, brokers, serviceUrls, serviceBrokers);
    // mTLS between the sidecars, so the Configurations' access control applies as on Kubernetes.
    const sentry = await startSentry(ctx, bins.sentry, dapr.controlPlaneConfigFile);
    const schedulerPort = await startScheduler(ctx, bins.scheduler, sentry);
    await topicsDone;

    const services = {} as Record<ServiceName, PlatformService>;
    const sidecar = { binary: bins.daprd, schedulerPort, mtls: sidecarMtls(sentry) };
    // The web app last: its runtime config names the other services' addresses.
    for (const spec of [...allServices.filter((s) => s !== webSpec), webSpec]) {
      // A service without a Dapr building block (web) runs no daprd, as its pod runs no sidecar.
      const own = { resourcesDir: resourcesDirs[spec.name], configFile: dapr.configFiles[spec.name]! };
      const daprd = runsDaprSidecar(spec) ? { ...sidecar, ...own } : undefined;
      services[spec.name] =
        spec === webSpec
          ? await createService(ctx, spec, daprd, smtp.port, identity.env, webPort, webAppEnv(services, identity))
          : await createService(ctx, spec, daprd, smtp.port, identity.env);
    }
    // Tokens for the mcp server carry its own audience: its URL, known once its port is.
    identity.idp.addAudience(`${services.mcp.url}${mcpEndpoint}`);
    await startServices(ctx, services);
    ctx.timings.total = Date.now() - t0;

    return {
      workDir: ctx.workDir,
      kafkaBrokers: brokers,
      databaseUrl: pg.url,
      smtp,
      services,
      timings: ctx.timings,
      ...(toxiproxy ? { faults: toxiproxy.client() } : {}),
      identity,
      token: (user = "dev-user") => identity.token(user),
      kafka,
      restartPostgres: async () => {
        if (!pg.restart) throw new Error("restartPostgres: the platform uses DATABASE_URL, not its own Postgres");
        await pg.restart();
      },
      stop: async () => {
        await ctx.stopAll();
        if (!opts.keepWorkDir) rmSync(ctx.workDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    ctx.log(`start failed; logs kept in ${ctx.logs}`);
    await ctx.stopAll();
    throw err;
  }
}
