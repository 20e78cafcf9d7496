/**
 * Dead letters through real daprd sidecars and Kafka: a poison event is answered DROP by every
 * subscriber, lands in the topic's dead-letter topic, and the consumer logs why; npm run dlq:replay
 * republishes dead-lettered events to the original topic once, so a replayed valid event is processed.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { allServices, topics } from "@tasks/catalog";
import { repoRoot } from "@tasks/dev-platform/dev-platform";
import { replayDeadLetters } from "@tasks/dev-platform/dlq-replay";
import { api, eventually, useTestPlatform, waitRealtimeLive } from "./helpers.js";

const platform = useTestPlatform();

const kafkaSh = path.join(repoRoot, "scripts", "integration", "kafka.sh");

/** Every message on `topic` (from the beginning, no consumer group), as text lines. */
async function readTopic(topic: string, waitMs = 8000): Promise<string[]> {
  const args = [
    "run-class",
    "org.apache.kafka.tools.consumer.ConsoleConsumer",
    "--bootstrap-server",
    platform().kafkaBrokers,
    "--topic",
    topic,
    "--from-beginning",
    "--timeout-ms",
    String(waitMs),
  ];
  const out = await promisify(execFile)(kafkaSh, args, {
    env: { ...process.env, KAFKA_BROKERS: platform().kafkaBrokers },
    maxBuffer: 64 << 20,
  }).catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? "" }));
  return out.stdout.split("\n").filter((l) => l.startsWith("{"));
}

async function produce(topic: string, line: string): Promise<void> {
  const { spawn } = await import("node:child_process");
  const child = spawn(
    kafkaSh,
    ["run-class", "org.apache.kafka.tools.ConsoleProducer", "--bootstrap-server", platform().kafkaBrokers, "--topic", topic],
    { stdio: ["pipe", "ignore", "ignore"], env: { ...process.env, KAFKA_BROKERS: platform().kafkaBrokers } },
  );
  child.stdin.end(`${line}\n`);
  assert.equal(await new Promise((r) => child.on("exit", r)), 0, `producing to ${topic}`);
}

test("a poison event lands in the dead-letter topic and the consumer logs the reason", { timeout: 240_000 }, async () => {
  const id = `poison-${randomUUID()}`;
  // realtime's broadcast group starts at the newest offset: publish only once it has its partitions,
  // or it never sees the poison event and dead-letters nothing.
  await waitRealtimeLive(platform(), `probe-${randomUUID()}`);
  const res = await fetch(
    `http://127.0.0.1:${platform().services["tasks-api"].daprHttpPort}/v1.0/publish/pubsub/${topics.taskCompleted.name}`,
    {
      method: "POST",
      // The sidecar's API needs its app's API token (only tasks-api holds it).
      headers: { "content-type": "application/cloudevents+json", "dapr-api-token": platform().services["tasks-api"].daprApiToken! },
      body: JSON.stringify({
        specversion: "1.0",
        id,
        source: "integration-test",
        type: topics.taskCompleted.eventType,
        datacontenttype: "application/json",
        data: { bogus: true },
      }),
    },
  );
  assert.equal(res.status, 204);
  const subscribers = allServices.filter((s) => s.subscribes.some((x) => x.topic === topics.taskCompleted.name)).length;
  // Each read starts a JVM, so a probe takes seconds on a busy machine.
  let seen = 0;
  const dead = await eventually(`${subscribers} dead-lettered copies of ${id}`, 120_000, async () => {
    const found = (await readTopic(topics.taskCompleted.deadLetterTopic)).filter((l) => l.includes(id));
    seen = found.length;
    return found.length >= subscribers ? found : undefined;
  }).catch((e: Error) => {
    throw new Error(`${e.message} (last read found ${seen})`);
  });
  assert.equal(dead.length, subscribers, "one dead letter per subscriber that dropped it");
  assert.deepEqual((JSON.parse(dead[0]!) as { data: unknown }).data, { bogus: true });
  // The reason is in the consumer's log next to the event id.
  const auditLog = readFileSync(path.join(platform().workDir, "logs", "audit.log"), "utf8")
    .split("\n")
    .find((l) => l.includes(id));
  assert.ok(auditLog, "audit logged the dropped event");
  const entry = JSON.parse(auditLog) as { msg: string; errors: { field: string }[] };
  assert.equal(entry.msg, "event does not match the topic schema; dropping");
  assert.deepEqual(entry.errors.map((e) => e.field).sort(), ["data.actor", "data.task"]);
});

test("dlq-replay republishes a dead-lettered event once and it is processed", { timeout: 150_000 }, async () => {
  const user = `dlq-${randomUUID()}`;
  const token = await platform().token(user);
  const created = await api<{ id: string }>(`${platform().services["tasks-api"].url}/api/v1/tasks`, token, { body: { title: "template" } });
  assert.equal(created.status, 201);
  // A real task.created event, turned into one for a task audit never saw, as if audit had dropped it
  // (e.g. a schema bug since fixed) and Dapr had dead-lettered it.
  const original = await eventually("the task.created event on Kafka", 60_000, async () =>
    (await readTopic(topics.taskCreated.name)).find((l) => l.includes(created.body.id)),
  );
  const lostTaskId = randomUUID();
  const lostEventId = randomUUID();
  const lost = JSON.stringify({ ...(JSON.parse(original.replaceAll(created.body.id, lostTaskId)) as object), id: lostEventId });
  await produce(topics.taskCreated.deadLetterTopic, lost);

  const replayed = await replayDeadLetters({ brokers: platform().kafkaBrokers, topic: topics.taskCreated.name, waitMs: 8000 });
  assert.ok(replayed.includes(lostEventId), `replayed ${JSON.stringify(replayed)}`);
  const audit = await eventually("audit to record the replayed event", 60_000, async () => {
    const r = await api<{ items: { action: string; eventId: string }[] }>(
      `${platform().services.audit.url}/api/v1/audit?taskId=${lostTaskId}`,
      token,
    );
    return r.body.items.length > 0 ? r.body.items : undefined;
  });
  assert.deepEqual(
    audit.map((e) => [e.action, e.eventId]),
    [["created", lostEventId]],
  );
  // A second run finds nothing new: the replay group's offsets were committed.
  assert.deepEqual(await replayDeadLetters({ brokers: platform().kafkaBrokers, topic: topics.taskCreated.name, waitMs: 5000 }), []);
});
