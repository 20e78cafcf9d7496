/**
 * A daily recurring task in New York time, completed through the tasks API: recurrence creates the next
 * occurrence through Dapr service invocation (wall clock kept across the DST change), audit records both
 * operations, and a realtime WebSocket client receives both updates — all through real daprd sidecars
 * and a real Kafka broker.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { subscriptionRoute, tasksInternalRoutes, topics } from "@tasks/catalog";
import { sampleTask, sampleTaskEvent } from "@tasks/shared/testing";
import { api, connectRealtime, eventually, useTestPlatform, waitRealtimeLive } from "./helpers.js";

interface Task {
  id: string;
  status: string;
  dueAt: string;
  timeZone: string;
  seriesId: string | null;
  occurrenceAt: string | null;
}

const platform = useTestPlatform({ setUp: (p) => waitRealtimeLive(p, "realtime-probe") });

test(
  "completing a daily New York task creates the next occurrence, audits both operations and pushes both updates",
  { timeout: 90_000 },
  async () => {
    const user = `it-${randomUUID()}`;
    const token = await platform().token(user);
    const tasksUrl = `${platform().services["tasks-api"].url}/api/v1/tasks`;
    const realtime = await connectRealtime(`${platform().services.realtime.url.replace("http", "ws")}/ws`, token);
    try {
      // 09:00 New York on the day before DST starts (2027-03-14): the next one is 09:00 EDT, 13:00Z not 14:00Z.
      const created = await api<Task>(tasksUrl, token, {
        body: { title: "water the plants", dueAt: "2027-03-13T09:00:00-05:00", timeZone: "America/New_York", recurrence: "FREQ=DAILY" },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.id;
      const completed = await api<Task>(`${tasksUrl}/${id}/complete`, token, { method: "POST" });
      assert.equal(completed.status, 200, JSON.stringify(completed.body));
      assert.equal(completed.body.status, "completed");

      const next = await eventually("the next occurrence", 30_000, async () => {
        const list = await api<{ items: Task[] }>(`${tasksUrl}?limit=100`, token);
        return list.body.items.find((t) => t.seriesId === id);
      });
      assert.equal(next.dueAt, "2027-03-14T13:00:00.000Z");
      assert.equal(next.timeZone, "America/New_York");
      assert.equal(next.status, "open");
      const all = await api<{ items: Task[] }>(`${tasksUrl}?limit=100`, token);
      assert.equal(all.body.items.length, 2, "exactly the task and one next occurrence");

      const actions = await eventually("both audit entries", 30_000, async () => {
        const audit = await api<{ items: { action: string; taskId: string; actor: string }[] }>(
          `${platform().services.audit.url}/api/v1/audit?taskId=${id}`,
          token,
        );
        const found = audit.body.items.map((e) => e.action).sort();
        return found.length >= 2 ? found : undefined;
      });
      assert.deepEqual(actions, ["completed", "created"]);

      const pushed = await eventually("both realtime updates", 30_000, async () => {
        const mine = realtime.events.filter((e) => e.taskId === id).map((e) => e.topic);
        return mine.includes(topics.taskCreated.name) && mine.includes(topics.taskCompleted.name) ? mine : undefined;
      });
      assert.deepEqual([...pushed].sort(), [topics.taskCompleted.name, topics.taskCreated.name]);
    } finally {
      realtime.close();
    }
  },
);

test(
  "issue 21: forged deliveries on the app ports are refused, and sidecars may only invoke what the access-control policies allow",
  { timeout: 120_000 },
  async () => {
    const victim = `victim-${randomUUID()}`;
    const token = await platform().token(victim);
    const tasksUrl = `${platform().services["tasks-api"].url}/api/v1/tasks`;
    const realtime = await connectRealtime(`${platform().services.realtime.url.replace("http", "ws")}/ws`, token);
    try {
      const own = await api<Task>(tasksUrl, token, { body: { title: "victim's task", dueAt: "2027-05-01T09:00:00Z", timeZone: "UTC" } });
      assert.equal(own.status, 201);
      const forgedTask = sampleTask({
        userId: victim,
        title: "FORGED",
        dueAt: "2027-05-01T09:00:00.000Z",
        timeZone: "UTC",
        recurrence: "FREQ=DAILY",
      });
      const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
        fetch(url, {
          method: "POST",
          headers: { "content-type": "application/cloudevents+json", ...headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
      // 1. A forged entry in the victim's append-only audit trail.
      const auditForgery = sampleTaskEvent("taskCreated", { actor: victim, task: forgedTask });
      assert.equal((await post(`${platform().services.audit.url}${subscriptionRoute(topics.taskCreated.name)}`, auditForgery)).status, 401);
      // 2. A forged completion that would make recurrence create a task in the victim's account.
      const completion = sampleTaskEvent("taskCompleted", { actor: victim, task: { ...forgedTask, status: "completed" } });
      assert.equal(
        (await post(`${platform().services.recurrence.url}${subscriptionRoute(topics.taskCompleted.name)}`, completion)).status,
        401,
      );
      // 3. A fake event pushed to the victim's socket; a made-up app token does not help.
      const fake = sampleTaskEvent("taskUpdated", {
        actor: victim,
        task: forgedTask,
        before: forgedTask,
        after: forgedTask,
        changed: ["title"],
      });
      for (const headers of [{} as Record<string, string>, { "dapr-api-token": "guessed-token-guessed-token-guessed" }]) {
        assert.equal(
          (await post(`${platform().services.realtime.url}${subscriptionRoute(topics.taskUpdated.name)}`, fake, headers)).status,
          401,
        );
      }
      // 4. A forged caller header on the internal route, straight to the app port.
      const internal = await fetch(`${platform().services["tasks-api"].url}${tasksInternalRoutes.getTask.replace("*", own.body.id)}`, {
        headers: { "dapr-caller-app-id": "notifications" },
      });
      assert.equal(internal.status, 401);
      // 5. The same header through tasks-api's own sidecar: Dapr passes headers through when an app invokes
      // itself, so only tasks-api may use that sidecar's API: without its API token, daprd answers 401.
      const ownSidecar = `http://127.0.0.1:${platform().services["tasks-api"].daprHttpPort}/v1.0/invoke/tasks-api/method`;
      const selfInvoke = await fetch(`${ownSidecar}${tasksInternalRoutes.getTask.replace("*", own.body.id)}`, {
        headers: { "dapr-caller-app-id": "notifications" },
      });
      assert.equal(selfInvoke.status, 401);
      assert.equal((await selfInvoke.text()).trim(), "invalid api token");

      // Through the sidecars (mTLS with the local sentry): only the catalog's callers, only their operation.
      // The callers claim to be notifications: the callee's sidecar goes by the caller's certificate instead.
      const invoke = (caller: "audit" | "recurrence" | "notifications", method: string, path: string, claim = true) =>
        fetch(`http://127.0.0.1:${platform().services[caller].daprHttpPort}/v1.0/invoke/tasks-api/method${path}`, {
          method,
          headers: {
            "content-type": "application/json",
            "dapr-api-token": platform().services[caller].daprApiToken!,
            ...(claim ? { "dapr-caller-app-id": "notifications" } : {}),
          },
          ...(method === "POST" ? { body: "{}" } : {}),
          signal: AbortSignal.timeout(10_000),
        });
      const getPath = tasksInternalRoutes.getTask.replace("*", own.body.id);
      // mDNS may also find another platform's tasks-api on this machine (its TLS handshake fails): retry until our own answers.
      const denied = async (caller: "audit" | "recurrence" | "notifications", method: string, path: string) => {
        let last = "";
        try {
          return await eventually(`${caller} → ${method} ${path} denied by access control`, 30_000, async () => {
            const res = await invoke(caller, method, path);
            const text = await res.text();
            last = `${res.status} ${text.slice(0, 300)}`;
            return res.status === 403 && text.includes("access control policy has denied access") ? text : undefined;
          });
        } catch (err) {
          throw new Error(`${(err as Error).message}; the last answer: ${last}`, { cause: err });
        }
      };
      await denied("audit", "GET", getPath);
      await denied("recurrence", "GET", getPath);
      await denied("notifications", "POST", tasksInternalRoutes.createOccurrence);
      const allowed = await eventually("notifications → GET /internal/tasks allowed", 30_000, async () => {
        const res = await invoke("notifications", "GET", getPath, false);
        return res.status === 200 ? ((await res.json()) as { task: { id: string } }) : void (await res.text());
      });
      assert.equal(allowed.task.id, own.body.id);

      // Nothing forged arrived anywhere: no audit entry, no task, no pushed event.
      await new Promise((r) => setTimeout(r, 3000));
      const audit = await api<{ items: unknown[] }>(`${platform().services.audit.url}/api/v1/audit?taskId=${forgedTask.id}`, token);
      assert.deepEqual(audit.body.items, []);
      const tasks = await api<{ items: { title: string }[] }>(`${tasksUrl}?limit=100`, token);
      assert.deepEqual(
        tasks.body.items.map((t) => t.title),
        ["victim's task"],
      );
      assert.equal(realtime.events.filter((e) => e.taskId === forgedTask.id).length, 0);
    } finally {
      realtime.close();
    }
  },
);

test(
  "issue 21: a rule that never occurs is refused when the task is created, not evaluated for seconds later",
  { timeout: 30_000 },
  async () => {
    const token = await platform().token(`rule-${randomUUID()}`);
    const res = await api<{ errors: { field: string; message: string }[] }>(`${platform().services["tasks-api"].url}/api/v1/tasks`, token, {
      body: { title: "never", dueAt: "2027-01-01T09:00:00Z", timeZone: "UTC", recurrence: "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30" },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.errors.map((e) => e.field),
      ["recurrence"],
    );
  },
);

/** Local calendar date and HH:MM of an instant in `zone` (Intl, independent of the engine under test). */
function localParts(instant: string, zone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}
const plusDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test(
  "issue 19: a repeat-from-completion series: completing, skipping, reopening and ending it through real sidecars and Kafka",
  { timeout: 150_000 },
  async () => {
    const user = `series-${randomUUID()}`;
    const token = await platform().token(user);
    const tasksUrl = `${platform().services["tasks-api"].url}/api/v1/tasks`;
    const zone = "America/New_York";
    const realtime = await connectRealtime(`${platform().services.realtime.url.replace("http", "ws")}/ws`, token);
    try {
      const first = await api<Task & { repeatFrom: string }>(tasksUrl, token, {
        body: {
          title: "water the plants",
          dueAt: "2027-03-01T09:00:00-05:00",
          timeZone: zone,
          recurrence: "FREQ=DAILY;INTERVAL=3;BYHOUR=9;BYMINUTE=0",
          repeatFrom: "completion",
        },
      });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const id = first.body.id;
      const done = await api<Task & { completedAt: string }>(`${tasksUrl}/${id}/complete`, token, { method: "POST" });
      const series = async () =>
        (await api<{ items: (Task & { recurrence: string | null })[]; endedAt: string | null }>(`${tasksUrl}/${id}/series`, token)).body;
      // Three days after the completion (New York calendar), at 09:00 New York time.
      const second = await eventually("the occurrence after the completion", 30_000, async () =>
        (await series()).items.find((t) => t.id !== id),
      );
      assert.deepEqual(localParts(second.dueAt, zone), { date: plusDays(localParts(done.body.completedAt, zone).date, 3), time: "09:00" });
      // Skipping it: the next one as if it had been completed on time, three days after its due date.
      const skipped = await api<Task>(`${tasksUrl}/${second.id}/skip`, token, { method: "POST" });
      assert.equal(skipped.body.status, "skipped");
      const third = await eventually("the occurrence after the skip", 30_000, async () =>
        (await series()).items.find((t) => t.id !== id && t.id !== second.id),
      );
      assert.deepEqual(localParts(third.dueAt, zone), { date: plusDays(localParts(second.dueAt, zone).date, 3), time: "09:00" });
      // Reopening the first (its successor exists) and completing it again: no second successor.
      assert.equal((await api<Task>(`${tasksUrl}/${id}/reopen`, token, { method: "POST" })).body.status, "open");
      assert.equal((await api<Task>(`${tasksUrl}/${id}/complete`, token, { method: "POST" })).status, 200);
      const actions = await eventually("reopened and skipped in the audit trail", 30_000, async () => {
        const audit = await api<{ items: { action: string; taskId: string }[] }>(`${platform().services.audit.url}/api/v1/audit`, token);
        const found = audit.body.items.map((e) => e.action);
        return found.includes("reopened") && found.includes("skipped") && found.filter((a) => a === "completed").length >= 2
          ? found
          : undefined;
      });
      assert.equal(actions.filter((a) => a === "created").length, 3, JSON.stringify(actions));
      await eventually("the reopen pushed to the client", 30_000, async () =>
        realtime.events.some((e) => e.taskId === id && e.topic === topics.taskUpdated.name) ? true : undefined,
      );
      // Ending the series keeps the open occurrence, without a rule.
      const ended = await api<{ kept: { id: string; recurrence: string | null }[] }>(`${tasksUrl}/${id}/series/end`, token, {
        body: { open: "keep" },
      });
      assert.deepEqual(
        ended.body.kept.map((t) => [t.id, t.recurrence]),
        [[third.id, null]],
      );
      // The re-completion's task.completed reaches recurrence like the others (within seconds here); give it
      // time to act, then the series must still hold three tasks (the tasks API answered with the successor).
      await new Promise((r) => setTimeout(r, 5_000));
      const after = await series();
      assert.equal(after.items.length, 3, "still three tasks: no second successor after the re-completion");
      assert.notEqual(after.endedAt, null);
    } finally {
      realtime.close();
    }
  },
);

