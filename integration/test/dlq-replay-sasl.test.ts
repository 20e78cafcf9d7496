/**
 * `npm run dlq:replay` in the cloud's way: SASL PLAIN over TLS, as Event Hubs' Kafka endpoint speaks it, against
 * the integration tier's Kafka started with a SASL_SSL listener and a self-signed certificate (kafka.sh
 * KAFKA_SASL_SSL_PORT). The user is `$ConnectionString` and the password an Event Hubs-shaped connection string,
 * read from a file (never argv). A wrong password and an untrusted certificate fail, naming why.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { topics } from "@tasks/catalog";
import { repoRoot } from "@tasks/dev-platform/dev-platform";
import { freePort } from "@tasks/dev-platform/test-servers";

const run = promisify(execFile);
const kafkaSh = path.join(repoRoot, "scripts", "integration", "kafka.sh");
const topic = topics.taskCreated;
let dir: string;
let env: NodeJS.ProcessEnv;
let plain: string;
let sasl: string;
let caFile: string;
const connectionStringFile = () => path.join(dir, "eventhubs-connection-string");

before(
  async () => {
    dir = mkdtempSync(path.join(tmpdir(), "dlq-sasl-"));
    const connectionString = `Endpoint=sb://tasks-it.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${randomBytes(24).toString("base64")}`;
    writeFileSync(connectionStringFile(), connectionString, { mode: 0o600 });
    env = {
      ...process.env,
      CI: "true",
      KAFKA_PORT: String(await freePort()),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_SASL_SSL_PORT: String(await freePort()),
      KAFKA_SASL_PASSWORD_FILE: connectionStringFile(),
      KAFKA_STATE_DIR: path.join(dir, "kafka"),
    };
    delete env.KAFKA_BROKERS;
    const out = (await run(kafkaSh, ["start"], { env, timeout: 180_000 })).stdout;
    const kv = Object.fromEntries([...out.matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    plain = kv.KAFKA_BROKERS!;
    sasl = kv.KAFKA_SASL_SSL_BROKERS!;
    caFile = kv.KAFKA_SSL_CA!;
    assert.ok(plain && sasl && caFile, out);
    for (const t of [topic.name, topic.deadLetterTopic])
      await run(kafkaSh, ["topics", "--create", "--if-not-exists", "--topic", t, "--partitions", "1"], { env, timeout: 60_000 });
  },
  { timeout: 240_000 },
);
after(
  async () => {
    if (env) await run(kafkaSh, ["stop"], { env, timeout: 60_000 }).catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
  { timeout: 90_000 },
);

/** `npm run dlq:replay -- args` as an operator runs it; never throws: the exit code and output are the result. */
async function replayCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts", "dlq-replay.ts"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, KAFKA_BROKERS: "" },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

const kafkaTool = async (cls: string, args: readonly string[], input?: string): Promise<string> => {
  const child = execFile(kafkaSh, ["run-class", cls, ...args], { env, timeout: 60_000, maxBuffer: 8 << 20 });
  let stdout = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  if (input !== undefined) child.stdin?.end(input);
  await new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return stdout;
};

test(
  "dlq:replay reads the dead-letter topic and republishes over SASL_SSL with the connection string from a file",
  { timeout: 240_000 },
  async () => {
    const id = randomUUID();
    const event = JSON.stringify({ specversion: "1.0", id, source: "tasks-api", type: "task.created", data: { taskId: id } });
    // Dead-lettered as the broker would hold it (written over the plaintext listener, as a sidecar inside the cluster).
    await kafkaTool(
      "org.apache.kafka.tools.ConsoleProducer",
      ["--bootstrap-server", plain, "--topic", topic.deadLetterTopic],
      `${event}\n`,
    );

    const common = ["--topic", topic.name, "--brokers", sasl, "--wait-ms", "20000"];
    const bad = path.join(dir, "wrong-connection-string");
    writeFileSync(bad, "Endpoint=sb://tasks-it.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=wrong", { mode: 0o600 });
    const wrong = await replayCli([...common, "--connection-string-file", bad, "--ca-file", caFile]);
    assert.equal(wrong.code, 1, wrong.stdout);
    assert.match(wrong.stderr, /dlq-replay: reading task\.created\.dlq failed: SaslAuthenticationException: Authentication failed/);
    const untrusted = await replayCli([...common, "--connection-string-file", connectionStringFile()]);
    assert.equal(untrusted.code, 1, untrusted.stdout);
    assert.match(untrusted.stderr, /SslAuthenticationException: SSL handshake failed/);
    const inArgv = await replayCli([...common, "--connection-string", "Endpoint=sb://x/;SharedAccessKey=y"]);
    assert.equal(inArgv.code, 1);
    assert.match(inArgv.stderr, /--connection-string: a credential is never passed on the command line/);
    assert.doesNotMatch(`${wrong.stdout}${wrong.stderr}${untrusted.stderr}`, /SharedAccessKey=/, "no credential in the output");

    const ok = await replayCli([...common, "--connection-string-file", connectionStringFile(), "--ca-file", caFile]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`replaying ${id}`));
    assert.match(ok.stdout, /replayed 1 event\(s\) from task\.created\.dlq to task\.created/);
    const republished = await kafkaTool("org.apache.kafka.tools.consumer.ConsoleConsumer", [
      ...["--bootstrap-server", plain, "--topic", topic.name, "--from-beginning", "--timeout-ms", "15000"],
    ]);
    assert.deepEqual(
      republished
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => (JSON.parse(l) as { id: string }).id),
      [id],
    );
    // The replay group's offsets were committed over SASL_SSL: a second run finds nothing new.
    const again = await replayCli([...common, "--connection-string-file", connectionStringFile(), "--ca-file", caFile]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /replayed 0 event\(s\)/);
  },
);
