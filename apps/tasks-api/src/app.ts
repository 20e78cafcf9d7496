/** Builds the tasks API (no listening): used by main.ts, the tests and the benchmark. */
import {
  createServiceApp,
  pingDatabase,
  sidecarReady,
  type AuthConfig,
  type Knex,
  type Logger,
  type Registry,
  type ServiceApp,
  type SidecarOptions,
} from "@tasks/shared";
import { openapiDocument } from "./openapi.js";
import { openapiPath, registerRoutes, tasksBase, tasksRoutes } from "./routes.js";
import { seriesRoutes } from "./series/routes.js";
import { SeriesService } from "./series/service.js";
import { TasksService } from "./tasks-service.js";

export interface TasksAppDeps {
  readonly db: Knex;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly auth: AuthConfig;
  /** Dapr's app API token: the internal routes (service invocation) need it. */
  readonly daprAppToken: string;
  /** The sidecar, for the readiness check; omitted = not checked (tests). */
  readonly sidecar?: SidecarOptions;
  /** Called after events were committed to the outbox (wakes the relay). */
  readonly onEventsWritten?: () => void;
  /** @default "64kb" */
  readonly bodyLimit?: string;
}

export function createTasksApp(deps: TasksAppDeps): ServiceApp & { service: TasksService } {
  const service = new TasksService({ db: deps.db, ...(deps.onEventsWritten ? { onEventsWritten: deps.onEventsWritten } : {}) });
  const series = new SeriesService(deps.db, () => deps.onEventsWritten?.());
  let doc: unknown;
  const openapi = () => (doc ??= openapiDocument());
  const sidecar = deps.sidecar;
  const built = createServiceApp({
    logger: deps.logger,
    registry: deps.registry,
    readiness: { database: () => pingDatabase(deps.db), ...(sidecar ? { sidecar: () => sidecarReady(sidecar) } : {}) },
    bodyLimit: deps.bodyLimit ?? "64kb",
    daprAppToken: deps.daprAppToken,
    publicRoutes: { paths: [tasksBase], auth: deps.auth },
    openPaths: [openapiPath],
    routes: (app) => registerRoutes(app, [...tasksRoutes(service, openapi), ...seriesRoutes(series)]),
  });
  return { ...built, service };
}
