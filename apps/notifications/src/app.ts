import { services } from "@tasks/catalog";
import {
  actingUserRoutes,
  consumerMetrics,
  createServiceApp,
  notificationsDelivered,
  pingDatabase,
  reminderLateness,
  sidecarReady,
  smtpMetrics,
  subscriptionRouter,
  type AuthConfig,
  type Knex,
  type Logger,
  type Registry,
  type ServiceApp,
  type SidecarOptions,
} from "@tasks/shared";
import { notificationsOpenapi, notificationsOpenapiPath } from "./api/openapi.js";
import { basePath, notificationsRouter } from "./api/router.js";
import type { CircuitBreaker } from "./delivery/circuit-breaker.js";
import { instrumentedEmail } from "./delivery/email-metrics.js";
import type { EmailSender } from "./delivery/email.js";
import type { PushSender } from "./delivery/push.js";
import { reminderDelivery } from "./delivery/reminder-delivery.js";
import { jobsClient, type JobsClient, type JobSpec } from "./jobs/client.js";
import { reminderScheduler } from "./scheduling.js";
import { archiveNotifications } from "./store/notifications.js";
import { tasksClient, type TasksClient } from "./tasks-client.js";

export interface NotificationsAppDeps {
  readonly db: Knex;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly sidecar: SidecarOptions;
  readonly auth: AuthConfig;
  /** Dapr's app API token: deliveries, job triggers and the cron binding need it. */
  readonly daprAppToken: string;
  /** With a `breaker` (circuitBreakingSender), its state is exported as smtp_circuit_state. */
  readonly email: EmailSender & { readonly breaker?: Pick<CircuitBreaker, "current"> };
  readonly push: PushSender;
  /** @default through `sidecar` */
  readonly jobs?: JobsClient;
  /** @default Dapr invocation through `sidecar` */
  readonly tasks?: TasksClient;
  /** @default { constant: { interval: "30s", maxRetries: 5 } } */
  readonly failurePolicy?: NonNullable<JobSpec["failurePolicy"]>;
  /** @default 3 */
  readonly maxAttempts?: number;
  /** @default 30 */
  readonly archiveAfterDays?: number;
  /** Escalating reminders of urgent tasks, minutes before due (config URGENT_REMINDER_MINUTES). @default [] */
  readonly urgentReminderMinutes?: readonly number[];
  /** @default Date.now */
  readonly now?: () => number;
}

export const archiveRoute = `/${services.notifications.cron.binding}`;

export function createNotificationsApp(deps: NotificationsAppDeps): ServiceApp {
  const jobs = deps.jobs ?? jobsClient(deps.sidecar);
  const failurePolicy = deps.failurePolicy ?? { constant: { interval: "30s", maxRetries: 5 } };
  const now = deps.now ?? Date.now;
  const scheduler = reminderScheduler({
    db: deps.db,
    jobs,
    logger: deps.logger,
    failurePolicy,
    now,
    ...(deps.urgentReminderMinutes ? { urgentReminderMinutes: deps.urgentReminderMinutes } : {}),
    // A cancelled sibling releases its user's digest minute at once, not at the fallback job.
    onCancelled: (row) => delivery.settleMinute(row.user_id, row.scheduled_for),
  });
  const delivery = reminderDelivery({
    db: deps.db,
    jobs,
    tasks: deps.tasks ?? tasksClient(deps.sidecar),
    email: instrumentedEmail(
      deps.email,
      smtpMetrics(deps.registry, () => deps.email.breaker?.current ?? "closed"),
    ),
    push: deps.push,
    logger: deps.logger,
    failurePolicy,
    now,
    ...(deps.maxAttempts !== undefined ? { maxAttempts: deps.maxAttempts } : {}),
    metrics: { delivered: notificationsDelivered(deps.registry), lateness: reminderLateness(deps.registry) },
  });
  let doc: unknown;
  return createServiceApp({
    logger: deps.logger,
    registry: deps.registry,
    readiness: { database: () => pingDatabase(deps.db), sidecar: () => sidecarReady(deps.sidecar) },
    daprAppToken: deps.daprAppToken,
    publicRoutes: { paths: [basePath], auth: deps.auth },
    openPaths: [notificationsOpenapiPath],
    preRoutes: (app) => {
      app.use(
        subscriptionRouter({
          handlers: {
            taskCreated: async (e) => scheduler.reconcile(e.data.task),
            taskUpdated: async (e) => scheduler.reconcile(e.data.task),
            taskCompleted: async (e) => scheduler.cancelAll(e.data.task, "task completed"),
            taskDeleted: async (e) => scheduler.cancelAll(e.data.task, "task deleted"),
          },
          logger: deps.logger,
          metrics: consumerMetrics(deps.registry),
        }),
      );
    },
    routes: (app) => {
      // The mcp server acts for its verified user on the notifications API (catalog actingUserPrefix).
      app.use(actingUserRoutes("notifications", [basePath]));
      // Dapr job trigger: 2xx = done; 5xx = the job's failure policy triggers it again.
      app.post("/job/:name", async (req, res) => {
        const outcome = await delivery.onJob(
          String(req.params.name),
          typeof req.body === "object" && req.body !== null ? (req.body as Record<string, string>) : undefined,
        );
        deps.logger.info({ job: req.params.name, ...outcome }, "reminder job handled");
        res.status(outcome.done ? 200 : 500).json({ result: outcome.result });
      });
      // Dapr probes an input binding's route with OPTIONS before delivering to it.
      app.options(archiveRoute, (_req, res) => {
        res.status(200).end();
      });
      app.post(archiveRoute, async (_req, res) => {
        const before = new Date(now() - (deps.archiveAfterDays ?? 30) * 86_400_000);
        const archived = await archiveNotifications(deps.db, before);
        deps.logger.info({ archived, before: before.toISOString() }, "notifications archived");
        res.json({ archived });
      });
      app.get(notificationsOpenapiPath, (_req, res) => void res.json((doc ??= notificationsOpenapi())));
      app.use(notificationsRouter({ db: deps.db, jobs, failurePolicy, now, pushPublicKey: deps.push.publicKey }));
    },
  });
}
