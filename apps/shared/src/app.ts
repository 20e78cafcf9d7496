/**
 * The app-factory pattern: `createServiceApp` builds an Express app with the common middleware
 * (correlation id, HTTP metrics, JSON parsing with a size limit, health and metrics routes), lets the
 * service mount its routes, then adds the 404 and problem+json handlers. `listen` (used by each
 * service's main.ts) is separate, so tests drive the app without a port.
 */
import { once } from "node:events";
import type { Server } from "node:http";
import express, { type Express } from "express";
import { notFoundHandler, problemHandler } from "./errors.js";
import { healthRoutes, type Health, type ReadinessCheck } from "./health.js";
import { correlationMiddleware, type Logger } from "./logging.js";
import { httpMetrics, metricsHandler, type Registry } from "./metrics.js";
import { jsonContentTypes } from "./pubsub.js";

export interface ServiceAppOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** JSON body limit for the whole app. @default "64kb" */
  readonly bodyLimit?: string;
  /** Mounts routers that parse their own bodies (Dapr deliveries), before the app's JSON parser. */
  readonly preRoutes?: (app: Express) => void;
  /** Mounts the service's routers. */
  readonly routes: (app: Express) => void;
}

export interface ServiceApp {
  readonly app: Express;
  readonly health: Health;
}

export function createServiceApp(opts: ServiceAppOptions): ServiceApp {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("query parser", "simple");
  app.use(correlationMiddleware());
  app.use(httpMetrics(opts.registry).middleware());
  const health = healthRoutes({ checks: opts.readiness });
  app.use(health.router);
  app.get("/metrics", metricsHandler(opts.registry));
  opts.preRoutes?.(app);
  app.use(express.json({ type: jsonContentTypes, limit: opts.bodyLimit ?? "64kb", strict: true }));
  opts.routes(app);
  app.use(notFoundHandler());
  app.use(problemHandler(opts.logger));
  return { app, health };
}

/** Listens and resolves once bound. */
export async function listen(app: Express, port: number, host = "0.0.0.0"): Promise<Server> {
  const server = app.listen(port, host);
  await once(server, "listening");
  // Longer than typical load-balancer idle timeouts so they close first.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
