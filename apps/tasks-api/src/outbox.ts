/**
 * The transactional outbox. `outboxInsert` adds an event in the caller's transaction; the relay
 * publishes unsent rows through the Dapr sidecar and marks them sent, retrying failures with
 * exponential backoff. At-least-once: a crash between publish and marking sent republishes the same
 * CloudEvent (same `id`), which consumers de-duplicate. Per task, events are published in order:
 * a row is claimed only when no earlier unsent row of the same task exists, so one batch holds at
 * most one event per task and can be published concurrently.
 */
import {
  currentCorrelation,
  correlationFrom,
  newCloudEvent,
  publishSerializedCloudEvent,
  withCorrelation,
  type CloudEvent,
  type Knex,
  type Logger,
  type OutboxMetrics,
  type PublisherOptions,
} from "@tasks/shared";
import { randomUUID } from "node:crypto";
import { services } from "@tasks/catalog";

export interface OutboxEvent<T> {
  readonly topic: string;
  readonly aggregateId: string;
  readonly data: T;
}

export interface OutboxRow {
  event_id: string;
  topic: string;
  aggregate_id: string;
  payload: string;
}

/** Builds the CloudEvent and its outbox row (event id = CloudEvent id). */
export function outboxRow<T>(ev: OutboxEvent<T>, now = new Date()): { row: OutboxRow; event: CloudEvent<T> } {
  const event = newCloudEvent({
    topic: ev.topic,
    source: services["tasks-api"].name,
    subject: ev.aggregateId,
    data: ev.data,
    id: randomUUID(),
    time: now,
    ...(currentCorrelation() ? { traceparent: currentCorrelation()!.traceparent } : {}),
  });
  return { row: { event_id: event.id, topic: ev.topic, aggregate_id: ev.aggregateId, payload: JSON.stringify(event) }, event };
}

export async function outboxInsert<T>(trx: Knex.Transaction | Knex, ev: OutboxEvent<T>): Promise<CloudEvent<T>> {
  const { row, event } = outboxRow(ev);
  await trx("outbox").insert(row);
  return event;
}

export interface RelayOptions {
  readonly db: Knex;
  readonly publisher: PublisherOptions;
  readonly logger: Logger;
  readonly metrics?: OutboxMetrics;
  /** Poll interval when idle (other replicas' rows, retries). @default 1000 */
  readonly pollMs?: number;
  /** @default 100 */
  readonly batchSize?: number;
  /** Concurrent publishes within a batch. @default 16 */
  readonly concurrency?: number;
  /** First retry delay; doubles per attempt with ±20% jitter. @default 500 */
  readonly baseBackoffMs?: number;
  /** @default 60000 */
  readonly maxBackoffMs?: number;
  /** Sent rows are deleted after this long. @default 86400000 (1 day) */
  readonly retentionMs?: number;
  /** After a wake-up, wait this long so that concurrent commits share one batch. @default 10 */
  readonly lingerMs?: number;
}

interface ClaimedRow {
  id: string;
  event_id: string;
  topic: string;
  /** The CloudEvent's JSON text. */
  payload: string;
  traceparent: string | null;
  attempts: number;
}

export interface RelayRunResult {
  claimed: number;
  published: number;
  failed: number;
}

export class OutboxRelay {
  private stopped = true;
  private loop?: Promise<void>;
  private wake?: () => void;
  private pendingWake = false;
  private lastStats = 0;
  private lastCleanup = 0;

  constructor(private readonly opts: RelayOptions) {}

