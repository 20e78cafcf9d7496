/**
 * The load tier's invariants, counted in the services' databases for one run's users (ids with the
 * run's prefix): every event the outbox published was audited exactly once, nothing is left unsent, and
 * every recurring completion has exactly one next occurrence.
 */
import { services } from "@tasks/catalog";
import { createDatabase, databaseUrl } from "@tasks/shared";
import type { Platform } from "./dev-platform.js";

/** How a virtual user signs in: authorization code + PKCE through the platform's OpenID provider's login form. */
export const signIn =
  (platform: Pick<Platform, "token">) =>
  (user: string): Promise<string> =>
    platform.token(user);

export interface LoadInvariants {
  /** Events written to the outbox for the run's users, those published (sent), and those still unsent. */
  readonly eventsWritten: number;
  readonly eventsPublished: number;
  readonly unsent: number;
  /** Audit entries of the run's users; published events with no entry; entries no published event explains. */
  readonly audited: number;
  readonly notAudited: number;
  readonly auditedUnknown: number;
  /** Next occurrences, and the series they belong to (equal when none is duplicated). */
  readonly nextOccurrences: number;
  readonly seriesWithNext: number;
}

async function query<R>(url: string, sql: string, params: string[]): Promise<R[]> {
  const knex = createDatabase({
    connectionString: url,
    applicationName: "load-invariants",
    poolMin: 0,
    poolMax: 1,
    statementTimeoutMs: 60_000,
  });
  try {
    return (await knex.raw<{ rows: R[] }>(sql, params)).rows;
  } finally {
    await knex.destroy();
  }
}

export async function loadInvariants(platform: Pick<Platform, "databaseUrl">, userPrefix: string): Promise<LoadInvariants> {
  const like = `${userPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const tasksDb = databaseUrl(platform.databaseUrl, services["tasks-api"].database!);
  const auditDb = databaseUrl(platform.databaseUrl, services.audit.database!);
  const outbox = await query<{ event_id: string; sent: boolean }>(
    tasksDb,
    `select event_id::text, sent_at is not null as sent from outbox where (payload::jsonb -> 'data' -> 'task' ->> 'userId') like ?`,
    [like],
  );
  const audit = await query<{ event_id: string }>(auditDb, "select event_id from audit_entries where user_id like ?", [like]);
  const occ = await query<{ n: string; series: string }>(
    tasksDb,
    "select count(*) as n, count(distinct series_id) as series from tasks where user_id like ? and series_id is not null",
    [like],
  );
  const published = new Set(outbox.filter((r) => r.sent).map((r) => r.event_id));
  const audited = new Set(audit.map((r) => r.event_id));
  return {
    eventsWritten: outbox.length,
    eventsPublished: published.size,
    unsent: outbox.length - published.size,
    audited: audit.length,
    notAudited: [...published].filter((id) => !audited.has(id)).length,
    auditedUnknown: [...audited].filter((id) => !published.has(id)).length,
    nextOccurrences: Number(occ[0]!.n),
    seriesWithNext: Number(occ[0]!.series),
  };
}
