import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TaskSnapshot } from "@tasks/shared";
import { startHarness, type Harness, type ProblemJson } from "./harness.js";

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

const base = "/api/v1/tasks";
interface Page {
  items: TaskSnapshot[];
  nextCursor: string | null;
}

async function create(user: string, body: Record<string, unknown>): Promise<TaskSnapshot> {
  const res = await h.as(user, { method: "POST", url: base, body });
  assert.equal(res.status, 201, res.text);
  return res.json<TaskSnapshot>();
}
async function list(user: string, qs: string): Promise<Page> {
  const res = await h.as(user, { url: `${base}?${qs}` });
  assert.equal(res.status, 200, res.text);
  return res.json<Page>();
}
const titles = (p: Page) => p.items.map((t) => t.title);

describe("full-text search", () => {
  test("matches title, tags and description (stemmed), ranked title > tags > description, and only the caller's", async () => {
    const u = "search-user";
    await create(u, { title: "Buy groceries", description: "milk and eggs" });
    await create(u, { title: "Call plumber", description: "about the leaking kitchen sink; also buy a new tap" });
    await create(u, { title: "Tidy garage", tags: ["buying"] });
    await create(u, { title: "Buying a car: compare buy options", description: "buy buy buy" });
    await create(u, { title: "Unrelated" });
    await create("other-user", { title: "Buy a boat" });
    const page = await list(u, `q=${encodeURIComponent("buy")}`);
    assert.deepEqual(titles(page), ["Buying a car: compare buy options", "Buy groceries", "Tidy garage", "Call plumber"]);
    assert.deepEqual(titles(await list(u, `q=${encodeURIComponent('"kitchen sink"')}`)), ["Call plumber"]);
    assert.deepEqual(titles(await list(u, `q=${encodeURIComponent("buy -car")}`)), ["Buy groceries", "Tidy garage", "Call plumber"]);
    assert.deepEqual(titles(await list(u, `q=${encodeURIComponent("garage or plumber")}&sort=title`)), ["Call plumber", "Tidy garage"]);
    assert.deepEqual(titles(await list(u, "q=nothingmatches")), []);
  });
});

describe("filters combine with AND", () => {
  const u = "filter-user";
  const ids: Record<string, string> = {};
  before(async () => {
    const past = new Date(Date.now() - 86_400_000).toISOString();
    const soon = new Date(Date.now() + 86_400_000).toISOString();
    const specs: [string, Record<string, unknown>][] = [
      ["a", { priority: "high", tags: ["work", "urgent"], dueAt: past, timeZone: "UTC" }],
      ["b", { priority: "low", tags: ["work"], dueAt: soon, timeZone: "UTC" }],
      ["c", { priority: "urgent", tags: ["home"], dueAt: past, timeZone: "UTC" }],
      ["d", { priority: "high", tags: ["home", "work"] }],
      ["e", { priority: "medium", tags: [], dueAt: "2031-06-01T00:00:00Z", timeZone: "UTC" }],
    ];
    for (const [title, body] of specs) ids[title] = (await create(u, { title, ...body })).id;
    await h.as(u, { method: "POST", url: `${base}/${ids.c}/complete` });
  });
  const got = async (qs: string) => titles(await list(u, `${qs}&sort=title`)).join("");

  test("status, priority set, tags all-of / any-of", async () => {
    assert.equal(await got("status=open"), "abde");
    assert.equal(await got("status=completed"), "c");
    assert.equal(await got("priority=high,urgent"), "acd");
    assert.equal(await got("priority=high&priority=low"), "abd");
    assert.equal(await got("tags=work,home"), "d");
    assert.equal(await got("tags=work,home&tagMode=any"), "abcd");
    assert.equal(await got("tags=WORK"), "abd");
  });
  test("due before/after and overdue", async () => {
    const now = new Date().toISOString();
    assert.equal(await got(`dueBefore=${now}`), "ac");
    assert.equal(await got(`dueAfter=${now}`), "be");
    assert.equal(await got(`dueAfter=${now}&dueBefore=2031-01-01T00:00:00Z`), "b");
    assert.equal(await got("overdue=true"), "a");
    assert.equal(await got("overdue=false"), "bcde");
  });
  test("several filters at once narrow the result", async () => {
    assert.equal(await got("status=open&priority=high&tags=work"), "ad");
    assert.equal(await got("status=open&priority=high&tags=work&overdue=true"), "a");
    assert.equal(await got("status=open&priority=high&tags=work&overdue=true&q=zzz"), "");
  });
});

