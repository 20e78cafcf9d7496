/**
 * The realtime service over a real listening server with real WebSocket clients (ws), and a real
 * HTTP server standing in for the Dapr sidecar's state API.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { subscriptionRoute, topics, type TaskTopicKey } from "@tasks/catalog";
import { createLogger, type TaskSnapshot } from "@tasks/shared";
import { sampleTask, sampleTaskEvent, signTestToken, testJwtKey, daprHeaders } from "@tasks/shared/testing";
import { closeCodes, Hub, type RealtimeAppDeps } from "../src/index.js";
import { MessageBudget, Semaphore } from "../src/limits.js";
import { connect, type TestClient } from "./support/client.js";
import { startRealtimeServer, type RealtimeTestServer } from "./support/server.js";
import { startStateSidecar, type StateSidecar } from "./support/state-sidecar.js";

let sidecar: StateSidecar;
let server: RealtimeTestServer;
let realtime: RealtimeTestServer["realtime"];
let base: string;
let wsUrl: string;
let tokenA: string;
let tokenB: string;
const open: TestClient[] = [];
const logs: Record<string, unknown>[] = [];

before(async () => {
  sidecar = await startStateSidecar();
  server = await startRealtimeServer(
    sidecar.url,
    { maxEvents: 3, ttlSeconds: 600 },
    {
      logger: capturedLogger(),
      auth: { hs256Key: testJwtKey, allowedOrigins: ["https://tasks.example.com"] },
      maxBufferedBytes: 64 * 1024,
      heartbeatMs: 200,
      authTimeoutMs: 300,
    },
  );
  ({ realtime, base, wsUrl } = server);
  tokenA = await signTestToken("user-a");
  tokenB = await signTestToken("user-b");
});
after(async () => {
  await server.close();
  await sidecar.close();
});
beforeEach(() => {
  for (const c of open.splice(0)) c.ws.terminate();
  sidecar.state.clear();
  sidecar.stateStatus = null;
  sidecar.stateDelayMs = 0;
});

/** A logger at info whose lines go to `logs`. */
function capturedLogger() {
  return createLogger({
    service: "realtime",
    level: "info",
    destination: { write: (l: string) => void logs.push(JSON.parse(l) as Record<string, unknown>) },
  });
}

/** A separate instance with its own limits, on its own port; `stop` closes it. */
async function ownInstance(limits: RealtimeAppDeps["limits"], maxEvents = 3) {
  const own = await startRealtimeServer(sidecar.url, { maxEvents }, { heartbeatMs: 600_000, ...(limits ? { limits } : {}) });
  return {
    connect: async (token: string) => {
      const c = await connect(own.wsUrl, ["tasks.v1", `bearer.${token}`]);
      open.push(c);
      await c.next((m) => m.type === "ready");
      return c;
    },
    stop: own.close,
  };
}

async function client(token: string, protocols = true): Promise<TestClient> {
  const c = await connect(wsUrl, protocols ? ["tasks.v1", `bearer.${token}`] : undefined);
  open.push(c);
  if (!protocols) c.ws.send(JSON.stringify({ type: "auth", token }));
  await c.next((m) => m.type === "ready");
  return c;
}

async function deliver<K extends TaskTopicKey>(key: K, task: TaskSnapshot, id?: string): Promise<string> {
  const data =
    key === "taskUpdated" ? { actor: task.userId, task, before: task, after: task, changed: ["title"] } : { actor: task.userId, task };
  const event = sampleTaskEvent(key, data as never, id ? { id } : {});
  const res = await fetch(`${base}${subscriptionRoute(topics[key].name)}`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
    body: JSON.stringify(event),
  });
  assert.deepEqual(await res.json(), { status: "SUCCESS" });
  return event.id;
}

