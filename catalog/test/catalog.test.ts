import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  actingUserPath,
  allBrokerTopics,
  allServices,
  allTopics,
  catalogProblems,
  runsDaprSidecar,
  deadLetterSuffix,
  deadLetterTopicName,
  invocationPaths,
  secretNames,
  secretStoreContents,
  type ServiceSpec,
  services,
  subscribersOf,
  taskTopicKeys,
  topics,
  ingressPathMatches,
  underPathPrefix,
} from "../src/index.js";

describe("catalog", () => {
  it("is consistent", () => {
    assert.deepEqual(catalogProblems(), []);
  });

  it("gives every topic a dead-letter topic, and the broker gets both", () => {
    const names = allBrokerTopics().map((t) => t.name);
    for (const t of allTopics) {
      assert.ok(names.includes(t.name));
      assert.ok(names.includes(t.deadLetterTopic));
      assert.notEqual(t.name, t.deadLetterTopic);
      // One naming rule, which the policy pack also uses for hubs the catalog does not know.
      assert.equal(t.deadLetterTopic, deadLetterTopicName(t.name));
      assert.ok(t.deadLetterTopic.endsWith(deadLetterSuffix));
    }
    assert.equal(names.length, allTopics.length * 2);
  });

  it("reports a subscription to an unknown topic and a duplicate port", () => {
    const broken = [...allServices, { ...services.audit, name: "audit", port: 3000, subscribes: [{ topic: "nope", route: "/x" }] }];
    const problems = catalogProblems(broken as never);
    assert.ok(problems.includes('service "audit" is declared twice'));
    assert.ok(problems.includes("port 3000 is used by two services"));
    assert.ok(problems.includes('service "audit" subscribes to unknown topic "nope"'));
  });

  it("runs a Dapr sidecar only for services that name a building block; such a service cannot take part in Dapr traffic", () => {
    assert.deepEqual(
      allServices.filter((s) => !runsDaprSidecar(s)).map((s) => s.name),
      ["web"],
    );
    const invokesWeb = { ...services.mcp, invokes: [{ app: "web", method: "GET", path: "/x" }] };
    assert.deepEqual(catalogProblems([services.web, invokesWeb] as never), [
      'service "web" publishes, invokes or is invoked through Dapr but declares no Dapr building block',
    ]);
    assert.deepEqual(catalogProblems([{ ...services.web, publishes: ["task.created"] }] as never), [
      'service "web" publishes, invokes or is invoked through Dapr but declares no Dapr building block',
    ]);
  });

  it("gives every service with HTTP public routes an OpenAPI document the ingress reaches (issue 19)", () => {
    const { openapiPath: _dropped, ...noDoc } = services.audit;
    assert.deepEqual(catalogProblems([noDoc] as never), ['service "audit" has HTTP public routes but no openapiPath']);
    assert.deepEqual(ingressPathMatches(services["tasks-api"]), [
      { type: "PathPrefix", value: "/api/v1/tasks" },
      { type: "PathPrefix", value: "/api/v1/calendar-feeds" },
      { type: "PathPrefix", value: "/calendar" },
      { type: "Exact", value: "/api/v1/openapi.json" },
    ]);
    assert.deepEqual(ingressPathMatches(services.audit), [{ type: "PathPrefix", value: "/api/v1/audit" }]);
    assert.equal(underPathPrefix("/api/v1/auditx", "/api/v1/audit"), false);
  });

  it("lets only recurrence create occurrences, notifications read tasks, tasks-api read preferences, and mcp act for a user on the public APIs", () => {
    assert.deepEqual(
      invocationPaths()
        .map((p) => `${p.caller}->${p.target} ${p.method} ${p.path}`)
        .sort(),
      [
        "mcp->audit GET /internal/users/*/api/v1/audit",
        "mcp->notifications GET /internal/users/*/api/v1/notifications",
        "mcp->notifications POST /internal/users/*/api/v1/notifications/*/read",
        "mcp->tasks-api DELETE /internal/users/*/api/v1/tasks/*",
        "mcp->tasks-api GET /internal/users/*/api/v1/tasks",
        "mcp->tasks-api GET /internal/users/*/api/v1/tasks/*",
        "mcp->tasks-api PATCH /internal/users/*/api/v1/tasks/*",
        "mcp->tasks-api POST /internal/users/*/api/v1/tasks",
        "mcp->tasks-api POST /internal/users/*/api/v1/tasks/*/complete",
        "mcp->tasks-api POST /internal/users/*/api/v1/tasks/*/reopen",
        "notifications->tasks-api GET /internal/tasks/*",
        "recurrence->tasks-api POST /internal/occurrences",
        // The calendar feed's VALARMs for tasks whose reminders are not set: the owner's default reminder.
        "tasks-api->notifications GET /internal/users/*/api/v1/notifications/preferences",
      ],
    );
    assert.equal(actingUserPath("a/b c", "/api/v1/tasks"), "/internal/users/a%2Fb%20c/api/v1/tasks");
  });

  it("routes task.completed to recurrence, notifications, audit and realtime", () => {
    assert.deepEqual(
      subscribersOf(topics.taskCompleted.name)
        .map((s) => s.name)
        .sort(),
      ["audit", "notifications", "realtime", "recurrence"],
    );
  });

  it("routes calendar-feed.changed to audit only; the task consumers subscribe to the task topics only", () => {
    assert.deepEqual(
      subscribersOf(topics.calendarFeedChanged.name).map((s) => s.name),
      ["audit"],
    );
    assert.ok((services["tasks-api"].publishes as readonly string[]).includes(topics.calendarFeedChanged.name));
    const taskTopics = taskTopicKeys.map((k) => topics[k].name as string);
    for (const s of [services.realtime, services.notifications, services.recurrence])
      assert.deepEqual(
        s.subscribes.filter((x) => !taskTopics.includes(x.topic)),
        [],
        s.name,
      );
    // Dev's Event Hubs Standard namespace holds at most 10 event hubs: topics and their dead-letter topics.
    assert.ok(allBrokerTopics().length <= 10, `${allBrokerTopics().length} broker topics`);
  });

  it("builds every secret store's contents in one place: keys, SMTP, the broker where it needs one, a URL per database", () => {
    // Fixture services: the builder follows the entries (who owns a database), not today's catalog.
    const withDb = { ...services.audit, name: "ledger", database: "ledger" } as unknown as ServiceSpec;
    const without = { ...services.recurrence, name: "clock" } as unknown as ServiceSpec;
    const sources = {
      smtpUsername: "user",
      smtpPassword: "pass",
      vapidPublicKey: "pub",
      vapidPrivateKey: "priv",
      databaseUrl: (s: ServiceSpec & { database: string }) => `postgres://${s.name}@db/${s.database}`,
    };
    assert.deepEqual(secretStoreContents(sources, [withDb, without]), {
      [secretNames.vapidPublicKey]: "pub",
      [secretNames.vapidPrivateKey]: "priv",
      [secretNames.smtpUsername]: "user",
      [secretNames.smtpPassword]: "pass",
      "ledger-database-url": "postgres://ledger@db/ledger",
    });
    const azure = secretStoreContents({ ...sources, eventHubsConnectionString: "Endpoint=sb://x" }, [withDb]);
    assert.equal(azure[secretNames.eventHubsConnectionString], "Endpoint=sb://x");
    // By default, the catalog's services.
    assert.deepEqual(
      Object.keys(secretStoreContents(sources)).filter((k) => k.endsWith("-database-url")),
      allServices.filter((s) => s.database).map((s) => secretNames.databaseUrl(s.name)),
    );
  });
});
