/** Builds the audit service (no listening): event deliveries and the per-user audit API. */
import { services } from "@tasks/catalog";
import {
  actingUserRoutes,
  consumerMetrics,
  createServiceApp,
  parseOrThrow,
  pingDatabase,
  sidecarReady,
  subscriptionRouter,
  userIdOf,
  type AuthConfig,
  type Knex,
  type Logger,
  type Registry,
  type ServiceApp,
  type SidecarOptions,
} from "@tasks/shared";
import { auditOpenapi, auditOpenapiPath } from "./openapi.js";
import { auditQuerySchema, listEntries } from "./query.js";
import { auditHandlers } from "./recorder.js";

export const auditBase = services.audit.publicRoutes[0]!.path;

export interface AuditAppDeps {
  readonly db: Knex;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly auth: AuthConfig;
  /** Dapr's app API token: the delivery routes need it. */
  readonly daprAppToken: string;
  /** The sidecar, for the readiness check; omitted = not checked (tests). */
  readonly sidecar?: SidecarOptions;
}

export function createAuditApp(deps: AuditAppDeps): ServiceApp {
  const sidecar = deps.sidecar;
  let doc: unknown;
  return createServiceApp({
    logger: deps.logger,
    registry: deps.registry,
    readiness: { database: () => pingDatabase(deps.db), ...(sidecar ? { sidecar: () => sidecarReady(sidecar) } : {}) },
    daprAppToken: deps.daprAppToken,
    publicRoutes: { paths: [auditBase], auth: deps.auth },
    openPaths: [auditOpenapiPath],
    preRoutes: (app) =>
      app.use(
        subscriptionRouter({
          handlers: auditHandlers(deps.db),
          logger: deps.logger,
          metrics: consumerMetrics(deps.registry),
          bodyLimit: "256kb",
        }),
      ),
    routes: (app) => {
      app.use(actingUserRoutes("audit", [auditBase]));
      app.get(auditOpenapiPath, (_req, res) => void res.json((doc ??= auditOpenapi(auditBase))));
      app.get(auditBase, async (req, res) => {
        res.json(await listEntries(deps.db, userIdOf(req), parseOrThrow(auditQuerySchema, req.query ?? {}, "query")));
      });
    },
  });
}
