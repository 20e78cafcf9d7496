// The app behind the smoke check's daprd (scripts/integration/smoke.sh): subscribes to one topic
// programmatically, accepts Dapr job triggers, and reports what it received on GET /received.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

interface Received {
  readonly events: { readonly topic: string; readonly data: unknown; readonly at: number }[];
  readonly jobs: { readonly name: string; readonly data: unknown; readonly at: number }[];
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`smoke app: environment variable ${name} is required`);
  return value;
}

const port = Number(requiredEnv("SMOKE_APP_PORT"));
const pubsubName = requiredEnv("SMOKE_PUBSUB");
const topic = requiredEnv("SMOKE_TOPIC");
const received: Received = { events: [], jobs: [] };

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text === "" ? null : (JSON.parse(text) as unknown);
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? "/").split("?")[0] ?? "/";
  if (req.method === "GET" && path === "/healthz") return send(res, 200, { ok: true });
  if (req.method === "GET" && path === "/received") return send(res, 200, received);
  if (req.method === "GET" && path === "/dapr/subscribe") {
    return send(res, 200, [{ pubsubname: pubsubName, topic, route: "/events" }]);
  }
  if (req.method === "POST" && path === "/events") {
    // A CloudEvent envelope; the published payload is in `data`.
    const envelope = (await readJson(req)) as { data?: unknown } | null;
    received.events.push({ topic, data: envelope?.data ?? null, at: Date.now() });
    console.log(`event on ${topic}: ${JSON.stringify(envelope?.data)}`);
    return send(res, 200, { status: "SUCCESS" });
  }
  if (req.method === "POST" && path.startsWith("/job/")) {
    const name = decodeURIComponent(path.slice("/job/".length));
    const data = await readJson(req);
    received.jobs.push({ name, data, at: Date.now() });
    console.log(`job ${name}: ${JSON.stringify(data)}`);
    return send(res, 200);
  }
  send(res, 404, { error: `no route ${req.method} ${path}` });
}

createServer((req, res) => {
  handle(req, res).catch((err: unknown) => {
    console.error(err);
    send(res, 500, { error: String(err) });
  });
}).listen(port, "127.0.0.1", () => console.log(`smoke app listening on 127.0.0.1:${port}`));
