/** Entry point: the shared run loop with the audit app (deliveries + API). */
import { runService } from "@tasks/shared";
import { migrations } from "../migrations/index.js";
import { createAuditApp } from "./app.js";
import { loadConfig } from "./config.js";

await runService({
  service: "audit",
  loadConfig,
  migrations,
  // Deliveries are HTTP requests: draining the server stops the consumer; the run loop then closes the pool.
  start: ({ config, logger, registry, db }) =>
    createAuditApp({ db, logger, registry, auth: config.auth, daprAppToken: config.daprAppToken, sidecar: config.sidecar }),
});
