/**
 * The two sidecar protections of the clusters, on one machine (npm run dev, the integration tests):
 * - a Dapr sentry (standalone) as the local CA, so every daprd runs with `--enable-mtls`, the scheduler
 *   with TLS, and the access-control policies of the app Configurations apply to invocation exactly
 *   as on Kubernetes (the standalone sentry signs any app id it is asked for: it proves the policies,
 *   not the identities, which only Kubernetes' service-account validation can);
 * - Dapr's app token and API token per app: daprd gets them as APP_API_TOKEN and DAPR_API_TOKEN (Dapr's
 *   only input for them outside Kubernetes), the app reads them from 0600 files (DAPR_APP_TOKEN_FILE,
 *   DAPR_API_TOKEN_FILE), never from its environment.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ManagedProcess, waitReady } from "./dev-process.js";

export interface LocalSentry {
  readonly process: ManagedProcess;
  /** host:port of the sentry gRPC server. */
  readonly address: string;
  /** The CA certificate (PEM): daprd's DAPR_TRUST_ANCHORS, the scheduler's --trust-anchors-file. */
  readonly trustAnchors: string;
  readonly trustAnchorsFile: string;
}

/** Starts sentry with its credentials under `dir` (it creates a self-signed root the first time) and waits until healthy. */
export async function startLocalSentry(opts: {
  readonly binary: string;
  readonly dir: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly ports: { readonly grpc: number; readonly healthz: number; readonly metrics: number };
  readonly timeoutMs: number;
}): Promise<LocalSentry> {
  const credentials = path.join(opts.dir, "credentials");
  mkdirSync(credentials, { recursive: true, mode: 0o700 });
  const sentry = new ManagedProcess({
    name: "dapr sentry",
    command: opts.binary,
    logFile: opts.logFile,
    args: [
      "--config",
      opts.configFile,
      "--issuer-credentials",
      credentials,
      "--trust-domain",
      "localhost",
      "--port",
      String(opts.ports.grpc),
      "--listen-address",
      "127.0.0.1",
      "--healthz-port",
      String(opts.ports.healthz),
      "--healthz-listen-address",
      "127.0.0.1",
      "--metrics-port",
      String(opts.ports.metrics),
      "--metrics-listen-address",
      "127.0.0.1",
      "--mode",
      "standalone",
    ],
  });
  sentry.start();
  await waitReady(sentry, `http://127.0.0.1:${opts.ports.healthz}/healthz`, opts.timeoutMs);
  const trustAnchorsFile = path.join(credentials, "ca.crt");
  return {
    process: sentry,
    address: `127.0.0.1:${opts.ports.grpc}`,
    trustAnchors: readFileSync(trustAnchorsFile, "utf8"),
    trustAnchorsFile,
  };
}

/** The daprd arguments and environment that make it use the local sentry. */
export function sidecarMtls(sentry: LocalSentry): { args: string[]; env: Record<string, string> } {
  return { args: ["--enable-mtls", "--sentry-address", sentry.address], env: { DAPR_TRUST_ANCHORS: sentry.trustAnchors } };
}

/** The scheduler arguments for TLS with an identity from the local sentry. */
export function schedulerTls(sentry: LocalSentry, identityDir: string): string[] {
  return [
    "--tls-enabled",
    "--sentry-address",
    sentry.address,
    "--trust-anchors-file",
    sentry.trustAnchorsFile,
    "--trust-domain",
    "localhost",
    "--identity-directory-write",
    identityDir,
  ];
}

/** A fresh token for `app`, written to a 0600 file under `dir`; returns the token and the file. */
export function appToken(dir: string, app: string): { token: string; file: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const token = randomBytes(36).toString("base64url");
  const file = path.join(dir, app);
  writeFileSync(file, token, { mode: 0o600 });
  return { token, file };
}
