/**
 * Checks a service's OpenAPI document against what its Express app really serves: the operations the
 * document lists are exactly the routes registered under the given path prefixes (plus the document's
 * own path), and a request to each documented operation reaches a handler instead of the 404 handler.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { Express } from "express";
import { openapiPathOf } from "../openapi.js";
import { request } from "./inject.js";

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** `METHOD /path/{param}` of every route of the app, including routers mounted at the root. */
export function servedRoutes(app: Express): string[] {
  const walk = (stack: readonly Layer[]): string[] =>
    stack.flatMap((l) =>
      l.route
        ? Object.keys(l.route.methods)
            .filter((m) => m !== "_all")
            .map((m) => `${m.toUpperCase()} ${openapiPathOf(l.route!.path)}`)
        : l.handle?.stack
          ? walk(l.handle.stack)
          : [],
    );
  return [...new Set(walk((app as unknown as { router: { stack: Layer[] } }).router.stack))];
}

export interface OpenApiPaths {
  readonly paths: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** `METHOD /path` of every operation the document lists. */
export function documentedRoutes(doc: OpenApiPaths): string[] {
  const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((k) => methods.includes(k))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
}

const under = (route: string, prefix: string): boolean => {
  const path = route.slice(route.indexOf(" ") + 1);
  return path === prefix || path.startsWith(`${prefix}/`);
};

export interface OpenApiMismatch {
  /** Served under the prefixes but not in the document. */
  readonly undocumented: string[];
  /** In the document but not served. */
  readonly unserved: string[];
  /** Documented, registered, yet a request to it ends in the 404 handler. */
  readonly unreachable: string[];
}

/** Compares the document with the app's routes under `prefixes` (and the document's own path). */
export async function compareOpenApiWithApp(app: Express, doc: OpenApiPaths, prefixes: readonly string[]): Promise<OpenApiMismatch> {
  const documented = documentedRoutes(doc);
  const served = servedRoutes(app).filter((r) => prefixes.some((p) => under(r, p)) || documented.includes(r));
  const unreachable: string[] = [];
  for (const op of documented.filter((r) => served.includes(r))) {
    const [method, path] = op.split(" ") as [string, string];
    const url = path.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000");
    const res = await request(app, { method: method as "GET", url });
    if ((res.body as { detail?: string } | undefined)?.detail === `No route for ${method} ${url}.`) unreachable.push(op);
  }
  return {
    undocumented: served.filter((r) => !documented.includes(r)).sort(),
    unserved: documented.filter((r) => !served.includes(r)).sort(),
    unreachable,
  };
}

type Json = Record<string, unknown>;
// ajv-formats is CommonJS: under Node's ESM loader its default export is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  a: Ajv2020,
  o: object,
) => void;

/** ajv for an OpenAPI 3.1 document's schemas: JSON Schema 2020-12, Unicode patterns, ajv-formats' full formats and keywords. */
export function openApiAjv(opts: { allErrors: boolean }): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: opts.allErrors, unicodeRegExp: true });
  addFormats(ajv, { mode: "full", keywords: true });
  return ajv;
}

/**
 * Validates values against the document's own component schemas (JSON Schema 2020-12, ajv): returns
 * ajv's errors as text, or undefined when `value` is valid. References between components resolve.
 */
export function componentValidator(doc: {
  components: { schemas: Readonly<Record<string, Json>> };
}): (name: string, value: unknown) => string | undefined {
  const ajv = openApiAjv({ allErrors: true });
  ajv.addSchema({ $id: "doc", components: doc.components });
  return (name, value) => {
    const validate = ajv.getSchema(`doc#/components/schemas/${name}`);
    if (!validate) throw new Error(`no component schema ${name}`);
    return validate(value) ? undefined : JSON.stringify(validate.errors);
  };
}
