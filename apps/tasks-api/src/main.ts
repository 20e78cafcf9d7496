/** Entry point: the shared run loop with the tasks API and its outbox relay. */
import { outboxMetrics, publisherMetrics, runService } from "@tasks/shared";
import { migrations } from "../migrations/index.js";
import { createTasksApp } from "./app.js";
import { loadConfig } from "./config.js";
import { OutboxRelay } from "./outbox.js";

await runService({
  service: "tasks-api",
  loadConfig,
  migrations,
  start: ({ config, logger, registry, db }) => {
    const relay = new OutboxRelay({
      db,
      logger,
      metrics: outboxMetrics(registry),
      pollMs: config.env.OUTBOX_POLL_MS,
      publisher: { ...config.sidecar, pubsubName: config.env.DAPR_PUBSUB_NAME, metrics: publisherMetrics(registry) },
    });
    const { app, health } = createTasksApp({
      db,
      logger,
      registry,
      auth: config.auth,
      daprAppToken: config.daprAppToken,
      sidecar: config.sidecar,
      onEventsWritten: () => relay.notify(),
    });
    relay.start();
    return { app, health, stopSteps: [{ name: "outbox relay", run: () => relay.stop() }] };
  },
});
