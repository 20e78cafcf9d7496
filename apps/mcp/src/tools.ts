/**
 * The MCP tools: each with input and output schemas (zod, published as JSON Schema), answering structured
 * content plus one short line of text. Every call acts for the authenticated user through the gateway
 * (acting-user routes); a refusal by the platform (not found, an invalid field) or a phrase the grammar
 * cannot read is a tool error (`isError`) whose text names the field or lists what was understood.
 */
import { taskSnapshotSchema, type TaskSnapshot } from "@tasks/shared";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Temporal } from "@tasks/shared/recurrence/index";
import { z } from "zod";
import { RefusedError, type Gateway } from "./gateway.js";
import { acceptedForms, interpretPhrase, PhraseError, type PhraseResult } from "./phrases/schedule.js";

const tasksPath = "/api/v1/tasks";
const priorities = ["low", "medium", "high", "urgent"] as const;

const id = z.uuid().describe("The task's id (a UUID).");
const timeZone = z.string().min(1).max(64).describe("The user's IANA time zone, e.g. Europe/Paris: phrases are read in it.");
const when = z
  .string()
  .min(1)
  .max(200)
  .describe(`When the task is due, or how it repeats, in English. Accepted forms: ${acceptedForms.join(" · ")}.`);

const occurrence = z.object({ at: z.string(), local: z.string() });
const scheduleSchema = z.object({
  kind: z.enum(["once", "recurring"]),
  timeZone: z.string(),
  dueAt: z.string(),
  rrule: z.string().optional(),
  next: z.array(occurrence).optional(),
  understood: z.array(z.string()),
  assumed: z.array(z.string()),
  notes: z.array(z.string()),
});
const notificationSchema = z
  .object({ id: z.string(), title: z.string().optional(), body: z.string().optional(), createdAt: z.string() })
  .loose();
const auditEntrySchema = z
  .object({ id: z.string(), taskId: z.string(), action: z.string(), actor: z.string(), occurredAt: z.string() })
  .loose();

type Structured = Record<string, unknown>;
const ok = (text: string, structured: Structured): CallToolResult => ({ content: [{ type: "text", text }], structuredContent: structured });
const fail = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });

const describeTask = (t: TaskSnapshot): string =>
  `"${t.title}" (${t.status}, ${t.priority}${t.dueAt ? `, due ${t.dueAt}${t.timeZone ? ` ${t.timeZone}` : ""}` : ""}${t.recurrence ? `, repeats ${t.recurrence}` : ""}${t.tags.length ? `, tags ${t.tags.join(", ")}` : ""})`;

const scheduleOut = (r: PhraseResult) => ({
  kind: r.kind,
  timeZone: r.timeZone,
  dueAt: r.dueAt,
  ...(r.kind === "recurring" ? { rrule: r.rrule, next: [...r.next] } : {}),
  understood: [...r.understood],
  assumed: [...r.assumed],
  notes: [...r.notes],
});

/** Runs a tool body; platform refusals and phrase errors become tool errors naming the field. */
async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PhraseError) return fail(`when: ${err.message}`);
    if (err instanceof RefusedError) {
      if (err.status === 404) return fail("Not found: no such task (or it is not yours).");
      return fail(
        err.fields.length ? `Refused: ${err.fields.map((f) => `${f.field}: ${f.message}`).join("; ")}` : `Refused: ${err.detail}`,
      );
    }
    throw err;
  }
}

/** The due/recurrence fields a `when` phrase (or explicit dueAt/recurrence) sets. */
function scheduleFields(
  input: {
    when?: string | undefined;
    timeZone?: string | undefined;
    dueAt?: string | null | undefined;
    recurrence?: string | null | undefined;
  },
  now: () => Date,
): { fields: Structured; schedule?: PhraseResult } {
  if (input.when !== undefined) {
    if (input.dueAt !== undefined || input.recurrence !== undefined)
      throw new PhraseError("Give either when or dueAt/recurrence, not both.", []);
    if (input.timeZone === undefined)
      throw new RefusedError(400, "timeZone is required with when.", [
        { field: "timeZone", message: "Required with when (phrases are read in the user's zone)." },
      ]);
    const r = interpretPhraseIn(input.when, input.timeZone, now);
    return {
      fields: { dueAt: r.dueAt, timeZone: r.timeZone, recurrence: r.kind === "recurring" ? r.recurrence : null },
      schedule: r,
    };
  }
  const fields: Structured = {};
  if (input.dueAt !== undefined) fields.dueAt = input.dueAt;
  if (input.timeZone !== undefined) fields.timeZone = input.timeZone;
  if (input.recurrence !== undefined) fields.recurrence = input.recurrence === null ? null : input.recurrence.replace(/^RRULE:/i, "");
  return { fields };
}