  /** Backoff before attempt `attempts + 1`. */
  backoffMs(attempts: number): number {
    const base = Math.min(this.opts.maxBackoffMs ?? 60_000, (this.opts.baseBackoffMs ?? 500) * 2 ** Math.min(attempts, 20));
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  /** Claims a batch, publishes it, records results; one transaction. */
  async runOnce(): Promise<RelayRunResult> {
    const { db, logger } = this.opts;
    const result = await db.transaction(async (trx) => {
      // Marking rows sent need not wait for the WAL flush: if a crash loses the mark, the events are
      // published again with the same ids, which at-least-once delivery allows anyway.
      await trx.raw("set local synchronous_commit = off");
      const { rows } = await trx.raw<{ rows: ClaimedRow[] }>(
        `select o.id, o.event_id, o.topic, o.payload::text as payload, o.payload->>'traceparent' as traceparent, o.attempts from outbox o
          where o.sent_at is null and o.next_attempt_at <= now()
            and not exists (select 1 from outbox p where p.aggregate_id = o.aggregate_id and p.sent_at is null and p.id < o.id)
          order by o.id limit ? for update skip locked`,
        [this.opts.batchSize ?? 100],
      );
      if (rows.length === 0) return { claimed: 0, published: 0, failed: 0 };
      const sent: string[] = [];
      const failed: { row: ClaimedRow; error: string }[] = [];
      const queue = [...rows];
      const worker = async () => {
        for (let row = queue.shift(); row; row = queue.shift()) {
          const r = row;
          try {
            // The stored text is the CloudEvent: publish it as is (no parse and re-encode per event).
            await withCorrelation(correlationFrom(r.traceparent ?? undefined), () =>
              publishSerializedCloudEvent(this.opts.publisher, r.topic, r.payload, {
                id: r.event_id,
                ...(r.traceparent ? { traceparent: r.traceparent } : {}),
              }),
            );
            sent.push(r.id);
          } catch (err) {
            failed.push({ row: r, error: err instanceof Error ? err.message : String(err) });
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 16, rows.length) }, worker));
      if (sent.length)
        await trx.raw(`update outbox set sent_at = now(), attempts = attempts + 1, last_error = null where id = any(?::bigint[])`, [sent]);
      for (const f of failed) {
        const delay = this.backoffMs(f.row.attempts);
        logger.warn(
          { eventId: f.row.event_id, topic: f.row.topic, attempts: f.row.attempts + 1, retryInMs: delay, error: f.error },
          "outbox publish failed; will retry",
        );
        await trx.raw(
          `update outbox set attempts = attempts + 1, last_error = ?, next_attempt_at = now() + make_interval(secs => ?) where id = ?`,
          [f.error.slice(0, 1000), delay / 1000, f.row.id],
        );
      }
      return { claimed: rows.length, published: sent.length, failed: failed.length };
    });
    await this.maintenance();
    return result;
  }

  /** Sets outbox_pending_events and outbox_lag_seconds from the table. */
  async refreshMetrics(): Promise<void> {
    const { metrics, db } = this.opts;
    if (!metrics) return;
    const { rows } = await db.raw<{ rows: { pending: string; lag: number | null }[] }>(
      `select count(*) as pending, extract(epoch from now() - min(created_at))::float8 as lag from outbox where sent_at is null`,
    );
    metrics.pending.set(Number(rows[0]?.pending ?? 0));
    metrics.lag.set(Math.max(0, rows[0]?.lag ?? 0));
  }

  /** Gauges (at most once a second) and deletion of old sent rows (once a minute). */
  private async maintenance(): Promise<void> {
    const now = Date.now();
    if (now - this.lastStats >= 1000) {
      this.lastStats = now;
      await this.refreshMetrics();
    }
    if (now - this.lastCleanup >= 60_000) {
      this.lastCleanup = now;
      await this.opts.db.raw(
        `delete from outbox where id in (select id from outbox where sent_at < now() - make_interval(secs => ?) limit 1000)`,
        [(this.opts.retentionMs ?? 86_400_000) / 1000],
      );
    }
  }

  /** Asks the relay to run now (called after a transaction that wrote events commits). */
  notify(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let full = false;
      try {
        const r = await this.runOnce();
        full = r.claimed === (this.opts.batchSize ?? 100) && r.failed === 0;
      } catch (err) {
        this.opts.logger.error({ err }, "outbox relay run failed");
      }
      if (full || this.stopped) continue;
      if (this.pendingWake) {
        this.pendingWake = false;
        await this.linger();
        continue;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, this.opts.pollMs ?? 1000);
        function done() {
          clearTimeout(t);
          resolve();
        }
        this.wake = done;
      });
      this.wake = undefined;
      if (this.pendingWake) {
        this.pendingWake = false;
        await this.linger();
      }
    }
  }

  private linger(): Promise<void> {
    const ms = this.opts.lingerMs ?? 10;
    return ms > 0 && !this.stopped ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  }
}
