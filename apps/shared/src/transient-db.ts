/**
 * Which database errors are transient: the connection to Postgres failed or was cut (reset, refused, timed
 * out, the server restarting or out of connection slots), so the same request can succeed a moment later.
 * The central handler answers them 503 with Retry-After (errors.ts) instead of a 500, so clients retry.
 */

/** Node socket errors on the way to the database. */
const networkCodes = new Set(["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/**
 * Postgres SQLSTATEs: class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect
 * now), 53300 (too many connections), 57014 (the statement timeout cancelled a query on a slow server).
 */
const transientSqlStates = /^(08\d{3}|57P0[123]|53300|57014)$/;

/**
 * What node-postgres and knex say when a connection dies or cannot be had (they set no code). Not anchored:
 * knex prefixes a failed query's message with its SQL (`update ... - Connection terminated unexpectedly`).
 */
const transientMessages = [
  /Connection terminated/, // "Connection terminated unexpectedly", "... due to connection timeout"
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
  /Knex: Timeout acquiring a connection/,
];

/** Seconds a client should wait before retrying after a transient database error. */
export const databaseRetryAfterSeconds = 1;

/** True when `err` (or an error it wraps, through `cause`) is a transient database connection error. */
export function isTransientDatabaseError(err: unknown, depth = 0): boolean {
  if (typeof err !== "object" || err === null || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
  if (typeof e.code === "string" && (networkCodes.has(e.code) || transientSqlStates.test(e.code))) return true;
  if (e.name === "KnexTimeoutError") return true;
  if (typeof e.message === "string" && transientMessages.some((re) => re.test(e.message as string))) return true;
  return isTransientDatabaseError(e.cause, depth + 1);
}
