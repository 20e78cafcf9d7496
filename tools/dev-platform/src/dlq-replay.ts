/**
 * Republishes dead-lettered events to their original topic, after the cause was fixed:
 *   KAFKA_BROKERS=host:port npm run dlq:replay -- --topic task.completed [--dry-run] [--wait-ms 10000]
 *   npm run dlq:replay -- --topic task.completed --connection-string-file <file> | --key-vault <vault>  (Event Hubs)
 * On Event Hubs it speaks SASL_SSL (SASL PLAIN, user `$ConnectionString`, the namespace's connection string as the
 * password), the connection string read from a file or from the stack's Key Vault (`az keyvault secret show`),
 * never from argv or the environment; the brokers default to the connection string's namespace on port 9093.
 * `--ca-file <pem>` trusts a broker certificate the JVM does not (a self-signed test broker).
 * `--topic` is the original topic (or its dead-letter topic) from the catalog. Reads the dead-letter
 * topic as consumer group `tasks-dlq-replay` (so a second run replays only what was dead-lettered since),
 * keeps one copy per CloudEvent id (every subscriber that dropped an event dead-letters its own copy),
 * and produces the CloudEvents unchanged to the original topic: consumers de-duplicate by event id, so
 * a subscriber that had processed the event already ignores the replay. Prints one line per event and
 * "replayed N event(s) from <dlq> to <topic>". Uses Kafka's console tools through scripts/integration/kafka.sh.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { allTopics, secretNames, type TopicSpec } from "@tasks/catalog";

const kafkaSh = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../scripts/integration/kafka.sh");
export const replayGroup = "tasks-dlq-replay";

/** How the Kafka clients authenticate: nothing (a local broker), or SASL PLAIN over TLS (Event Hubs). */
export interface BrokerAuth {
  readonly sasl: { readonly username: string; readonly password: string };
  /** A PEM certificate to trust instead of the JVM's CAs (a self-signed broker). */
  readonly caFile?: string;
}

export interface ReplayOptions {
  readonly brokers: string;
  /** SASL_SSL credentials; absent: plaintext. */
  readonly auth?: BrokerAuth;
  /** Original topic or dead-letter topic name. */
  readonly topic: string;
  readonly dryRun?: boolean;
  /** How long to wait for more dead-lettered messages before stopping. @default 10000 */
  readonly waitMs?: number;
  readonly log?: (line: string) => void;
}

export function topicForReplay(name: string): TopicSpec {
  const t = allTopics.find((x) => x.name === name || x.deadLetterTopic === name);
  if (!t)
    throw new Error(
      `--topic: "${name}" is neither a catalog topic nor a dead-letter topic; known: ${allTopics.map((x) => x.name).join(", ")}`,
    );
  return t;
}

/** A JAAS option value: quoted, backslashes and quotes escaped. */
const jaasQuote = (v: string) => `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** The Kafka client properties for `auth`: SASL_SSL with PLAIN, the CA file as a PEM trust store. */
export function clientProperties(auth: BrokerAuth): string {
  return [
    "security.protocol=SASL_SSL",
    "sasl.mechanism=PLAIN",
    `sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=${jaasQuote(auth.sasl.username)} password=${jaasQuote(auth.sasl.password)};`,
    ...(auth.caFile ? ["ssl.truststore.type=PEM", `ssl.truststore.location=${auth.caFile}`] : []),
  ]
    .map((l) => l.replace(/\\/g, "\\\\"))
    .join("\n");
}

/**
 * Runs `fn` with the `--command-config` arguments for `auth`: a properties file only this user can read, in a
 * directory of its own, removed afterwards (the password never appears in argv or the environment).
 */
async function withClientConfig<T>(auth: BrokerAuth | undefined, fn: (args: string[]) => Promise<T>): Promise<T> {
  if (!auth) return fn([]);
  const dir = mkdtempSync(path.join(tmpdir(), "dlq-replay-"));
  const file = path.join(dir, "client.properties");
  try {
    writeFileSync(file, `${clientProperties(auth)}\n`, { mode: 0o600 });
    return await fn(["--command-config", file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function consumeDlq(brokers: string, dlq: string, waitMs: number, config: readonly string[]): Promise<string[]> {
  const args = [
    "run-class",
    "org.apache.kafka.tools.consumer.ConsoleConsumer",
    "--bootstrap-server",
    brokers,
    "--topic",
    dlq,
    "--group",
    replayGroup,
    "--from-beginning",
    "--timeout-ms",
    String(waitMs),
    ...config,
  ];
  const result = await promisify(execFile)(kafkaSh, args, { env: { ...process.env, KAFKA_BROKERS: brokers }, maxBuffer: 256 << 20 }).catch(
    (err: { stdout?: string; stderr?: string }) => {
      if (err.stderr?.includes("Processed a total of")) return { stdout: err.stdout ?? "", stderr: err.stderr };
      throw new Error(`reading ${dlq} failed: ${err.stderr ?? String(err)}`);
    },
  );
  const failure = consumerFailure(result.stderr);
  if (failure) throw new Error(`reading ${dlq} failed: ${failure}`);
  return result.stdout.split("\n").filter((l) => l.trim().startsWith("{"));
}

/**
 * Why the console consumer stopped, unless it stopped because no message came for --timeout-ms (its normal end,
 * a TimeoutException). It exits 0 after any error, e.g. a SaslAuthenticationException or an SSL handshake failure.
 */
export function consumerFailure(stderr: string): string | undefined {
  const stopped = stderr.indexOf("terminating consumer process");
  if (stopped < 0) return undefined;
  const cause = /^\s*([\w.$]+(?:Exception|Error))(?::\s*(.*))?$/m.exec(stderr.slice(stopped));
  if (!cause || cause[1] === "org.apache.kafka.common.errors.TimeoutException") return undefined;
  return `${cause[1]!.split(".").pop()}${cause[2] ? `: ${cause[2]}` : ""}`;
}

async function produce(brokers: string, topic: string, lines: readonly string[], config: readonly string[]): Promise<void> {
  const args = ["run-class", "org.apache.kafka.tools.ConsoleProducer", "--bootstrap-server", brokers, "--topic", topic, ...config];
  const child = spawn(kafkaSh, args, {
    env: { ...process.env, KAFKA_BROKERS: brokers },
    stdio: ["pipe", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(lines.map((l) => `${l}\n`).join(""));
  const code = await new Promise<number | null>((r) => child.on("exit", r));
  if (code !== 0) throw new Error(`producing to ${topic} failed (exit ${code}): ${stderr.slice(-2000)}`);
}

/** Returns the CloudEvent ids replayed. */
export async function replayDeadLetters(opts: ReplayOptions): Promise<string[]> {
  const topic = topicForReplay(opts.topic);
  return withClientConfig(opts.auth, (config) => replayWith(opts, topic, config));
}

async function replayWith(opts: ReplayOptions, topic: TopicSpec, config: readonly string[]): Promise<string[]> {
  const log = opts.log ?? (() => undefined);
  const raw = await consumeDlq(opts.brokers, topic.deadLetterTopic, opts.waitMs ?? 10_000, config);
  const byId = new Map<string, string>();
  for (const line of raw) {
    let id: string;
    try {
      id = String((JSON.parse(line) as { id?: unknown }).id ?? "");
    } catch {
      log(`skipped a message that is not JSON: ${line.slice(0, 120)}`);
      continue;
    }
    if (id && !byId.has(id)) byId.set(id, line);
  }
  for (const id of byId.keys()) log(`${opts.dryRun ? "would replay" : "replaying"} ${id}`);
  if (!opts.dryRun && byId.size > 0) await produce(opts.brokers, topic.name, [...byId.values()], config);
  log(
    `${opts.dryRun ? "would replay" : "replayed"} ${byId.size} event(s) from ${topic.deadLetterTopic} to ${topic.name} (${raw.length} dead-lettered message(s) read)`,
  );
  return [...byId.keys()];
}

/** The Kafka endpoint of an Event Hubs connection string (`Endpoint=sb://<namespace>.servicebus.windows.net/;…`). */
export function eventHubsBrokers(connectionString: string): string {
  const endpoint = /(?:^|;)\s*Endpoint=sb:\/\/([^/;]+)\/?/i.exec(connectionString)?.[1];
  if (!endpoint) throw new Error("the connection string has no Endpoint=sb://<namespace>.servicebus.windows.net/");
  return `${endpoint}:9093`;
}

