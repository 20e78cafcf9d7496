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

type Def = { type: string; in?: z.ZodType; out?: z.ZodType; innerType?: z.ZodType; defaultValue?: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The stages a query value passes through: pipes flattened, optional/default unwrapped. */
function stages(s: z.ZodType): z.ZodType[] {
  const def = defOf(s);
  if (def.type === "pipe" && def.in && def.out) return [...stages(def.in), ...stages(def.out)];
  if ((def.type === "optional" || def.type === "default" || def.type === "nullable") && def.innerType) return stages(def.innerType);
  return [s];
}

/**
 * The JSON Schema of a query parameter's validator. A query value is a string that the validator may
 * pipe through several schemas (`single("x").pipe(z.enum(...))`); z.toJSONSchema states only the
 * first, so the string stages' schemas are merged in order (enum, pattern, format, maxLength of every
 * stage), and a number stage is used when no stage is a string (z.coerce.number()).
 */
function queryValueSchema(s: z.ZodType): OpenApiJson {
  const parts = stages(s).map((stage) => {
    const json = toJsonSchema(stage);
    delete json.$schema;
    return json;
  });
  const strings = parts.filter((p) => p.type === "string" || Array.isArray(p.enum));
  const merged: OpenApiJson = strings.length > 0 ? Object.assign({}, ...strings) : (parts.find((p) => p.type !== undefined) ?? {});
  const def = defOf(s);
  // The default is the parsed value; a string parameter states it as the string that parses to it.
  if (def.type === "default") merged.default = merged.type === "string" ? String(def.defaultValue) : def.defaultValue;
  return merged;
}

/** The query parameters of a zod object schema, each with its validator's JSON Schema and a description. */
export function queryParameters(schema: z.ZodObject, docs: Readonly<Record<string, string>> = {}): OpenApiJson[] {
  return Object.entries(schema.shape).map(([name, s]) => ({
    name,
    in: "query",
    required: false,
    ...(docs[name] ? { description: docs[name] } : {}),
    schema: queryValueSchema(s as z.ZodType),
  }));
}
