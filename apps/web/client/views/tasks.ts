/**
 * The task list: search, filter chips (status, priorities, tags all/any, due range, overdue), multi-key sort,
 * endless scroll on the API's cursors, complete and delete with undo, and live updates from other tabs.
 */
import type { Priority, Task } from "../api.js";
import type { Ctx } from "../context.js";
import { announce, fmtInstant, h, replace } from "../dom.js";
import type { TaskEvent } from "../live.js";

const priorities: Priority[] = ["urgent", "high", "medium", "low"];
const sortChoices = ["due", "priority", "created", "title"] as const;

interface Filters {
  q: string;
  status: "" | "open" | "completed";
  priority: Set<Priority>;
  tags: string;
  tagMode: "all" | "any";
  dueAfter: string;
  dueBefore: string;
  overdue: boolean;
  sort: string[];
}

export function queryOf(f: Filters, cursor?: string): URLSearchParams {
  const q = new URLSearchParams({ limit: "25" });
  if (f.q.trim()) q.set("q", f.q.trim());
  if (f.status) q.set("status", f.status);
  if (f.priority.size) q.set("priority", [...f.priority].join(","));
  const tags = f.tags
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  if (tags.length) {
    q.set("tags", tags.join(","));
    q.set("tagMode", f.tagMode);
  }
  if (f.dueAfter) q.set("dueAfter", new Date(`${f.dueAfter}T00:00:00`).toISOString());
  if (f.dueBefore) q.set("dueBefore", new Date(`${f.dueBefore}T23:59:59`).toISOString());
  if (f.overdue) q.set("overdue", "true");
  // The API takes each key once: a later select naming a key already chosen is ignored until changed.
  const sort = f.sort.filter((t, i) => t && !f.sort.slice(0, i).some((u) => u.split(":")[0] === t.split(":")[0]));
  if (sort.length) q.set("sort", sort.join(","));
  if (cursor) q.set("cursor", cursor);
  return q;
}

/** Whether a task live-created elsewhere belongs in the list as filtered (the server decides on reload). */
function matches(f: Filters, t: Task): boolean {
  if (f.status && t.status !== f.status) return false;
  if (f.priority.size && !f.priority.has(t.priority)) return false;
  if (f.q.trim() && !`${t.title} ${t.description ?? ""}`.toLowerCase().includes(f.q.trim().toLowerCase())) return false;
  return !f.tags.trim() && !f.overdue && !f.dueAfter && !f.dueBefore;
}

