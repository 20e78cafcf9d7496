/** The audit tab: who did what to the task and when, with the fields each change touched (before → after). */
import type { AuditEntry } from "../api.js";
import type { Ctx } from "../context.js";
import { h, replace } from "../dom.js";

const shown = ["title", "description", "priority", "status", "tags", "dueAt", "timeZone", "reminders", "recurrence"];
const val = (v: unknown): string => (v === null || v === undefined ? "—" : Array.isArray(v) ? v.join(", ") || "—" : String(v));

export function changes(e: AuditEntry): { field: string; before: string; after: string }[] {
  const b = (e.before ?? {}) as Record<string, unknown>;
  const a = (e.after ?? {}) as Record<string, unknown>;
  // Without a "before" (a creation), only the fields that were set.
  const keys =
    e.before == null ? shown.filter((k) => val(a[k]) !== "—") : shown.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  return keys.map((k) => ({ field: k, before: val(b[k]), after: val(a[k]) }));
}

export async function auditView(ctx: Ctx, root: HTMLElement, taskId: string): Promise<void> {
  let entries: AuditEntry[];
  try {
    entries = (await ctx.api.audit(taskId)).items;
  } catch (err) {
    return replace(root, h("p", { role: "alert" }, `Could not load the history: ${(err as Error).message}`));
  }
  replace(
    root,
    h("h2", {}, "History"),
    entries.length === 0
      ? h("p", {}, "No history yet (it arrives a moment after each change).")
      : h(
          "table",
          { class: "audit" },
          h("caption", { class: "sr-only" }, "Changes to this task, newest first"),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", { scope: "col" }, "When"),
              h("th", { scope: "col" }, "Who"),
              h("th", { scope: "col" }, "What"),
              h("th", { scope: "col" }, "Changes"),
            ),
          ),
          h(
            "tbody",
            {},
            entries.map((e) =>
              h(
                "tr",
                { "data-action": e.action },
                h("td", {}, h("time", { datetime: e.occurredAt }, new Date(e.occurredAt).toLocaleString())),
                h("td", {}, e.actor),
                h("td", { class: "action" }, e.action),
                h(
                  "td",
                  {},
                  h(
                    "ul",
                    { class: "diff" },
                    changes(e).map((c) => h("li", {}, h("strong", {}, c.field), `: ${c.before} → ${c.after}`)),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}
