/**
 * Calendar feed routes. Managing feeds needs the user's bearer JWT (under /api/v1/calendar-feeds); the feed
 * itself (/calendar/<token>.ics) is fetched by calendar apps, which cannot send a header, so the secret
 * token in its URL is the only credential: the route resolves it to one user and serves that user's open
 * tasks with a due time, nothing else. A fetch is limited per token (fixed window, per replica). A task's
 * VALARMs are the reminders its owner gets: its own, or when not set the owner's default reminder, read from
 * the notifications service (reminder-defaults.ts) only when some task needs it.
 */
import { createHash } from "node:crypto";
import { services } from "@tasks/catalog";
import { fixedWindowRateLimit, NotFoundError, parseOrThrow, userIdOf, type Knex, type Logger, type TaskSnapshot } from "@tasks/shared";
import type { Request, RequestHandler } from "express";
import { z } from "zod";
import type { CalendarFeedStore } from "./feed-tokens.js";
import { icsContentType, needsDefaultReminders, renderCalendar } from "./ics.js";
import type { ReminderDefaults } from "./reminder-defaults.js";
import type { RouteDef } from "./routes.js";
import { taskColumns, toSnapshot, type TaskRow } from "./task-row.js";

const [, feedsRoute, feedRoute] = services["tasks-api"].publicRoutes;
/** Feed management, bearer JWT: POST/GET here, DELETE .../:id. */
export const feedsBase = feedsRoute.path;
/** The feed, authenticated by the token in its path (catalog auth "url-token"). */
export const feedPrefix = feedRoute.path;
export const feedPath = `${feedPrefix}/:token.ics`;
export const feedUrlPath = (token: string): string => `${feedPrefix}/${token}.ics`;

/** Tasks in one feed at most, earliest due first. */
export const maxFeedTasks = 2000;

export const createFeedSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "name must not be empty.")
    .max(100, "name must be at most 100 characters.")
    .refine((s) => !/\p{Cc}/u.test(s), "name must not contain control characters.")
    .default("Tasks")
    .meta({ description: "Shown as the calendar's name in calendar apps.", examples: ["Tasks"] }),
});

export const calendarFeedSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: z.string(),
  lastFetchedAt: z.string().nullable(),
});
export const createdFeedSchema = calendarFeedSchema.extend({
  token: z.string().meta({ description: "The secret; shown only in this response (only its SHA-256 is stored)." }),
  path: z.string().meta({ description: "The feed's path: `/calendar/<token>.ics`." }),
  url: z.string().meta({ description: "The feed's URL as this request reached the API (subscribe to it in a calendar app)." }),
});
export const feedListSchema = z.object({ items: z.array(calendarFeedSchema) });

export interface FeedRoutesDeps {
  readonly db: Knex;
  readonly store: CalendarFeedStore;
  readonly logger: Logger;
  /** The owner's default reminders, for the VALARMs of tasks whose reminders are not set (notifications owns them). */
  readonly reminderDefaults: ReminderDefaults;
  /** Fetches of one feed URL per minute and replica. @default 30 */
  readonly feedRequestsPerMinute?: number;
}

async function openTasksWithDueTime(db: Knex, userId: string): Promise<TaskSnapshot[]> {
  const { rows } = await db.raw<{ rows: TaskRow[] }>(
    `select ${taskColumns.join(", ")} from tasks where user_id = ? and status = 'open' and due_at is not null
      order by due_at, id limit ?`,
    [userId, maxFeedTasks],
  );
  return rows.map(toSnapshot);
}

/** The origin the client used: the ingress terminates TLS and says so in X-Forwarded-Proto. */
const originOf = (req: Request): string =>
  `${req.get("x-forwarded-proto") === "https" ? "https" : req.protocol}://${req.get("host") ?? "localhost"}`;

/** GET /calendar/<token>.ics: the token's user's feed, 404 for any token that opens none. */
function serveFeed(deps: FeedRoutesDeps): RequestHandler {
  return async (req, res) => {
    const feed = await deps.store.resolve(String(req.params.token));
    if (!feed) throw new NotFoundError("Calendar feed not found.");
    const tasks = await openTasksWithDueTime(deps.db, feed.userId);
    // Asked only when a task's reminders are not set; unanswerable = 503 (the calendar app keeps its copy).
    const defaultReminders = needsDefaultReminders(tasks) ? await deps.reminderDefaults.offsetsFor(feed.userId) : undefined;
    const body = renderCalendar({ name: feed.name, tasks, ...(defaultReminders ? { defaultReminders } : {}) });
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    res.set({
      "Cache-Control": "private, no-cache",
      ETag: etag,
      "Referrer-Policy": "no-referrer",
      "X-Robots-Tag": "noindex",
      "Content-Disposition": 'inline; filename="tasks.ics"',
    });
    if (req.get("if-none-match") === etag) return void res.status(304).end();
    res.type(icsContentType).send(body);
  };
}

export function feedRoutes(deps: FeedRoutesDeps): RouteDef[] {
  const { store, logger } = deps;
  const token = (req: Request): string => String(req.params.token);
  const limit = fixedWindowRateLimit({
    requestsPerMinute: deps.feedRequestsPerMinute ?? 30,
    // Keyed by the token's hash: a client polling one URL too often is stopped before the database.
    keyOf: (req) => createHash("sha256").update(token(req)).digest("base64url"),
    per: "calendar feed",
  });
  return [
    {
      method: "post",
      path: feedsBase,
      handlers: [
        async (req, res) => {
          const userId = userIdOf(req);
          const { name } = parseOrThrow(createFeedSchema, req.body ?? {});
          const { feed, token: secret } = await store.create(userId, name);
          logger.info({ userId, feedId: feed.id }, "calendar feed created");
          const path = feedUrlPath(secret);
          res
            .status(201)
            .location(`${feedsBase}/${feed.id}`)
            .set("Cache-Control", "no-store")
            .json({ ...feed, token: secret, path, url: `${originOf(req)}${path}` });
        },
      ],
    },
    { method: "get", path: feedsBase, handlers: [async (req, res) => void res.json({ items: await store.list(userIdOf(req)) })] },
    {
      method: "delete",
      path: `${feedsBase}/:id`,
      handlers: [
        async (req, res) => {
          const userId = userIdOf(req);
          const feed = await store.revoke(userId, String(req.params.id));
          logger.info({ userId, feedId: feed.id }, "calendar feed revoked");
          res.status(204).end();
        },
      ],
    },
    { method: "get", path: feedPath, handlers: [limit, serveFeed(deps)] },
  ];
}