function interpretPhraseIn(phrase: string, zone: string, now: () => Date): PhraseResult {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new RefusedError(400, "Unknown time zone.", [{ field: "timeZone", message: "Must be an IANA time zone such as Europe/Paris." }]);
  }
  return interpretPhrase(phrase, zone, { now: instantOf(now()) });
}

const instantOf = (d: Date): Temporal.Instant => Temporal.Instant.fromEpochMilliseconds(d.getTime());

/** How many times a tag change reads the task and tries again after a concurrent update moved its version. */
export const tagChangeAttempts = 3;

type TasksCall = <T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, opts?: Parameters<Gateway>[4]) => Promise<T>;

/**
 * A read-modify-write of a task's tags that loses no concurrent update: the PATCH carries `If-Match` with the
 * version read, so tasks-api applies it only if nothing changed the task in between (412 otherwise); then the
 * task is read again and the change reapplied to what is there now, up to `tagChangeAttempts` times. Unchanged
 * tags write nothing.
 */
async function changeTags(tasks: TasksCall, id: string, change: (current: string[]) => string[]): Promise<TaskSnapshot> {
  for (let attempt = 1; ; attempt++) {
    const current = await tasks<TaskSnapshot>("GET", `/${id}`);
    const tags = change(current.tags);
    if (JSON.stringify(tags) === JSON.stringify(current.tags)) return current;
    try {
      return await tasks<TaskSnapshot>("PATCH", `/${id}`, { body: { tags }, headers: { "if-match": `"${current.version}"` } });
    } catch (err) {
      if (!(err instanceof RefusedError && err.status === 412)) throw err;
      if (attempt >= tagChangeAttempts)
        throw new RefusedError(
          409,
          `The task kept changing while its tags were being changed (${tagChangeAttempts} attempts); the tags were not changed. Try again.`,
          [],
        );
    }
  }
}

export interface ToolDeps {
  readonly gateway: Gateway;
  readonly userId: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export function registerTaskTools(server: McpServer, deps: ToolDeps): void {
  const { gateway, userId } = deps;
  const now = deps.now ?? (() => new Date());
  const tasks = <T>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, opts?: Parameters<Gateway>[4]) =>
    gateway<T>("tasks-api", method, `${tasksPath}${path}`, userId, opts);
  const taskOut = { task: taskSnapshotSchema };

  server.registerTool(
    "search_tasks",
    {
      title: "Search and list tasks",
      description: "The user's tasks, filtered, sorted and paged (nextCursor for the next page).",
      inputSchema: {
        query: z.string().min(1).max(200).optional().describe("Full-text search in title and description."),
        status: z.enum(["open", "completed", "skipped"]).optional(),
        priority: z.array(z.enum(priorities)).max(4).optional(),
        tags: z.array(z.string().min(1).max(40)).max(20).optional(),
        tagMode: z.enum(["all", "any"]).optional(),
        dueBefore: z.iso.datetime({ offset: true }).optional(),
        dueAfter: z.iso.datetime({ offset: true }).optional(),
        overdue: z.boolean().optional(),
        sort: z
          .string()
          .regex(/^-?(due|priority|created|title|rank)(:(asc|desc))?(,-?(due|priority|created|title|rank)(:(asc|desc))?)*$/)
          .optional()
          .describe("e.g. due, -priority, created:desc (comma-separated)."),
        limit: z.number().int().min(1).max(100).optional(),
        cursor: z.string().max(4096).optional(),
      },
      outputSchema: { items: z.array(taskSnapshotSchema), nextCursor: z.string().nullable() },
      annotations: { readOnlyHint: true },
    },
    async (a) =>
      guarded(async () => {
        const page = await tasks<{ items: TaskSnapshot[]; nextCursor: string | null }>("GET", "", {
          query: {
            q: a.query,
            status: a.status,
            priority: a.priority?.join(","),
            tags: a.tags?.join(","),
            tagMode: a.tagMode,
            dueBefore: a.dueBefore,
            dueAfter: a.dueAfter,
            overdue: a.overdue === undefined ? undefined : String(a.overdue),
            sort: a.sort,
            limit: a.limit === undefined ? undefined : String(a.limit),
            cursor: a.cursor,
          },
        });
        const lines = page.items.map((t) => `- ${t.id}: ${describeTask(t)}`);
        return ok(`${page.items.length} task(s)${page.nextCursor ? " (more: pass nextCursor)" : ""}\n${lines.join("\n")}`.trim(), page);
      }),
  );

