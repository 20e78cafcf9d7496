/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests
 * (z.toJSONSchema, input side). test/openapi.test.ts checks it against the routes Express serves.
 */
import { tasksInternalRoutes } from "@tasks/catalog";
import {
  createOccurrenceResponseSchema,
  instantSchema,
  internalTaskResponseSchema,
  priorities,
  taskSnapshotSchema,
  taskStatuses,
} from "@tasks/shared";
import { z } from "zod";
import { calendarFeedSchema, createdFeedSchema, createFeedSchema, feedListSchema, feedPrefix, feedsBase } from "./feed-routes.js";
import { expressPath, openapiPath, tasksBase } from "./routes.js";
import { seriesOpenapi } from "./series/openapi.js";
import {
  createOccurrenceSchema,
  createTaskSchema,
  limits,
  type listQuerySchema,
  listResponseSchema,
  sortKeys,
  updateTaskSchema,
} from "./schemas.js";

type Json = Record<string, unknown>;
const schema = (s: z.ZodType): Json => z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as Json;
const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (s: Json) => ({ "application/json": { schema: s } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });

const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  correlationId: z.string().optional(),
});

const sortTerm = `-?(?:${sortKeys.join("|")})(?::(?:asc|desc))?`;
const priorityName = `(?:${priorities.join("|")})`;
const tagText = "[\\p{L}\\p{N}][\\p{L}\\p{N}_\\-:.]{0,39}";

/**
 * The query parameters as the server checks them (a test, openapi-limits.test.ts, compares both ways).
 * Lists are written canonically (no spaces, no empty items); the server also trims those.
 */
export const queryParamSchemas: Record<keyof z.infer<typeof listQuerySchema>, Json> = {
  q: {
    type: "string",
    minLength: 1,
    maxLength: limits.query,
    pattern: "^(?=.*\\S)[^\\u0000-\\u001f\\u007f\\p{Cs}]*$",
    "x-server-checks": "Web search syntax PostgreSQL can parse: a long run of - (nested NOT) is refused.",
  },
  status: { type: "string", enum: [...taskStatuses] },
  priority: { type: "string", pattern: `^${priorityName}(?:,${priorityName})*$` },
  tags: { type: "string", pattern: `^${tagText}(?:,${tagText}){0,${limits.tags - 1}}$` },
  tagMode: { type: "string", enum: ["all", "any"], default: "all" },
  dueBefore: schema(instantSchema),
  dueAfter: schema(instantSchema),
  overdue: { type: "string", enum: ["true", "false"] },
  sort: { type: "string", maxLength: 200, pattern: `^${sortTerm}(?:,${sortTerm}){0,${limits.sortKeys - 1}}$` },
  limit: { type: "string", pattern: `^(?:[1-9]\\d?|${limits.pageSize})$`, default: "20" },
  cursor: { type: "string", maxLength: 4096 },
};

const queryDocs: Record<keyof z.infer<typeof listQuerySchema>, string> = {
  q: "Full-text search over title, tags and description (web search syntax: quotes, OR, -word); results ranked.",
  status: "open or completed.",
  priority: "Comma-separated set of priorities (low, medium, high, urgent); any of them matches.",
  tags: "Comma-separated tags.",
  tagMode: "all (default): the task has every tag; any: at least one.",
  dueBefore: "Due strictly before this instant (RFC 3339).",
  dueAfter: "Due at or after this instant (RFC 3339).",
  overdue: "true: open and due in the past; false: everything else.",
  sort: `Comma-separated keys (${sortKeys.join(", ")}), each at most once, optionally :asc/:desc or prefixed with - for desc; rank needs q. Default: rank:desc with q, else created:desc. Ties break on id.`,
  limit: `Page size, 1..${limits.pageSize} (default 20).`,
  cursor: "nextCursor from the previous page (same query).",
};

