import {
  createServiceApp,
  consumerMetrics,
  sidecarReady,
  subscriptionRouter,
  type Logger,
  type Registry,
  type ServiceApp,
  type SidecarOptions,
} from "@tasks/shared";
import { completedHandler } from "./completed-handler.js";
import { occurrenceClient, type OccurrenceClient } from "./occurrence-client.js";

export interface RecurrenceAppDeps {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly sidecar: SidecarOptions;
  /** Dapr's app API token: the delivery route needs it. */
  readonly daprAppToken: string;
  /** @default invocation through `sidecar` */
  readonly client?: OccurrenceClient;
}

/** The recurrence service: one subscription (task.completed), health and metrics. */
export function createRecurrenceApp(deps: RecurrenceAppDeps): ServiceApp {
  const client = deps.client ?? occurrenceClient(deps.sidecar);
  return createServiceApp({
    logger: deps.logger,
    registry: deps.registry,
    readiness: { sidecar: () => sidecarReady(deps.sidecar) },
    daprAppToken: deps.daprAppToken,
    preRoutes: (app) => {
      app.use(
        subscriptionRouter({
          handlers: { taskCompleted: completedHandler(client) },
          logger: deps.logger,
          metrics: consumerMetrics(deps.registry),
        }),
      );
    },
    routes: () => undefined,
  });
}
