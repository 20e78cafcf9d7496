/**
 * Web Push to a real HTTPS push service on loopback (self-signed certificate made with openssl):
 * the request carries a VAPID Authorization header and an RFC 8291 aes128gcm body that the
 * subscriber's private key decrypts to the reminder payload; 410 Gone answers "gone".
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createECDH, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import webpush from "web-push";
import { webPushSender } from "../src/index.js";

const require = createRequire(import.meta.url);
const ece = require("http_ece") as {
  decrypt(buf: Buffer, params: { version: string; privateKey: ReturnType<typeof createECDH>; authSecret: string }): Buffer;
};

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}
const received: Received[] = [];
let server: https.Server;
let ca: string;
let port: number;
let dir: string;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "push-"));
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      path.join(dir, "key.pem"),
      "-out",
      path.join(dir, "cert.pem"),
    ],
    { stdio: "ignore" },
  );
  ca = readFileSync(path.join(dir, "cert.pem"), "utf8");
  server = https.createServer({ key: readFileSync(path.join(dir, "key.pem")), cert: ca }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(req.url === "/gone" ? 410 : 201).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a reminder is encrypted for the subscriber and signed with VAPID", async () => {
  const vapid = webpush.generateVAPIDKeys();
  const subscriber = createECDH("prime256v1");
  subscriber.generateKeys();
  const authSecret = randomBytes(16).toString("base64url");
  const sender = webPushSender({
    subject: "mailto:ops@tasks.test",
    publicKey: vapid.publicKey,
    privateKey: vapid.privateKey,
    agent: new https.Agent({ ca }),
    ttlSeconds: 120,
  });
  const target = {
    endpoint: `https://127.0.0.1:${port}/push/abc`,
    p256dh: subscriber.getPublicKey().toString("base64url"),
    auth: authSecret,
  };

  assert.equal(await sender.send(target, JSON.stringify({ title: "Reminder: Pay rent" })), "sent");
  const req = received.at(-1)!;
  assert.equal(req.path, "/push/abc");
  assert.equal(req.headers["content-encoding"], "aes128gcm");
  assert.equal(req.headers.ttl, "120");
  assert.match(String(req.headers.authorization), new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${vapid.publicKey}$`));
  assert.equal(sender.publicKey, vapid.publicKey, "the key the API serves to subscribing browsers is the one it signs with");
  const plain = ece.decrypt(req.body, { version: "aes128gcm", privateKey: subscriber, authSecret });
  assert.deepEqual(JSON.parse(plain.toString("utf8")), { title: "Reminder: Pay rent" });

  assert.equal(await sender.send({ ...target, endpoint: `https://127.0.0.1:${port}/gone` }, "{}"), "gone");
});
