import type { DaprBlock } from "./dapr.js";
import { topics, type TopicName } from "./topics.js";

export type ServiceName = "tasks-api" | "recurrence" | "notifications" | "audit" | "realtime" | "web" | "mcp";

/** A path prefix served publicly through the ingress. */
export interface PublicRoute {
  readonly path: string;
  /** The route carries WebSocket upgrades (longer timeouts, upgrade headers). */
  readonly websocket?: boolean;
  /**
   * How the app authenticates requests under the prefix. "bearer": a JWT from the identity provider.
   * "url-token": a secret in the URL, checked by the route itself, for clients that cannot send a header
   * (calendar apps subscribing to a feed). @default "bearer"
   */
  readonly auth?: "bearer" | "url-token";
  /** The route serves files (the web app), not an API: no OpenAPI document describes it. */
  readonly static?: boolean;
}

export interface SubscriptionSpec {
  readonly topic: TopicName;
  /** The app route Dapr delivers to. */
  readonly route: string;
}

/** A call this service makes to another through Dapr service invocation. */
export interface InvocationSpec {
  readonly app: ServiceName;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path on the target app; `*` matches one segment (Dapr access-control syntax). */
  readonly path: string;
}

/** Where a service's pod may open connections, besides DNS and its own Dapr control plane. */
export type EgressTarget = "postgres" | "broker" | "keyvault" | "smtp" | "webpush";

export interface ScalingSpec {
  /** Minimum replicas (HPA minReplicas). @default 2 */
  readonly min: number;
  /** Maximum replicas (HPA maxReplicas). */
  readonly max: number;
  /** Target average CPU utilisation, percent. @default 70 */
  readonly targetCpuPercent: number;
  /**
   * Consumers that share a consumer group: messages waiting per replica (the group's lag on one topic) above
   * which KEDA adds a replica. @default 20 (defaultLagPerReplica)
   */
  readonly lagPerReplica?: number;
}

export interface ResourceSpec {
  readonly cpuRequest: string;
  readonly memoryRequest: string;
  readonly cpuLimit: string;
  readonly memoryLimit: string;
}

export interface CronSpec {
  /** Dapr cron binding component name; the app receives POST /<name>. */
  readonly binding: string;
  readonly schedule: string;
}

export interface ServiceSpec {
  /** Also the Dapr app id, the Kubernetes name and the image name. */
  readonly name: ServiceName;
  readonly description: string;
  readonly port: number;
  readonly publicRoutes: readonly PublicRoute[];
  /**
   * Where the service serves its OpenAPI 3.1 document, without a token. The ingress routes it (an exact
   * match when no public route covers it). Every service with HTTP (non-WebSocket) public routes has one.
   */
  readonly openapiPath?: string;
  readonly publishes: readonly TopicName[];
  readonly subscribes: readonly SubscriptionSpec[];
  readonly invokes: readonly InvocationSpec[];
  readonly dapr: readonly DaprBlock[];
  /** Name of the Postgres database the service owns, if it stores data. */
  readonly database?: string;
  readonly egress: readonly EgressTarget[];
  readonly scaling: ScalingSpec;
  readonly resources: ResourceSpec;
  readonly cron?: CronSpec;
  /**
   * How the service's replicas share its subscribed events. "shared": one consumer group per app, each
   * event goes to one pod (load-balanced). "fan-out": every pod gets every event (each pod consumes in a
   * consumer group of its own, through `daprComponents.pubsubBroadcast`), for pods holding their own clients.
   * @default "shared"
   */
  readonly eventDelivery?: "shared" | "fan-out";
}

/** Route Dapr delivers a topic's events to, e.g. `/events/task.completed`. */
/**
 * The numeric user and group every service container runs as: the image's USER (apps/Dockerfile) and
 * the pod's runAsUser. Above 10000, so it cannot be a user of the node; it has no passwd entry, which
 * the services do not need.
 */
export const serviceUid = 10001;

export const subscriptionRoute = (topic: TopicName): string => `/events/${topic}`;

