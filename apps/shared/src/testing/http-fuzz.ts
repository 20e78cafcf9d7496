/**
 * A property-based HTTP fuzzer for a service's public routes (fast-check), in-process through
 * light-my-request. Requests are generated for every route the Express app serves under the service's
 * public paths, as two users (and anonymously), with hostile path ids, query strings, bodies, methods and
 * headers mixed with valid-looking ones. The properties: no 5xx, ever; and no response to one user
 * contains a marker that only the other user's data holds (no cross-user read).
 */
import { randomUUID } from "node:crypto";
import type { TestContext } from "node:test";
import type { Express } from "express";
import fc from "fast-check";
import { request, type InjectResponse } from "./inject.js";
import { signTestToken } from "./tokens.js";

export interface FuzzUser {
  readonly token: string;
  /** Strings that occur only in this user's data (titles, descriptions...). */
  readonly markers: readonly string[];
}

export interface FuzzTarget {
  readonly app: Express;
  /** The service's public path prefixes (catalog publicRoutes), e.g. /api/v1/tasks. */
  readonly publicPaths: readonly string[];
  readonly users: { readonly a: FuzzUser; readonly b: FuzzUser };
  /** Real ids of both users' objects, used in paths and bodies so requests hit real rows. */
  readonly ids: readonly string[];
  /** Query parameter names the routes read. */
  readonly queryNames: readonly string[];
  /** Body fields the routes read, with values worth trying (valid ones help reach deeper code). */
  readonly bodyFields: Readonly<Record<string, readonly unknown[]>>;
}

export interface FuzzReport {
  readonly requests: number;
  readonly byStatus: Readonly<Record<number, number>>;
  /** "METHOD /path" of every route found and requested at least once. */
  readonly routes: readonly string[];
}

interface RouterLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/** Every (method, path) route of the app and of routers mounted on it. */
export function routesOf(app: Express): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const walk = (stack: readonly RouterLayer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat())
          for (const m of Object.keys(layer.route.methods)) if (m !== "_all") out.push({ method: m.toUpperCase(), path });
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: RouterLayer[] } }).router.stack);
  return out;
}

const hostileStrings = [
  "",
  " ",
  "null",
  "-".repeat(36),
  "00000000-0000-0000-0000-000000000000",
  "../../etc/passwd",
  "%00",
  "\u0000",
  "\ud800",
  "😀",
  "' or 1=1 --",
  "1e999",
  "1e-999",
  "-1",
  "0",
  "99999999999999999999",
  "NaN",
  "Infinity",
  "0000-01-01T00:00:00Z",
  "2030-01-01T00:00:00+23:59",
  "9999-12-31T23:59:59-15:59",
  "2030-02-30T00:00:00Z",
  "true",
  "x".repeat(5000),
  Buffer.from(JSON.stringify({ t: "0000-01-01 00:00:00+00", id: "-".repeat(36), k: ["1e999"], s: "", f: "" })).toString("base64url"),
];

const jsonValue = (depth: number): fc.Arbitrary<unknown> =>
  depth <= 0
    ? fc.oneof(
        fc.constantFrom<unknown>(...hostileStrings, null, true, 0, -1, 2 ** 31 + 1, 1.5, 1e308),
        fc.string({ maxLength: 20 }),
        fc.integer(),
      )
    : fc.oneof(
        { weight: 3, arbitrary: jsonValue(0) },
        { weight: 1, arbitrary: fc.array(jsonValue(depth - 1), { maxLength: 4 }) },
        { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), jsonValue(depth - 1), { maxKeys: 4 }) },
      );

/** Percent-encodes text; a lone surrogate (not encodable as UTF-8) becomes the invalid UTF-8 bytes %ED%A0%80. */
const encode = (s: string): string =>
  s
    .split(/(\p{Cs})/u)
    .map((part) => (/^\p{Cs}$/u.test(part) ? "%ED%A0%80" : encodeURIComponent(part)))
    .join("");

