/**
 * The tasks API's routes as one table (method, Express path, handlers), registered directly on the
 * app so the OpenAPI test can compare the document with what Express really serves.
 */
import { invocationPaths, services, tasksInternalRoutes } from "@tasks/catalog";
import { ForbiddenError, parseOrThrow, userIdOf, ValidationError } from "@tasks/shared";
import type { Express, Request, RequestHandler, Response } from "express";
import { createOccurrenceSchema, createTaskSchema, listQuerySchema, taskRuleErrors, updateTaskSchema } from "./schemas.js";
import { parseIfMatch, taskEtag } from "./preconditions.js";
import type { TasksService } from "./tasks-service.js";

export type Method = "get" | "post" | "put" | "patch" | "delete";
export interface RouteDef {
  readonly method: Method;
  /** Express path, e.g. /api/v1/tasks/:id */
  readonly path: string;
  readonly handlers: readonly RequestHandler[];
}

export const tasksBase = services["tasks-api"].publicRoutes[0]!.path;
export const openapiPath = services["tasks-api"].openapiPath;

/** A catalog invocation path (`*` = one segment) as an Express path. */
export const expressPath = (catalogPath: string, param = "id"): string => catalogPath.replace("*", `:${param}`);

/**
 * Internal routes are reachable only through Dapr service invocation: the app refuses any request
 * without Dapr's app API token (createServiceApp), Dapr access control admits only the catalog's
 * callers, and here the `dapr-caller-app-id` header Dapr sets must name one of those callers (403
 * otherwise). The header is only read on requests that carried the token, i.e. came from the sidecar.
 */
export function requireCaller(catalogPath: string): RequestHandler {
  const allowed = new Set(
    invocationPaths()
      .filter((p) => p.target === "tasks-api" && p.path === catalogPath)
      .map((p) => p.caller),
  );
  return (req, _res, next) => {
    const caller = req.get("dapr-caller-app-id");
    if (!caller || !allowed.has(caller as never))
      throw new ForbiddenError(`This route is only for Dapr service invocation by: ${[...allowed].join(", ")}.`);
    next();
  };
}

const param = (req: Request): string => String(req.params.id);

/**
 * The routes. The public ones are authenticated before they run (createServiceApp's `publicRoutes`:
 * bearer JWT, checked before the body is parsed); the internal ones need Dapr's app API token there,
 * and `requireCaller` here.
 */
export function tasksRoutes(service: TasksService, openapi: () => unknown): RouteDef[] {
  const base = tasksBase;
  return [
    {
      method: "post",
      path: base,
      handlers: [
        async (req: Request, res: Response) => {
          const task = await service.create(userIdOf(req), parseOrThrow(createTaskSchema, req.body));
          res.status(201).location(`${base}/${task.id}`).json(task);
        },
      ],
    },
    {
      method: "get",
      path: base,
      handlers: [
        async (req, res) => void res.json(await service.list(userIdOf(req), parseOrThrow(listQuerySchema, req.query ?? {}, "query"))),
      ],
    },
    {
      method: "get",
      path: `${base}/:id`,
      handlers: [
        async (req, res) => {
          const task = await service.get(userIdOf(req), param(req));
          res.set("ETag", taskEtag(task)).json(task);
        },
      ],
    },
    {
      method: "patch",
      path: `${base}/:id`,
      handlers: [
        async (req, res) => {
          const condition = parseIfMatch(req.get("if-match"));
          const patch = parseOrThrow(updateTaskSchema, req.body);
          if (Object.keys(patch).length === 0)
            throw new ValidationError([{ field: "body", message: "The patch must change at least one field." }]);
          const task = await service.update(userIdOf(req), param(req), patch, condition);
          res.set("ETag", taskEtag(task)).json(task);
        },
      ],
    },
    {
      method: "delete",
      path: `${base}/:id`,
      handlers: [
        async (req, res) => {
          await service.delete(userIdOf(req), param(req));
          res.status(204).end();
        },
      ],
    },
    {
      method: "post",
      path: `${base}/:id/complete`,
      handlers: [async (req, res) => void res.json(await service.complete(userIdOf(req), param(req)))],
    },
    { method: "get", path: openapiPath, handlers: [(_req, res) => void res.json(openapi())] },
    {
      method: "post",
      path: tasksInternalRoutes.createOccurrence,
      handlers: [
        requireCaller(tasksInternalRoutes.createOccurrence),
        async (req, res) => {
          const body = parseOrThrow(createOccurrenceSchema, req.body);
          const errors = taskRuleErrors({ ...body.sourceTask, dueAt: body.occurrenceAt }).map((e) => ({
            ...e,
            field: `sourceTask.${e.field}`,
          }));
          if (errors.length) throw new ValidationError(errors);
          const result = await service.createOccurrence(body.sourceTask, body.occurrenceAt, `service:${req.get("dapr-caller-app-id")}`);
          res.status(result.created ? 201 : 200).json(result);
        },
      ],
    },
    {
      method: "get",
      path: expressPath(tasksInternalRoutes.getTask),
      handlers: [requireCaller(tasksInternalRoutes.getTask), async (req, res) => void res.json({ task: await service.getAny(param(req)) })],
    },
  ];
}

export function registerRoutes(app: Express, routes: readonly RouteDef[]): void {
  for (const r of routes) app[r.method](r.path, ...r.handlers);
}
