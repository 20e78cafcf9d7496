/**
 * Acting-user routes (catalog `actingUserPrefix`): `/internal/users/<userId><public path>` answers exactly
 * what the public path answers that user, for the callers the catalog lets invoke it (the mcp server, which
 * verified the user's own token and never forwards it). Reached only through Dapr service invocation:
 * createServiceApp already refused a request without Dapr's app API token; Dapr access control admits only
 * the catalog's caller on the catalog's verb and path; and here the `dapr-caller-app-id` Dapr sets must be
 * that caller, with the method and path one of its invocations (403 otherwise). The request is then
 * rewritten to the public path with the user as its authenticated user, so the same handlers and the same
 * per-user scoping apply. Mount it first in the service's `routes`.
 */
import { actingUserPrefix, invocationPaths, type ServiceName } from "@tasks/catalog";
import type { NextFunction, Request, Response } from "express";
import { actAsUser, TokenRefused } from "./auth.js";
import { ForbiddenError, NotFoundError, ValidationError } from "./errors.js";

const underPrefix = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

/** A catalog invocation path (`*` = one segment) as an anchored regular expression. */
export const catalogPathPattern = (path: string): RegExp =>
  new RegExp(
    `^${path
      .split("*")
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]+")}$`,
  );

export function actingUserRoutes(target: ServiceName, publicPaths: readonly string[]) {
  const grants = invocationPaths()
    .filter((p) => p.target === target && p.path.startsWith(`${actingUserPrefix}/`))
    .map((p) => ({ caller: p.caller as string, method: p.method, pattern: catalogPathPattern(p.path) }));
  const prefix = `${actingUserPrefix}/`;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.path.startsWith(prefix)) return next();
    const rest = req.path.slice(prefix.length);
    const slash = rest.indexOf("/");
    const publicPath = slash > 0 ? rest.slice(slash) : "";
    if (!publicPaths.some((p) => underPrefix(publicPath, p))) throw new NotFoundError();
    const caller = req.get("dapr-caller-app-id");
    if (!grants.some((g) => g.caller === caller && g.method === req.method && g.pattern.test(req.path))) {
      const callers = [...new Set(grants.map((g) => g.caller))].join(", ") || "nobody";
      throw new ForbiddenError(`Acting-user routes are only for Dapr service invocation by: ${callers}.`);
    }
    let userId: string;
    try {
      userId = decodeURIComponent(rest.slice(0, slash));
      actAsUser(req, userId);
    } catch (err) {
      if (err instanceof URIError || err instanceof TokenRefused)
        throw new ValidationError([{ field: "userId", message: "Must be 1..200 printable characters, URL-encoded." }]);
      throw err;
    }
    const query = req.url.indexOf("?");
    req.url = publicPath + (query >= 0 ? req.url.slice(query) : "");
    next();
  };
}