/**
 * Whether the service's pod runs a Dapr sidecar: only when its catalog entry names a Dapr building block. A
 * service with none (the web app's static server) gets no dapr.io annotations, no Dapr tokens and no Dapr
 * Configuration: a sidecar would only add an API and an app port reachable by whoever reaches the pod.
 */
export const runsDaprSidecar = (s: Pick<ServiceSpec, "dapr">): boolean => s.dapr.length > 0;

const sub = (topic: TopicName): SubscriptionSpec => ({ topic, route: subscriptionRoute(topic) });

const smallResources: ResourceSpec = { cpuRequest: "50m", memoryRequest: "96Mi", cpuLimit: "500m", memoryLimit: "256Mi" };

/** Internal routes of the tasks API, reachable only through Dapr service invocation. */
export const tasksInternalRoutes = {
  createOccurrence: "/internal/occurrences",
  getTask: "/internal/tasks/*",
} as const;

/**
 * Routes through which a service acts for one user, reachable only through Dapr service invocation by the
 * callers the catalog names (the mcp server): `/internal/users/<userId>` followed by one of the callee's
 * public paths, e.g. `GET /internal/users/alice/api/v1/tasks/<id>`. The callee answers exactly as its public
 * route answers that user (apps/shared acting-user.ts); the user id is the one the caller verified.
 */
export const actingUserPrefix = "/internal/users";

/** The acting-user path of a public path for `userId` (encoded as one path segment). */
export const actingUserPath = (userId: string, publicPath: string): string =>
  `${actingUserPrefix}/${encodeURIComponent(userId)}${publicPath}`;

const actingUser = (publicPath: string): string => `${actingUserPrefix}/*${publicPath}`;

const mcpTasks = "/api/v1/tasks";

/**
 * A user's notification preferences (notifications' public route). The tasks API reads it, acting for a calendar
 * feed's owner, for the default reminders of tasks whose own are not set (the feed's VALARMs).
 */
export const notificationsPreferencesPath = "/api/v1/notifications/preferences";

/** The mcp server's Streamable HTTP endpoint; its canonical URI is `<public origin>/mcp`. */
export const mcpEndpoint = "/mcp";
/** Where the mcp server publishes its OAuth Protected Resource Metadata (RFC 9728, path-suffixed form). */
export const mcpResourceMetadataPath = `/.well-known/oauth-protected-resource${mcpEndpoint}`;

const allTaskTopics: TopicName[] = [topics.taskCreated.name, topics.taskUpdated.name, topics.taskCompleted.name, topics.taskDeleted.name];
/** Calendar feed created/revoked: published by tasks-api, recorded by audit only (nothing else acts on feeds). */
const feedTopic: TopicName = topics.calendarFeedChanged.name;