describe("sort and keyset pagination", () => {
  const u = "page-user";
  const prios = ["low", "medium", "high", "urgent"];
  before(async () => {
    for (let i = 0; i < 30; i++) {
      await create(u, {
        title: `Task ${String(i).padStart(2, "0")}`,
        priority: prios[i % 4],
        ...(i % 3 === 0 ? {} : { dueAt: new Date(Date.UTC(2031, 0, 1 + (i % 7))).toISOString(), timeZone: "UTC" }),
      });
    }
  });

  async function all(qs: string, limit: number, between?: (page: number) => Promise<void>): Promise<TaskSnapshot[]> {
    const out: TaskSnapshot[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 100; page++) {
      const p: Page = await list(u, `${qs}&limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
      out.push(...p.items);
      if (!p.nextCursor) return out;
      cursor = p.nextCursor;
      await between?.(page);
    }
    throw new Error("pagination did not end");
  }

  test("multi-key sort: priority desc, then due asc (no due date last), then title", async () => {
    const items = await all("sort=-priority,due,title", 30);
    const key = (t: TaskSnapshot) => [4 - prios.indexOf(t.priority), t.dueAt ?? "9999", t.title.toLowerCase()].join("|");
    assert.deepEqual(items.map(key), [...items.map(key)].sort());
    assert.equal(items.length, 30);
    const desc = await all("sort=due:desc,title:asc", 30);
    const withDue = desc.filter((t) => t.dueAt);
    assert.deepEqual(
      withDue.map((t) => t.dueAt),
      [...withDue.map((t) => t.dueAt!)].sort().reverse(),
    );
    assert.ok(
      desc.slice(-10).every((t) => t.dueAt === null),
      "no due date sorts last in desc too",
    );
  });

  test("every sort key pages through every row exactly once, in the same order as one big page", async () => {
    for (const sort of ["due", "-due", "priority,created", "-priority,-title", "title", "-created", "created:asc,due:desc"]) {
      const one = await all(`sort=${sort}`, 100);
      const paged = await all(`sort=${sort}`, 7);
      assert.deepEqual(
        paged.map((t) => t.id),
        one.map((t) => t.id),
        sort,
      );
    }
  });

  test("stable while rows change between pages: no duplicates, no skipped rows", async () => {
    const before = await all("sort=-priority,due", 100);
    const seen = await all("sort=-priority,due", 5, async (page) => {
      // Insert rows, update one already seen (title only: sort keys unchanged), delete one not yet seen.
      await create(u, { title: `New ${page}`, priority: "urgent" });
      await create(u, { title: `New low ${page}`, priority: "low", dueAt: "2040-01-01T00:00:00Z", timeZone: "UTC" });
      if (page === 1) {
        await h.as(u, { method: "PATCH", url: `${base}/${before[2]!.id}`, body: { title: "Renamed" } });
        await h.as(u, { method: "DELETE", url: `${base}/${before[20]!.id}` });
      }
    });
    const ids = seen.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length, "no row twice");
    const expected = before.filter((t) => t.id !== before[20]!.id).map((t) => t.id);
    for (const id of expected) assert.ok(ids.includes(id), `row ${id} was skipped`);
    const order = seen.map((t) => [4 - prios.indexOf(t.priority), t.dueAt ?? "9999"].join("|"));
    assert.deepEqual(order, [...order].sort(), "pages stay in sort order");
  });

  test("a cursor only works with the query it came from", async () => {
    const p = await list(u, "sort=title&limit=2");
    const other = await h.as(u, { url: `${base}?sort=due&limit=2&cursor=${p.nextCursor}` });
    assert.equal(other.status, 400);
    assert.deepEqual(other.json<ProblemJson>().errors, [
      { field: "query.cursor", message: "The cursor belongs to a different query; start again without it." },
    ]);
    const filtered = await h.as(u, { url: `${base}?sort=title&limit=2&priority=low&cursor=${p.nextCursor}` });
    assert.equal(filtered.status, 400);
    const decoded = JSON.parse(Buffer.from(p.nextCursor!, "base64url").toString()) as { k: string[] };
    decoded.k[0] = "x\u0000";
    const tamperedText = Buffer.from(JSON.stringify(decoded)).toString("base64url");
    assert.equal((await h.as(u, { url: `${base}?sort=title&limit=2&cursor=${tamperedText}` })).status, 400);
    const byDue = await list(u, "sort=due&limit=2");
    const d2 = JSON.parse(Buffer.from(byDue.nextCursor!, "base64url").toString()) as { k: string[] };
    d2.k[0] = "2031-02-30 00:00:00+00";
    const tampered = await h.as(u, { url: `${base}?sort=due&limit=2&cursor=${Buffer.from(JSON.stringify(d2)).toString("base64url")}` });
    assert.deepEqual(
      [tampered.status, tampered.json<ProblemJson>().errors],
      [400, [{ field: "query.cursor", message: "Invalid cursor." }]],
    );
    const stranger = await h.as("someone-else", { url: `${base}?sort=title&limit=2&cursor=${p.nextCursor}` });
    assert.deepEqual(stranger.json<Page>().items, [], "a cursor never reveals another user's rows");
  });
});
