/**
 * What each catalog service gets on one machine, derived from its catalog entry (never from its name):
 * its app's environment, its daprd's arguments, and the lines `npm run dev` prints for it.
 */
import path from "node:path";
import { mcpEndpoint, type ServiceName, type ServiceSpec } from "@tasks/catalog";
import type { PlatformOptions, PlatformService } from "./dev-platform.js";
import { ManagedProcess, waitReady, type ProcessSpec } from "./dev-process.js";
import { appToken } from "./dev-security.js";
import { repoRoot, uniquePort, type StartContext } from "./dev-start.js";

/** Ports of one service on this machine. */
export interface DevPorts {
  readonly app: number;
  readonly daprHttp: number;
  readonly daprGrpc: number;
  readonly daprInternalGrpc: number;
  readonly daprMetrics: number;
}

/** Mail settings for a service whose catalog egress includes smtp: the SMTP catcher, no TLS, no login. */
export const devMailEnvironment = (smtpPort: number): Record<string, string> => ({
  SMTP_HOST: "127.0.0.1",
  SMTP_PORT: String(smtpPort),
  SMTP_TLS: "none",
  SMTP_AUTH: "false",
  MAIL_FROM: "tasks@localhost",
  VAPID_SUBJECT: "mailto:dev@localhost",
});

/**
 * The app's environment: its ports and sidecar, migrations left to the platform, mail where the catalog
 * says it sends mail, and the identity provider's settings where it has public routes.
 */
export function devServiceEnv(
  spec: ServiceSpec,
  ports: Pick<DevPorts, "app" | "daprHttp">,
  smtpPort: number,
  extra: Readonly<Record<string, string>> = {},
  identityEnv: Readonly<Record<string, string>> = {},
): Record<string, string> {
  return {
    PORT: String(ports.app),
    HOST: "127.0.0.1",
    DAPR_HTTP_PORT: String(ports.daprHttp),
    MIGRATE_ON_START: "false",
    ...(spec.egress.includes("smtp") ? devMailEnvironment(smtpPort) : {}),
    ...(spec.publicRoutes.length > 0 ? identityEnv : {}),
    // The mcp server's canonical URI (its Protected Resource Metadata `resource`, and its tokens' audience).
    ...(spec.name === "mcp" ? { MCP_RESOURCE_URL: `http://127.0.0.1:${ports.app}${mcpEndpoint}` } : {}),
    ...extra,
  };
}

/** daprd for one service in standalone mode, on loopback, with the selfhosted resources and the service's Configuration. */
export function daprdArgs(
  spec: ServiceSpec,
  ports: DevPorts,
  dapr: { readonly resourcesDir: string; readonly configFile: string; readonly schedulerPort: number },
): string[] {
  return [
    ...["--app-id", spec.name, "--app-port", String(ports.app), "--app-protocol", "http", "--app-channel-address", "127.0.0.1"],
    ...["--dapr-http-port", String(ports.daprHttp), "--dapr-grpc-port", String(ports.daprGrpc)],
    ...["--dapr-internal-grpc-port", String(ports.daprInternalGrpc), "--dapr-listen-addresses", "127.0.0.1"],
    ...["--metrics-port", String(ports.daprMetrics), "--metrics-listen-address", "127.0.0.1"],
    ...["--resources-path", dapr.resourcesDir, "--config", dapr.configFile],
    ...["--scheduler-host-address", `127.0.0.1:${dapr.schedulerPort}`, "--mode", "standalone", "--log-level", "info"],
  ];
}

/**
 * Where to reach a service started at `url`: each public route (WebSocket routes as ws://), or its
 * health endpoint when it has none.
 */
export function serviceEndpoints(spec: ServiceSpec, url: string): string[] {
  if (spec.publicRoutes.length === 0) return [`${url}/healthz`];
  return spec.publicRoutes.map((r) => (r.websocket ? `${url.replace(/^http/, "ws")}${r.path}` : `${url}${r.path}`));
}

/** The banner's service lines: one per catalog service, the name in the banner's 15-character column. */
export function serviceBannerLines(services: readonly { readonly spec: ServiceSpec; readonly url: string }[]): string[] {
  const width = Math.max(15, ...services.map((s) => s.spec.name.length + 1));
  return services.map((s) => `  ${s.spec.name.padEnd(width)}${serviceEndpoints(s.spec, s.url).join("  ")}`);
}

/** The app's process: the node process given, or what `appCommand` makes of it. */
function appProcess(opts: PlatformOptions, service: ServiceName, node: ProcessSpec): ProcessSpec {
  return opts.appCommand ? { ...node, ...opts.appCommand(service, node.env ?? {}) } : node;
}

/** What a service's daprd runs with. */
export interface DaprdSettings {
  readonly binary: string;
  readonly resourcesDir: string;
  readonly configFile: string;
  readonly schedulerPort: number;
  /** daprd's arguments and environment for mTLS with the local sentry. */
  readonly mtls: { readonly args: readonly string[]; readonly env: Readonly<Record<string, string>> };
}

/**
 * One catalog service: its daprd (none when `daprd` is undefined: a service that uses no Dapr building block)
 * and its app (environment from the catalog entry), not started yet.
 */
