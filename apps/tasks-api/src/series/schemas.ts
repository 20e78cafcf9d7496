/** Request and response schemas of the reopen, skip and series routes (validation and OpenAPI). */
import { instantSchema, taskSnapshotSchema } from "@tasks/shared";
import { z } from "zod";
import { limits, repeatFromSchema, updateTaskSchema } from "../schemas.js";

export const seriesQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^(?:[1-9]\d?|100)$/, `limit must be an integer from 1 to ${limits.pageSize}.`)
    .transform(Number)
    .default(20),
  cursor: z.string().max(200, "cursor is too long.").optional(),
});
export type SeriesQuery = z.output<typeof seriesQuerySchema>;

export const endSeriesSchema = z.strictObject({
  open: z
    .enum(["keep", "delete"], { message: "open must be keep or delete." })
    .default("keep")
    .meta({ description: "What happens to the series' open occurrences: keep (they stay, without a rule) or delete." }),
});
export type EndSeriesInput = z.output<typeof endSeriesSchema>;

const ruleText = updateTaskSchema.shape.recurrence.unwrap().unwrap();
export const changeRuleSchema = z.strictObject({
  recurrence: ruleText,
  repeatFrom: repeatFromSchema.optional(),
});
export type ChangeRuleInput = z.output<typeof changeRuleSchema>;

export const seriesPageSchema = z.object({
  seriesId: z.uuid(),
  endedAt: instantSchema.nullable(),
  items: z.array(taskSnapshotSchema),
  nextCursor: z.string().nullable(),
});
export type SeriesPage = z.output<typeof seriesPageSchema>;

export const seriesEndSchema = z.object({
  seriesId: z.uuid(),
  endedAt: instantSchema,
  open: z.enum(["keep", "delete"]),
  kept: z.array(taskSnapshotSchema),
  deleted: z.array(z.uuid()),
  latestClosed: taskSnapshotSchema.nullable().meta({
    description:
      "When no open occurrence was changed (the latest one was completed or skipped, its successor maybe still on its way): that latest occurrence, now without a rule. Null otherwise.",
  }),
});
export type SeriesEndResult = z.output<typeof seriesEndSchema>;
