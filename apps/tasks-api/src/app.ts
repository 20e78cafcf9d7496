/** Builds the tasks API (no listening): used by main.ts, the tests and the benchmark. */
import {
  actingUserRoutes,
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
import { feedPrefix, feedRoutes, feedsBase } from "./feed-routes.js";
import { CalendarFeedStore } from "./feed-tokens.js";
import { openapiDocument } from "./openapi.js";
import { noReminderDefaults, reminderDefaultsViaDapr, type ReminderDefaults } from "./reminder-defaults.js";
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
  /** Fetches of one calendar feed URL per minute and replica. @default 30 */
  readonly feedRequestsPerMinute?: number;
  /**
   * Users' default reminders for the calendar feed. @default Dapr invocation of notifications through `sidecar`;
   * without a sidecar, a feed that needs them answers 503.
   */
  readonly reminderDefaults?: ReminderDefaults;
}

export function createTasksApp(deps: TasksAppDeps): ServiceApp & { service: TasksService; feeds: CalendarFeedStore } {
  const service = new TasksService({ db: deps.db, ...(deps.onEventsWritten ? { onEventsWritten: deps.onEventsWritten } : {}) });
  const series = new SeriesService(deps.db, () => deps.onEventsWritten?.());
  const feeds = new CalendarFeedStore(deps.db, () => deps.onEventsWritten?.());
  let doc: unknown;
  const openapi = () => (doc ??= openapiDocument());
  const sidecar = deps.sidecar;
  const built = createServiceApp({
    logger: deps.logger,
    registry: deps.registry,
    readiness: { database: () => pingDatabase(deps.db), ...(sidecar ? { sidecar: () => sidecarReady(sidecar) } : {}) },
    bodyLimit: deps.bodyLimit ?? "64kb",
    daprAppToken: deps.daprAppToken,
    publicRoutes: { paths: [tasksBase, feedsBase], auth: deps.auth },
    openPaths: [openapiPath],
    selfAuthenticatedPrefixes: [feedPrefix],
    routes: (app) => {
      // The mcp server acts for its verified user here (catalog actingUserPrefix), through the same routes.
      app.use(actingUserRoutes("tasks-api", [tasksBase]));
      registerRoutes(app, [
        ...tasksRoutes(service, openapi),
        ...seriesRoutes(series),
        ...feedRoutes({
          db: deps.db,
          store: feeds,
          logger: deps.logger,
          reminderDefaults:
            deps.reminderDefaults ??
            (sidecar ? reminderDefaultsViaDapr(sidecar, (fields, msg) => deps.logger.warn(fields, msg)) : noReminderDefaults),
          ...(deps.feedRequestsPerMinute !== undefined ? { feedRequestsPerMinute: deps.feedRequestsPerMinute } : {}),
        }),
      ]);
    },
  });
  return { ...built, service, feeds };
}
