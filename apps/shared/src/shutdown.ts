/** Graceful shutdown: stop accepting, drain in-flight HTTP, stop consumers/relays, close pools. */
import type { Server } from "node:http";
import type { Logger } from "./logging.js";

export interface ShutdownStep {
  readonly name: string;
  run(): Promise<void> | void;
}

export interface ShutdownOptions {
  readonly server: Server;
  readonly logger: Logger;
  /** Before closing the server, e.g. `health.setDraining()`. */
  readonly beforeClose?: () => void;
  /** Run in order after HTTP drained: stop relays and consumers, then close the pool. */
  readonly steps: readonly ShutdownStep[];
  /** After this, remaining connections are cut. @default 20000 */
  readonly timeoutMs?: number;
}

/** Returns an idempotent `shutdown()`; resolves when everything is closed. */
export function createShutdown(opts: ShutdownOptions): () => Promise<void> {
  let running: Promise<void> | undefined;
  const run = async (): Promise<void> => {
    opts.beforeClose?.();
    const closed = new Promise<void>((resolve) => opts.server.close(() => resolve()));
    opts.server.closeIdleConnections();
    const timer = setTimeout(() => {
      opts.logger.warn("drain timeout; closing remaining connections");
      opts.server.closeAllConnections();
    }, opts.timeoutMs ?? 20_000);
    timer.unref();
    await closed;
    clearTimeout(timer);
    for (const step of opts.steps) {
      try {
        await step.run();
      } catch (err) {
        opts.logger.error({ err, step: step.name }, "shutdown step failed");
      }
    }
    opts.logger.info("shutdown complete");
  };
  return () => (running ??= run());
}

/** SIGTERM/SIGINT → shutdown → exit. */
export function onSignals(shutdown: () => Promise<void>, logger: Logger): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "shutting down");
      shutdown().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}
