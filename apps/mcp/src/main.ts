/** Entry point: the shared run loop with the MCP server. */
import { runService } from "@tasks/shared";
import { createMcpApp } from "./app.js";
import { loadConfig } from "./config.js";
import { daprGateway } from "./gateway.js";

await runService({
  service: "mcp",
  loadConfig,
  start: ({ config, logger, registry }) =>
    createMcpApp({
      logger,
      registry,
      auth: config.auth,
      resource: config.mcp,
      gateway: daprGateway(config.sidecar),
      daprAppToken: config.daprAppToken,
      sidecar: config.sidecar,
    }),
});
