/**
 * One MCP server per HTTP request (stateless Streamable HTTP): the tools, the task resource `task://{id}`
 * and the "plan my day" prompt, all acting for the request's authenticated user.
 */
import { taskSnapshotSchema, type TaskSnapshot } from "@tasks/shared";
import { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { Temporal } from "@tasks/shared/recurrence/index";
import { z } from "zod";
import type { Gateway } from "./gateway.js";
import { registerTaskTools, type ToolDeps } from "./tools.js";

export const serverInfo = { name: "tasks-platform", version: "0.1.0" } as const;

export function createMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer(serverInfo, {
    instructions:
      "Tools for the signed-in user's tasks. Pass the user's IANA time zone with `when` phrases; use interpret_when to check a phrase first.",
  });
  registerTaskTools(server, deps);
  registerTaskResource(server, deps.gateway, deps.userId);
  registerPlanPrompt(server, deps);
  return server;
}

function registerTaskResource(server: McpServer, gateway: Gateway, userId: string): void {
  server.registerResource(
    "task",
    new ResourceTemplate("task://{id}", { list: undefined }),
    { title: "A task", description: "One of the user's tasks as JSON.", mimeType: "application/json" },
    async (uri, vars) => {
      const id = String(vars.id);
      if (!z.uuid().safeParse(id).success) throw new Error(`task://${id}: the id must be a UUID`);
      const task = await gateway<TaskSnapshot>("tasks-api", "GET", `/api/v1/tasks/${id}`, userId);
      return { contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(taskSnapshotSchema.parse(task)) }] };
    },
  );
}

function registerPlanPrompt(server: McpServer, deps: ToolDeps): void {
  server.registerPrompt(
    "plan_my_day",
    {
      title: "Plan my day",
      description: "A plan for today from the user's overdue tasks and the tasks due today.",
      argsSchema: { timeZone: z.string().min(1).max(64).describe("The user's IANA time zone, e.g. Europe/Paris.") },
    },
    async ({ timeZone }) => {
      const now = (deps.now ?? (() => new Date()))();
      const end = endOfDay(now, timeZone);
      const list = (query: Record<string, string>) =>
        deps.gateway<{ items: TaskSnapshot[] }>("tasks-api", "GET", "/api/v1/tasks", deps.userId, {
          query: { status: "open", limit: "50", ...query },
        });
      const overdue = (await list({ overdue: "true", sort: "due" })).items;
      const today = (await list({ dueAfter: now.toISOString(), dueBefore: end.toISOString(), sort: "due,-priority" })).items;
      const line = (t: TaskSnapshot) => `- [${t.priority}] ${t.title} (due ${t.dueAt ?? "-"}, id ${t.id})`;
      const text = [
        `Plan my day (${timeZone}, ${now.toISOString()}).`,
        `Overdue (${overdue.length}):`,
        ...overdue.map(line),
        `Due later today (${today.length}):`,
        ...today.map(line),
        "Propose an order for today: urgent and overdue first, group short tasks, leave buffers; suggest what to move to another day (update_task with `when`).",
      ].join("\n");
      return { messages: [{ role: "user", content: { type: "text", text } }] };
    },
  );
}

/** The end of `now`'s day in `zone` (the instant before the next local midnight). */
function endOfDay(now: Date, zone: string): Date {
  const next = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate().add({ days: 1 });
  return new Date(next.toZonedDateTime(zone).epochMilliseconds - 1);
}
