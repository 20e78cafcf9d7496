/**
 * Reminders through the real Dapr scheduler: a reminder ~2 s ahead fires and the SMTP catcher receives
 * exactly one email; a task completed before its reminder sends none.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { api, eventually, logLinesAbout, useTestPlatform } from "./helpers.js";

const platform = useTestPlatform();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mailsAbout = (title: string) => platform().smtp.messages.filter((m) => m.raw.includes(title));

test("a reminder 2 s ahead sends exactly one email; completing a task before its reminder sends none", { timeout: 120_000 }, async () => {
  const user = `rem-${randomBytes(4).toString("hex")}`;
  const address = `${user}@example.test`;
  const token = await platform().token(user);
  const tasksUrl = `${platform().services["tasks-api"].url}/api/v1/tasks`;
  const prefs = await api(`${platform().services.notifications.url}/api/v1/notifications/preferences`, token, {
    method: "PATCH",
    body: { email: address },
  });
  assert.equal(prefs.status, 200, JSON.stringify(prefs.body));

  const remindTitle = `remind-${randomBytes(4).toString("hex")}`;
  const skipTitle = `skip-${randomBytes(4).toString("hex")}`;
  const start = Date.now();
  // Reminders are whole minutes before dueAt: due in 62 s with a 1-minute reminder fires ~2 s from now.
  const remindAt = start + 2_000;
  const reminded = await api<{ id: string }>(tasksUrl, token, {
    body: { title: remindTitle, dueAt: new Date(remindAt + 60_000).toISOString(), timeZone: "UTC", reminders: [1] },
  });
  assert.equal(reminded.status, 201, JSON.stringify(reminded.body));
  const skipAt = start + 8_000;
  const skipped = await api<{ id: string }>(tasksUrl, token, {
    body: { title: skipTitle, dueAt: new Date(skipAt + 60_000).toISOString(), timeZone: "UTC", reminders: [1] },
  });
  assert.equal(skipped.status, 201, JSON.stringify(skipped.body));
  const done = await api(`${tasksUrl}/${skipped.body.id}/complete`, token, { method: "POST" });
  assert.equal(done.status, 200);

  const mail = await eventually(
    "the reminder email",
    45_000,
    async () => mailsAbout(remindTitle)[0],
    () => logLinesAbout(platform().workDir, "notifications", [reminded.body.id, skipped.body.id, user]),
  );
  assert.deepEqual(mail.to, [address]);
  process.stderr.write(`reminder lateness: ${mail.receivedAt - remindAt} ms after its scheduled time\n`);

  // Well past the second reminder's time (and a job retry interval's worth): still one email, none for the completed task.
  await sleep(Math.max(0, skipAt + 12_000 - Date.now()));
  assert.equal(mailsAbout(remindTitle).length, 1, "exactly one email for the reminder");
  assert.equal(mailsAbout(skipTitle).length, 0, "no email for the task completed before its reminder");
});
