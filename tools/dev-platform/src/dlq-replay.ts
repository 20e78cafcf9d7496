/**
 * Republishes dead-lettered events to their original topic, after the cause was fixed:
 *   KAFKA_BROKERS=host:port npm run dlq:replay -- --topic task.completed [--dry-run] [--wait-ms 10000]
 * `--topic` is the original topic (or its dead-letter topic) from the catalog. Reads the dead-letter
 * topic as consumer group `tasks-dlq-replay` (so a second run replays only what was dead-lettered since),
 * keeps one copy per CloudEvent id (every subscriber that dropped an event dead-letters its own copy),
 * and produces the CloudEvents unchanged to the original topic: consumers de-duplicate by event id, so
 * a subscriber that had processed the event already ignores the replay. Prints one line per event and
 * "replayed N event(s) from <dlq> to <topic>". Uses Kafka's console tools through scripts/integration/kafka.sh.
 */
import { execFile, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { allTopics, type TopicSpec } from "@tasks/catalog";

const kafkaSh = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../scripts/integration/kafka.sh");
export const replayGroup = "tasks-dlq-replay";

export interface ReplayOptions {
  readonly brokers: string;
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

async function consumeDlq(brokers: string, dlq: string, waitMs: number): Promise<string[]> {
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
  ];
  const result = await promisify(execFile)(kafkaSh, args, { env: { ...process.env, KAFKA_BROKERS: brokers }, maxBuffer: 256 << 20 }).catch(
    (err: { stdout?: string; stderr?: string }) => {
      // The console consumer ends with a TimeoutException (exit 1) once no message came for --timeout-ms.
      if (err.stderr?.includes("Processed a total of")) return { stdout: err.stdout ?? "", stderr: err.stderr };
      throw new Error(`reading ${dlq} failed: ${err.stderr ?? String(err)}`);
    },
  );
  return result.stdout.split("\n").filter((l) => l.trim().startsWith("{"));
}

async function produce(brokers: string, topic: string, lines: readonly string[]): Promise<void> {
  const child = spawn(kafkaSh, ["run-class", "org.apache.kafka.tools.ConsoleProducer", "--bootstrap-server", brokers, "--topic", topic], {
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
  const log = opts.log ?? (() => undefined);
  const topic = topicForReplay(opts.topic);
  const raw = await consumeDlq(opts.brokers, topic.deadLetterTopic, opts.waitMs ?? 10_000);
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
  if (!opts.dryRun && byId.size > 0) await produce(opts.brokers, topic.name, [...byId.values()]);
  log(
    `${opts.dryRun ? "would replay" : "replayed"} ${byId.size} event(s) from ${topic.deadLetterTopic} to ${topic.name} (${raw.length} dead-lettered message(s) read)`,
  );
  return [...byId.keys()];
}

/** The CLI (scripts/dlq-replay.ts, `npm run dlq:replay`): exits 1 with one line on failure. */
export async function runDlqReplayCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const get = (n: string) => (argv.includes(`--${n}`) ? argv[argv.indexOf(`--${n}`) + 1] : undefined);
  const brokers = get("brokers") ?? process.env.KAFKA_BROKERS;
  const topic = get("topic");
  try {
    if (!brokers) throw new Error("set KAFKA_BROKERS (or --brokers host:port)");
    if (!topic) throw new Error("--topic <topic or dead-letter topic> is required");
    const waitMs = Number(get("wait-ms") ?? 10_000);
    await replayDeadLetters({ brokers, topic, dryRun: argv.includes("--dry-run"), waitMs, log: (l) => console.log(l) });
  } catch (err) {
    console.error(`dlq-replay: ${(err as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runDlqReplayCli();
