/** Entry point: the shared run loop with the recurrence app (one subscription). */
import { runService } from "@tasks/shared";
import { createRecurrenceApp } from "./app.js";
import { loadConfig } from "./config.js";

await runService({
  service: "recurrence",
  loadConfig,
  start: ({ config, logger, registry }) =>
    createRecurrenceApp({ logger, registry, sidecar: config.sidecar, daprAppToken: config.daprAppToken }),
});