export function tasksView(ctx: Ctx, root: HTMLElement): () => void {
  const f: Filters = {
    q: "",
    status: "open",
    priority: new Set(),
    tags: "",
    tagMode: "all",
    dueAfter: "",
    dueBefore: "",
    overdue: false,
    sort: ["due:asc", "priority:desc"],
  };
  let items: Task[] = [];
  let cursor: string | null = null;
  let pagedQuery = new URLSearchParams();
  let loading = false;
  let generation = 0;
  const list = h("ul", { class: "tasks", "aria-label": "Tasks" });
  const more = h("button", { type: "button", class: "more", onclick: () => void load(false) }, "Load more");
  const sentinel = h("div", { class: "sentinel", "aria-hidden": "true" });
  const count = h("p", { class: "count", role: "status" });

  const chip = (label: string, pressed: () => boolean, toggle: () => void) => {
    const b = h("button", { type: "button", class: "chip", "aria-pressed": String(pressed()) }, label);
    b.addEventListener("click", () => {
      toggle();
      b.setAttribute("aria-pressed", String(pressed()));
      void load(true);
    });
    return b;
  };
  const statusChips = (["", "open", "completed"] as const).map((s) =>
    chip(
      s === "" ? "All" : s === "open" ? "Open" : "Completed",
      () => f.status === s,
      () => {
        f.status = s;
        for (const c of statusChips) c.setAttribute("aria-pressed", String(c === statusChips[["", "open", "completed"].indexOf(s)]));
      },
    ),
  );
  let searchTimer: number | undefined;
  const search = h("input", {
    type: "search",
    id: "search",
    placeholder: "Search titles and descriptions",
    oninput: (e: Event) => {
      f.q = (e.target as HTMLInputElement).value;
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(() => void load(true), 250);
    },
  });
  const input = (id: string, label: string, attrs: Record<string, string>, set: (v: string) => void) =>
    h(
      "label",
      { for: id },
      label,
      h("input", { id, ...attrs, onchange: (e: Event) => (set((e.target as HTMLInputElement).value), void load(true)) }),
    );
  const sortSelect = (i: number) =>
    h(
      "select",
      {
        id: `sort-${i}`,
        "aria-label": i === 0 ? "Sort by" : `Then by (${i + 1})`,
        onchange: (e: Event) => ((f.sort[i] = (e.target as HTMLSelectElement).value), void load(true)),
      },
      i > 0 ? h("option", { value: "" }, "—") : null,
      sortChoices.flatMap((k) =>
        (["asc", "desc"] as const).map((d) =>
          h("option", { value: `${k}:${d}`, selected: f.sort[i] === `${k}:${d}` }, `${k} ${d === "asc" ? "↑" : "↓"}`),
        ),
      ),
    );

  const render = (): void => {
    replace(list, items.length ? items.map(row) : h("li", { class: "empty" }, "No tasks match."));
    count.textContent = `${items.length}${cursor ? "+" : ""} task${items.length === 1 ? "" : "s"}`;
    more.hidden = !cursor;
  };

  function row(t: Task): HTMLElement {
    const done = t.status !== "open";
    return h(
      "li",
      { class: `task ${done ? "done" : ""}`, "data-task-id": t.id, "data-title": t.title },
      done
        ? h(
            "button",
            { type: "button", class: "complete", onclick: () => void act(t, "reopen") },
            h("span", { class: "sr-only" }, `Reopen ${t.title}`),
            "↺",
          )
        : h(
            "button",
            { type: "button", class: "complete", onclick: () => void act(t, "complete") },
            h("span", { class: "sr-only" }, `Complete ${t.title}`),
            "○",
          ),
      h(
        "div",
        { class: "main" },
        h("a", { href: `#/tasks/${t.id}`, class: "title" }, t.title),
        h(
          "div",
          { class: "meta" },
          h("span", { class: `prio prio-${t.priority}` }, t.priority),
          t.dueAt ? h("span", { class: "due" }, "due ", h("time", { datetime: t.dueAt }, fmtInstant(t.dueAt, t.timeZone))) : null,
          t.recurrence ? h("span", { class: "rec", title: t.recurrence }, "↻ repeats") : null,
          t.tags.map((tag) => h("span", { class: "tag" }, `#${tag}`)),
        ),
      ),
      h("button", { type: "button", class: "delete", onclick: () => remove(t) }, h("span", { class: "sr-only" }, `Delete ${t.title}`), "✕"),
    );
  }

  async function act(t: Task, what: "complete" | "reopen"): Promise<void> {
    try {
      const updated = what === "complete" ? await ctx.api.completeTask(t.id) : await ctx.api.reopenTask(t.id);
      upsert(updated);
      announce(`${what === "complete" ? "Completed" : "Reopened"} ${t.title}`);
    } catch (err) {
      ctx.toast(`Could not ${what} “${t.title}”: ${(err as Error).message}`, { kind: "error" });
    }
  }

  /** Delete with undo: the row goes at once, the API call after the undo window closes. */
  function remove(t: Task): void {
    const at = items.findIndex((x) => x.id === t.id);
    items = items.filter((x) => x.id !== t.id);
    render();
    let undone = false;
    const timer = window.setTimeout(() => {
      if (!undone)
        ctx.api.deleteTask(t.id).catch((err: Error) => ctx.toast(`Could not delete “${t.title}”: ${err.message}`, { kind: "error" }));
    }, 6000);
    ctx.toast(`Deleted “${t.title}”`, {
      timeoutMs: 6000,
      action: {
        label: "Undo",
        run: () => {
          undone = true;
          window.clearTimeout(timer);
          items.splice(Math.max(0, at), 0, t);
          render();
          announce(`Restored ${t.title}`);
        },
      },
    });
  }

  function upsert(t: Task): void {
    const i = items.findIndex((x) => x.id === t.id);
    const keep = !f.status || t.status === f.status;
    if (i >= 0) {
      if (keep) items[i] = t;
      else items.splice(i, 1);
    } else if (matches(f, t)) items.unshift(t);
    render();
  }

  async function load(reset: boolean): Promise<void> {
    if (loading && !reset) return;
    if (!reset && !cursor) return;
    const gen = ++generation;
    loading = true;
    try {
      // A cursor belongs to the query that returned it: the next page repeats that query, not the filters
      // being typed meanwhile (the API refuses a cursor with other filters).
      if (reset) pagedQuery = queryOf(f);
      const query = new URLSearchParams(pagedQuery);
      if (!reset && cursor) query.set("cursor", cursor);
      const page = await ctx.api.listTasks(query);
      if (gen !== generation) return;
      // A task a live event put at the top before its page arrived takes its place in the page (once).
      const paged = new Set(page.items.map((t) => t.id));
      items = reset ? page.items : [...items.filter((t) => !paged.has(t.id)), ...page.items];
      cursor = page.nextCursor;
      render();
    } catch (err) {
      ctx.toast(`Could not load tasks: ${(err as Error).message}`, { kind: "error" });
    } finally {
      if (gen === generation) {
        loading = false;
        // The observer reports changes only: an end of list that came into view while this page loaded (and
        // was ignored then) and is still in view is reported again by observing afresh.
        observer.unobserve(sentinel);
        observer.observe(sentinel);
      }
    }
  }

  const onEvent = (e: TaskEvent): void => {
    if (e.topic === "task.deleted") {
      items = items.filter((x) => x.id !== e.taskId);
      render();
    } else if (e.task) upsert(e.task);
  };
  const unsubscribe = ctx.live.subscribe(onEvent);
  const unGap = ctx.live.onGap(() => void load(true));

  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) void load(false);
  });
  observer.observe(sentinel);

  replace(
    root,
    h(
      "section",
      { "aria-labelledby": "tasks-h" },
      h("div", { class: "toolbar" }, h("h2", { id: "tasks-h" }, "Tasks"), h("a", { href: "#/new", class: "button primary" }, "New task")),
      h("div", { class: "search" }, h("label", { for: "search", class: "sr-only" }, "Search"), search),
      h(
        "div",
        { class: "filters", role: "group", "aria-label": "Filters" },
        h("div", { class: "chips", role: "group", "aria-label": "Status" }, statusChips),
        h(
          "div",
          { class: "chips", role: "group", "aria-label": "Priority" },
          priorities.map((p) =>
            chip(
              p,
              () => f.priority.has(p),
              () => (f.priority.has(p) ? f.priority.delete(p) : f.priority.add(p)),
            ),
          ),
        ),
        chip(
          "Overdue",
          () => f.overdue,
          () => (f.overdue = !f.overdue),
        ),
        input("tags", "Tags", { type: "text", placeholder: "work, home" }, (v) => (f.tags = v)),
        h(
          "label",
          { for: "tag-mode" },
          "Match",
          h(
            "select",
            {
              id: "tag-mode",
              onchange: (e: Event) => ((f.tagMode = (e.target as HTMLSelectElement).value as "all" | "any"), void load(true)),
            },
            h("option", { value: "all" }, "all tags"),
            h("option", { value: "any" }, "any tag"),
          ),
        ),
        input("due-after", "Due from", { type: "date" }, (v) => (f.dueAfter = v)),
        input("due-before", "Due until", { type: "date" }, (v) => (f.dueBefore = v)),
      ),
      h("div", { class: "sort", role: "group", "aria-label": "Sort" }, [0, 1, 2].map(sortSelect)),
      count,
      list,
      more,
      sentinel,
    ),
  );
  void load(true);
  return () => {
    observer.disconnect();
    unsubscribe();
    unGap();
  };
}
