/**
 * Property-based fuzz of the realtime WebSocket endpoint (issue 21), its only public route: fast-check
 * sequences of client messages (valid and broken JSON, wrong types, resumes with hostile ids, binary
 * frames, oversized text) from user A — authenticated by subprotocol, by first message, or not at all —
 * while user B's updates are delivered. Properties: the server never fails (an unhandled error would
 * fail this process), every close uses a code of the protocol, A never receives B's updates, and B's
 * socket keeps receiving its own. Raw protocol violations are in frames.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { subscriptionRoute, topics } from "@tasks/catalog";
import { daprHeaders, sampleTask, sampleTaskEvent, signTestToken } from "@tasks/shared/testing";
import fc from "fast-check";
import { closeCodes } from "../src/index.js";
import { connect, type TestClient } from "./support/client.js";
import { startRealtimeServer, type RealtimeTestServer } from "./support/server.js";
import { startStateSidecar, type StateSidecar } from "./support/state-sidecar.js";

let sidecar: StateSidecar;
let server: RealtimeTestServer;
let base: string;
let wsUrl: string;

before(async () => {
  sidecar = await startStateSidecar();
  server = await startRealtimeServer(
    sidecar.url,
    { maxEvents: 5 },
    { heartbeatMs: 600_000, authTimeoutMs: 300, limits: { messagesPerSecond: 50, messageBurst: 30 } },
  );
  ({ base, wsUrl } = server);
});
after(async () => {
  await server.close();
  await sidecar.close();
});

const protocolCloses = new Set<number>([1000, 1005, 1006, ...Object.values(closeCodes)]);

const message = fc.oneof(
  fc.constantFrom(
    '{"type":"resume","lastEventId":"x"}',
    '{"type":"resume"}',
    '{"type":"resume","lastEventId":""}',
    `{"type":"resume","lastEventId":"${"i".repeat(300)}"}`,
    '{"type":"auth","token":"not.a.jwt"}',
    '{"type":"subscribe","userId":"user-b"}',
    '{"type":"resume","lastEventId":"x","userId":"user-b"}',
    "null",
    "[]",
    "{",
    "",
    "😀",
  ),
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 40 }),
  fc.constant(Buffer.from([0, 1, 2])),
  fc.constant("x".repeat(17 * 1024)),
);

test("fuzz: random client messages never crash the server nor leak another user's updates", { timeout: 300_000 }, async (t) => {
  const tokenA = await signTestToken("user-a");
  const b = await connect(wsUrl, ["tasks.v1", `bearer.${await signTestToken("user-b")}`]);
  await b.next((m) => m.type === "ready");
  const deliverToB = async () => {
    const task = sampleTask({ userId: "user-b", title: "B's secret" });
    const event = sampleTaskEvent("taskUpdated", { actor: "user-b", task, before: task, after: task, changed: ["title"] });
    const res = await fetch(`${base}${subscriptionRoute(topics.taskUpdated.name)}`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
      body: JSON.stringify(event),
    });
    assert.deepEqual(await res.json(), { status: "SUCCESS" });
    return event.id;
  };
  let sent = 0;
  let sessions = 0;
  const bIds: string[] = [];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom("subprotocol", "first-message", "none"),
      fc.array(message, { minLength: 1, maxLength: 8 }),
      async (auth, msgs) => {
        let a: TestClient;
        try {
          a = await connect(wsUrl, auth === "subprotocol" ? ["tasks.v1", `bearer.${tokenA}`] : undefined);
        } catch (err) {
          assert.fail(`connect failed: ${String(err)}`);
        }
        sessions++;
        if (auth === "first-message") a.ws.send(JSON.stringify({ type: "auth", token: tokenA }));
        for (const m of msgs) {
          if (a.ws.readyState !== a.ws.OPEN) break;
          a.ws.send(m);
          sent++;
        }
        bIds.push(await deliverToB());
        const closed = await Promise.race([a.closed, new Promise<undefined>((r) => setTimeout(() => r(undefined), 60))]);
        if (closed) assert.ok(protocolCloses.has(closed.code), `close code ${closed.code} (${closed.reason})`);
        a.ws.terminate();
        const leaked = a.messages.filter((m) => m.type === "event" && bIds.includes(String(m.id)));
        assert.deepEqual(leaked, [], "user A received user B's update");
        assert.ok(
          a.messages.every((m) => m.type !== "ready" || m.userId === "user-a"),
          `ready for another user: ${JSON.stringify(a.messages)}`,
        );
      },
    ),
    { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
  );
  // B's socket got every one of its updates throughout.
  for (const id of bIds) await b.next((m) => m.id === id, 5000);
  b.ws.close();
  const summary = `realtime fuzz: ${sessions} sessions, ${sent} client messages, ${bIds.length} deliveries to the other user`;
  t.diagnostic(summary);
  console.log(summary);
});
