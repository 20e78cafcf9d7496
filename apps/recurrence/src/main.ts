import { services } from "@tasks/catalog";
import {
  createLogger,
  createRegistry,
  createShutdown,
  daprHttpUrl,
  listen,
  onSignals,
  readApiToken,
  readAppToken,
  waitForSidecar,
} from "@tasks/shared";
import { buildRecurrenceApp } from "./app.js";
import { loadRecurrenceConfig } from "./config.js";

const config = loadRecurrenceConfig();
const logger = createLogger({ service: services.recurrence.name, level: config.LOG_LEVEL });
const sidecar = { daprHttpUrl: daprHttpUrl(config), apiToken: readApiToken(config.DAPR_API_TOKEN_FILE) };
await waitForSidecar(sidecar);
const { app, health } = buildRecurrenceApp({
  logger,
  registry: createRegistry(services.recurrence.name),
  sidecar,
  daprAppToken: readAppToken(config.DAPR_APP_TOKEN_FILE),
});
const server = await listen(app, config.PORT, config.HOST);
logger.info({ port: config.PORT }, "recurrence listening");
onSignals(
  createShutdown({ server, logger, beforeClose: health.setDraining, steps: [], timeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000 }),
  logger,
);