/** Runs `runs` generated requests against the target; throws (with fast-check's counterexample) on a 5xx or a cross-user read. */
export async function fuzzPublicRoutes(target: FuzzTarget, runs: number): Promise<FuzzReport> {
  const routes = routesOf(target.app).filter((r) => target.publicPaths.some((p) => r.path === p || r.path.startsWith(`${p}/`)));
  if (routes.length === 0) throw new Error("fuzzPublicRoutes: the app serves no route under the public paths");
  const byStatus: Record<number, number> = {};
  const hit = new Set<string>();
  let requests = 0;

  const pathValue = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...target.ids) },
    { weight: 2, arbitrary: fc.constantFrom(...hostileStrings) },
    { weight: 1, arbitrary: fc.uuid() },
  );
  const queryValue = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...hostileStrings, ...target.ids) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "1",
        "20",
        "100",
        "open",
        "completed",
        "true",
        "false",
        "due",
        "-priority",
        "all",
        "any",
        "created",
        "updated",
      ),
    },
  );
  const query = fc.array(
    fc.tuple(
      fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...target.queryNames) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
      queryValue,
    ),
    { maxLength: 4 },
  );
  const fieldEntries = Object.entries(target.bodyFields);
  const fieldsBody =
    fieldEntries.length === 0
      ? jsonValue(2)
      : fc
          .array(
            fc
              .constantFrom(...fieldEntries)
              .chain(([k, good]) =>
                fc.tuple(fc.constant(k), good.length ? fc.oneof(fc.constantFrom(...good), jsonValue(2)) : jsonValue(2)),
              ),
            { maxLength: 6 },
          )
          .map((kv) => Object.fromEntries(kv));
  const body = fc.oneof(
    { weight: 4, arbitrary: fieldsBody },
    { weight: 1, arbitrary: jsonValue(3) },
    { weight: 1, arbitrary: fc.constantFrom("{nope", "", "[", '{"a":' + "[".repeat(2000), "x".repeat(70_000)) },
  );
  const who = fc.constantFrom<"a" | "b" | "anonymous" | "garbage">("a", "a", "b", "b", "anonymous", "garbage");
  const methodSwap = fc.oneof(
    { weight: 6, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom("PUT", "PATCH", "DELETE", "POST", "GET", "OPTIONS") },
  );

  const req = fc.record({
    route: fc.constantFrom(...routes),
    params: fc.array(pathValue, { minLength: 3, maxLength: 3 }),
    query,
    body,
    who,
    methodSwap,
    contentType: fc.constantFrom("application/json", "application/json", "text/plain", "application/merge-patch+json"),
  });

  await fc.assert(
    fc.asyncProperty(req, async (r) => {
      let i = 0;
      const path = r.route.path.replace(/:[A-Za-z_]+/g, () => encode(String(r.params[i++] ?? "x")));
      const qs = r.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&");
      const method = (r.methodSwap ?? r.route.method) as "GET";
      const headers: Record<string, string> = { "content-type": r.contentType };
      if (r.who === "garbage") headers.authorization = "Bearer not.a.jwt";
      const token = r.who === "a" ? target.users.a.token : r.who === "b" ? target.users.b.token : undefined;
      let res: InjectResponse;
      try {
        res = await request(target.app, {
          method,
          url: `${path}${qs ? `?${qs}` : ""}`,
          headers,
          ...(token ? { token } : {}),
          ...(method === "GET" || method === "OPTIONS" ? {} : { body: typeof r.body === "string" ? r.body : JSON.stringify(r.body) }),
        });
      } catch (err) {
        throw new Error(`${method} ${path}?${qs}: the request failed: ${String(err)}`, { cause: err });
      }
      requests++;
      hit.add(`${r.route.method} ${r.route.path}`);
      byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
      const what = `${r.who} ${method} ${path}?${qs.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
      if (res.status >= 500) throw new Error(`5xx: ${what}`);
      const other = r.who === "a" ? target.users.b : r.who === "b" ? target.users.a : undefined;
      const mine = r.who === "a" ? target.users.a : r.who === "b" ? target.users.b : undefined;
      for (const marker of other?.markers ?? (mine ? [] : [...target.users.a.markers, ...target.users.b.markers])) {
        if (res.text.includes(marker)) throw new Error(`cross-user read of "${marker}": ${what}`);
      }
    }),
    { numRuns: runs },
  );
  return { requests, byStatus, routes: [...hit].sort() };
}

/** Two users of fresh ids for a fuzz run, each with a marker to write into their own data only. */
export interface FuzzUserPair {
  readonly users: { readonly a: string; readonly b: string };
  readonly markers: { readonly a: readonly string[]; readonly b: readonly string[] };
}

export function fuzzUserPair(): FuzzUserPair {
  return {
    users: { a: `fuzz-a-${randomUUID()}`, b: `fuzz-b-${randomUUID()}` },
    markers: { a: [`secret-a-${randomUUID()}`], b: [`secret-b-${randomUUID()}`] },
  };
}

/**
 * fuzzPublicRoutes as a service's fuzz test runs it: as the pair's two users (tokens from signTestToken),
 * FUZZ_RUNS requests (default 2000), and the summary line "<service> fuzz: N requests over N routes, statuses
 * {...}" in the test's diagnostics and on stdout.
 */
export async function fuzzAsUserPair(
  t: TestContext,
  service: string,
  pair: FuzzUserPair,
  target: Omit<FuzzTarget, "users">,
): Promise<FuzzReport> {
  const report = await fuzzPublicRoutes(
    {
      ...target,
      users: {
        a: { token: await signTestToken(pair.users.a), markers: pair.markers.a },
        b: { token: await signTestToken(pair.users.b), markers: pair.markers.b },
      },
    },
    Number(process.env.FUZZ_RUNS ?? 2000),
  );
  const summary = `${service} fuzz: ${report.requests} requests over ${report.routes.length} routes, statuses ${JSON.stringify(report.byStatus)}`;
  t.diagnostic(summary);
  console.log(summary);
  return report;
}
