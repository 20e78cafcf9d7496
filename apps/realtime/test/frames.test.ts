/**
 * Hostile frames against the real entry point (main.ts in a child process, a real HTTP server standing in
 * for the sidecar): each frame of the outside probe that used to end the process with "Unhandled 'error'
 * event" now closes only its own connection with the RFC 6455 code, and the process keeps serving the
 * other users. The frames are raw bytes over net.Socket after the opening handshake.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { subscriptionRoute, topics } from "@tasks/catalog";
import {
  freeTcpPort,
  sampleTask,
  sampleTaskEvent,
  startTestJwks,
  startServiceProcess,
  type TestJwks,
  type ServiceProcess,
  daprHeaders,
  testApiToken,
  writeTestAppTokenFile,
} from "@tasks/shared/testing";
import { closeCodes, wsPath } from "../src/index.js";
import { connect, type TestClient } from "./support/client.js";
import { encodeFrame, rawConnect } from "./support/raw-socket.js";
import { startStateSidecar, type StateSidecar } from "./support/state-sidecar.js";

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/main.ts");
const TEXT = 0x1;

let sidecar: StateSidecar;
let jwks: TestJwks;
let svc: ServiceProcess;
let port: number;
let bystander: TestClient;

before(async () => {
  sidecar = await startStateSidecar();
  sidecar.apiToken = testApiToken;
  jwks = await startTestJwks();
  port = await freeTcpPort();
  svc = startServiceProcess(entry, {
    ...jwks.env,
    PORT: String(port),
    HOST: "127.0.0.1",
    DAPR_HTTP_PORT: new URL(sidecar.url).port,
    DAPR_APP_TOKEN_FILE: writeTestAppTokenFile(),
    DAPR_API_TOKEN_FILE: writeTestAppTokenFile(testApiToken),
    LOG_LEVEL: "info",
  });
  await svc.waitForLog((l) => l.msg === "listening");
  // Another user's connection, open through every attack: it must keep receiving its updates.
  bystander = await connect(`ws://127.0.0.1:${port}${wsPath}`, ["tasks.v1", `bearer.${await jwks.sign("bystander")}`]);
  await bystander.next((m) => m.type === "ready");
});
after(async () => {
  bystander?.ws.terminate();
  svc?.child.kill("SIGKILL");
  await sidecar?.close();
  await jwks?.close();
});

async function stillServing(label: string): Promise<void> {
  assert.equal(svc.child.exitCode, null, `the process exited after ${label}: ${JSON.stringify(svc.logs.slice(-5))}`);
  assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  const task = sampleTask({ userId: "bystander" });
  const event = sampleTaskEvent("taskUpdated", { actor: "bystander", task, before: task, after: task, changed: ["title"] });
  const res = await fetch(`http://127.0.0.1:${port}${subscriptionRoute(topics.taskUpdated.name)}`, {
    method: "POST",
    headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
    body: JSON.stringify(event),
  });
  assert.deepEqual(await res.json(), { status: "SUCCESS" });
  assert.equal((await bystander.next((m) => m.id === event.id)).id, event.id, `the other user's socket still gets updates after ${label}`);
  const fresh = await connect(`ws://127.0.0.1:${port}${wsPath}`, ["tasks.v1", `bearer.${await jwks.sign("newcomer")}`]);
  await fresh.next((m) => m.type === "ready");
  fresh.ws.close();
}

const cases: { name: string; frame: () => Buffer; code: number }[] = [
  {
    name: "a text frame over 16 KiB",
    frame: () => encodeFrame({ opcode: TEXT, payload: Buffer.from("x".repeat(16 * 1024 + 1)) }),
    code: closeCodes.messageTooBig,
  },
  {
    name: "invalid UTF-8 in a text frame",
    frame: () => encodeFrame({ opcode: TEXT, payload: Buffer.from([0xc3, 0x28]) }),
    code: closeCodes.invalidPayload,
  },
  {
    name: "an unmasked client frame",
    frame: () => encodeFrame({ opcode: TEXT, payload: Buffer.from("{}"), mask: false }),
    code: closeCodes.protocolError,
  },
  {
    name: "RSV1 set without an extension",
    frame: () => encodeFrame({ opcode: TEXT, payload: Buffer.from("{}"), rsv1: true }),
    code: closeCodes.protocolError,
  },
  {
    name: "an unknown opcode (0x3)",
    frame: () => encodeFrame({ opcode: 0x3, payload: Buffer.from("{}") }),
    code: closeCodes.protocolError,
  },
];

describe("one bad frame closes only its own connection; the process keeps serving", () => {
  for (const c of cases) {
    test(`unauthenticated: ${c.name} → close ${c.code}`, async () => {
      const raw = await rawConnect(port, wsPath);
      raw.send(c.frame());
      assert.equal((await raw.closed).code, c.code);
      await stillServing(c.name);
    });
  }

  test("authenticated: the same frames after the subprotocol handshake", async () => {
    for (const c of cases) {
      const raw = await rawConnect(port, wsPath, ["tasks.v1", `bearer.${await jwks.sign("attacker")}`]);
      raw.send(c.frame());
      assert.equal((await raw.closed).code, c.code, c.name);
    }
    await stillServing("every bad frame from an authenticated socket");
  });

  test("a binary frame is refused with 1003", async () => {
    const raw = await rawConnect(port, wsPath);
    raw.send(encodeFrame({ opcode: 0x2, payload: Buffer.from([1, 2, 3]) }));
    assert.equal((await raw.closed).code, closeCodes.unsupportedData);
    await stillServing("a binary frame");
  });

  test("a connection reset in the middle of the handshake", async () => {
    const { connect: netConnect } = await import("node:net");
    const s = netConnect(port, "127.0.0.1");
    await new Promise((r) => s.once("connect", r));
    s.write(`GET ${wsPath} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n`);
    s.write(
      `Sec-WebSocket-Key: ${Buffer.alloc(16).toString("base64")}\r\nSec-WebSocket-Protocol: tasks.v1, bearer.${await jwks.sign("x")}\r\n\r\n`,
    );
    s.resetAndDestroy();
    await stillServing("a reset during the handshake");
  });
});
