/**
 * Scenario traffic for the load tier (npm run bench:load, integration/test/load.test.ts): virtual users
 * that sign in once, then loop over a weighted mix of task operations with think time between them,
 * started over a ramp-up, all running through a steady phase, and stopped over a ramp-down. Bounded: every
 * request has a timeout and the run a hard end.
 *
 * A small driver rather than a load tool: the permissive tools that can be installed here (autocannon,
 * vegeta) replay fixed requests at a rate or in a closed loop; neither keeps per-user state (a user's own
 * task ids, its token) nor think time, which this mix needs (update/complete/delete act on the user's own
 * tasks). k6, which can, is AGPL.
 */
import { setTimeout as sleep } from "node:timers/promises";

export type Operation = "list" | "search" | "create" | "update" | "complete" | "delete";

export interface LoadOptions {
  /** tasks-api's base URL, e.g. http://127.0.0.1:3000 */
  readonly baseUrl: string;
  readonly users: number;
  readonly rampUpSeconds: number;
  readonly steadySeconds: number;
  readonly rampDownSeconds: number;
  /** Think time between two operations of one user, uniform in [min, max] ms. */
  readonly thinkMs: { readonly min: number; readonly max: number };
  /** Share of creates that are recurring series (completing one makes a next occurrence). @default 0.3 */
  readonly recurringShare?: number;
  /** Per-user sign-in: a bearer token for `user`. */
  readonly signIn: (user: string) => Promise<string>;
  /** Prefix of the user ids, so the invariants can be counted for this run only. */
  readonly userPrefix: string;
  /** Per-request timeout. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Progress lines (one every ~10 s). */
  readonly log?: (line: string) => void;
  /** Called at the start and the end of the steady phase (e.g. to sample CPU), with the requests answered so far. */
  readonly onPhase?: (phase: "steady" | "ramp-down", requestsSoFar: number) => void;
}

/** The mix: list/search 60 %, create 15 %, update 10 %, complete 10 %, delete 5 %. */
export const mix: readonly (readonly [Operation, number])[] = [
  ["list", 0.3],
  ["search", 0.3],
  ["create", 0.15],
  ["update", 0.1],
  ["complete", 0.1],
  ["delete", 0.05],
];

export interface OperationStats {
  readonly count: number;
  readonly errors: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

export interface LoadResult {
  readonly operations: Readonly<Record<Operation, OperationStats>>;
  readonly requests: number;
  readonly errors: number;
  /** Error responses or failures by kind, e.g. "create 503", "list timeout", for the report. */
  readonly errorKinds: Readonly<Record<string, number>>;
  /** Recurring series completed with 200 (each must get exactly one next occurrence). */
  readonly recurringCompletions: number;
  readonly signedIn: number;
  readonly seconds: number;
}

const words = ["report", "invoice", "garden", "meeting", "review", "deploy", "groceries", "dentist", "taxes", "backup"];

interface UserState {
  readonly id: string;
  token: string;
  /** Open tasks this user created, and whether each is a recurring series. */
  readonly open: { id: string; recurring: boolean }[];
  /** Completed one-off tasks (may still be deleted). */
  readonly done: string[];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function pick<T>(a: readonly T[]): T {
  return a[Math.floor(Math.random() * a.length)]!;
}

/** The operation for a uniform draw `r` in [0, 1): the mix's shares laid end to end. */
export function chooseOperation(r = Math.random()): Operation {
  for (const [op, share] of mix) {
    if ((r -= share) < 0) return op;
  }
  return "list";
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const timeoutMs = o.requestTimeoutMs ?? 10_000;
  const recurringShare = o.recurringShare ?? 0.3;
  const latencies: Record<Operation, number[]> = { list: [], search: [], create: [], update: [], complete: [], delete: [] };
  const errors: Record<Operation, number> = { list: 0, search: 0, create: 0, update: 0, complete: 0, delete: 0 };
  const errorKinds: Record<string, number> = {};
  let recurringCompletions = 0;
  let signedIn = 0;
  const t0 = Date.now();
  const steadyAt = t0 + o.rampUpSeconds * 1000;
  const rampDownAt = steadyAt + o.steadySeconds * 1000;
  const endAt = rampDownAt + o.rampDownSeconds * 1000;
  const tasks = `${o.baseUrl}/api/v1/tasks`;

  async function call(u: UserState, op: Operation, method: string, url: string, body?: unknown): Promise<Response | undefined> {
    const t = performance.now();
    try {
      const res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${u.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      latencies[op].push(performance.now() - t);
      if (res.status >= 400) {
        errors[op]++;
        errorKinds[`${op} ${res.status}`] = (errorKinds[`${op} ${res.status}`] ?? 0) + 1;
        return undefined;
      }
      return new Response(text || null, { status: res.status });
    } catch (err) {
      latencies[op].push(performance.now() - t);
      errors[op]++;
      const kind = `${op} ${(err as Error).name === "TimeoutError" ? "timeout" : "network error"}`;
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
      return undefined;
    }
  }

  async function step(u: UserState): Promise<void> {
    let op = chooseOperation();
    // Acting on one's own tasks needs one: a user without any creates instead.
    if ((op === "update" || op === "complete") && u.open.length === 0) op = "create";
    if (op === "delete" && u.done.length === 0 && !u.open.some((t) => !t.recurring)) op = "create";
    switch (op) {
      case "list":
        await call(u, op, "GET", `${tasks}?limit=20&status=open`);
        return;
      case "search":
        await call(u, op, "GET", `${tasks}?q=${pick(words)}&limit=20`);
        return;
      case "create": {
        const recurring = Math.random() < recurringShare;
        const title = `${pick(words)} ${pick(words)} ${Math.floor(Math.random() * 1000)}`;
        const body = recurring
          ? { title, dueAt: "2027-03-01T09:00:00+01:00", timeZone: "Europe/Paris", recurrence: "FREQ=WEEKLY;BYDAY=MO" }
          : { title, priority: pick(["low", "medium", "high", "urgent"]), tags: [pick(words)] };
        const res = await call(u, op, "POST", tasks, body);
        if (res) u.open.push({ id: ((await res.json()) as { id: string }).id, recurring });
        return;
      }
      case "update": {
        const t = pick(u.open);
        await call(u, op, "PATCH", `${tasks}/${t.id}`, { title: `${pick(words)} (edited)`, priority: pick(["low", "high"]) });
        return;
      }
      case "complete": {
        const i = Math.floor(Math.random() * u.open.length);
        const t = u.open[i]!;
        if (await call(u, op, "POST", `${tasks}/${t.id}/complete`)) {
          u.open.splice(i, 1);
          if (t.recurring) recurringCompletions++;
          else u.done.push(t.id);
        }
        return;
      }
      case "delete": {
        // Only one-off tasks: a deleted series would hide whether its next occurrence was made exactly once.
        const oneOff = u.open.filter((t) => !t.recurring);
        const fromDone = u.done.length > 0 && (oneOff.length === 0 || Math.random() < 0.5);
        const id = fromDone ? u.done.pop()! : pick(oneOff).id;
        if (!fromDone)
          u.open.splice(
            u.open.findIndex((t) => t.id === id),
            1,
          );
        await call(u, op, "DELETE", `${tasks}/${id}`);
        return;
      }
    }
  }

  // A sign-in that fails (the provider resets a connection on a saturated machine) is retried, as a user would: one
  // reset must not end the whole run. Retries are counted in errorKinds; the third failure ends the run as before.
  async function signInRetrying(id: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await o.signIn(id);
      } catch (err) {
        if (attempt >= 3) throw err;
        errorKinds["sign-in retried"] = (errorKinds["sign-in retried"] ?? 0) + 1;
        await sleep(attempt * 1000);
      }
    }
  }

