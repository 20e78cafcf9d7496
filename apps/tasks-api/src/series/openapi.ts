/** The OpenAPI paths and schemas of the reopen, skip and series routes (merged into openapi.ts). */
import {
  authenticatedProblems,
  bearerSecurity,
  jsonContent,
  openapiPathOf,
  problemResponse,
  queryParameters,
  schemaRef,
  toJsonSchema,
  type OpenApiJson,
} from "@tasks/shared";
import { seriesPaths } from "./routes.js";
import { changeRuleSchema, endSeriesSchema, seriesEndSchema, seriesPageSchema, seriesQuerySchema } from "./schemas.js";

const idParam = {
  name: "id",
  in: "path",
  required: true,
  schema: { type: "string", format: "uuid" },
  description: "Any task of the series.",
};
const problems = { ...authenticatedProblems, "404": problemResponse("No such task for this user.") };
const task = { description: "The task.", content: jsonContent(schemaRef("Task")) };

export function seriesOpenapi(): { schemas: OpenApiJson; paths: OpenApiJson } {
  return {
    schemas: {
      SeriesPage: toJsonSchema(seriesPageSchema),
      EndSeries: toJsonSchema(endSeriesSchema),
      SeriesEnd: toJsonSchema(seriesEndSchema),
      ChangeSeriesRule: toJsonSchema(changeRuleSchema),
    },
    paths: { ...lifecyclePaths(), ...seriesCollectionPaths() },
  };
}

/** Reopen and skip. */
function lifecyclePaths(): OpenApiJson {
  return {
    [openapiPathOf(seriesPaths.reopen)]: {
      parameters: [idParam],
      post: {
        operationId: "reopenTask",
        description:
          "A completed or skipped task becomes open again (task.updated). A successor already created is kept, and completing this task again creates no second one.",
        security: bearerSecurity,
        responses: { "200": task, ...problems, "409": problemResponse("The task is already open.") },
      },
    },
    [openapiPathOf(seriesPaths.skip)]: {
      parameters: [idParam],
      post: {
        operationId: "skipOccurrence",
        description: "Closes an open occurrence as skipped; the next one is created as if this one had been completed on time.",
        security: bearerSecurity,
        responses: { "200": task, ...problems, "409": problemResponse("Not open, or not part of a recurring series.") },
      },
    },
  };
}

/** List, end, change the rule. */
function seriesCollectionPaths(): OpenApiJson {
  return {
    [openapiPathOf(seriesPaths.series)]: {
      parameters: [idParam],
      get: {
        operationId: "listSeries",
        description: "The occurrences of the task's series, newest first (by occurrence time), paged.",
        security: bearerSecurity,
        parameters: queryParameters(seriesQuerySchema, {
          limit: "Page size, 1..100 (default 20).",
          cursor: "nextCursor of the previous page.",
        }),
        responses: {
          "200": { description: "A page of the series.", content: jsonContent(schemaRef("SeriesPage")) },
          ...problems,
          "400": problemResponse("Invalid query; `errors` names the parameter."),
        },
      },
    },
    [openapiPathOf(seriesPaths.end)]: {
      parameters: [idParam],
      post: {
        operationId: "endSeries",
        description:
          "No further occurrences. Open occurrences are kept without a rule, or deleted; with none changed, the latest (closed) occurrence loses its rule (`latestClosed`). Every end is evented and audited. Ending an ended series changes nothing.",
        security: bearerSecurity,
        requestBody: { required: false, content: jsonContent(schemaRef("EndSeries")) },
        responses: {
          "200": { description: "The series is ended.", content: jsonContent(schemaRef("SeriesEnd")) },
          ...problems,
          "400": problemResponse("Invalid body; `errors` names the field."),
          "409": problemResponse("The series does not repeat (no occurrence carries a rule): nothing to end."),
        },
      },
    },
    [openapiPathOf(seriesPaths.rule)]: {
      parameters: [idParam],
      put: {
        operationId: "changeSeriesRule",
        description:
          "Changes the rule (and mode) for the future: the open occurrence with the latest time carries it; closed occurrences keep theirs.",
        security: bearerSecurity,
        requestBody: { required: true, content: jsonContent(schemaRef("ChangeSeriesRule")) },
        responses: {
          "200": { description: "The open occurrence with the new rule.", content: jsonContent(schemaRef("Task")) },
          ...problems,
          "400": problemResponse("Invalid rule; `errors` names the field."),
          "409": problemResponse("The series was ended, or has no open occurrence."),
        },
      },
    },
  };
}
