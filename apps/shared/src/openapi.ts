/**
 * Building blocks of the services' OpenAPI 3.1 documents, generated from the same zod schemas that
 * validate requests (z.toJSONSchema, input side), so a document cannot drift from its validators.
 * Each service's test compares its document with the routes Express serves (testing/openapi-check.ts).
 */
import { z } from "zod";

export type OpenApiJson = Record<string, unknown>;

/** The JSON Schema (2020-12, as OpenAPI 3.1 uses) of what `s` accepts. */
export const toJsonSchema = (s: z.ZodType): OpenApiJson =>
  z.toJSONSchema(s, { io: "input", unrepresentable: "any", target: "draft-2020-12" }) as OpenApiJson;

export const schemaRef = (name: string): OpenApiJson => ({ $ref: `#/components/schemas/${name}` });
export const jsonContent = (s: OpenApiJson) => ({ "application/json": { schema: s } });
export const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: schemaRef("Problem") } },
});

/** What every error answer carries (apps/shared errors.ts); `errors` names each invalid field of a 400. */
export const problemJsonSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  correlationId: z.string().optional(),
});

export const bearerSecurity = [{ bearer: [] }];
export const bearerScheme = { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } };

/** An Express path (`/a/:id`) as an OpenAPI path template (`/a/{id}`). */
export const openapiPathOf = (expressPath: string): string => expressPath.replace(/:([A-Za-z_]+)/g, "{$1}");

/** The answers every authenticated route may give besides its own. */
export const authenticatedProblems = {
  "401": problemResponse("Missing or invalid bearer token."),
  "429": problemResponse("Too many requests for this user (Retry-After says when to retry)."),
};

/** The query parameters of a zod object schema, each with its own JSON Schema and description. */
export function queryParameters(schema: z.ZodObject, docs: Readonly<Record<string, string>> = {}): OpenApiJson[] {
  return Object.entries(schema.shape).map(([name, s]) => {
    const json = toJsonSchema(s as z.ZodType);
    delete json.$schema;
    return { name, in: "query", required: false, ...(docs[name] ? { description: docs[name] } : {}), schema: json };
  });
}