export const services = {
  "tasks-api": {
    name: "tasks-api",
    description: "REST API for tasks; writes task events to a transactional outbox and relays them to pub/sub.",
    port: 3000,
    publicRoutes: [{ path: "/api/v1/tasks" }, { path: "/api/v1/calendar-feeds" }, { path: "/calendar", auth: "url-token" }],
    openapiPath: "/api/v1/openapi.json",
    publishes: [...allTaskTopics, feedTopic],
    subscribes: [],
    // A calendar feed's VALARMs for tasks whose reminders are not set: the owner's default reminder.
    invokes: [{ app: "notifications", method: "GET", path: actingUser(notificationsPreferencesPath) }],
    dapr: ["pubsub", "secrets", "invocation"],
    database: "tasks",
    egress: ["postgres", "broker", "keyvault"],
    scaling: { min: 2, max: 10, targetCpuPercent: 70 },
    resources: { cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "1", memoryLimit: "384Mi" },
  },
  recurrence: {
    name: "recurrence",
    description: "Creates the next occurrence of a recurring task when one is completed (RFC 5545 RRULE).",
    port: 3001,
    publicRoutes: [],
    publishes: [],
    subscribes: [sub(topics.taskCompleted.name)],
    invokes: [{ app: "tasks-api", method: "POST", path: tasksInternalRoutes.createOccurrence }],
    dapr: ["pubsub", "invocation"],
    egress: ["broker"],
    scaling: { min: 2, max: 12, targetCpuPercent: 70 },
    resources: smallResources,
  },
  notifications: {
    name: "notifications",
    description: "Schedules reminders with the Dapr Jobs API and delivers them by email, in-app and Web Push.",
    port: 3002,
    publicRoutes: [{ path: "/api/v1/notifications" }],
    openapiPath: "/api/v1/notifications/openapi.json",
    publishes: [],
    subscribes: allTaskTopics.map(sub),
    invokes: [{ app: "tasks-api", method: "GET", path: tasksInternalRoutes.getTask }],
    dapr: ["pubsub", "jobs", "secrets", "bindings.cron", "invocation"],
    database: "notifications",
    egress: ["postgres", "broker", "keyvault", "smtp", "webpush"],
    scaling: { min: 2, max: 10, targetCpuPercent: 70 },
    resources: smallResources,
    cron: { binding: "archive-cron", schedule: "@daily" },
  },
  audit: {
    name: "audit",
    description: "Append-only history of every task operation and calendar feed change, per user.",
    port: 3003,
    publicRoutes: [{ path: "/api/v1/audit" }],
    openapiPath: "/api/v1/audit/openapi.json",
    publishes: [],
    subscribes: [...allTaskTopics, feedTopic].map(sub),
    invokes: [],
    dapr: ["pubsub", "secrets"],
    database: "audit",
    egress: ["postgres", "broker", "keyvault"],
    scaling: { min: 2, max: 6, targetCpuPercent: 70 },
    resources: smallResources,
  },
  realtime: {
    name: "realtime",
    description: "WebSocket fan-out of task updates to the owning user's clients, with replay on reconnect.",
    port: 3004,
    publicRoutes: [{ path: "/ws", websocket: true }],
    publishes: [],
    subscribes: allTaskTopics.map(sub),
    invokes: [],
    dapr: ["pubsub", "state", "secrets"],
    // Each pod holds its own WebSocket clients, so every pod must see every task event.
    eventDelivery: "fan-out",
    database: "realtime",
    egress: ["postgres", "broker", "keyvault"],
    scaling: { min: 2, max: 8, targetCpuPercent: 60 },
    resources: { cpuRequest: "100m", memoryRequest: "128Mi", cpuLimit: "1", memoryLimit: "512Mi" },
  },
  web: {
    name: "web",
    description: "The single-page app users sign in to, its static files and its runtime config (apps/web).",
    // 5173: the web origin the dev provider and the services' CORS already name (tools/dev-platform dev-identity.ts).
    port: 5173,
    // Gateway API picks the longest matching prefix: the APIs' prefixes win over this one.
    publicRoutes: [{ path: "/", static: true }],
    publishes: [],
    subscribes: [],
    invokes: [],
    dapr: [],
    egress: [],
    scaling: { min: 2, max: 4, targetCpuPercent: 70 },
    resources: smallResources,
  },
  mcp: {
    name: "mcp",
    description: "Model Context Protocol server: task tools for AI assistants, with natural-language dates and recurrences.",
    port: 3010,
    // The MCP endpoint (Streamable HTTP) and its OAuth Protected Resource Metadata (RFC 9728, path-suffixed).
    publicRoutes: [{ path: mcpEndpoint }, { path: mcpResourceMetadataPath }],
    openapiPath: `${mcpEndpoint}/openapi.json`,
    publishes: [],
    subscribes: [],
    invokes: [
      { app: "tasks-api", method: "GET", path: actingUser(mcpTasks) },
      { app: "tasks-api", method: "POST", path: actingUser(mcpTasks) },
      { app: "tasks-api", method: "GET", path: actingUser(`${mcpTasks}/*`) },
      { app: "tasks-api", method: "PATCH", path: actingUser(`${mcpTasks}/*`) },
      { app: "tasks-api", method: "DELETE", path: actingUser(`${mcpTasks}/*`) },
      { app: "tasks-api", method: "POST", path: actingUser(`${mcpTasks}/*/complete`) },
      { app: "tasks-api", method: "POST", path: actingUser(`${mcpTasks}/*/reopen`) },
      { app: "notifications", method: "GET", path: actingUser("/api/v1/notifications") },
      { app: "notifications", method: "POST", path: actingUser("/api/v1/notifications/*/read") },
      { app: "audit", method: "GET", path: actingUser("/api/v1/audit") },
    ],
    dapr: ["invocation"],
    egress: [],
    scaling: { min: 2, max: 6, targetCpuPercent: 70 },
    resources: smallResources,
  },
} as const satisfies Record<ServiceName, ServiceSpec>;