describe("authentication", () => {
  test("with the bearer subprotocol: the server selects tasks.v1 and says ready", async () => {
    const c = await client(tokenA);
    assert.equal(c.ws.protocol, "tasks.v1");
    assert.deepEqual(c.messages[0], { type: "ready", userId: "user-a" });
  });

  test("with a first auth message", async () => {
    const c = await client(tokenB, false);
    assert.deepEqual(c.messages[0], { type: "ready", userId: "user-b" });
  });

  test("a token in the query string is refused before the upgrade", async () => {
    await assert.rejects(connect(`${wsUrl}?access_token=${tokenA}`), { status: 400 });
    await assert.rejects(connect(`${wsUrl}?token=${tokenA}`, ["tasks.v1", `bearer.${tokenA}`]), { status: 400 });
  });

  test("a browser page of another origin cannot open the socket (403); the configured origin and non-browser clients can", async () => {
    const protocols = ["tasks.v1", `bearer.${tokenA}`];
    await assert.rejects(connect(wsUrl, protocols, { origin: "https://evil.example" }), { status: 403 });
    await assert.rejects(connect(wsUrl, protocols, { origin: "null" }), { status: 403 });
    const ok = await connect(wsUrl, protocols, { origin: "https://tasks.example.com" });
    open.push(ok);
    assert.deepEqual((await ok.next((m) => m.type === "ready")).userId, "user-a");
  });

  test("an invalid subprotocol token is 401; a bearer without tasks.v1 is 400", async () => {
    await assert.rejects(connect(wsUrl, ["tasks.v1", "bearer.not-a-jwt"]), { status: 401 });
    await assert.rejects(connect(wsUrl, [`bearer.${tokenA}`]), { status: 400 });
  });

  test("an invalid first-message token, a wrong first message, or silence closes the socket", async () => {
    const bad = await connect(wsUrl);
    bad.ws.send(
      JSON.stringify({ type: "auth", token: await signTestToken("user-a", { key: "another-key-that-is-at-least-32-bytes-long" }) }),
    );
    assert.deepEqual(await bad.closed, { code: closeCodes.unauthorized, reason: "invalid token" });
    const wrong = await connect(wsUrl);
    wrong.ws.send(JSON.stringify({ type: "resume", lastEventId: "x" }));
    assert.deepEqual(await wrong.closed, { code: closeCodes.unauthorized, reason: "authenticate first" });
    const silent = await connect(wsUrl);
    assert.deepEqual(await silent.closed, { code: closeCodes.authTimeout, reason: "authentication timeout" });
  });

  test("health routes answer on the same port", async () => {
    const res = await fetch(`${base}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  });
});

describe("fan-out", () => {
  test("an update reaches every socket of its owner and no socket of another user", async () => {
    const a1 = await client(tokenA);
    const a2 = await client(tokenA, false);
    const b = await client(tokenB);
    const task = sampleTask({ userId: "user-a", title: "A's task" });
    const id = await deliver("taskUpdated", task);
    for (const c of [a1, a2]) {
      const m = await c.next((x) => x.type === "event");
      assert.equal(m.id, id);
      assert.equal(m.topic, "task.updated");
      assert.equal(m.taskId, task.id);
      assert.equal((m.data as { task: TaskSnapshot }).task.title, "A's task");
    }
    const bTask = sampleTask({ userId: "user-b" });
    const bId = await deliver("taskCreated", bTask);
    assert.equal((await b.next((x) => x.type === "event")).id, bId);
    await sleep(100);
    assert.deepEqual(
      b.messages.filter((m) => m.type === "event").map((m) => m.id),
      [bId],
    );
    assert.equal(a1.messages.filter((m) => m.type === "event").length, 1);
  });

  test("a redelivered event reaches each socket once", async () => {
    const a = await client(tokenA);
    const task = sampleTask({ userId: "user-a" });
    const id = await deliver("taskCompleted", task);
    await deliver("taskCompleted", task, id);
    await a.next((x) => x.type === "event");
    await sleep(100);
    assert.equal(a.messages.filter((m) => m.type === "event").length, 1);
  });

  test("the state store failing answers RETRY (the update is not pushed before it is kept)", async () => {
    const a = await client(tokenA);
    sidecar.stateStatus = 500;
    const event = sampleTaskEvent("taskCreated", { actor: "user-a", task: sampleTask({ userId: "user-a" }) });
    const res = await fetch(`${base}${subscriptionRoute(topics.taskCreated.name)}`, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
      body: JSON.stringify(event),
    });
    assert.deepEqual(await res.json(), { status: "RETRY" });
    await sleep(50);
    assert.equal(a.messages.filter((m) => m.type === "event").length, 0);
  });
});

describe("replay on reconnect", () => {
  test("a client that sends its last seen id gets exactly what it missed", async () => {
    const a = await client(tokenA);
    const task = sampleTask({ userId: "user-a" });
    const e1 = await deliver("taskCreated", task);
    await a.next((m) => m.id === e1);
    a.ws.close();
    await a.closed;
    const e2 = await deliver("taskUpdated", task);
    const e3 = await deliver("taskCompleted", task);
    await deliver("taskCreated", sampleTask({ userId: "user-b" }));

    const again = await connect(wsUrl);
    open.push(again);
    again.ws.send(JSON.stringify({ type: "auth", token: tokenA, lastEventId: e1 }));
    await again.next((m) => m.type === "replayed");
    assert.deepEqual(
      again.messages.map((m) => (m.type === "event" ? m.id : m.type)),
      ["ready", e2, e3, "replayed"],
    );
    assert.deepEqual(again.messages.at(-1), { type: "replayed", count: 2, complete: true });
  });

  test("resume after subprotocol auth; an id no longer kept replays everything kept and says incomplete", async () => {
    const task = sampleTask({ userId: "user-a" });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push(await deliver("taskUpdated", task));
    const a = await client(tokenA);
    a.ws.send(JSON.stringify({ type: "resume", lastEventId: ids[0] }));
    const done = await a.next((m) => m.type === "replayed");
    assert.deepEqual(done, { type: "replayed", count: 3, complete: false });
    assert.deepEqual(
      a.messages.filter((m) => m.type === "event").map((m) => m.id),
      ids.slice(2),
    );
  });

  test("history is kept per user in the state store, last N only, with ttlInSeconds", async () => {
    const task = sampleTask({ userId: "user-a" });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await deliver("taskUpdated", task));
    const entry = sidecar.state.get("statestore/history-user-a");
    assert.deepEqual(
      (entry?.value as { id: string }[]).map((e) => e.id),
      ids.slice(1),
    );
    assert.deepEqual(entry?.metadata, { ttlInSeconds: "600" });
    assert.equal(sidecar.state.has("statestore/history-user-b"), false);
  });
});

describe("liveness and backpressure", () => {
  test("a socket that stops answering pings is terminated and removed", async () => {
    const before = realtime.hub.size;
    const mute = await connect(wsUrl, ["tasks.v1", `bearer.${tokenA}`], { autoPong: false });
    open.push(mute);
    await mute.next((m) => m.type === "ready");
    assert.equal(realtime.hub.size, before + 1);
    const closed = await mute.closed;
    assert.equal(closed.code, 1006);
    assert.ok(logs.some((l) => l.msg === "terminated sockets that missed a heartbeat"));
    assert.equal(realtime.hub.size, before);
  });

  test("a client that does not read is disconnected once its send buffer passes the threshold", async () => {
    // An instance whose heartbeat cannot fire during the test, so only the buffer check can cut.
    const ownServer = await startRealtimeServer(
      sidecar.url,
      { maxEvents: 2 },
      { logger: capturedLogger(), maxBufferedBytes: 64 * 1024, heartbeatMs: 600_000 },
    );
    const own = ownServer.realtime;
    try {
      const slow = await connect(ownServer.wsUrl, ["tasks.v1", `bearer.${tokenA}`]);
      const fast = await connect(ownServer.wsUrl, ["tasks.v1", `bearer.${tokenB}`]);
      open.push(slow, fast);
      await slow.next((m) => m.type === "ready");
      await fast.next((m) => m.type === "ready");
      (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const big = sampleTask({ userId: "user-a", description: "x".repeat(200 * 1024) });
      let delivered = 0;
      const deadline = Date.now() + 20_000;
      while (own.hub.size > 1 && Date.now() < deadline) {
        const event = sampleTaskEvent("taskUpdated", { actor: "user-a", task: big, before: big, after: big, changed: ["description"] });
        const res = await fetch(`${ownServer.base}${subscriptionRoute(topics.taskUpdated.name)}`, {
          method: "POST",
          headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
          body: JSON.stringify(event),
        });
        assert.deepEqual(await res.json(), { status: "SUCCESS" });
        delivered++;
      }
      assert.equal(own.hub.size, 1, `slow client still connected after ${delivered} large updates`);
      assert.ok(logs.some((l) => l.msg === "slow consumer disconnected" && l.userId === "user-a"));
      // The other user's socket is unaffected.
      const t = sampleTask({ userId: "user-b" });
      const event = sampleTaskEvent("taskCreated", { actor: "user-b", task: t });
      await fetch(`${ownServer.base}${subscriptionRoute(topics.taskCreated.name)}`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
        body: JSON.stringify(event),
      });
      assert.equal((await fast.next((m) => m.id === event.id)).id, event.id);
    } finally {
      await ownServer.close();
    }
  });
});

describe("limits on client messages", () => {
  test("more messages than the per-connection rate close the socket with 4429", async () => {
    const own = await ownInstance({ messagesPerSecond: 1, messageBurst: 3 });
    try {
      const a = await own.connect(tokenA);
      const readsBefore = sidecar.stateReads;
      for (let i = 0; i < 3; i++) {
        a.ws.send(JSON.stringify({ type: "resume", lastEventId: `e${i}` }));
        await a.next((m) => m.type === "replayed");
      }
      a.ws.send(JSON.stringify({ type: "resume", lastEventId: "e3" }));
      assert.deepEqual(await a.closed, { code: closeCodes.rateLimited, reason: "too many messages" });
      assert.equal(sidecar.stateReads - readsBefore, 3, "the refused message read nothing");
    } finally {
      await own.stop();
    }
  });

  test("10,000 resume messages from one socket: one history read, the socket closed with 4429, others unaffected", async () => {
    sidecar.stateDelayMs = 200;
    const own = await ownInstance(undefined);
    try {
      const a = await own.connect(tokenA);
      const b = await own.connect(tokenB);
      const readsBefore = sidecar.stateReads;
      const burst = JSON.stringify({ type: "resume", lastEventId: "x" });
      for (let i = 0; i < 10_000; i++) a.ws.send(burst);
      assert.deepEqual(await a.closed, { code: closeCodes.rateLimited, reason: "one resume at a time" });
      await sleep(300);
      assert.equal(sidecar.stateReads - readsBefore, 1, "only the first resume reached the state store");
      b.ws.send(JSON.stringify({ type: "resume", lastEventId: "y" }));
      assert.deepEqual(await b.next((m) => m.type === "replayed"), { type: "replayed", count: 0, complete: false });
    } finally {
      await own.stop();
    }
  });

  test("a replay sends at most maxReplayEvents events even when the store holds more", async () => {
    const own = await ownInstance({ maxReplayEvents: 2 }, 10);
    try {
      const stored = Array.from({ length: 10 }, (_, i) => ({
        id: `h${i}`,
        topic: "task.updated",
        time: new Date().toISOString(),
        taskId: "t",
        data: {},
      }));
      sidecar.state.set("statestore/history-user-a", { value: stored, etag: 1, metadata: undefined });
      const a = await own.connect(tokenA);
      a.ws.send(JSON.stringify({ type: "resume", lastEventId: "h0" }));
      assert.deepEqual(await a.next((m) => m.type === "replayed"), { type: "replayed", count: 2, complete: false });
      assert.deepEqual(
        a.messages.filter((m) => m.type === "event").map((m) => m.id),
        ["h8", "h9"],
      );
    } finally {
      await own.stop();
    }
  });

  test("live updates held during a slow replay are bounded: past the cap the socket is cut as a slow consumer", async () => {
    const hub = new Hub({ maxPending: 2 });
    const sent: string[] = [];
    let terminated = false;
    const socket = {
      OPEN: 1,
      readyState: 1,
      bufferedAmount: 0,
      on: () => undefined,
      send: (t: string) => void sent.push(t),
      terminate: () => void (terminated = true),
    } as unknown as import("ws").WebSocket;
    hub.add(socket, "u");
    hub.beginReplay(socket);
    for (let i = 0; i < 2; i++) hub.publish("u", { type: "event", id: `e${i}`, topic: "t", time: "", taskId: "x", data: {} });
    assert.equal(terminated, false);
    hub.publish("u", { type: "event", id: "e2", topic: "t", time: "", taskId: "x", data: {} });
    assert.equal(terminated, true);
    assert.equal(hub.size, 0);
  });
});

describe("limit helpers", () => {
  test("MessageBudget refills at its rate up to the burst", () => {
    let t = 0;
    const b = new MessageBudget(2, 3, () => t);
    assert.deepEqual([b.take(), b.take(), b.take(), b.take()], [true, true, true, false]);
    t += 500;
    assert.deepEqual([b.take(), b.take()], [true, false]);
    t += 10_000;
    assert.deepEqual([b.take(), b.take(), b.take(), b.take()], [true, true, true, false]);
  });

  test("Semaphore runs at most `limit` tasks at once, the rest in order", async () => {
    const s = new Semaphore(2);
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        s.run(async () => {
          peak = Math.max(peak, s.running);
          await sleep(10);
          order.push(i);
        }),
      ),
    );
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4, 5]);
  });
});
