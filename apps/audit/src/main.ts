/** Entry point: config, migrations, HTTP server (deliveries + API), graceful shutdown. */
import { services } from "@tasks/catalog";
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
  waitForSidecar,
} from "@tasks/shared";
import { migrations } from "../migrations/index.js";
import { createAuditApp } from "./app.js";
import { envSchema, loadConfig } from "./config.js";

const name = services.audit.name;
const bootLogger = createLogger({ service: name });
try {
  await waitForSidecar({ daprHttpUrl: daprHttpUrl(loadEnv(envSchema)) });
  const config = await loadConfig();
  const logger = createLogger({ service: name, level: config.env.LOG_LEVEL });
  const knex = createDatabase({ connectionString: config.databaseUrl, poolMax: config.env.DB_POOL_MAX, applicationName: name, logger });
  if (config.env.MIGRATE_ON_START) logger.info({ applied: await migrateLatest(knex, migrations) }, "migrations");
  const { app, health } = createAuditApp({
    knex,
    logger,
    registry: createRegistry(name),
    auth: config.auth,
    daprAppToken: config.daprAppToken,
    daprHttpUrl: config.daprHttpUrl,
  });
  const server = await listen(app, config.port, config.env.HOST);
  logger.info({ port: config.port }, "listening");
  const shutdown = createShutdown({
    server,
    logger,
    beforeClose: () => health.setDraining(),
    timeoutMs: config.env.SHUTDOWN_TIMEOUT_SECONDS * 1000,
    // Deliveries are HTTP requests: draining the server stops the consumer; then close the pool.
    steps: [{ name: "database pool", run: () => knex.destroy() }],
  });
  onSignals(shutdown, logger);
} catch (err) {
  bootLogger.fatal({ err }, "startup failed");
  process.exit(1);
}
