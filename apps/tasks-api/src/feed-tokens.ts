/**
 * Calendar feed tokens. A token is 32 random bytes (base64url) behind a fixed prefix; only its SHA-256 is
 * stored, so the database never holds a usable URL. The token is returned once, by `create`; `revoke`
 * deletes the row, so the very next fetch with it finds nothing. Every query but `resolve` is scoped to
 * the owner: another user's feed id behaves like an unknown one. Creating and revoking write a
 * calendar-feed.changed event to the outbox in the same transaction (the audit service records it); the
 * event holds the feed's id, owner, name and creation time, never the token or its hash.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { topics } from "@tasks/catalog";
import { ConflictError, NotFoundError, type CalendarFeedChange, type CalendarFeedChangedData, type Knex } from "@tasks/shared";
import { outboxInsert } from "./outbox.js";

export const feedTokenPrefix = "tcf_";
/** prefix + 43 base64url characters (256 bits). */
export const feedTokenPattern = /^tcf_[A-Za-z0-9_-]{43}$/;
/** Feeds one user may hold at once. */
export const maxFeedsPerUser = 10;

export interface CalendarFeed {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  /** Last time a calendar app fetched it (updated at most once a minute). */
  readonly lastFetchedAt: string | null;
}

interface FeedRow {
  id: string;
  user_id: string;
  name: string;
  created_at: Date;
  last_fetched_at: Date | null;
}

const toFeed = (r: FeedRow): CalendarFeed => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at.toISOString(),
  lastFetchedAt: r.last_fetched_at ? r.last_fetched_at.toISOString() : null,
});

export const hashFeedToken = (token: string): Buffer => createHash("sha256").update(token, "utf8").digest();
export const newFeedToken = (): string => `${feedTokenPrefix}${randomBytes(32).toString("base64url")}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Writes the feed's calendar-feed.changed event in the caller's transaction. */
function feedChanged(trx: Knex.Transaction, change: CalendarFeedChange, r: FeedRow): Promise<unknown> {
  const data: CalendarFeedChangedData = {
    actor: r.user_id,
    change,
    feed: { id: r.id, userId: r.user_id, name: r.name, createdAt: r.created_at.toISOString() },
  };
  return outboxInsert(trx, { topic: topics.calendarFeedChanged.name, aggregateId: r.id, data });
}

export class CalendarFeedStore {
  constructor(
    private readonly db: Knex,
    /** Called after a transaction that wrote an event committed (wakes the outbox relay). */
    private readonly onEventsWritten: () => void = () => undefined,
  ) {}

  /** A new feed and its token (the only time the token is known). 409 beyond `maxFeedsPerUser`. */
  async create(userId: string, name: string): Promise<{ feed: CalendarFeed; token: string }> {
    const token = newFeedToken();
    const row = await this.db.transaction(async (trx) => {
      // One creation per user at a time, so the count cannot be raced past the limit.
      await trx.raw("select pg_advisory_xact_lock(hashtextextended(?, 19))", [`calendar_feeds:${userId}`]);
      const { rows } = await trx.raw<{ rows: { n: string }[] }>("select count(*) as n from calendar_feeds where user_id = ?", [userId]);
      if (Number(rows[0]?.n ?? 0) >= maxFeedsPerUser)
        throw new ConflictError(`At most ${maxFeedsPerUser} calendar feeds per user; revoke one first.`);
      const [inserted] = await trx<FeedRow>("calendar_feeds")
        .insert({ id: randomUUID(), user_id: userId, name, token_hash: hashFeedToken(token), created_at: new Date() } as never)
        .returning(["id", "user_id", "name", "created_at", "last_fetched_at"]);
      await feedChanged(trx, "created", inserted as FeedRow);
      return inserted as FeedRow;
    });
    this.onEventsWritten();
    return { feed: toFeed(row), token };
  }

  async list(userId: string): Promise<CalendarFeed[]> {
    const rows = await this.db<FeedRow>("calendar_feeds")
      .select("id", "user_id", "name", "created_at", "last_fetched_at")
      .where({ user_id: userId })
      .orderBy([
        { column: "created_at", order: "desc" },
        { column: "id", order: "desc" },
      ]);
    return rows.map(toFeed);
  }

  /** Deletes the user's feed; its URL stops working at once. 404 for an unknown or another user's id. */
  async revoke(userId: string, id: string): Promise<CalendarFeed> {
    if (!UUID.test(id)) throw new NotFoundError("Calendar feed not found.");
    const row = await this.db.transaction(async (trx) => {
      const [deleted] = await trx<FeedRow>("calendar_feeds")
        .where({ id, user_id: userId })
        .delete()
        .returning(["id", "user_id", "name", "created_at", "last_fetched_at"]);
      if (!deleted) throw new NotFoundError("Calendar feed not found.");
      await feedChanged(trx, "revoked", deleted as FeedRow);
      return deleted as FeedRow;
    });
    this.onEventsWritten();
    return toFeed(row);
  }

  /** The feed a token opens, or undefined (malformed, unknown or revoked); records the fetch at most once a minute. */
  async resolve(token: string): Promise<{ feedId: string; userId: string; name: string } | undefined> {
    if (!feedTokenPattern.test(token)) return undefined;
    const row = await this.db<FeedRow>("calendar_feeds")
      .select("id", "user_id", "name", "created_at", "last_fetched_at")
      .where({ token_hash: hashFeedToken(token) } as never)
      .first();
    if (!row) return undefined;
    if (!row.last_fetched_at || Date.now() - row.last_fetched_at.getTime() > 60_000)
      await this.db("calendar_feeds").where({ id: row.id }).update({ last_fetched_at: new Date() });
    return { feedId: row.id, userId: row.user_id, name: row.name };
  }
}
