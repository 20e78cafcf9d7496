/**
 * pino JSON logs carrying the correlation id on every line. The correlation id is the W3C trace id
 * from the incoming `traceparent` (a fresh one when absent), kept in AsyncLocalStorage for the
 * request, event delivery or relay batch being handled.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { pino, type DestinationStream, type Logger, type LevelWithSilent } from "pino";

export type { Logger } from "pino";

export interface CorrelationContext {
  /** The trace id (32 hex chars). */
  readonly correlationId: string;
  /** A traceparent to propagate downstream (same trace id, this hop's span id). */
  readonly traceparent: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Parses a W3C traceparent; undefined when malformed or all-zero ids. */
export function parseTraceparent(header: string | undefined): { traceId: string; spanId: string; flags: string } | undefined {
  const m = header ? TRACEPARENT.exec(header.trim().toLowerCase()) : null;
  if (!m || m[1] === "ff") return undefined;
  const [, , traceId, spanId, flags] = m as unknown as [string, string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, flags };
}

/** Context for a hop: continues the trace of `traceparent` when valid, else starts a new trace. */
export function correlationFrom(traceparent: string | undefined): CorrelationContext {
  const parsed = parseTraceparent(traceparent);
  // randomUUID draws from a cached entropy pool: far cheaper per request than randomBytes.
  const traceId = parsed?.traceId ?? randomUUID().replaceAll("-", "");
  const spanId = randomUUID().replaceAll("-", "").slice(0, 16);
  return { correlationId: traceId, traceparent: `00-${traceId}-${spanId}-${parsed?.flags ?? "01"}` };
}

export function currentCorrelation(): CorrelationContext | undefined {
  return storage.getStore();
}

/** Runs `fn` with a correlation context (for event deliveries, relay batches, jobs). */
export function withCorrelation<T>(ctx: CorrelationContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** Express middleware: reads `traceparent`, binds the context and echoes `traceparent` back. */
export function correlationMiddleware() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const ctx = correlationFrom(req.get("traceparent"));
    res.setHeader("traceparent", ctx.traceparent);
    storage.run(ctx, next);
  };
}

export interface LoggerOptions {
  readonly service: string;
  /** @default "info" */
  readonly level?: LevelWithSilent;
  /**
   * @default stdout, written synchronously: pino's default asynchronous stdout lets process.exit (the end of
   * shutdown) write the buffered last lines before one still in flight, or lose it.
   */
  readonly destination?: DestinationStream;
}

/** A JSON logger; every line has `service` and, inside a context, `correlationId`. */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level ?? "info",
      base: { service: opts.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => {
        const ctx = storage.getStore();
        return ctx ? { correlationId: ctx.correlationId } : {};
      },
      redact: { paths: ["req.headers.authorization", "headers.authorization", "password", "*.password"], censor: "[redacted]" },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}