  server.registerTool(
    "get_task",
    {
      title: "Get a task",
      description: "One of the user's tasks by id.",
      inputSchema: { id },
      outputSchema: taskOut,
      annotations: { readOnlyHint: true },
    },
    async (a) =>
      guarded(async () => {
        const task = await tasks<TaskSnapshot>("GET", `/${a.id}`);
        return ok(describeTask(task), { task });
      }),
  );

  const editable = {
    description: z.string().max(10_000).nullable().optional(),
    priority: z.enum(priorities).optional(),
    when: when.optional(),
    timeZone: timeZone.optional(),
    dueAt: z.iso.datetime({ offset: true }).nullable().optional().describe("An exact due instant (instead of when)."),
    recurrence: z.string().max(500).nullable().optional().describe("An exact RFC 5545 RRULE (instead of when)."),
  };
  const withSchedule = { task: taskSnapshotSchema, schedule: scheduleSchema.optional() };

  server.registerTool(
    "create_task",
    {
      title: "Create a task",
      description: "Creates a task; `when` takes natural language for a due date or a repetition, read in `timeZone`.",
      inputSchema: {
        title: z.string().min(1).max(200),
        ...editable,
        tags: z.array(z.string().min(1).max(40)).max(20).optional(),
        reminders: z.array(z.number().int().min(0).max(525_600)).max(10).optional().describe("Minutes before the due time."),
      },
      outputSchema: withSchedule,
    },
    async (a) =>
      guarded(async () => {
        const { fields, schedule } = scheduleFields(a, now);
        const body = {
          title: a.title,
          ...(a.description !== undefined ? { description: a.description } : {}),
          ...(a.priority ? { priority: a.priority } : {}),
          ...(a.tags ? { tags: a.tags } : {}),
          ...(a.reminders ? { reminders: a.reminders } : {}),
          ...fields,
        };
        const task = await tasks<TaskSnapshot>("POST", "", { body });
        const text = `Created ${describeTask(task)}${schedule?.kind === "recurring" ? `; ${schedule.rrule} in ${schedule.timeZone}, next: ${schedule.next.map((n) => n.local).join(", ")}` : ""}`;
        return ok(text, { task, ...(schedule ? { schedule: scheduleOut(schedule) } : {}) });
      }),
  );

  server.registerTool(
    "update_task",
    {
      title: "Update a task",
      description: "Changes a task's fields; `when` re-schedules it (natural language, read in `timeZone`).",
      inputSchema: { id, title: z.string().min(1).max(200).optional(), ...editable },
      outputSchema: withSchedule,
    },
    async (a) =>
      guarded(async () => {
        const { fields, schedule } = scheduleFields(a, now);
        const patch = {
          ...(a.title !== undefined ? { title: a.title } : {}),
          ...(a.description !== undefined ? { description: a.description } : {}),
          ...(a.priority ? { priority: a.priority } : {}),
          ...fields,
        };
        const task = await tasks<TaskSnapshot>("PATCH", `/${a.id}`, { body: patch });
        return ok(`Updated ${describeTask(task)}`, { task, ...(schedule ? { schedule: scheduleOut(schedule) } : {}) });
      }),
  );

  server.registerTool(
    "complete_task",
    {
      title: "Complete a task",
      description: "Marks a task completed (a repeating task's next occurrence follows).",
      inputSchema: { id },
      outputSchema: taskOut,
    },
    async (a) =>
      guarded(async () => {
        const task = await tasks<TaskSnapshot>("POST", `/${a.id}/complete`);
        return ok(`Completed ${describeTask(task)}`, { task });
      }),
  );

  server.registerTool(
    "reopen_task",
    { title: "Reopen a task", description: "Opens a completed (or skipped) task again.", inputSchema: { id }, outputSchema: taskOut },
    async (a) =>
      guarded(async () => {
        const task = await tasks<TaskSnapshot>("POST", `/${a.id}/reopen`);
        return ok(`Reopened ${describeTask(task)}`, { task });
      }),
  );

  server.registerTool(
    "delete_task",
    {
      title: "Delete a task",
      description: "Deletes a task for good.",
      inputSchema: { id },
      outputSchema: { deleted: z.string() },
      annotations: { destructiveHint: true },
    },
    async (a) =>
      guarded(async () => {
        await tasks<undefined>("DELETE", `/${a.id}`);
        return ok(`Deleted task ${a.id}`, { deleted: a.id });
      }),
  );

