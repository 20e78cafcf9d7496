/**
 * The web app's process: settings checked, bundle built in memory, then served. SIGTERM drains and
 * exits through the shared shutdown, which logs the lines the container tier and the runbooks look for.
 */
import { createServer } from "node:http";
import { createLogger, createShutdown, onSignals } from "@tasks/shared";
import { createWebApp, type WebApp } from "./app.js";
import { WebConfigError } from "./config.js";

const t0 = Date.now();
const logger = createLogger({ service: "web" });
let app: WebApp;
try {
  app = await createWebApp(process.env);
} catch (err) {
  if (!(err instanceof WebConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}
const server = createServer(app.handler);
server.listen(app.config.port, app.config.host, () => {
  const { port, host } = app.config;
  logger.info({ host, port, startMs: Date.now() - t0, assets: app.bundle.assets.size, issuer: app.config.runtime.issuer }, "web listening");
});
onSignals(createShutdown({ server, logger, steps: [] }), logger);
