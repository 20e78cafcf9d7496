/**
 * The notifications API's OpenAPI 3.1 document, generated from the zod schemas that validate its
 * requests (api/schemas.ts) and describe its answers; test/openapi.test.ts checks it against the
 * routes Express serves. Served without a token at the catalog's openapiPath.
 */
import { services } from "@tasks/catalog";
import {
  authenticatedProblems,
  bearerScheme,
  bearerSecurity,
  jsonContent,
  openapiPathOf,
  problemJsonSchema,
  problemResponse,
  queryParameters,
  schemaRef,
  toJsonSchema,
  type OpenApiJson,
} from "@tasks/shared";
import { z } from "zod";
import { basePath } from "./router.js";
import { listQuerySchema, preferencesPatchSchema, pushSubscriptionSchema, snoozeSchema } from "./schemas.js";

export const notificationsOpenapiPath = services.notifications.openapiPath;

const notificationSchema = z.object({
  id: z.uuid(),
  taskId: z.uuid().nullable(),
  title: z.string(),
  body: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  readAt: z.iso.datetime({ offset: true }).nullable(),
});
const preferencesSchema = z.object({
  channels: z.object({ email: z.boolean(), inapp: z.boolean(), push: z.boolean() }),
  remindersEnabled: z.boolean(),
  quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
  timeZone: z.string(),
  defaultReminderMinutes: z.number().int().nullable(),
  email: z.string().nullable(),
});
const pushPublicKeySchema = z.object({
  publicKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/)
    .describe(
      "The VAPID public key: an uncompressed P-256 point, base64url without padding (PushManager.subscribe's applicationServerKey).",
    ),
});
const count = (name: string) => z.object({ [name]: z.number().int().nonnegative() });

const ok = (description: string, schema: OpenApiJson) => ({ description, content: jsonContent(schema) });
const invalid = { "400": problemResponse("Invalid input; `errors` names each invalid field.") };
const idParam = (what: string) => ({
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
  description: what,
});

export function notificationsOpenapi(): OpenApiJson {
  return {
    openapi: "3.1.0",
    info: {
      title: "notifications",
      version: "1.0.0",
      description: "In-app notifications, reminder preferences and Web Push subscriptions of the authenticated user.",
    },
    components: {
      securitySchemes: bearerScheme,
      schemas: {
        Notification: toJsonSchema(notificationSchema),
        NotificationPage: toJsonSchema(z.object({ items: z.array(notificationSchema), nextCursor: z.string().nullable() })),
        Preferences: toJsonSchema(preferencesSchema),
        PreferencesPatch: toJsonSchema(preferencesPatchSchema),
        PushSubscription: toJsonSchema(pushSubscriptionSchema),
        PushPublicKey: toJsonSchema(pushPublicKeySchema),
        SnoozeRequest: {
          ...toJsonSchema(snoozeSchema),
          description: "Exactly one of minutes (5, 15 or 60) or until (one minute to 28 days ahead).",
        },
        Problem: toJsonSchema(problemJsonSchema),
      },
    },
    paths: { ...inboxPaths(), ...settingsPaths() },
  };
}

const op = (operationId: string, rest: OpenApiJson) => ({ operationId, security: bearerSecurity, ...rest });

/** The notifications themselves. */
function inboxPaths(): OpenApiJson {
  return {
    [basePath]: {
      get: op("listNotifications", {
        description: "Newest first, keyset-paged.",
        parameters: queryParameters(listQuerySchema, {
          limit: "Page size, 1..100 (default 20).",
          cursor: "nextCursor of the previous page.",
          unread: "true: unread only.",
        }),
        responses: { "200": ok("A page of notifications.", schemaRef("NotificationPage")), ...invalid, ...authenticatedProblems },
      }),
      delete: op("clearNotifications", {
        responses: { "200": ok("How many were deleted.", toJsonSchema(count("deleted"))), ...authenticatedProblems },
      }),
    },
    [`${basePath}/unread-count`]: {
      get: op("unreadCount", {
        responses: { "200": ok("Unread notifications.", toJsonSchema(count("count"))), ...authenticatedProblems },
      }),
    },
    [`${basePath}/read-all`]: {
      post: op("markAllRead", {
        responses: { "200": ok("How many were marked read.", toJsonSchema(count("updated"))), ...authenticatedProblems },
      }),
    },
  };
}

/** Preferences, the push key and subscriptions, marking one read, and this document. */
function settingsPaths(): OpenApiJson {
  return {
    [`${basePath}/preferences`]: {
      get: op("getPreferences", {
        responses: { "200": ok("The preferences (defaults until changed).", schemaRef("Preferences")), ...authenticatedProblems },
      }),
      patch: op("updatePreferences", {
        requestBody: { required: true, content: jsonContent(schemaRef("PreferencesPatch")) },
        responses: { "200": ok("The preferences after the change.", schemaRef("Preferences")), ...invalid, ...authenticatedProblems },
      }),
    },
    [`${basePath}/push/public-key`]: {
      get: op("getPushPublicKey", {
        description: "The key a browser subscribes to Web Push with; the service signs its pushes with the matching private key.",
        responses: { "200": ok("The VAPID public key.", schemaRef("PushPublicKey")), ...authenticatedProblems },
      }),
    },
    [`${basePath}/push-subscriptions`]: {
      post: op("savePushSubscription", {
        requestBody: { required: true, content: jsonContent(schemaRef("PushSubscription")) },
        responses: {
          "201": ok("Saved.", toJsonSchema(z.object({ id: z.uuid() }))),
          "200": ok("Already saved (same endpoint).", toJsonSchema(z.object({ id: z.uuid() }))),
          ...invalid,
          ...authenticatedProblems,
        },
      }),
    },
    [openapiPathOf(`${basePath}/push-subscriptions/:id`)]: {
      parameters: [idParam("The subscription.")],
      delete: op("deletePushSubscription", {
        responses: {
          "204": { description: "Deleted." },
          ...invalid,
          ...authenticatedProblems,
          "404": problemResponse("No such subscription."),
        },
      }),
    },
    [openapiPathOf(`${basePath}/:id/snooze`)]: {
      parameters: [idParam("The reminder notification.")],
      post: op("snoozeNotification", {
        description:
          "Brings the reminder back later as a one-shot job (quiet hours defer it); marks the notification read. Repeating the request changes nothing; snoozing again moves it.",
        requestBody: { required: true, content: jsonContent(schemaRef("SnoozeRequest")) },
        responses: {
          "202": ok("Snoozed until.", toJsonSchema(z.object({ notificationId: z.uuid(), until: z.iso.datetime({ offset: true }) }))),
          ...invalid,
          ...authenticatedProblems,
          "404": problemResponse("No such notification."),
          "409": problemResponse("Not a reminder notification."),
        },
      }),
    },
    [openapiPathOf(`${basePath}/:id/read`)]: {
      parameters: [idParam("The notification.")],
      post: op("markRead", {
        responses: {
          "204": { description: "Marked read." },
          ...invalid,
          ...authenticatedProblems,
          "404": problemResponse("No such notification."),
        },
      }),
    },
    [notificationsOpenapiPath]: { get: { operationId: "openapi", responses: { "200": { description: "This document." } } } },
  };
}
