/**
 * The audit API's OpenAPI 3.1 document, generated from the zod schema that validates its query
 * (query.ts) and one describing its answer; test/openapi.test.ts checks it against the routes Express
 * serves. Served without a token at the catalog's openapiPath.
 */
import { services } from "@tasks/catalog";
import {
  authenticatedProblems,
  bearerScheme,
  bearerSecurity,
  calendarFeedSnapshotSchema,
  jsonContent,
  problemJsonSchema,
  problemResponse,
  queryParameters,
  schemaRef,
  taskSnapshotSchema,
  toJsonSchema,
  type OpenApiJson,
} from "@tasks/shared";
import { z } from "zod";
import { auditQuerySchema } from "./query.js";
import { auditActions } from "./recorder.js";

export const auditOpenapiPath = services.audit.openapiPath;

const entrySchema = z.object({
  id: z.string(),
  eventId: z.string(),
  taskId: z.uuid().nullable().meta({ description: "The task the entry is about; null for a calendar feed's entry." }),
  feedId: z.uuid().nullable().meta({ description: "The calendar feed of a feed-created or feed-revoked entry; null otherwise." }),
  action: z.enum(auditActions),
  actor: z.string().meta({ description: "The user, or service:<app-id> for a service (the recurrence service creating an occurrence)." }),
  before: z.union([taskSnapshotSchema, calendarFeedSnapshotSchema]).nullable(),
  after: z.union([taskSnapshotSchema, calendarFeedSnapshotSchema]).nullable(),
  occurredAt: z.iso.datetime({ offset: true }),
  recordedAt: z.iso.datetime({ offset: true }),
});

export function auditOpenapi(base: string): OpenApiJson {
  return {
    openapi: "3.1.0",
    info: {
      title: "audit",
      version: "1.0.0",
      description: "The authenticated user's append-only history of task operations and calendar feed changes.",
    },
    components: {
      securitySchemes: bearerScheme,
      schemas: {
        AuditEntry: toJsonSchema(entrySchema),
        AuditPage: toJsonSchema(z.object({ items: z.array(entrySchema), nextCursor: z.string().nullable() })),
        Problem: toJsonSchema(problemJsonSchema),
      },
    },
    paths: {
      [base]: {
        get: {
          operationId: "listAuditEntries",
          security: bearerSecurity,
          description: "Newest first, keyset-paged.",
          parameters: queryParameters(auditQuerySchema, {
            taskId: "Only this task's entries.",
            feedId: "Only this calendar feed's entries.",
            action: `One of ${auditActions.join(", ")}.`,
            from: "At or after this instant (RFC 3339).",
            to: "At or before this instant (RFC 3339).",
            limit: "Page size, 1..100 (default 50).",
            cursor: "nextCursor of the previous page.",
          }),
          responses: {
            "200": { description: "A page of entries.", content: jsonContent(schemaRef("AuditPage")) },
            "400": problemResponse("Invalid query; `errors` names each parameter."),
            ...authenticatedProblems,
          },
        },
      },
      [auditOpenapiPath]: { get: { operationId: "openapi", responses: { "200": { description: "This document." } } } },
    },
  };
}
