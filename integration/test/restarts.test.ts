/**
 * Kafka, then Postgres, restarted (stop + start, data kept) in the middle of a run of completions: the
 * outbox relay retries its publishes, the sidecars and pools reconnect, consumers retry, so every
 * completion still gets exactly one next occurrence.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import type pg from "pg";
import { api, connectServiceDb, eventually, useTestPlatform } from "./helpers.js";

const N = Number(process.env.IT_BROKER_RESTART_N ?? 200);
let db: pg.Client;
const platform = useTestPlatform({
  beforeStart: async () => {
    if (process.env.KAFKA_BROKERS) throw new Error("this test restarts the Kafka broker it starts itself: unset KAFKA_BROKERS");
  },
  setUp: async (p) => {
    db = await connectServiceDb(p, "tasks-api");
  },
  tearDown: async () => {
    await db?.end().catch(() => undefined);
  },
});

/** `n` daily tasks (New York, from 2027-01-04 09:00) for the user of `token`; their ids. */
async function createDailyTasks(tasksUrl: string, token: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await api<{ id: string }>(tasksUrl, token, {
      body: { title: "daily", dueAt: "2027-01-04T09:00:00-05:00", timeZone: "America/New_York", recurrence: "FREQ=DAILY" },
    });
    assert.equal(r.status, 201);
    ids.push(r.body.id);
  }
  return ids;
}

test(`Kafka restarted during ${N} completions: exactly ${N} next occurrences`, { timeout: 600_000 }, async () => {
  const user = `kafka-restart-${randomUUID()}`;
  const token = await platform().token(user);
  const tasksUrl = `${platform().services["tasks-api"].url}/api/v1/tasks`;
  const ids = await createDailyTasks(tasksUrl, token, N);
  let restart: Promise<void> | undefined;
  for (let i = 0; i < N; i++) {
    assert.equal((await api(`${tasksUrl}/${ids[i]}/complete`, token, { method: "POST" })).status, 200);
    if (i === Math.floor(N / 4)) {
      restart = (async () => {
        const t = Date.now();
        await platform().kafka(["stop"]);
        await platform().kafka(["start"]);
        process.stderr.write(`kafka restarted in ${Date.now() - t} ms after ${i + 1} completions\n`);
      })();
    }
  }
  await restart;
  const count = async () => {
    const r = await db.query<{ total: string; series: string }>(
      "select count(*) as total, count(distinct series_id) as series from tasks where user_id = $1 and series_id is not null",
      [user],
    );
    return { total: Number(r.rows[0]!.total), series: Number(r.rows[0]!.series) };
  };
  await eventually(`${N} next occurrences after the Kafka restart`, 400_000, async () =>
    (await count()).total >= N ? true : undefined,
  ).catch(async (e: Error) => {
    const unsent = await db.query<{ n: string }>("select count(*) as n from outbox where sent_at is null");
    throw new Error(`${e.message}: ${JSON.stringify(await count())} next occurrences, ${unsent.rows[0]!.n} outbox rows unsent`);
  });
  await new Promise((r) => setTimeout(r, 5000));
  assert.deepEqual(await count(), { total: N, series: N });
});

test("Postgres restarted during 100 completions: exactly 100 next occurrences", { timeout: 600_000 }, async () => {
  const n = 100;
  const user = `pg-restart-${randomUUID()}`;
  const token = await platform().token(user);
  const tasksUrl = `${platform().services["tasks-api"].url}/api/v1/tasks`;
  const ids = await createDailyTasks(tasksUrl, token, n);
  let restart: Promise<void> | undefined;
  for (let i = 0; i < n; i++) {
    // While Postgres is down the API answers 5xx (or the connection fails): a client retries; 409 = done.
    await eventually(`completion ${i}`, 120_000, async () => {
      const r = await api(`${tasksUrl}/${ids[i]}/complete`, token, { method: "POST" }).catch(() => ({ status: 0 }));
      return r.status === 200 || r.status === 409 ? true : undefined;
    });
    if (i === n / 4) {
      restart = (async () => {
        const t = Date.now();
        await platform().restartPostgres();
        process.stderr.write(`postgres restarted in ${Date.now() - t} ms after ${i + 1} completions\n`);
      })();
    }
  }
  await restart;
  // A fresh connection per query: the restart ends every connection open before it.
  const count = async () => {
    const c = await connectServiceDb(platform(), "tasks-api");
    const r = await c
      .query<{ total: string; series: string }>(
        "select count(*) as total, count(distinct series_id) as series from tasks where user_id = $1 and series_id is not null",
        [user],
      )
      .finally(() => c.end());
    return { total: Number(r.rows[0]!.total), series: Number(r.rows[0]!.series) };
  };
  await eventually(`${n} next occurrences after the Postgres restart`, 400_000, async () =>
    (await count()).total >= n ? true : undefined,
  );
  await new Promise((r) => setTimeout(r, 5000));
  assert.deepEqual(await count(), { total: n, series: n });
});
