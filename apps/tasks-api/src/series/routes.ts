/** Routes of reopen, skip and the series operations (registered after the task routes, in their own table). */
import { parseOrThrow, userIdOf } from "@tasks/shared";
import type { Request } from "express";
import { tasksBase, type RouteDef } from "../routes.js";
import { changeRuleSchema, endSeriesSchema, seriesQuerySchema } from "./schemas.js";
import type { SeriesService } from "./service.js";

const id = (req: Request): string => String(req.params.id);

export const seriesPaths = {
  reopen: `${tasksBase}/:id/reopen`,
  skip: `${tasksBase}/:id/skip`,
  series: `${tasksBase}/:id/series`,
  end: `${tasksBase}/:id/series/end`,
  rule: `${tasksBase}/:id/series/rule`,
} as const;

export function seriesRoutes(series: SeriesService): RouteDef[] {
  return [
    {
      method: "post",
      path: seriesPaths.reopen,
      handlers: [async (req, res) => void res.json(await series.reopen(userIdOf(req), id(req)))],
    },
    { method: "post", path: seriesPaths.skip, handlers: [async (req, res) => void res.json(await series.skip(userIdOf(req), id(req)))] },
    {
      method: "get",
      path: seriesPaths.series,
      handlers: [
        async (req, res) =>
          void res.json(await series.list(userIdOf(req), id(req), parseOrThrow(seriesQuerySchema, req.query ?? {}, "query"))),
      ],
    },
    {
      method: "post",
      path: seriesPaths.end,
      handlers: [
        async (req, res) => void res.json(await series.end(userIdOf(req), id(req), parseOrThrow(endSeriesSchema, req.body ?? {}))),
      ],
    },
    {
      method: "put",
      path: seriesPaths.rule,
      handlers: [
        async (req, res) => void res.json(await series.changeRule(userIdOf(req), id(req), parseOrThrow(changeRuleSchema, req.body))),
      ],
    },
  ];
}
