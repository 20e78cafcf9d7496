/** Liveness (`/healthz`: the process serves HTTP) and readiness (`/readyz`: dependencies answer). */
import express, { type Router } from "express";

export type ReadinessCheck = () => Promise<void>;

export interface HealthOptions {
  /** Named checks for /readyz, e.g. { database: () => pingDatabase(knex), sidecar: () => sidecarReady(...) }. */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
  /** Per-check timeout. @default 2000 */
  readonly timeoutMs?: number;
}

export interface Health {
  readonly router: Router;
  /** Marks the service as draining: /readyz answers 503 so the endpoint leaves the Service. */
  setDraining(): void;
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      () => (clearTimeout(t), resolve()),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

export function healthRoutes(opts: HealthOptions): Health {
  let draining = false;
  const router = express.Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const results: Record<string, string> = {};
    let ok = !draining;
    if (draining) results.shutdown = "draining";
    await Promise.all(
      Object.entries(opts.checks).map(async ([name, check]) => {
        try {
          await withTimeout(Promise.resolve().then(check), opts.timeoutMs ?? 2000);
          results[name] = "ok";
        } catch (err) {
          ok = false;
          results[name] = err instanceof Error ? err.message : String(err);
        }
      }),
    );
    res.status(ok ? 200 : 503).json({ status: ok ? "ok" : "unavailable", checks: results });
  });
  return { router, setDraining: () => void (draining = true) };
}
