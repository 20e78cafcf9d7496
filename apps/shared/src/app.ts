/**
 * The app-factory pattern: `createServiceApp` builds an Express app with the common middleware
 * (correlation id, HTTP metrics, health and metrics routes, who-may-call-what, JSON parsing with a size
 * limit), lets the service mount its routes, then adds the 405, 404 and problem+json handlers.
 * `listen` (used by each service's main.ts) is separate, so tests drive the app without a port.
 *
 * Access, decided before any body is parsed:
 * - /healthz, /readyz, /metrics: anyone (kubelet, Dapr's app health check, Prometheus);
 * - `openPaths`: anyone (e.g. the OpenAPI document);
 * - under `selfAuthenticatedPrefixes`: anyone reaches the route, which authenticates the request itself
 *   (a secret in the URL, for clients that cannot send a header, e.g. calendar apps);
 * - under `publicRoutes.paths`: CORS for the configured origins (preflights answered here), then a valid
 *   bearer JWT (401 otherwise, also for a body that is not JSON), then the per-user request limit (429);
 * - everything else is a route the Dapr sidecar calls (deliveries, jobs, bindings, invocation,
 *   /dapr/subscribe): it needs Dapr's app API token (`dapr-api-token`), so nothing else can call it.
 */
import { once } from "node:events";
import type { Server } from "node:http";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { requireDaprAppToken } from "./app-token.js";
import { authenticate, type AuthConfig } from "./auth.js";
import { HttpProblem, notFoundHandler, problemHandler } from "./errors.js";
import { healthRoutes, type Health, type ReadinessCheck } from "./health.js";
import { correlationMiddleware, type Logger } from "./logging.js";
import { httpMetrics, metricsHandler, type Registry } from "./metrics.js";
import { cors, perUserRateLimit } from "./public-access.js";
import { jsonContentTypes } from "./pubsub.js";

export interface ServiceAppOptions {
  readonly logger: Logger;
  readonly registry: Registry;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** JSON body limit for the whole app. @default "64kb" */
  readonly bodyLimit?: string;
  /** Dapr's app API token: required on every route that is not health, metrics, open or public. */
  readonly daprAppToken: string;
  /** End-user routes: these path prefixes need a valid bearer JWT, checked before the body is parsed. */
  readonly publicRoutes?: { readonly paths: readonly string[]; readonly auth: AuthConfig };
  /** Exact paths anyone may call (no token of any kind). @default [] */
  readonly openPaths?: readonly string[];
  /**
   * Path prefixes whose routes authenticate requests themselves (no bearer JWT, no Dapr token checked
   * here), e.g. a secret feed URL: the catalog's public routes with `auth: "url-token"`. @default []
   */
  readonly selfAuthenticatedPrefixes?: readonly string[];
  /** Mounts routers that parse their own bodies (Dapr deliveries), before the app's JSON parser. */
  readonly preRoutes?: (app: Express) => void;
  /** Mounts the service's routers. */
  readonly routes: (app: Express) => void;
}

export interface ServiceApp {
  readonly app: Express;
  readonly health: Health;
}

const underPrefix = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

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
  const open = new Set(opts.openPaths ?? []);
  const selfAuthenticated = opts.selfAuthenticatedPrefixes ?? [];
  const publicPaths = opts.publicRoutes?.paths ?? [];
  const auth = opts.publicRoutes?.auth;
  const userAuth = auth ? authenticate(auth) : undefined;
  const corsCheck = cors(auth?.allowedOrigins ?? []);
  const limit = perUserRateLimit(auth?.requestsPerMinute ?? 0);
  const sidecarOnly = requireDaprAppToken(opts.daprAppToken);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (open.has(req.path) || selfAuthenticated.some((p) => underPrefix(req.path, p))) return next();
    if (userAuth && publicPaths.some((p) => underPrefix(req.path, p))) {
      // Express 5 forwards a rejected promise to next(err); each step calls the next one.
      return corsCheck(req, res, (err?: unknown) => {
        if (err) return next(err);
        void Promise.resolve(userAuth(req, res, (e?: unknown) => (e ? next(e) : limit(req, res, next)))).catch(next);
      });
    }
    sidecarOnly(req, res, next);
  });
  opts.preRoutes?.(app);
  app.use(express.json({ type: jsonContentTypes, limit: opts.bodyLimit ?? "64kb", strict: true }));
  opts.routes(app);
  app.use(methodNotAllowed(app));
  app.use(notFoundHandler());
  app.use(problemHandler(opts.logger));
  return { app, health };
}

interface RouterLayer {
  match(path: string): { path: string } | false;
  route?: { _methods(): string[] };
  handle?: { stack?: RouterLayer[] };
}

/** The methods the routes in `stack` (and root- or prefix-mounted routers) serve for `path`. */
function methodsFor(stack: readonly RouterLayer[], path: string, into: Set<string>): Set<string> {
  for (const layer of stack) {
    let m: ReturnType<RouterLayer["match"]>;
    try {
      m = layer.match(path);
    } catch {
      continue;
    }
    if (!m) continue;
    if (layer.route) for (const method of layer.route._methods()) into.add(method);
    else if (layer.handle?.stack) methodsFor(layer.handle.stack, path.slice(m.path.length) || "/", into);
  }
  return into;
}

/** 405 with `Allow` when the path is served but not with this method (RFC 9110 15.5.6); otherwise on to the 404. */
export function methodNotAllowed(app: Express) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const stack = (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
    const allowed = methodsFor(stack, req.path, new Set());
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    if (allowed.has("GET")) allowed.add("HEAD");
    const allow = [...allowed].sort().join(", ");
    next(new HttpProblem(405, "Method Not Allowed", `${req.method} is not allowed here; allowed: ${allow}.`, undefined, { Allow: allow }));
  };
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
