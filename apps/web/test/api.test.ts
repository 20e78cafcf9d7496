/**
 * The client's API calls that the stacks depend on: Web Push's VAPID public key is read from the
 * notifications API with the user's token (no stack passes it to the web app), from a real HTTP server.
 */
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { Api, ApiError, type ApiBases, type Session } from "../client/api.js";

const KEY = `B${"x".repeat(86)}`;
let server: Server;
let notificationsBase: string;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let answer: { status: number; body: unknown } = { status: 200, body: { publicKey: KEY } };

before(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  notificationsBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const bases = (): ApiBases => ({
  tasks: "https://tasks.example.test",
  notifications: notificationsBase,
  audit: "https://audit.example.test",
});
const session: Session = { accessToken: async () => "token-1", renew: async () => false };

test("the Web Push key comes from the notifications API with the bearer token", async () => {
  seen.length = 0;
  answer = { status: 200, body: { publicKey: KEY } };
  assert.equal(await new Api(bases(), session).pushPublicKey(), KEY);
  assert.deepEqual(
    seen.map((s) => [s.url, s.headers.authorization]),
    [["/api/v1/notifications/push/public-key", "Bearer token-1"]],
  );
});

test("a refusal is an ApiError with the problem's detail (the preferences page shows it)", async () => {
  answer = { status: 503, body: { title: "Service Unavailable", detail: "notifications is starting" } };
  await assert.rejects(
    new Api(bases(), session).pushPublicKey(),
    (err: unknown) => err instanceof ApiError && err.status === 503 && err.message === "notifications is starting",
  );
});
