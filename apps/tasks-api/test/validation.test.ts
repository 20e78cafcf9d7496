import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TaskSnapshot } from "@tasks/shared";
import { request } from "@tasks/shared/testing";
import { fieldsOf, startHarness, type Harness, type ProblemJson } from "./harness.js";

let h: Harness;
let existing: TaskSnapshot;
before(async () => {
  h = await startHarness();
  existing = (await h.as("alice", { method: "POST", url: "/api/v1/tasks", body: { title: "Existing" } })).json<TaskSnapshot>();
});
after(() => h.close());

const base = "/api/v1/tasks";
const valid = { title: "ok", dueAt: "2030-01-01T10:00:00Z", timeZone: "Europe/Berlin" };

async function expect400(body: unknown, fields: string[], message?: string, method: "POST" | "PATCH" = "POST") {
  const res = await h.as("alice", { method, url: method === "POST" ? base : `${base}/${existing.id}`, body });
  assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${res.text}`);
  assert.equal(res.headers["content-type"], "application/problem+json; charset=utf-8");
  assert.deepEqual(fieldsOf(res), [...fields].sort(), JSON.stringify(res.body));
  if (message) assert.equal(res.json<ProblemJson>().errors?.[0]?.message, message);
  return res;
}

describe("create: every field's validation", () => {
  test("title", async () => {
    await expect400({}, ["title"], "Invalid input: expected string, received undefined");
    await expect400({ title: "   " }, ["title"], "Title must not be empty.");
    await expect400({ title: "x".repeat(201) }, ["title"], "Title must be at most 200 characters.");
    await expect400({ title: "a\u0000b" }, ["title"], "Title must not contain control characters.");
    await expect400({ title: "a\nb" }, ["title"], "Title must not contain control characters.");
    await expect400({ title: 42 }, ["title"]);
  });
  test("description", async () => {
    await expect400({ title: "t", description: "x".repeat(10_001) }, ["description"], "Description must be at most 10000 characters.");
    await expect400({ title: "t", description: "nul\u0000" }, ["description"], "Description must not contain control characters.");
    await expect400({ title: "t", description: ["x"] }, ["description"]);
  });
  test("priority", async () => {
    await expect400({ title: "t", priority: "critical" }, ["priority"], "Priority must be one of low, medium, high, urgent.");
    await expect400({ title: "t", priority: 3 }, ["priority"]);
  });
  test("tags", async () => {
    await expect400({ title: "t", tags: "home" }, ["tags"]);
    await expect400(
      { title: "t", tags: ["ok", "bad tag"] },
      ["tags.1"],
      "Tags are letters, digits, and _ - : . (starting with a letter or digit).",
    );
    await expect400({ title: "t", tags: ["x".repeat(41)] }, ["tags.0"], "Tags must be at most 40 characters.");
    await expect400({ title: "t", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, ["tags"], "At most 20 tags.");
    await expect400({ title: "t", tags: [1] }, ["tags.0"]);
  });
  test("dueAt and timeZone", async () => {
    await expect400({ ...valid, dueAt: "tomorrow" }, ["dueAt"]);
    await expect400({ ...valid, dueAt: "2030-02-30T10:00:00Z" }, ["dueAt"]);
    await expect400({ ...valid, dueAt: "2030-01-01T10:00:00" }, ["dueAt"]);
    await expect400({ ...valid, dueAt: "1969-12-31T23:59:59Z" }, ["dueAt"], "Must be between 1970-01-01 and 9999-12-31.");
    await expect400({ ...valid, timeZone: "Mars/Olympus" }, ["timeZone"], "Must be an IANA time zone such as Europe/Paris.");
    await expect400({ ...valid, timeZone: "+02:00" }, ["timeZone"]);
    await expect400({ title: "t", dueAt: "2030-01-01T10:00:00Z" }, ["timeZone"], "Required when dueAt is set.");
  });
  test("reminders", async () => {
    await expect400({ ...valid, reminders: [-5] }, ["reminders.0"], "Reminder offsets are minutes before dueAt (0 or more).");
    await expect400({ ...valid, reminders: [1.5] }, ["reminders.0"], "Reminder offsets are whole minutes.");
    await expect400({ ...valid, reminders: [525_601] }, ["reminders.0"], "Reminder offsets are at most 525600 minutes.");
    await expect400({ ...valid, reminders: ["PT5M"] }, ["reminders.0"]);
    await expect400({ ...valid, reminders: Array.from({ length: 11 }, (_, i) => i) }, ["reminders"], "At most 10 reminders.");
    await expect400({ title: "t", reminders: [5] }, ["reminders"], "Reminders need dueAt.");
  });
  test("recurrence (RRULE)", async () => {
    await expect400({ ...valid, recurrence: "FREQ=NOPE" }, ["recurrence"], "FREQ must be one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY.");
    await expect400({ ...valid, recurrence: "FREQ=SECONDLY" }, ["recurrence"]);
    await expect400({ ...valid, recurrence: "FREQ=DAILY;BYDAY=XX" }, ["recurrence"], "BYDAY must list weekdays like MO,TU or 1MO,-1FR.");
    await expect400({ ...valid, recurrence: "FREQ=DAILY;FOO=1" }, ["recurrence"], 'Unsupported RRULE part "FOO".');
    await expect400(
      { ...valid, recurrence: "FREQ=DAILY;COUNT=3;UNTIL=20310101" },
      ["recurrence"],
      "RRULE may have COUNT or UNTIL, not both.",
    );
    await expect400({ ...valid, recurrence: "FREQ=DAILY;COUNT=abc" }, ["recurrence"], "COUNT must be an integer from 1 to 10000.");
    await expect400({ ...valid, recurrence: "FREQ=DAILY;UNTIL=20301301" }, ["recurrence"]);
    await expect400({ ...valid, recurrence: "INTERVAL=2" }, ["recurrence"], "RRULE needs FREQ.");
    await expect400(
      { ...valid, recurrence: "DTSTART:20300101T000000Z\nRRULE:FREQ=DAILY" },
      ["recurrence"],
      "Recurrence must be a single RRULE without DTSTART; the series starts at dueAt.",
    );
    await expect400({ ...valid, recurrence: "FREQ=DAILY;FREQ=WEEKLY" }, ["recurrence"], "RRULE part FREQ is given twice.");
    await expect400({ ...valid, recurrence: "" }, ["recurrence"]);
    await expect400({ title: "t", recurrence: "FREQ=DAILY" }, ["recurrence"], "A recurrence needs dueAt (the first occurrence).");
  });
  test("unknown fields, several invalid fields at once, wrong body shapes", async () => {
    await expect400({ title: "t", status: "completed", userId: "bob" }, ["status", "userId"], "Unknown field.");
    await expect400({ title: "", priority: "x", tags: [""], reminders: [-1] }, ["priority", "reminders.0", "tags.0", "title"]);
    await expect400([], ["body"]);
    await expect400("null", ["body"]);
    await expect400(JSON.stringify("str"), ["body"]);
  });
});

describe("recurrence: rules that never occur or cost more than the search budget are refused (issue 21)", () => {
  test("FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30 (30 February) is a 400 naming recurrence, on create and on PATCH", async () => {
    const res = await expect400({ ...valid, recurrence: "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30" }, ["recurrence"]);
    assert.match(
      res.json<ProblemJson>().errors![0]!.message,
      /^The rule cannot be scheduled: rule is too costly to evaluate: the search for the next occurrence needs more than 4000 rrule periods\.$/,
    );
    const recurring = (
      await h.as("alice", { method: "POST", url: base, body: { ...valid, title: "weekly", recurrence: "FREQ=WEEKLY" } })
    ).json<TaskSnapshot>();
    const patch = await h.as("alice", {
      method: "PATCH",
      url: `${base}/${recurring.id}`,
      body: { recurrence: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" },
    });
    assert.equal(patch.status, 400, patch.text);
    assert.deepEqual(fieldsOf(patch), ["recurrence"]);
  });

  test("an HOURLY INTERVAL that never reaches its BYHOUR (rrule would loop forever) is refused", async () => {
    const res = await expect400(
      { ...valid, dueAt: "2030-01-01T09:00:00Z", timeZone: "UTC", recurrence: "FREQ=HOURLY;INTERVAL=24;BYHOUR=3" },
      ["recurrence"],
    );
    assert.match(res.json<ProblemJson>().errors![0]!.message, /INTERVAL=24 hours from 09:00 never reaches BYHOUR 3/);
  });

  test("RFC 5545 structure the recurrence service enforces is enforced here too", async () => {
    await expect400(
      { ...valid, recurrence: "FREQ=DAILY;BYDAY=1MO" },
      ["recurrence"],
      'Invalid RRULE: BYDAY with an ordinal ("1MO") is only valid with FREQ=MONTHLY or FREQ=YEARLY.',
    );
    await expect400(
      { ...valid, recurrence: "FREQ=WEEKLY;BYMONTHDAY=3" },
      ["recurrence"],
      "Invalid RRULE: BYMONTHDAY must not be used with FREQ=WEEKLY.",
    );
    await expect400(
      { ...valid, recurrence: "FREQ=MONTHLY;BYWEEKNO=3" },
      ["recurrence"],
      "Invalid RRULE: BYWEEKNO is only valid with FREQ=YEARLY.",
    );
    await expect400(
      { ...valid, recurrence: "FREQ=MONTHLY;BYSETPOS=1" },
      ["recurrence"],
      "Invalid RRULE: BYSETPOS needs another BYxxx rule part.",
    );
  });

  test("sparse real series, series that end, and the recurrence service's own continuation text are accepted", async () => {
    for (const recurrence of [
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
      "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
      "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",
      "FREQ=DAILY;COUNT=1",
      "FREQ=DAILY;UNTIL=20200101",
      "FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=9;BYMINUTE=0;BYSECOND=0",
    ]) {
      const res = await h.as("alice", { method: "POST", url: base, body: { ...valid, recurrence } });
      assert.equal(res.status, 201, `${recurrence}: ${res.text}`);
    }
  });

  test("a rule stored before this validation still lets the task be edited (only a change of rule, dueAt or zone re-checks it)", async () => {
    const t = (
      await h.as("alice", { method: "POST", url: base, body: { ...valid, title: "old", recurrence: "FREQ=DAILY" } })
    ).json<TaskSnapshot>();
    await h.knex("tasks").where({ id: t.id }).update({ recurrence: "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30" });
    const edit = await h.as("alice", { method: "PATCH", url: `${base}/${t.id}`, body: { title: "renamed" } });
    assert.equal(edit.status, 200, edit.text);
    const move = await h.as("alice", { method: "PATCH", url: `${base}/${t.id}`, body: { dueAt: "2031-01-01T10:00:00Z" } });
    assert.equal(move.status, 400);
    assert.deepEqual(fieldsOf(move), ["recurrence"]);
  });
});

describe("PATCH validation", () => {
  test("field errors, empty patch, unknown and read-only fields", async () => {
    await expect400({}, ["body"], "The patch must change at least one field.", "PATCH");
    await expect400({ title: "" }, ["title"], "Title must not be empty.", "PATCH");
    await expect400({ id: "x", version: 9, createdAt: "x" }, ["createdAt", "id", "version"], "Unknown field.", "PATCH");
    await expect400({ dueAt: "2030-01-01T10:00:00Z" }, ["timeZone"], "Required when dueAt is set.", "PATCH");
    await expect400({ recurrence: "FREQ=WEEKLY" }, ["recurrence"], "A recurrence needs dueAt (the first occurrence).", "PATCH");
  });
});

describe("the outside probe's 500s are 400s: dates and cursors are range-checked before SQL (issue 21)", () => {
  test("dueBefore / dueAfter in year 0000 or with an offset beyond ±15:59", async () => {
    for (const v of ["0000-01-01T00:00:00Z", "2030-01-01T00:00:00+16:00", "2030-01-01T00:00:00-23:59", "2030-01-01T00:00:00+15:60"]) {
      for (const p of ["dueBefore", "dueAfter"]) {
        const res = await h.as("alice", { url: `${base}?${p}=${encodeURIComponent(v)}` });
        assert.equal(res.status, 400, `${p}=${v}: ${res.status} ${res.text}`);
        assert.deepEqual(fieldsOf(res), [`query.${p}`]);
      }
    }
    assert.equal((await h.as("alice", { url: `${base}?dueBefore=${encodeURIComponent("9999-12-31T23:59:59-15:59")}` })).status, 200);
  });

  test("tampered keyset cursors: a rank of 1e999 or 1e-999, an id of 36 dashes, a timestamp offset of +99", async () => {
    for (let i = 0; i < 3; i++) await h.as("alice", { method: "POST", url: base, body: { title: `probe cursor ${i}` } });
    const tamper = async (qs: string, edit: (c: { k: string[]; id: string }) => void) => {
      const first = (await h.as("alice", { url: `${base}?${qs}&limit=1` })).json<{ nextCursor: string }>();
      const c = JSON.parse(Buffer.from(first.nextCursor, "base64url").toString("utf8")) as { k: string[]; id: string };
      edit(c);
      return h.as("alice", { url: `${base}?${qs}&limit=1&cursor=${Buffer.from(JSON.stringify(c)).toString("base64url")}` });
    };
    const cases: [string, (c: { k: string[]; id: string }) => void][] = [
      ["q=probe&sort=rank", (c) => (c.k[0] = "1e999")],
      ["q=probe&sort=rank", (c) => (c.k[0] = "1e-999")],
      ["q=probe&sort=rank", (c) => (c.k[0] = "-4e38")],
      ["sort=created", (c) => (c.id = "-".repeat(36))],
      ["sort=created", (c) => (c.k[0] = "2030-01-01 00:00:00+99")],
      ["sort=created", (c) => (c.k[0] = "0000-01-01 00:00:00+00")],
      ["sort=due", (c) => (c.k[0] = "2030-01-01 00:00:00.123456-16")],
    ];
    for (const [qs, edit] of cases) {
      const res = await tamper(qs, edit);
      assert.equal(res.status, 400, `${qs} ${edit.toString()}: ${res.status} ${res.text}`);
      assert.deepEqual(fieldsOf(res), ["query.cursor"]);
    }
    assert.equal((await tamper("q=probe&sort=rank", () => undefined)).status, 200, "an untouched cursor still works");
  });
});

describe("list query validation", () => {
  const q = async (qs: string, fields: string[], message?: string) => {
    const res = await h.as("alice", { url: `${base}?${qs}` });
    assert.equal(res.status, 400, `${qs} → ${res.status}`);
    assert.deepEqual(fieldsOf(res), fields.sort(), `${qs}: ${res.text}`);
    if (message) assert.equal(res.json<ProblemJson>().errors?.[0]?.message, message);
  };
  test("each parameter", async () => {
    await q("status=done", ["query.status"], "Status must be one of open, completed, skipped.");
    await q("priority=low,extreme", ["query.priority"]);
    await q("tags=a%20b", ["query.tags"]);
    await q("tagMode=some", ["query.tagMode"], "tagMode must be all or any.");
    await q("dueBefore=yesterday", ["query.dueBefore"]);
    await q(
      "dueAfter=2030-01-02T00:00:00Z&dueBefore=2030-01-01T00:00:00Z",
      ["query.dueAfter"],
      "dueAfter must not be later than dueBefore.",
    );
    await q("overdue=yes", ["query.overdue"], "overdue must be true or false.");
    await q("sort=colour", ["query.sort.0"]);
    await q("sort=due,due:desc", ["query.sort"], "Each sort key may appear once.");
    await q("sort=rank", ["query.sort"], "Sorting by rank needs a search text (q).");
    await q("sort=", ["query.sort"], "Sort must name at least one key.");
    await q("limit=0", ["query.limit"], "limit must be an integer from 1 to 100.");
    await q("limit=101", ["query.limit"], "limit must be an integer from 1 to 100.");
    await q("limit=1e2", ["query.limit"]);
    await q("limit=-1", ["query.limit"]);
    await q("q=", ["query.q"]);
    await q(`q=${"x".repeat(201)}`, ["query.q"], "Search text must be at most 200 characters.");
    await q("q=a%00b", ["query.q"], "Search text must not contain control characters.");
    await q("q=a&q=b", ["query.q"], "q must be given once.");
    await q("colour=red", ["query.colour"], "Unknown field.");
    await q("cursor=%%%", ["query.cursor"]);
    await q("cursor=bm90LWpzb24", ["query.cursor"], "Invalid cursor.");
  });
});

describe("nasty inputs never produce a 500", () => {
  const nasty: unknown[] = [
    { title: "\ud800" },
    { title: "💥".repeat(100), tags: ["ünïcødé", "日本"] },
    { title: "'; drop table tasks; --", description: "\\x00 %s %n {{7*7}} ${7*7} <script>" },
    { title: "t", dueAt: "9999-12-31T23:59:59Z", timeZone: "UTC" },
    { title: "t", dueAt: "0000-01-01T00:00:00Z", timeZone: "UTC" },
    { title: "t", dueAt: "2030-01-01T00:00:00+99:99", timeZone: "UTC" },
    { title: "t", reminders: [1e308], dueAt: "2030-01-01T00:00:00Z", timeZone: "UTC" },
    { title: "t", priority: { $ne: null } },
    { title: "t", tags: { length: 1000000 } },
    { title: "t", __proto__: { admin: true } },
    { title: "t", constructor: { prototype: {} } },
    { title: "t", recurrence: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", dueAt: "2030-01-01T00:00:00Z", timeZone: "UTC" },
    { title: "t", recurrence: ";".repeat(400), dueAt: "2030-01-01T00:00:00Z", timeZone: "UTC" },
    { title: "t", timeZone: "../../etc/passwd" },
  ];
  test("lone surrogates are a 400 naming the field", async () => {
    await expect400({ title: "\ud800" }, ["title"], "Must be valid Unicode text.");
    await expect400({ title: "t", description: "a\udfffb" }, ["description"], "Must be valid Unicode text.");
  });
  test("bodies", async () => {
    for (const body of nasty) {
      for (const method of ["POST", "PATCH"] as const) {
        const res = await h.as("alice", {
          method,
          url: method === "POST" ? base : `${base}/${existing.id}`,
          body: JSON.stringify(body),
          headers: { "content-type": "application/json" },
        });
        assert.ok(res.status < 500, `${method} ${JSON.stringify(body)} → ${res.status} ${res.text}`);
      }
    }
  });
  test("raw bodies, content types, deep nesting, oversize", async () => {
    const raw: [string, Record<string, string>][] = [
      ["{", { "content-type": "application/json" }],
      ["", { "content-type": "application/json" }],
      ["title=x", { "content-type": "application/x-www-form-urlencoded" }],
      ["<xml/>", { "content-type": "application/xml" }],
      ['{"title":"x"}', { "content-type": "application/json; charset=latin-9000" }],
      ['{"title":"x"}', { "content-type": "application/json", "content-encoding": "br0tli" }],
      ["[".repeat(5000) + "]".repeat(5000), { "content-type": "application/json" }],
      ['{"a":'.repeat(2000) + "1" + "}".repeat(2000), { "content-type": "application/json" }],
    ];
    for (const [body, headers] of raw) {
      const res = await h.as("alice", { method: "POST", url: base, body, headers });
      assert.ok(res.status >= 400 && res.status < 500, `${body.slice(0, 30)} ${JSON.stringify(headers)} → ${res.status} ${res.text}`);
      assert.equal(res.headers["content-type"], "application/problem+json; charset=utf-8");
    }
    const big = await h.as("alice", { method: "POST", url: base, body: { title: "t", description: "x".repeat(70_000) } });
    assert.equal(big.status, 413);
    assert.equal(big.json<ProblemJson>().detail, "The request body exceeds the limit of 65536 bytes.");
  });
  test("query strings and ids", async () => {
    const urls = [
      `${base}?q=${encodeURIComponent("!!! ''' ::: & | <-> (((")}`,
      `${base}?q=%ED%A0%80`,
      `${base}?q=%FF%FE`,
      `${base}?priority[]=low`,
      `${base}?sort[0]=due`,
      `${base}?tags=${"a,".repeat(500)}`,
      `${base}?cursor=${Buffer.from(JSON.stringify({ s: "created:desc", f: "x", k: ["not a date"], id: "00000000-0000-4000-8000-000000000000" })).toString("base64url")}`,
      `${base}/${encodeURIComponent("../../etc")}`,
      `${base}/%00`,
      `${base}/00000000-0000-0000-0000-00000000000g`,
    ];
    for (const url of urls) {
      const res = await h.as("alice", { url });
      assert.ok(res.status < 500, `${url} → ${res.status} ${res.text}`);
    }
    const unauth = await request(h.app, { url: base, headers: { authorization: "Bearer " + "a".repeat(10_000) } });
    assert.equal(unauth.status, 401);
  });
});

test("a search text with a long run of - (nested NOT overflows Postgres' tsquery parser) is a 400 naming q, not a 500", async () => {
  for (const q of ["-".repeat(36), `${"-".repeat(60)}rent`]) {
    const res = await h.as("alice", { url: `${base}?q=${encodeURIComponent(q)}` });
    assert.deepEqual([res.status, fieldsOf(res)], [400, ["query.q"]], res.text);
  }
  assert.equal((await h.as("alice", { url: `${base}?q=${encodeURIComponent("rent -late")}` })).status, 200);
});

test("a sort longer than 200 characters is a 400 naming query.sort, not a 500 (found by the fuzz test)", async () => {
  const res = await h.as("alice", { url: `/api/v1/tasks?sort=${"x".repeat(5000)}` });
  assert.equal(res.status, 400, res.text);
  assert.deepEqual(fieldsOf(res), ["query.sort"]);
});
