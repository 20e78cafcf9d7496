/**
 * The OpenAPI document states the limits the validators enforce (issue 21: it was looser). For every
 * body field of CreateTask and every query parameter of listTasks, fast-check generates values around
 * and across the documented limits; each is validated against the served document's own schema (ajv,
 * JSON Schema 2020-12) and sent to the API. Both ways:
 *   - what the document accepts, the server accepts (the document is not looser), except for fields
 *     whose schema names an `x-server-checks` rule JSON Schema cannot state (an IANA zone the runtime
 *     knows, an RRULE that can be scheduled, a sort key needing q);
 *   - what the server accepts, the document accepts (the document is not stricter), for values written
 *     canonically (the server also trims whitespace and empty list items, which the document does not
 *     promise).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { openApiAjv, request } from "@tasks/shared/testing";
import { startHarness, type Harness, type ProblemJson } from "./harness.js";

type Json = Record<string, unknown>;

let h: Harness;
let doc: { components: { schemas: Record<string, Json> }; paths: Record<string, Record<string, { parameters?: Json[] }>> };
const ajv = openApiAjv({ allErrors: false });

before(async () => {
  h = await startHarness();
  doc = (await request(h.app, { url: "/api/v1/openapi.json" })).json();
});
after(() => h.close());

const base = { title: "limits", dueAt: "2031-01-01T10:00:00Z", timeZone: "UTC" };
const pool = ["a", "Z", "0", " ", "-", "_", ":", ".", "/", "é", "Ω", "😀", "\t", "\n", "\u0000", "\u001f", "\u007f", "\ud800", "\u00a0"];
const text = (maxLength: number) =>
  fc.oneof(
    fc.array(fc.constantFrom(...pool), { maxLength: 8 }).map((a) => a.join("")),
    fc
      .tuple(fc.constantFrom("a", "😀", "é"), fc.integer({ min: Math.max(0, maxLength - 2), max: maxLength + 2 }))
      .map(([c, n]) => c.repeat(n)),
    fc
      .tuple(fc.constantFrom(...pool), fc.integer({ min: Math.max(0, maxLength - 1), max: maxLength + 1 }))
      .map(([c, n]) => `x${c}`.padEnd(n, "y")),
  );
const instant = fc
  .tuple(
    fc.constantFrom("0000", "0001", "1969", "1970", "2031", "9999"),
    fc.constantFrom("01-01", "02-29", "02-30", "12-31", "13-01"),
    fc.constantFrom("00:00:00", "23:59:59", "24:00:00", "12:30:00.123456"),
    fc.constantFrom("Z", "+00:00", "+15:59", "-15:59", "+16:00", "-23:59", "+1:00", "", "z"),
  )
  .map(([y, md, t, o]) => `${y}-${md}T${t}${o}`);

const bodyFields: Record<string, fc.Arbitrary<unknown>> = {
  title: text(200),
  description: fc.oneof(text(10_000), fc.constant(null)),
  priority: fc.oneof(fc.constantFrom("low", "medium", "high", "urgent", "LOW", "", "extreme"), fc.string({ maxLength: 3 })),
  tags: fc.array(fc.oneof(text(40), fc.constantFrom("work", "a:b.c_d-e", "-x", "Ω")), { maxLength: 22 }),
  dueAt: fc.oneof(instant, fc.constant(null)),
  timeZone: fc.oneof(
    fc.constantFrom("UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Mars/Olympus", "utc", ""),
    text(64),
  ),
  reminders: fc.array(fc.oneof(fc.integer({ min: -2, max: 525_602 }), fc.constantFrom(0, 525_600, 525_601, -1, 1.5, 2 ** 31 + 1)), {
    maxLength: 12,
  }),
  recurrence: fc.oneof(
    fc.constantFrom("FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO", "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=SOMETIMES", ""),
    fc.integer({ min: 495, max: 505 }).map((n) => `FREQ=DAILY;${"BYHOUR=9".padEnd(n - 11, "9")}`),
  ),
  repeatFrom: fc.constantFrom("schedule", "completion", "Completion", "", "fixed", null),
};

const canonical = (v: unknown): boolean =>
  typeof v === "string" ? v === v.trim() && v.toLowerCase() === v.toLowerCase() : Array.isArray(v) ? v.every(canonical) : true;
const serverChecked = (s: Json | undefined): boolean =>
  s !== undefined && (typeof s["x-server-checks"] === "string" || ((s.anyOf as Json[] | undefined) ?? []).some(serverChecked));

describe("the OpenAPI document states the limits the validators enforce", () => {
  test("every CreateTask body field, both ways", async () => {
    const validate = ajv.compile(doc.components.schemas.CreateTask!);
    const props = doc.components.schemas.CreateTask!.properties as Record<string, Json>;
    assert.deepEqual(Object.keys(bodyFields).sort(), Object.keys(props).sort(), "every documented field is probed");
    let requests = 0;
    for (const [field, arb] of Object.entries(bodyFields)) {
      await fc.assert(
        fc.asyncProperty(arb, async (value) => {
          const body = { ...base, [field]: value };
          const documented = validate(body) === true;
          const res = await h.as("limits-user", { method: "POST", url: "/api/v1/tasks", body });
          requests++;
          assert.ok(res.status === 201 || res.status === 400, `${field}=${JSON.stringify(value)}: ${res.status} ${res.text}`);
          const accepted = res.status === 201;
          const detail = `${field}=${JSON.stringify(value)?.slice(0, 120)}: document ${documented ? "accepts" : "refuses"}, server ${res.status} ${res.text.slice(0, 200)} ${JSON.stringify(validate.errors)?.slice(0, 200)}`;
          if (documented && !serverChecked(props[field])) assert.ok(accepted, `the document is looser: ${detail}`);
          if (accepted && canonical(value)) assert.ok(documented, `the document is stricter: ${detail}`);
          if (!accepted)
            assert.ok(
              (res.json<ProblemJson>().errors ?? []).some((e) => e.field.startsWith(field)),
              detail,
            );
        }),
        { numRuns: 120 },
      );
    }
    console.log(`openapi limits: ${requests} create requests compared with the document`);
  });

  test("every listTasks query parameter, both ways", async () => {
    const params = doc.paths["/api/v1/tasks"]!.get!.parameters as { name: string; schema: Json }[];
    const values: Record<string, fc.Arbitrary<string>> = {
      q: text(200),
      status: fc.constantFrom("open", "completed", "done", "", "OPEN"),
      priority: fc.oneof(
        fc.constantFrom("low", "low,high", "urgent,medium,low", "low,", "low,,high", " low", "extreme"),
        fc.string({ maxLength: 4 }),
      ),
      tags: fc.oneof(
        fc.constantFrom("work", "a,b", "a:b.c", "-x", ""),
        fc.array(fc.constantFrom("t1", "t2", "x"), { maxLength: 22 }).map((a) => a.join(",")),
      ),
      tagMode: fc.constantFrom("all", "any", "some", ""),
      dueBefore: instant,
      dueAfter: instant,
      overdue: fc.constantFrom("true", "false", "yes", "TRUE", ""),
      sort: fc.oneof(
        fc.constantFrom("due", "-priority,due", "title:asc,created:desc", "due,due", "rank", "nope", "due:up", "a,b,c,d,e"),
        fc.array(fc.constantFrom("due", "priority", "created", "title"), { maxLength: 5 }).map((a) => a.join(",")),
      ),
      limit: fc.oneof(
        fc.constantFrom("0", "1", "20", "99", "100", "101", "007", "1e2", "-1", "", " 5"),
        fc.integer({ min: 0, max: 1000 }).map(String),
      ),
      cursor: fc.oneof(
        fc.constantFrom("", "%%%", "bm9wZQ"),
        fc.integer({ min: 4090, max: 4100 }).map((n) => "A".repeat(n)),
      ),
    };
    assert.deepEqual(Object.keys(values).sort(), params.map((p) => p.name).sort(), "every documented parameter is probed");
    // Rules JSON Schema cannot state: sorting by rank needs q; a key appears once; cursors must be the server's.
    const crossChecked = new Set(["sort", "cursor"]);
    let requests = 0;
    for (const p of params) {
      const validate = ajv.compile({ ...p.schema, $schema: undefined });
      // A query string carries UTF-8: a lone surrogate cannot be sent at all.
      const arb = values[p.name]!.filter((v) => !/\p{Cs}/u.test(v));
      await fc.assert(
        fc.asyncProperty(arb, async (value) => {
          const documented = validate(value) === true;
          const res = await h.as("limits-user", { url: `/api/v1/tasks?${p.name}=${encodeURIComponent(value)}` });
          requests++;
          assert.ok(res.status === 200 || res.status === 400, `${p.name}=${value}: ${res.status}`);
          const accepted = res.status === 200;
          const detail = `${p.name}=${JSON.stringify(value).slice(0, 80)}: document ${documented ? "accepts" : "refuses"}, server ${res.status} ${res.text.slice(0, 200)}`;
          if (documented && !crossChecked.has(p.name)) assert.ok(accepted, `the document is looser: ${detail}`);
          const listLike = ["priority", "tags", "sort"].includes(p.name);
          if (accepted && canonical(value) && !(listLike && /(^|,)(,|$)/.test(value)))
            assert.ok(documented, `the document is stricter: ${detail}`);
        }),
        { numRuns: 60 },
      );
    }
    console.log(`openapi limits: ${requests} list requests compared with the document`);
  });
});
