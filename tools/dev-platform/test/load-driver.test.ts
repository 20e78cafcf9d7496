import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { chooseOperation, mix, percentile, runLoad, type Operation } from "../src/load-driver.js";

/** A stand-in tasks API that records what each user did to which of its own tasks. */
interface FakeTask {
  user: string;
  recurring: boolean;
  status: "open" | "completed";
  deleted: boolean;
}
const tasks = new Map<string, FakeTask>();
const seen: Record<Operation, number> = { list: 0, search: 0, create: 0, update: 0, complete: 0, delete: 0 };
let failEvery = 0;
let requests = 0;

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = "";
  for await (const chunk of req) body += String(chunk);
  const user = /^Bearer token-(.+)$/.exec(req.headers.authorization ?? "")?.[1];
  const url = new URL(req.url!, "http://x");
  const [, , , , id, action] = url.pathname.split("/");
  const send = (status: number, json?: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(json === undefined ? undefined : JSON.stringify(json));
  };
  if (!user) return send(401, {});
  if (failEvery && ++requests % failEvery === 0) return send(503, {});
  const own = id ? tasks.get(id) : undefined;
  if (id && (!own || own.user !== user || own.deleted)) return send(404, {});
  if (req.method === "GET") {
    seen[url.searchParams.has("q") ? "search" : "list"]++;
    return send(200, { items: [] });
  }
  if (req.method === "POST" && !id) {
    seen.create++;
    const parsed = JSON.parse(body) as { recurrence?: string };
    const newId = randomUUID();
    tasks.set(newId, { user, recurring: parsed.recurrence !== undefined, status: "open", deleted: false });
    return send(201, { id: newId });
  }
  if (req.method === "POST" && action === "complete") {
    seen.complete++;
    if (own!.status === "completed") return send(409, {});
    own!.status = "completed";
    return send(200, {});
  }
  if (req.method === "PATCH") {
    seen.update++;
    return send(own!.status === "open" ? 200 : 409, {});
  }
  if (req.method === "DELETE") {
    seen.delete++;
    own!.deleted = true;
    return send(204);
  }
  send(405, {});
}

const server = createServer((req, res) => void handle(req, res));
let baseUrl = "";
before(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const plan = { users: 40, rampUpSeconds: 1, steadySeconds: 3, rampDownSeconds: 1, thinkMs: { min: 5, max: 25 } };

describe("runLoad", () => {
  it("signs every user in once and runs the mix on each user's own tasks, without errors", async () => {
    const signIns: string[] = [];
    const r = await runLoad({
      ...plan,
      baseUrl,
      userPrefix: "u-",
      signIn: async (u) => {
        signIns.push(u);
        return `token-${u}`;
      },
    });
    assert.equal(r.signedIn, 40);
    assert.deepEqual([...signIns].sort(), Array.from({ length: 40 }, (_, i) => `u-${i}`).sort());
    assert.equal(r.errors, 0, JSON.stringify(r.errorKinds));
    assert.ok(r.requests > 100, `${r.requests} requests`);
    for (const op of ["list", "search", "create", "update", "complete", "delete"] as const) assert.ok(r.operations[op].count > 0, op);
    // Recurring series completed, as the server saw them: the number the invariants compare next occurrences to.
    const completedSeries = [...tasks.values()].filter((t) => t.recurring && t.status === "completed").length;
    assert.equal(r.recurringCompletions, completedSeries);
    assert.ok(completedSeries > 0);
    assert.equal([...tasks.values()].filter((t) => t.recurring && t.deleted).length, 0, "series are never deleted");
    assert.deepEqual(
      Object.fromEntries(Object.entries(r.operations).map(([op, s]) => [op, s.count])),
      seen,
      "every request counted under its operation",
    );
    // The last user stops at ramp-up + steady + 39/40 of the ramp-down; the run ends within its bound.
    assert.ok(r.seconds >= 4.9 && r.seconds < 8, `bounded: ${r.seconds} s`);
  });

  it("retries a failed sign-in (a connection reset) and reports the retries, and gives up after the third failure", async () => {
    const attempts = new Map<string, number>();
    const flaky = async (u: string) => {
      const n = (attempts.get(u) ?? 0) + 1;
      attempts.set(u, n);
      if (n < 3) throw new Error("sign-in: cannot reach http://127.0.0.1:1: ECONNRESET");
      return `token-${u}`;
    };
    const quick = { ...plan, users: 2, steadySeconds: 1 };
    const r = await runLoad({ ...quick, baseUrl, userPrefix: "r-", signIn: flaky });
    assert.equal(r.signedIn, 2);
    assert.equal(r.errorKinds["sign-in retried"], 4);
    await assert.rejects(
      runLoad({ ...quick, users: 1, baseUrl, userPrefix: "x-", signIn: () => Promise.reject(new Error("ECONNRESET")) }),
      /ECONNRESET/,
    );
  });

  it("counts error responses per operation and kind", async () => {
    failEvery = 10;
    try {
      const r = await runLoad({ ...plan, users: 10, baseUrl, userPrefix: "e-", signIn: async (u) => `token-${u}` });
      assert.ok(r.errors > 0);
      assert.equal(
        r.errors,
        Object.values(r.operations).reduce((a, s) => a + s.errors, 0),
      );
      assert.equal(
        r.errors,
        Object.entries(r.errorKinds)
          .filter(([k]) => k.endsWith(" 503"))
          .reduce((a, [, n]) => a + n, 0),
      );
    } finally {
      failEvery = 0;
    }
  });
});

describe("percentile", () => {
  it("is the nearest-rank percentile", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 50), 50);
    assert.equal(percentile(xs, 95), 95);
    assert.equal(percentile(xs, 99), 99);
    assert.equal(percentile([], 95), 0);
  });
  it("the mix adds up to 100 %", () => {
    assert.equal(Math.round(mix.reduce((a, [, s]) => a + s, 0) * 1000), 1000);
  });
  it("draws list/search 60 %, create 15 %, update 10 %, complete 10 %, delete 5 %", () => {
    const n = 10_000;
    const counts: Record<string, number> = {};
    for (let i = 0; i < n; i++) counts[chooseOperation(i / n)] = (counts[chooseOperation(i / n)] ?? 0) + 1;
    const want = { list: 3000, search: 3000, create: 1500, update: 1000, complete: 1000, delete: 500 };
    // ±1 of 10,000: the shares' float sums put a boundary draw on either side.
    for (const [op, n] of Object.entries(want)) assert.ok(Math.abs((counts[op] ?? 0) - n) <= 1, `${op}: ${counts[op]} of ${n}`);
  });
});
