/**
 * A throw-away Kubernetes control plane for tests: etcd + kube-apiserver on free ports in a temp dir.
 * The server authenticates one static bearer token (a member of system:masters), authorizes with RBAC,
 * and runs the default admission chain plus PodSecurity and NamespaceLifecycle named explicitly. Its
 * serving certificate is self-signed (`--cert-dir`); the service-account signing key is made here.
 * No controller-manager or scheduler runs: objects are stored, never reconciled.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { kubeClient, type KubeClient } from "./client.js";

export interface ApiServerBinaries {
  readonly kubeApiserver: string;
  readonly etcd: string;
}

export interface ApiServer {
  readonly client: KubeClient;
  readonly url: string;
  /** The temp dir holding the logs (etcd.log, kube-apiserver.log), etcd's data and the keys. */
  readonly dir: string;
  /** Milliseconds from spawn to a 200 from /readyz. */
  readonly readyMs: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** How long to wait for /readyz. @default 60000 */
  readonly readyTimeoutMs?: number;
  /** Keep the temp dir after stop (to read the logs). @default false */
  readonly keepDir?: boolean;
}

/** The binaries named by KUBE_APISERVER and ETCD (what scripts/integration/kube-apiserver-binary.sh prints). */
export function binariesFromEnv(env: NodeJS.ProcessEnv = process.env): ApiServerBinaries | undefined {
  const kubeApiserver = env.KUBE_APISERVER;
  const etcd = env.ETCD;
  return kubeApiserver && etcd ? { kubeApiserver, etcd } : undefined;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

const children = new Set<ChildProcess>();
process.once("exit", () => {
  for (const c of children) c.kill("SIGKILL");
});

function launch(cmd: string, args: readonly string[], logFile: string): ChildProcess {
  const log = createWriteStream(logFile);
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  await exited;
  clearTimeout(timer);
}

function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Polls `probe` every 100 ms until it is true; fails with the process's log when it exits or time runs out. */
async function waitFor(
  what: string,
  child: ChildProcess,
  logFile: string,
  timeoutMs: number,
  probe: () => Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}:\n${tail(logFile)}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} not ready within ${timeoutMs} ms:\n${tail(logFile)}`);
}

async function startEtcd(etcd: string, dir: string, timeoutMs: number): Promise<{ child: ChildProcess; url: string }> {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const logFile = path.join(dir, "etcd.log");
  const child = launch(
    etcd,
    [
      "--name=test",
      `--data-dir=${path.join(dir, "etcd")}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=test=${peerUrl}`,
      "--log-level=warn",
    ],
    logFile,
  );
  await waitFor("etcd", child, logFile, timeoutMs, async () => {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok && ((await res.json()) as { health?: string }).health === "true";
  });
  return { child, url };
}

/** Service-account keys and the static token file the server reads at start. */
function writeCredentials(dir: string): { token: string; args: string[] } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signing = path.join(dir, "sa.key");
  const verifying = path.join(dir, "sa.pub");
  writeFileSync(signing, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  writeFileSync(verifying, publicKey.export({ type: "spki", format: "pem" }));
  const token = randomBytes(24).toString("hex");
  const tokens = path.join(dir, "tokens.csv");
  writeFileSync(tokens, `${token},test-admin,test-admin,"system:masters"\n`, { mode: 0o600 });
  return {
    token,
    args: [
      `--service-account-key-file=${verifying}`,
      `--service-account-signing-key-file=${signing}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      `--token-auth-file=${tokens}`,
    ],
  };
}

function apiserverArgs(etcdUrl: string, port: number, certDir: string, credentialArgs: readonly string[]): string[] {
  return [
    `--etcd-servers=${etcdUrl}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${port}`,
    `--cert-dir=${certDir}`,
    ...credentialArgs,
    "--authorization-mode=RBAC",
    "--anonymous-auth=false",
    "--service-cluster-ip-range=10.96.0.0/16",
    // As on AKS and minikube: privileged pods are for Pod Security admission to judge, not refused outright.
    "--allow-privileged=true",
    "--enable-admission-plugins=NamespaceLifecycle,PodSecurity",
    // No kubelet, no controllers: the kubernetes Service's endpoints have nobody to reach.
    "--endpoint-reconciler-type=none",
    "--profiling=false",
    "--v=0",
  ];
}

/** Starts kube-apiserver against `etcdUrl`; resolves with a client once /readyz answers 200. */
async function startKubeApiserver(
  bin: string,
  dir: string,
  etcdUrl: string,
  timeoutMs: number,
  running: ChildProcess[],
): Promise<{ client: KubeClient; url: string }> {
  const port = await freePort();
  const creds = writeCredentials(dir);
  const certDir = path.join(dir, "pki");
  const logFile = path.join(dir, "kube-apiserver.log");
  const apiserver = launch(bin, apiserverArgs(etcdUrl, port, certDir, creds.args), logFile);
  running.push(apiserver);
  const url = `https://127.0.0.1:${port}`;
  const certFile = path.join(certDir, "apiserver.crt");
  let client: KubeClient | undefined;
  await waitFor("kube-apiserver", apiserver, logFile, timeoutMs, async () => {
    if (!existsSync(certFile)) return false;
    client ??= kubeClient(url, creds.token, readFileSync(certFile, "utf8"));
    try {
      return (await client.request("GET", "/readyz")).status === 200;
    } catch (err) {
      // Not listening yet, or the certificate was read while being written: read it again next time.
      client.close();
      client = undefined;
      throw err;
    }
  });
  return { client: client!, url };
}

const dirPrefix = "tasks-kube-apiserver-";

/** Temp dirs left by runs that were killed (their pid is gone) are removed. */
function removeStaleDirs(): void {
  for (const name of readdirSync(tmpdir())) {
    const pid = Number(new RegExp(`^${dirPrefix}(\\d+)-`).exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(path.join(tmpdir(), name), { recursive: true, force: true });
    }
  }
}

/** Starts etcd and kube-apiserver; resolves once /readyz answers 200. On failure both are stopped. */
export async function startApiServer(bin: ApiServerBinaries, opts: StartOptions = {}): Promise<ApiServer> {
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000;
  removeStaleDirs();
  const dir = mkdtempSync(path.join(tmpdir(), `${dirPrefix}${process.pid}-`));
  const started = Date.now();
  const running: ChildProcess[] = [];
  const cleanup = async () => {
    for (const c of running.reverse()) await stopChild(c);
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const etcd = await startEtcd(bin.etcd, dir, readyTimeoutMs);
    running.push(etcd.child);
    const { client, url } = await startKubeApiserver(bin.kubeApiserver, dir, etcd.url, readyTimeoutMs, running);
    return {
      client,
      url,
      dir,
      readyMs: Date.now() - started,
      stop: async () => {
        client.close();
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}