export async function createService(
  ctx: StartContext,
  spec: ServiceSpec,
  daprd: DaprdSettings | undefined,
  smtpPort: number,
  identityEnv: Readonly<Record<string, string>> = {},
  /** The app's port when the platform chose it earlier (the web app's, which the provider must know). */
  appPort?: number,
  /** More env for the app (the web app's API addresses). */
  appEnv: Readonly<Record<string, string>> = {},
): Promise<PlatformService> {
  const appPortNumber = appPort ?? (ctx.opts.appPorts === "catalog" ? spec.port : await uniquePort());
  const url = `http://127.0.0.1:${appPortNumber}`;
  if (!daprd)
    return createSidecarlessService(ctx, spec, appPortNumber, { ...(spec.publicRoutes.length > 0 ? identityEnv : {}), ...appEnv });
  const ports: DevPorts = {
    app: appPortNumber,
    daprHttp: await uniquePort(),
    daprGrpc: await uniquePort(),
    daprInternalGrpc: await uniquePort(),
    daprMetrics: await uniquePort(),
  };
  // Dapr's app token (daprd sends it to the app) and API token (daprd answers only calls with it):
  // daprd gets them as APP_API_TOKEN and DAPR_API_TOKEN (Dapr's only inputs for them outside
  // Kubernetes); the app reads them from 0600 files, as it reads the mounted Secrets in a cluster.
  const token = appToken(path.join(ctx.workDir, "app-tokens"), spec.name);
  const apiToken = appToken(path.join(ctx.workDir, "api-tokens"), spec.name);
  const sidecar = new ManagedProcess({
    name: `daprd ${spec.name}`,
    command: daprd.binary,
    logFile: path.join(ctx.logs, `daprd-${spec.name}.log`),
    env: { ...daprd.mtls.env, APP_API_TOKEN: token.token, DAPR_API_TOKEN: apiToken.token },
    args: [...daprd.mtls.args, ...daprdArgs(spec, ports, daprd), ...(ctx.opts.daprdArgs?.[spec.name] ?? [])],
  });
  const nodeApp: ProcessSpec = {
    name: spec.name,
    command: process.execPath,
    args: ["--import", "tsx", path.join(repoRoot, "apps", spec.name, "src", "main.ts")],
    cwd: repoRoot,
    logFile: path.join(ctx.logs, `${spec.name}.log`),
    env: devServiceEnv(
      spec,
      ports,
      smtpPort,
      { DAPR_APP_TOKEN_FILE: token.file, DAPR_API_TOKEN_FILE: apiToken.file, ...appEnv, ...ctx.opts.serviceEnv?.[spec.name] },
      identityEnv,
    ),
  };
  const app = new ManagedProcess(appProcess(ctx.opts, spec.name, nodeApp));
  const daprUrl = `http://127.0.0.1:${ports.daprHttp}/v1.0/healthz`;
  ctx.onStop(`daprd ${spec.name}`, () => sidecar.stop());
  ctx.onStop(spec.name, () => app.stop());
  return {
    name: spec.name,
    appPort: ports.app,
    url,
    daprHttpPort: ports.daprHttp,
    daprApiToken: apiToken.token,
    daprAppToken: token.token,
    daprMetricsPort: ports.daprMetrics,
    app,
    daprd: sidecar,
    restartApp: async () => {
      app.start();
      await waitReady(app, `${url}/readyz`, ctx.timeoutMs);
    },
    restartSidecar: async () => {
      sidecar.start();
      await waitReady(sidecar, daprUrl, ctx.timeoutMs);
    },
  };
}

/** A service whose catalog entry uses no Dapr building block (web): its app alone, as its pod runs no sidecar. */
function createSidecarlessService(
  ctx: StartContext,
  spec: ServiceSpec,
  port: number,
  env: Readonly<Record<string, string>>,
): PlatformService {
  const url = `http://127.0.0.1:${port}`;
  const nodeApp: ProcessSpec = {
    name: spec.name,
    command: process.execPath,
    args: ["--import", "tsx", path.join(repoRoot, "apps", spec.name, "src", "main.ts")],
    cwd: repoRoot,
    logFile: path.join(ctx.logs, `${spec.name}.log`),
    env: { PORT: String(port), HOST: "127.0.0.1", ...env, ...ctx.opts.serviceEnv?.[spec.name] },
  };
  const app = new ManagedProcess(appProcess(ctx.opts, spec.name, nodeApp));
  ctx.onStop(spec.name, () => app.stop());
  return {
    name: spec.name,
    appPort: port,
    url,
    app,
    restartApp: async () => {
      app.start();
      await waitReady(app, `${url}/readyz`, ctx.timeoutMs);
    },
    restartSidecar: () => Promise.reject(new Error(`${spec.name} runs no Dapr sidecar (its catalog entry uses no building block)`)),
  };
}

/** Starts every service's daprd (where it has one) and app and waits until both are ready. */
export async function startServices(ctx: StartContext, services: Readonly<Record<ServiceName, PlatformService>>): Promise<void> {
  await ctx.step("services", () =>
    Promise.all(
      Object.values(services).map(async (s) => {
        s.daprd?.start();
        s.app.start();
        await Promise.all([
          waitReady(s.app, `${s.url}/readyz`, ctx.timeoutMs),
          ...(s.daprd ? [waitReady(s.daprd, `http://127.0.0.1:${s.daprHttpPort}/v1.0/healthz`, ctx.timeoutMs)] : []),
        ]);
        ctx.log(`  ${s.name} ready on ${s.url}${s.daprd ? ` (daprd HTTP ${s.daprHttpPort})` : " (no Dapr sidecar)"}`);
      }),
    ),
  );
}