  const tagsInput = { id, tags: z.array(z.string().min(1).max(40)).min(1).max(20) };
  const retag = (name: string, title: string, change: (current: string[], tags: string[]) => string[]) =>
    server.registerTool(
      name,
      { title, description: `${title} (others are kept).`, inputSchema: tagsInput, outputSchema: taskOut },
      async (a) =>
        guarded(async () => {
          const tags = a.tags.map((t) => t.trim().toLowerCase());
          const task = await changeTags(tasks, a.id, (current) => change(current, tags));
          return ok(`Tags of "${task.title}": ${task.tags.join(", ") || "none"}`, { task });
        }),
    );
  retag("add_tags", "Add tags to a task", (current, tags) => [...new Set([...current, ...tags])]);
  retag("remove_tags", "Remove tags from a task", (current, tags) => current.filter((t) => !tags.includes(t)));

  server.registerTool(
    "set_reminders",
    {
      title: "Set reminders",
      description: "Replaces a task's reminders: minutes before its due time (the task needs a due time).",
      inputSchema: { id, minutesBefore: z.array(z.number().int().min(0).max(525_600)).min(1).max(10) },
      outputSchema: taskOut,
    },
    async (a) =>
      guarded(async () => {
        const task = await tasks<TaskSnapshot>("PATCH", `/${a.id}`, { body: { reminders: a.minutesBefore } });
        return ok(`Reminders of "${task.title}": ${(task.reminders ?? []).map((m) => `${m} min`).join(", ")} before`, { task });
      }),
  );

  server.registerTool(
    "clear_reminders",
    { title: "Clear reminders", description: "Removes every reminder of a task.", inputSchema: { id }, outputSchema: taskOut },
    async (a) =>
      guarded(async () => {
        const task = await tasks<TaskSnapshot>("PATCH", `/${a.id}`, { body: { reminders: [] } });
        return ok(`Reminders of "${task.title}" cleared`, { task });
      }),
  );

  server.registerTool(
    "interpret_when",
    {
      title: "Read a date or repetition phrase",
      description: "Shows what a phrase means in a time zone (due time, or RRULE and next occurrences) without changing anything.",
      inputSchema: { when, timeZone },
      outputSchema: scheduleSchema.shape,
      annotations: { readOnlyHint: true },
    },
    async (a) =>
      guarded(async () => {
        const r = interpretPhraseIn(a.when, a.timeZone, now);
        const text = r.kind === "once" ? `Due ${r.local}` : `${r.rrule} in ${r.timeZone}; next: ${r.next.map((n) => n.local).join(", ")}`;
        return ok(text, scheduleOut(r));
      }),
  );

  server.registerTool(
    "list_unread_notifications",
    {
      title: "Unread notifications",
      description: "The user's unread in-app notifications, newest first.",
      inputSchema: { limit: z.number().int().min(1).max(100).optional(), cursor: z.string().max(200).optional() },
      outputSchema: { items: z.array(notificationSchema), nextCursor: z.string().nullable() },
      annotations: { readOnlyHint: true },
    },
    async (a) =>
      guarded(async () => {
        const page = await gateway<{ items: Structured[]; nextCursor: string | null }>(
          "notifications",
          "GET",
          "/api/v1/notifications",
          userId,
          {
            query: { unread: "true", limit: a.limit === undefined ? undefined : String(a.limit), cursor: a.cursor },
          },
        );
        return ok(`${page.items.length} unread notification(s)`, page);
      }),
  );

  server.registerTool(
    "mark_notification_read",
    {
      title: "Mark a notification read",
      description: "Marks one notification read.",
      inputSchema: { id: z.uuid().describe("The notification's id.") },
      outputSchema: { read: z.string() },
    },
    async (a) =>
      guarded(async () => {
        await gateway<undefined>("notifications", "POST", `/api/v1/notifications/${a.id}/read`, userId);
        return ok(`Notification ${a.id} marked read`, { read: a.id });
      }),
  );

  server.registerTool(
    "task_history",
    {
      title: "A task's history",
      description: "The audit trail of a task (who did what, when), newest first.",
      inputSchema: { id, limit: z.number().int().min(1).max(100).optional() },
      outputSchema: { items: z.array(auditEntrySchema), nextCursor: z.string().nullable() },
      annotations: { readOnlyHint: true },
    },
    async (a) =>
      guarded(async () => {
        const page = await gateway<{ items: Structured[]; nextCursor: string | null }>("audit", "GET", "/api/v1/audit", userId, {
          query: { taskId: a.id, limit: a.limit === undefined ? undefined : String(a.limit) },
        });
        const lines = page.items.map((e) => `- ${String(e.occurredAt)} ${String(e.action)} by ${String(e.actor)}`);
        return ok(`${page.items.length} entr${page.items.length === 1 ? "y" : "ies"}\n${lines.join("\n")}`.trim(), page);
      }),
  );
}
