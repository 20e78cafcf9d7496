/** Entry point: config, migrations, outbox relay, HTTP server, graceful shutdown. */
import { daprComponents, services } from "@tasks/catalog";
import {
  createDatabase,
  createLogger,
  createRegistry,
  createShutdown,
  daprHttpUrl,
  listen,
  loadEnv,
  migrateLatest,
  onSignals,
  outboxMetrics,
  publisherMetrics,
  waitForSidecar,
} from "@tasks/shared";
import { migrations } from "../migrations/index.js";
import { createTasksApp } from "./app.js";
import { envSchema, loadConfig } from "./config.js";
import { OutboxRelay } from "./outbox.js";

const name = services["tasks-api"].name;
const bootLogger = createLogger({ service: name });
try {
  await waitForSidecar({ daprHttpUrl: daprHttpUrl(loadEnv(envSchema)) });
  const config = await loadConfig();
  const logger = createLogger({ service: name, level: config.env.LOG_LEVEL });
  const knex = createDatabase({ connectionString: config.databaseUrl, poolMax: config.env.DB_POOL_MAX, applicationName: name, logger });
  if (config.env.MIGRATE_ON_START) logger.info({ applied: await migrateLatest(knex, migrations) }, "migrations");
  const registry = createRegistry(name);
  const relay = new OutboxRelay({
    knex,
    logger,
    metrics: outboxMetrics(registry),
    pollMs: config.env.OUTBOX_POLL_MS,
    publisher: {
      daprHttpUrl: config.daprHttpUrl,
      apiToken: config.daprApiToken,
      pubsubName: config.env.DAPR_PUBSUB_NAME,
      metrics: publisherMetrics(registry),
    },
  });
  const { app, health } = createTasksApp({
    knex,
    logger,
    registry,
    auth: config.auth,
    daprAppToken: config.daprAppToken,
    daprHttpUrl: config.daprHttpUrl,
    onEventsWritten: () => relay.notify(),
  });
  relay.start();
  const server = await listen(app, config.port, config.env.HOST);
  logger.info({ port: config.port, pubsub: daprComponents.pubsub }, "listening");
  const shutdown = createShutdown({
    server,
    logger,
    beforeClose: () => health.setDraining(),
    timeoutMs: config.env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    steps: [
      { name: "outbox relay", run: () => relay.stop() },
      { name: "database pool", run: () => knex.destroy() },
    ],
  });
  onSignals(shutdown, logger);
} catch (err) {
  bootLogger.fatal({ err }, "startup failed");
  process.exit(1);
}