export const allServices: readonly ServiceSpec[] = Object.values(services);

/** Whether `path` is `prefix` or below it (`/api/v1/tasks` covers `/api/v1/tasks/x`, not `/api/v1/tasksx`). */
export const underPathPrefix = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

/** The paths the ingress sends to a service: its public routes (prefixes) and its OpenAPI document (exact) if no prefix covers it. */
export function ingressPathMatches(s: ServiceSpec): { readonly type: "PathPrefix" | "Exact"; readonly value: string }[] {
  const prefixes = s.publicRoutes.map((r) => ({ type: "PathPrefix" as const, value: r.path }));
  const doc = s.openapiPath;
  return doc === undefined || s.publicRoutes.some((r) => underPathPrefix(doc, r.path))
    ? prefixes
    : [...prefixes, { type: "Exact" as const, value: doc }];
}

/** Services that subscribe to a topic (one consumer group each on Event Hubs/Kafka). */
export const subscribersOf = (topic: string): ServiceSpec[] => allServices.filter((s) => s.subscribes.some((x) => x.topic === topic));

/**
 * The Kafka consumer group a service's replicas share: its app id (Dapr's default consumerGroup), when it
 * subscribes with shared delivery. Fan-out services (a group per pod) have none: their pods each read everything.
 */
export const consumerGroupOf = (service: ServiceSpec): string | undefined =>
  service.subscribes.length > 0 && service.eventDelivery !== "fan-out" ? service.name : undefined;

/** Messages waiting per replica before KEDA adds one (ScalingSpec.lagPerReplica's default). */
export const defaultLagPerReplica = 20;

/**
 * The event consumers whose work is messages waiting: they scale on their consumer group's lag (KEDA), not on
 * CPU alone. Every service with a consumer group (consumerGroupOf).
 */
export const lagScaledServices = (list: readonly ServiceSpec[] = allServices): ServiceSpec[] =>
  list.filter((s) => consumerGroupOf(s) !== undefined);

/** Services that another service is allowed to invoke, with the caller and the operation. */
export const invocationPaths = (): { caller: ServiceName; target: ServiceName; method: string; path: string }[] =>
  allServices.flatMap((s) => s.invokes.map((i) => ({ caller: s.name, target: i.app, method: i.method, path: i.path })));

/** Services that own a database. */
export const servicesWithDatabase = (): (ServiceSpec & { database: string })[] =>
  allServices.filter((s): s is ServiceSpec & { database: string } => typeof s.database === "string");

/**
 * The Postgres login role a service connects as: it owns the service's database and nothing else
 * (apps/shared db-roles.ts creates it; the per-service database URLs use it), e.g. `tasks_api_svc`.
 */
export const databaseRole = (service: ServiceName): string => `${service.replace(/-/g, "_")}_svc`;

/**
 * Where the services run in Kubernetes and the service account each one runs as. The Azure workload
 * identity federated credentials trust exactly `system:serviceaccount:<namespace>:<nameOf(service)>`,
 * so the Kubernetes side must create the namespace and service accounts from this constant.
 */
export const serviceAccounts = {
  namespace: "tasks",
  nameOf: (service: ServiceName): string => service,
} as const;