const bodyLimitDoc = "At most 64 kB of JSON (413 beyond). Cross-field rules: dueAt needs timeZone; reminders and recurrence need dueAt.";

const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const etagHeader = { ETag: { description: 'The task\'s entity tag: its version, e.g. "7".', schema: { type: "string" } } };
const ifMatchParam = {
  name: "If-Match",
  in: "header",
  required: false,
  description:
    'Apply the change only while the task still has this version (its ETag, e.g. "7"); otherwise 412. Without it the change applies to the current task.',
  schema: { type: "string" },
};
const bearer = [{ bearer: [] }];
const common = {
  "400": problem("Invalid input; `errors` names each invalid field."),
  "401": problem("Missing or invalid bearer token."),
  "404": problem("No such task for this user."),
};
const internal = {
  "x-internal": true,
  description: "Only through Dapr service invocation; `dapr-caller-app-id` must be an allowed caller.",
} as const;

const feedIdParam = { ...idParam, description: "The feed's id (from the list or the creation response)." };

/** The feed itself: no bearer JWT (security: []), the token in the path. */
const feedDoc = {
  parameters: [
    {
      name: "token",
      in: "path",
      required: true,
      description: "The feed's secret token.",
      schema: { type: "string", pattern: "^tcf_[A-Za-z0-9_-]{43}$" },
    },
  ],
  get: {
    operationId: "getCalendarFeed",
    security: [],
    description:
      "The feed, for calendar apps: authenticated by the token in the path only (calendar apps cannot send a header). Open tasks with a due time as VEVENTs (RRULE, DTSTART with TZID and a VTIMEZONE per zone, a VALARM per reminder the user gets: the task's own, or when not set the user's default from the notifications preferences; none for an empty list). Limited per feed URL.",
    responses: {
      "200": {
        description: "RFC 5545 iCalendar.",
        headers: { ETag: { schema: { type: "string" } } },
        content: { "text/calendar": { schema: { type: "string" } } },
      },
      "304": { description: "Unchanged since the ETag in If-None-Match." },
      "404": problem("Unknown, malformed or revoked token."),
      "429": problem("Too many fetches of this feed URL in this minute; see Retry-After."),
      "503": problem("The user's default reminders (notifications service) cannot be read for a moment; see Retry-After."),
    },
  },
};

/** The calendar feed routes: managed with the bearer JWT, fetched by calendar apps with the token in the URL only. */
function calendarFeedPaths(oapi: (p: string) => string): Json {
  return {
    [feedsBase]: {
      post: {
        operationId: "createCalendarFeed",
        security: bearer,
        description:
          "A new secret feed URL serving the user's open tasks with a due time as iCalendar. The token is in this response only; only its SHA-256 is stored. At most 10 feeds per user.",
        requestBody: { required: false, content: json(ref("CreateCalendarFeed")) },
        responses: {
          "201": { description: "Created; `url` is the address to subscribe to.", content: json(ref("CreatedCalendarFeed")) },
          "400": common["400"],
          "401": common["401"],
          "409": problem("The user already has 10 feeds."),
        },
      },
      get: {
        operationId: "listCalendarFeeds",
        security: bearer,
        responses: {
          "200": { description: "The user's feeds (never their tokens).", content: json(ref("CalendarFeedList")) },
          "401": common["401"],
        },
      },
    },
    [oapi(`${feedsBase}/:id`)]: {
      parameters: [feedIdParam],
      delete: {
        operationId: "revokeCalendarFeed",
        security: bearer,
        responses: {
          "204": { description: "Revoked: its URL answers 404 from now on." },
          "401": common["401"],
          "404": problem("No such feed for this user."),
        },
      },
    },
    [`${feedPrefix}/{token}.ics`]: feedDoc,
  };
}

