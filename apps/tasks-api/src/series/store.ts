/** Series state in the database: the per-series lock and the ended-series rows. */
import type { Knex } from "@tasks/shared";

/**
 * Serialises the operations on one series (creating its next occurrence, ending it, changing its rule)
 * until the transaction ends: a transaction-scoped advisory lock on the series id, so an occurrence being
 * created while the series is ended either commits first (and is then kept or deleted with the other
 * open ones) or sees the end and is refused.
 */
export async function lockSeries(trx: Knex.Transaction, seriesId: string): Promise<void> {
  await trx.raw("select pg_advisory_xact_lock(hashtextextended(?, 19))", [seriesId]);
}

export interface SeriesEnd {
  readonly endedAt: string;
  readonly endedBy: string;
}

export async function seriesEnd(k: Knex | Knex.Transaction, seriesId: string): Promise<SeriesEnd | undefined> {
  const row = await k("task_series_ends").where({ series_id: seriesId }).first<{ ended_at: Date; ended_by: string } | undefined>();
  return row ? { endedAt: row.ended_at.toISOString(), endedBy: row.ended_by } : undefined;
}

export async function insertSeriesEnd(trx: Knex.Transaction, seriesId: string, userId: string, actor: string, at: Date): Promise<void> {
  await trx("task_series_ends").insert({ series_id: seriesId, user_id: userId, ended_at: at, ended_by: actor });
}