test(
  "issue 19 gaps: feed VALARMs use the default reminder read from notifications through Dapr; feed changes, completions and an end with no open occurrence reach audit through Kafka",
  { timeout: 150_000 },
  async () => {
    const user = `feed-${randomUUID()}`;
    const token = await platform().token(user);
    const tasksApi = platform().services["tasks-api"].url;
    const auditUrl = `${platform().services.audit.url}/api/v1/audit`;
    const unset = await api<Task>(`${tasksApi}/api/v1/tasks`, token, {
      body: { title: "reminders not set", dueAt: "2031-05-01T09:00:00Z", timeZone: "Europe/Paris" },
    });
    assert.equal(unset.status, 201, JSON.stringify(unset.body));
    const feed = await api<{ id: string; token: string; path: string }>(`${tasksApi}/api/v1/calendar-feeds`, token, {
      body: { name: "Mine" },
    });
    assert.equal(feed.status, 201, JSON.stringify(feed.body));
    const alarms = async (): Promise<string[]> => {
      const res = await fetch(`${tasksApi}${feed.body.path}`, { signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      assert.equal(res.status, 200, text);
      return text.split("\r\n").filter((l) => l.startsWith("TRIGGER"));
    };
    // A new user's default (notifications: 60 minutes), read by tasks-api through its sidecar and notifications' ACL.
    assert.deepEqual(await alarms(), ["TRIGGER;RELATED=START:-PT60M"]);
    const prefs = await api(`${platform().services.notifications.url}/api/v1/notifications/preferences`, token, {
      method: "PATCH",
      body: { defaultReminderMinutes: 15 },
    });
    assert.equal(prefs.status, 200, JSON.stringify(prefs.body));
    assert.deepEqual(await alarms(), ["TRIGGER;RELATED=START:-PT15M"]);

    // Completed (with its state before), a series ended with no open occurrence, a feed created and revoked.
    assert.equal((await api(`${tasksApi}/api/v1/tasks/${unset.body.id}/complete`, token, { method: "POST" })).status, 200);
    const daily = await api<Task>(`${tasksApi}/api/v1/tasks`, token, {
      body: { title: "daily", dueAt: "2031-05-01T09:00:00Z", timeZone: "UTC", recurrence: "FREQ=DAILY" },
    });
    assert.equal((await api(`${tasksApi}/api/v1/tasks/${daily.body.id}/complete`, token, { method: "POST" })).status, 200);
    // Ended at once: the occurrence recurrence is creating may be refused (410) or made and kept without a rule.
    const ended = await api<{ latestClosed: unknown; kept: unknown[] }>(`${tasksApi}/api/v1/tasks/${daily.body.id}/series/end`, token, {
      body: { open: "keep" },
    });
    assert.equal(ended.status, 200, JSON.stringify(ended.body));
    assert.equal((await api(`${tasksApi}/api/v1/calendar-feeds/${feed.body.id}`, token, { method: "DELETE" })).status, 204);
    type Entry = {
      action: string;
      taskId: string | null;
      feedId: string | null;
      before: { status?: string; recurrence?: string | null } | null;
    };
    const entries = await eventually("the completion, the end and both feed changes in the audit trail", 60_000, async () => {
      const page = (await api<{ items: Entry[] }>(`${auditUrl}?limit=100`, token)).body.items;
      const feedActions = page.filter((e) => e.feedId === feed.body.id).map((e) => e.action);
      const endUpdate = page.find((e) => e.action === "updated" && e.before?.recurrence === "FREQ=DAILY");
      return feedActions.length === 2 && endUpdate ? page : undefined;
    });
    assert.deepEqual(
      entries.filter((e) => e.feedId === feed.body.id).map((e) => [e.action, e.taskId]),
      [
        ["feed-revoked", null],
        ["feed-created", null],
      ],
    );
    const completed = entries.find((e) => e.action === "completed" && e.taskId === unset.body.id)!;
    assert.equal(completed.before?.status, "open");
    assert.ok(!JSON.stringify(entries).includes(feed.body.token.slice(4)), "the feed token reached the audit trail");
  },
);