export function openapiDocument(): Json {
  const oapi = (p: string) => p.replace(/:([A-Za-z_]+)/g, "{$1}");
  const series = seriesOpenapi();
  return {
    openapi: "3.1.0",
    info: { title: "tasks-api", version: "1.0.0", description: "Tasks of the authenticated user (JWT `sub`)." },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        Task: schema(taskSnapshotSchema),
        CreateTask: schema(createTaskSchema),
        UpdateTask: schema(updateTaskSchema),
        TaskPage: schema(listResponseSchema),
        Problem: schema(problemSchema),
        CreateOccurrenceRequest: schema(createOccurrenceSchema),
        CreateOccurrenceResponse: schema(createOccurrenceResponseSchema),
        InternalTask: schema(internalTaskResponseSchema),
        ...series.schemas,
        CreateCalendarFeed: schema(createFeedSchema),
        CalendarFeed: schema(calendarFeedSchema),
        CreatedCalendarFeed: schema(createdFeedSchema),
        CalendarFeedList: schema(feedListSchema),
      },
    },
    paths: {
      [tasksBase]: {
        post: {
          operationId: "createTask",
          security: bearer,
          requestBody: { required: true, description: bodyLimitDoc, content: json(ref("CreateTask")) },
          responses: { "201": { description: "Created.", content: json(ref("Task")) }, ...common, "413": problem("Body too large.") },
        },
        get: {
          operationId: "listTasks",
          security: bearer,
          parameters: Object.entries(queryDocs).map(([name, description]) => ({
            name,
            in: "query",
            required: false,
            description,
            schema: queryParamSchemas[name as keyof typeof queryParamSchemas],
          })),
          responses: { "200": { description: "A page of tasks.", content: json(ref("TaskPage")) }, ...common },
        },
      },
      [oapi(`${tasksBase}/:id`)]: {
        parameters: [idParam],
        get: {
          operationId: "getTask",
          security: bearer,
          responses: { "200": { description: "The task.", headers: etagHeader, content: json(ref("Task")) }, ...common },
        },
        patch: {
          operationId: "updateTask",
          security: bearer,
          parameters: [ifMatchParam],
          requestBody: { required: true, description: bodyLimitDoc, content: json(ref("UpdateTask")) },
          responses: {
            "200": { description: "Updated (null clears a field).", headers: etagHeader, content: json(ref("Task")) },
            ...common,
            "412": problem("If-Match names a version the task no longer has (the ETag header gives the current one)."),
            "413": problem("Body too large."),
          },
        },
        delete: { operationId: "deleteTask", security: bearer, responses: { "204": { description: "Deleted." }, ...common } },
      },
      [oapi(`${tasksBase}/:id/complete`)]: {
        parameters: [idParam],
        post: {
          operationId: "completeTask",
          security: bearer,
          responses: { "200": { description: "Completed.", content: json(ref("Task")) }, ...common, "409": problem("Already completed.") },
        },
      },
      ...calendarFeedPaths(oapi),
      [openapiPath]: { get: { operationId: "openapi", responses: { "200": { description: "This document." } } } },
      [tasksInternalRoutes.createOccurrence]: {
        post: {
          operationId: "createOccurrence",
          "x-internal": internal["x-internal"],
          description: internal.description,
          requestBody: { required: true, content: json(ref("CreateOccurrenceRequest")) },
          responses: {
            "201": { description: "Created.", content: json(ref("CreateOccurrenceResponse")) },
            "200": { description: "Already existed (idempotent repeat).", content: json(ref("CreateOccurrenceResponse")) },
            "400": common["400"],
            "403": problem("Caller is not allowed."),
          },
        },
      },
      [oapi(expressPath(tasksInternalRoutes.getTask))]: {
        parameters: [idParam],
        get: {
          operationId: "getTaskInternal",
          "x-internal": true,
          description: internal.description,
          responses: {
            "200": { description: "The task.", content: json(ref("InternalTask")) },
            "403": problem("Caller is not allowed."),
            "404": common["404"],
          },
        },
      },
      ...series.paths,
    },
  };
}