/** The namespace's connection string from the stack's Key Vault, with the operator's own Azure CLI login. */
async function connectionStringFromKeyVault(vault: string): Promise<string> {
  const name = secretNames.eventHubsConnectionString;
  try {
    const { stdout } = await promisify(execFile)("az", [
      "keyvault",
      "secret",
      "show",
      "--vault-name",
      vault,
      "--name",
      name,
      "--query",
      "value",
      "-o",
      "tsv",
    ]);
    return stdout.trim();
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    throw new Error(
      e.code === "ENOENT"
        ? "--key-vault: the Azure CLI (az) is not installed; or pass --connection-string-file"
        : `--key-vault: az keyvault secret show --vault-name ${vault} --name ${name} failed: ${(e.stderr ?? String(err)).trim().split("\n")[0]}`,
      { cause: err },
    );
  }
}

/** The CLI (scripts/dlq-replay.ts, `npm run dlq:replay`): exits 1 with one line on failure. */
export async function runDlqReplayCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const get = (n: string) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : undefined);
  const topic = get("topic");
  try {
    for (const secretFlag of ["--connection-string", "--password", "--sasl-password"])
      if (argv.includes(secretFlag))
        throw new Error(`${secretFlag}: a credential is never passed on the command line; use --connection-string-file or --key-vault`);
    const file = get("connection-string-file");
    const vault = get("key-vault");
    if (file && vault) throw new Error("--connection-string-file and --key-vault: give one of them");
    const connectionString = file ? readFileSync(file, "utf8").trim() : vault ? await connectionStringFromKeyVault(vault) : undefined;
    if (connectionString !== undefined && !connectionString)
      throw new Error(`${file ? "--connection-string-file" : "--key-vault"}: the connection string is empty`);
    const brokers = get("brokers") ?? process.env.KAFKA_BROKERS ?? (connectionString ? eventHubsBrokers(connectionString) : undefined);
    if (!brokers) throw new Error("set KAFKA_BROKERS (or --brokers host:port), or give the Event Hubs connection string");
    if (!topic) throw new Error("--topic <topic or dead-letter topic> is required");
    const caFile = get("ca-file");
    const auth: BrokerAuth | undefined = connectionString
      ? { sasl: { username: "$ConnectionString", password: connectionString }, ...(caFile ? { caFile } : {}) }
      : undefined;
    if (caFile && !auth) throw new Error("--ca-file: only with SASL_SSL (--connection-string-file or --key-vault)");
    const waitMs = Number(get("wait-ms") ?? 10_000);
    await replayDeadLetters({
      brokers,
      topic,
      dryRun: argv.includes("--dry-run"),
      waitMs,
      ...(auth ? { auth } : {}),
      log: (l) => console.log(l),
    });
  } catch (err) {
    console.error(`dlq-replay: ${(err as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runDlqReplayCli();
