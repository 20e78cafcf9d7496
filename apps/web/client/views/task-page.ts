/** One task: tabs Details (the editor, complete, delete) and History (the audit trail). Live updates refresh it. */
import type { Task } from "../api.js";
import type { Ctx } from "../context.js";
import { h, replace } from "../dom.js";
import { auditView } from "./audit.js";
import { editorView } from "./editor.js";

export function taskPage(ctx: Ctx, root: HTMLElement, id: string, tab: "details" | "history"): () => void {
  const panel = h("div", { class: "panel", role: "tabpanel", id: "task-panel", tabindex: "0" });
  const status = h("p", { class: "status", role: "status" });
  const tabs = (["details", "history"] as const).map((t) =>
    h(
      "a",
      {
        role: "tab",
        href: `#/tasks/${id}${t === "history" ? "/history" : ""}`,
        "aria-selected": String(t === tab),
        "aria-controls": "task-panel",
        id: `tab-${t}`,
      },
      t === "details" ? "Details" : "History",
    ),
  );
  panel.setAttribute("aria-labelledby", `tab-${tab}`);
  let task: Task | undefined;
  const actions = h("div", { class: "task-actions" });
  const showActions = (): void => {
    if (!task) return;
    const t = task;
    replace(
      actions,
      t.status === "open"
        ? h("button", { type: "button", class: "primary", onclick: () => void ctx.api.completeTask(t.id).then(loaded, fail) }, "Complete")
        : h("button", { type: "button", id: "reopen", onclick: () => void ctx.api.reopenTask(t.id).then(loaded, fail) }, "Reopen"),
      h(
        "button",
        {
          type: "button",
          class: "danger",
          onclick: () => void ctx.api.deleteTask(t.id).then(() => (ctx.toast(`Deleted “${t.title}”.`), ctx.navigate("#/")), fail),
        },
        "Delete",
      ),
    );
    status.textContent =
      t.status === "skipped"
        ? "Skipped"
        : t.status === "completed"
          ? `Completed ${new Date(t.completedAt ?? t.updatedAt).toLocaleString()}`
          : "";
  };
  const fail = (err: Error): void => void ctx.toast(err.message, { kind: "error" });
  const loaded = (t: Task): void => {
    task = t;
    showActions();
    if (tab === "details") void editorView(ctx, panel, t, (saved) => loaded(saved));
  };
  const stop = ctx.live.subscribe((e) => {
    if (e.taskId !== id) return;
    if (tab === "history") void auditView(ctx, panel, id);
    if (e.task && task && e.task.version > task.version) {
      task = e.task;
      showActions();
    }
  });
  replace(
    root,
    h(
      "section",
      { class: "task-page" },
      h("a", { href: "#/", class: "back" }, "← All tasks"),
      h("div", { role: "tablist", "aria-label": "Task" }, tabs),
      actions,
      status,
      panel,
    ),
  );
  ctx.api.getTask(id).then(loaded, fail);
  if (tab === "history") void auditView(ctx, panel, id);
  return stop;
}
