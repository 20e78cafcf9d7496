/**
 * The mcp service's Express app (no listening): health and metrics, the Protected Resource Metadata, and
 * the Streamable HTTP endpoint in stateless mode (POST only: a fresh McpServer and transport per request,
 * answered as JSON), behind the bearer check. Both public paths are open to the ingress (no Dapr token);
 * the endpoint checks the user's token itself, to answer 401 the way MCP clients expect.
 */
import { mcpEndpoint, mcpResourceMetadataPath, services } from "@tasks/catalog";
import {
  createServiceApp,
  HttpProblem,
  sidecarReady,
  type AuthConfig,
  type Logger,
  type Registry,
  type ServiceApp,
  type SidecarOptions,
} from "@tasks/shared";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { bearer, protectedResourceMetadata, userIdOfAuth, type ResourceSettings } from "./authorization.js";
import type { Gateway } from "./gateway.js";
import { mcpOpenapi } from "./openapi.js";
import { createMcpServer } from "./server.js";

export interface McpAppDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly auth: AuthConfig;
  readonly resource: ResourceSettings;
  readonly gateway: Gateway;
  readonly daprAppToken: string;
  /** The sidecar, for the readiness check; omitted = not checked (tests). */
  readonly sidecar?: SidecarOptions;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export function createMcpApp(deps: McpAppDeps): ServiceApp {
  const sidecar = deps.sidecar;
  const metadata = protectedResourceMetadata(deps.auth, deps.resource);
  const origins = new Set(deps.auth.allowedOrigins ?? []);
  const check = bearer(deps.auth, deps.resource, (reason) => deps.logger.info({ reason }, "mcp token refused"));
  return createServiceApp({
    logger: deps.logger,
    registry: deps.registry,
    readiness: sidecar ? { sidecar: () => sidecarReady(sidecar) } : {},
    daprAppToken: deps.daprAppToken,
    openPaths: [mcpEndpoint, mcpResourceMetadataPath, services.mcp.openapiPath],
    routes: (app) => {
      let doc: unknown;
      app.get(services.mcp.openapiPath, (_req, res) => void res.json((doc ??= mcpOpenapi())));
      app.get(mcpResourceMetadataPath, (_req, res) => void res.set("Cache-Control", "max-age=300").json(metadata));
      // MCP transports must check Origin (DNS rebinding): a browser page from another origin is refused.
      app.use(mcpEndpoint, (req, _res, next) => {
        const origin = req.get("origin");
        if (origin !== undefined && !origins.has(origin))
          throw new HttpProblem(403, "Forbidden", "This origin may not call the MCP endpoint.");
        next();
      });
      app.post(mcpEndpoint, check, async (req, res) => {
        const server = createMcpServer({ gateway: deps.gateway, userId: userIdOfAuth(req.auth), ...(deps.now ? { now: deps.now } : {}) });
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
        res.on("close", () => {
          void transport.close();
          void server.close();
        });
        await server.connect(transport);
        await transport.handleRequest(req, res, req.body);
      });
      // Stateless: no server-to-client stream and no session to delete.
      app.get(mcpEndpoint, check, (_req, res) => void res.status(405).set("Allow", "POST").end());
      app.delete(mcpEndpoint, check, (_req, res) => void res.status(405).set("Allow", "POST").end());
    },
  });
}