  const think = () => o.thinkMs.min + Math.random() * (o.thinkMs.max - o.thinkMs.min);
  async function virtualUser(i: number): Promise<void> {
    await sleep((i / o.users) * o.rampUpSeconds * 1000);
    const stopAt = rampDownAt + (i / o.users) * o.rampDownSeconds * 1000;
    const id = `${o.userPrefix}${i}`;
    const u: UserState = { id, token: await signInRetrying(id), open: [], done: [] };
    signedIn++;
    while (Date.now() < stopAt) {
      await step(u);
      await sleep(Math.min(think(), Math.max(0, stopAt - Date.now())));
    }
  }

  const answered = () => Object.values(latencies).reduce((a, l) => a + l.length, 0);
  const progress = setInterval(() => {
    const n = answered();
    const e = Object.values(errors).reduce((a, b) => a + b, 0);
    const phase = Date.now() < steadyAt ? "ramp-up" : Date.now() < rampDownAt ? "steady" : "ramp-down";
    o.log?.(`${phase}: ${signedIn} users signed in, ${n} requests, ${e} errors, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }, 10_000);
  const phases = [
    setTimeout(() => o.onPhase?.("steady", answered()), steadyAt - Date.now()),
    setTimeout(() => o.onPhase?.("ramp-down", answered()), rampDownAt - Date.now()),
  ];
  const hardEnd = new AbortController();
  try {
    const all = Promise.all(Array.from({ length: o.users }, (_, i) => virtualUser(i)));
    // The hard end: the last requests may take up to their timeout.
    const bound = sleep(endAt + timeoutMs + 5_000 - Date.now(), undefined, { signal: hardEnd.signal }).then(
      () => {
        throw new Error(`load run did not finish within ${(endAt + timeoutMs + 5_000 - t0) / 1000} s`);
      },
      () => undefined,
    );
    await Promise.race([all, bound]);
  } finally {
    hardEnd.abort();
    clearInterval(progress);
    for (const p of phases) clearTimeout(p);
  }

  const operations = Object.fromEntries(
    (Object.keys(latencies) as Operation[]).map((op) => {
      const sorted = [...latencies[op]].sort((a, b) => a - b);
      return [
        op,
        { count: sorted.length, errors: errors[op], p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) },
      ];
    }),
  ) as Record<Operation, OperationStats>;
  const requests = Object.values(operations).reduce((a, s) => a + s.count, 0);
  return {
    operations,
    requests,
    errors: Object.values(errors).reduce((a, b) => a + b, 0),
    errorKinds,
    recurringCompletions,
    signedIn,
    seconds: (Date.now() - t0) / 1000,
  };
}
