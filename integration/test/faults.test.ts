/**
 * Faults through real daprd sidecars and Kafka:
 * - kill -9 of the recurrence service in the middle of N completions (IT_FAULT_N, default 1000), then a
 *   restart: exactly N next occurrences, one per series, none duplicated;
 * - the tasks API's sidecar stopped: the outbox keeps the events, and delivers them when it is back.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import type pg from "pg";
import { api, connectServiceDb, eventually, useTestPlatform } from "./helpers.js";

const N = Number(process.env.IT_FAULT_N ?? 1000);
let db: pg.Client;
const platform = useTestPlatform({
  setUp: async (p) => {
    db = await connectServiceDb(p, "tasks-api");
  },
  tearDown: async () => {
    await db?.end();
  },
});

const tasksUrl = () => `${platform().services["tasks-api"].url}/api/v1/tasks`;

/** Runs `fn` over 0..n-1 with `width` calls in flight. */
async function pool(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function occurrences(user: string): Promise<{ total: number; series: number }> {
  const r = await db.query<{ total: string; series: string }>(
    "select count(*) as total, count(distinct series_id) as series from tasks where user_id = $1 and series_id is not null",
    [user],
  );
  return { total: Number(r.rows[0]!.total), series: Number(r.rows[0]!.series) };
}

test(`kill -9 of recurrence during ${N} completions: exactly ${N} next occurrences, none duplicated`, { timeout: 900_000 }, async () => {
  const user = `fault-${randomUUID()}`;
  const token = await platform().token(user);
  const ids: string[] = [];
  const t0 = Date.now();
  await pool(N, 16, async () => {
    const r = await api<{ id: string }>(tasksUrl(), token, {
      body: { title: "daily", dueAt: "2027-01-04T09:00:00-05:00", timeZone: "America/New_York", recurrence: "FREQ=DAILY" },
    });
    assert.equal(r.status, 201);
    ids.push(r.body.id);
  });
  process.stderr.write(`created ${N} recurring tasks in ${Date.now() - t0} ms\n`);

  const recurrence = platform().services.recurrence;
  let completed = 0;
  let killedAt = -1;
  const t1 = Date.now();
  await pool(N, 16, async (i) => {
    const r = await api(`${tasksUrl()}/${ids[i]}/complete`, token, { method: "POST" });
    assert.equal(r.status, 200);
    completed++;
    if (killedAt < 0 && completed >= N / 4) {
      killedAt = completed;
      await recurrence.app.kill();
      process.stderr.write(`recurrence killed (SIGKILL) after ${completed} completions\n`);
      setTimeout(() => void recurrence.restartApp().then(() => process.stderr.write("recurrence restarted\n")), 1000);
    }
  });
  process.stderr.write(`completed ${N} tasks in ${Date.now() - t1} ms\n`);
  assert.ok(killedAt > 0 && killedAt < N, "the kill happened mid-run");

  const final = await eventually(`${N} next occurrences`, 600_000, async () => {
    const o = await occurrences(user);
    return o.total >= N ? o : undefined;
  });
  // Late redeliveries must not add any: wait a little and count again.
  await new Promise((r) => setTimeout(r, 5000));
  assert.deepEqual(await occurrences(user), { total: N, series: N });
  assert.deepEqual(final, { total: N, series: N });
  process.stderr.write(`all ${N} next occurrences committed ${Date.now() - t1} ms after the first completion\n`);
});

test("tasks API sidecar stopped: the outbox holds the events and delivers them when it is back", { timeout: 300_000 }, async () => {
  const user = `outbox-${randomUUID()}`;
  const token = await platform().token(user);
  const tasksApi = platform().services["tasks-api"];
  await tasksApi.daprd!.stop();
  try {
    const created = await api<{ id: string }>(tasksUrl(), token, {
      body: { title: "weekly", dueAt: "2027-01-04T09:00:00-05:00", timeZone: "America/New_York", recurrence: "FREQ=WEEKLY" },
    });
    assert.equal(created.status, 201);
    assert.equal((await api(`${tasksUrl()}/${created.body.id}/complete`, token, { method: "POST" })).status, 200);
    await new Promise((r) => setTimeout(r, 3000));
    const held = await db.query<{ n: string }>("select count(*) as n from outbox where aggregate_id = $1 and sent_at is null", [
      created.body.id,
    ]);
    assert.equal(Number(held.rows[0]!.n), 2, "created + completed held while the sidecar is down");
    assert.deepEqual(await occurrences(user), { total: 0, series: 0 });
  } finally {
    await tasksApi.restartSidecar();
  }
  await eventually("the outbox to drain and the next occurrence to exist", 120_000, async () => {
    const o = await occurrences(user);
    return o.total === 1 ? o : undefined;
  });
  // The next occurrence writes its own task.created to the outbox, so "drained" is eventual too.
  await eventually("every outbox row of this user to be sent", 30_000, async () => {
    const unsent = await db.query<{ n: string }>(
      "select count(*) as n from outbox o join tasks t on t.id = o.aggregate_id where t.user_id = $1 and o.sent_at is null",
      [user],
    );
    return Number(unsent.rows[0]!.n) === 0 ? true : undefined;
  });
});
