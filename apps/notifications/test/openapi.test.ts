/**
 * The notifications OpenAPI document (issue 19 item 7): served without a token at the catalog's
 * openapiPath, lists exactly the routes Express serves under the public prefix, and states what the
 * validators accept and what the routes answer (checked with ajv against real answers and refusals).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { services } from "@tasks/catalog";
import { compareOpenApiWithApp, componentValidator, request, signTestToken } from "@tasks/shared/testing";
import type { Express } from "express";
import { basePath } from "../src/index.js";
import { startNotificationsTestApp, type NotificationsTestApp } from "./support/app.js";

let notifications: NotificationsTestApp;
let app: Express;
let token: string;
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};
let doc: Doc;

before(async () => {
  notifications = await startNotificationsTestApp("notif_openapi");
  app = notifications.app;
  token = await signTestToken("openapi-user");
});
after(() => notifications.close());

describe("notifications OpenAPI", () => {
  test("served without a token at the catalog's openapiPath", async () => {
    const res = await request(app, { url: services.notifications.openapiPath });
    assert.equal(res.status, 200, res.text);
    doc = res.json<Doc>();
    assert.equal(doc.openapi, "3.1.0");
  });

  test("documents exactly the routes Express serves under the public prefix, each reachable", async () => {
    const mismatch = await compareOpenApiWithApp(app, doc, [basePath]);
    assert.deepEqual(mismatch, { undocumented: [], unserved: [], unreachable: [] });
    assert.ok(Object.keys(doc.paths).length >= 8);
  });

  test("real answers match the documented schemas; what the validators refuse, the document refuses", async () => {
    const valid = componentValidator(doc);
    const prefs = await request(app, { url: `${basePath}/preferences`, token });
    assert.equal(valid("Preferences", prefs.body), undefined);
    const page = await request(app, { url: basePath, token });
    assert.equal(valid("NotificationPage", page.body), undefined);
    const key = await request(app, { url: `${basePath}/push/public-key`, token });
    assert.equal(valid("PushPublicKey", key.body), undefined);
    assert.notEqual(valid("PushPublicKey", { publicKey: "not a key" }), undefined);
    const patch = { quietHours: { start: "22:00", end: "07:00" }, defaultReminderMinutes: 30, email: "me@example.com" };
    assert.equal(valid("PreferencesPatch", patch), undefined);
    const saved = await request(app, { method: "PATCH", url: `${basePath}/preferences`, token, body: patch });
    assert.equal(saved.status, 200);
    assert.equal(valid("Preferences", saved.body), undefined);
    for (const bad of [
      { quietHours: { start: "25:00", end: "07:00" } },
      { defaultReminderMinutes: -1 },
      { email: "not-an-address" },
      { channels: { fax: true } },
      { unknown: 1 },
    ]) {
      const res = await request(app, { method: "PATCH", url: `${basePath}/preferences`, token, body: bad });
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.notEqual(valid("PreferencesPatch", bad), undefined, `the document accepts ${JSON.stringify(bad)}`);
      assert.equal(valid("Problem", res.body), undefined);
    }
    const badPush = { endpoint: "http://push.example.com/x", keys: { p256dh: "short", auth: "short" } };
    assert.notEqual(valid("PushSubscription", badPush), undefined);
    assert.equal((await request(app, { method: "POST", url: `${basePath}/push-subscriptions`, token, body: badPush })).status, 400);
  });
});
