/**
 * Create / edit a task: title, description, priority, tags, due date-time with its zone, reminders, and
 * recurrence (presets or a custom RRULE) with a plain-language summary and the next five occurrences in the
 * task's zone, computed by the recurrence engine the platform runs (loaded on demand).
 */
import { ApiError, type Priority, type Task, type TaskInput } from "../api.js";
import { browserZone, zones, type Ctx } from "../context.js";
import { announce, h, replace } from "../dom.js";

type Rec = typeof import("../recurrence.js");
const reminderChoices: [number, string][] = [
  [0, "At the due time"],
  [5, "5 minutes before"],
  [15, "15 minutes before"],
  [60, "1 hour before"],
  [1440, "1 day before"],
];
const presetLabels: [string, string][] = [
  ["none", "Does not repeat"],
  ["daily", "Daily"],
  ["weekdays", "Every weekday (Mon–Fri)"],
  ["weekly", "Weekly on chosen days"],
  ["monthly-date", "Monthly on this date"],
  ["monthly-nth", "Monthly on this weekday (e.g. second Tuesday)"],
  ["yearly", "Yearly"],
  ["custom", "Custom RRULE"],
];

const field = (id: string, label: string, control: HTMLElement, hint?: string) =>
  h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    control,
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("p", { class: "error", id: `${id}-error`, role: "alert" }),
  );

export async function editorView(ctx: Ctx, root: HTMLElement, task?: Task, onSaved?: (t: Task) => void): Promise<void> {
  const rec: Rec = await import("../recurrence.js");
  const prefs = await ctx.prefs().catch(() => undefined);
  const zone0 = task?.timeZone ?? prefs?.timeZone ?? browserZone();
  const title = h("input", {
    id: "f-title",
    required: true,
    maxlength: 200,
    value: task?.title ?? "",
    "aria-describedby": "f-title-error",
  });
  const description = h("textarea", { id: "f-description", rows: 3 }, task?.description ?? "");
  const priority = h(
    "select",
    { id: "f-priority" },
    (["low", "medium", "high", "urgent"] as Priority[]).map((p) =>
      h("option", { value: p, selected: (task?.priority ?? "medium") === p }, p),
    ),
  );
  const tags = h("input", { id: "f-tags", value: task?.tags.join(", ") ?? "", "aria-describedby": "f-tags-hint f-tags-error" });
  const due = h("input", { id: "f-due", type: "datetime-local", value: task?.dueAt ? rec.toLocalInput(task.dueAt, zone0) : "" });
  const zone = h(
    "select",
    { id: "f-zone" },
    zones().map((z) => h("option", { value: z, selected: z === zone0 }, z)),
  );
  // A new task, or one whose reminders are not set, shows the user's default; left as shown it stays
  // "not set" (null), so a later change of the default applies to it.
  const followsDefault = !task || task.reminders === null;
  const initialReminders = new Set(
    !followsDefault ? task.reminders : prefs?.defaultReminderMinutes != null ? [prefs.defaultReminderMinutes] : [],
  );
  const reminderBoxes = reminderChoices.map(([m, label]) =>
    h(
      "label",
      { class: "check" },
      h("input", { type: "checkbox", value: String(m), checked: initialReminders.has(m), class: "reminder" }),
      label,
    ),
  );
  const customReminder = h("input", {
    id: "f-reminder-custom",
    type: "number",
    min: 0,
    max: 525600,
    value: [...initialReminders].find((m) => !reminderChoices.some(([c]) => c === m)) ?? "",
  });
  const dueDate = () =>
    due.value ? rec.localDate(rec.toInstant(due.value, zone.value), zone.value) : rec.localDate(new Date().toISOString(), zone.value);
  const initialPreset = rec.presetOf(task?.recurrence ?? null, task?.dueAt ? rec.localDate(task.dueAt, zone0) : dueDate());
  const preset = h(
    "select",
    { id: "f-repeat" },
    presetLabels.map(([v, l]) => h("option", { value: v, selected: v === initialPreset.preset }, l)),
  );
  const dayBoxes = rec.weekdays.map((d) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", value: d, checked: initialPreset.days.includes(d), class: "day" }), d),
  );
  const days = h("fieldset", { class: "days" }, h("legend", {}, "On"), dayBoxes);
  const custom = h("input", {
    id: "f-rrule",
    value: initialPreset.preset === "custom" ? (task?.recurrence ?? "") : "",
    placeholder: "FREQ=MONTHLY;BYDAY=2TU",
    "aria-describedby": "f-rrule-hint f-recurrence-error",
  });
  const summary = h("p", { class: "summary", id: "rec-summary" });
  const nextList = h("ol", { class: "next", "aria-label": "Next five occurrences" });
  const previewBox = h("div", { class: "preview", "aria-live": "polite" }, summary, nextList);

  const rule = (): string | null => {
    const p = preset.value as Parameters<Rec["presetRule"]>[0];
    if (p === "custom") return custom.value.trim() || null;
    const chosen = dayBoxes
      .map((l) => l.querySelector("input")!)
      .filter((i) => i.checked)
      .map((i) => i.value as (typeof rec.weekdays)[number]);
    return rec.presetRule(p, dueDate(), chosen);
  };
  const refresh = (): void => {
    days.hidden = preset.value !== "weekly";
    custom.parentElement!.hidden = preset.value !== "custom";
    const r = rule();
    if (!r) return (replace(summary, preset.value === "none" ? "" : "Enter a rule."), replace(nextList));
    if (!due.value) return (replace(summary, "Set a due date: the first occurrence."), replace(nextList));
    const p = rec.preview(r, rec.toInstant(due.value, zone.value), zone.value);
    replace(summary, p.error ? `Invalid rule: ${p.error}` : `${p.summary} (${r})`);
    replace(
      nextList,
      p.next.map((n) => h("li", {}, n)),
    );
  };
  for (const el of [due, zone, preset, custom, ...dayBoxes]) el.addEventListener("input", refresh);

  const errorsBox = h("div", { class: "form-errors", role: "alert" });
  const submit = h("button", { type: "submit", class: "primary" }, task ? "Save" : "Create task");
  const form = h(
    "form",
    { class: "editor", "aria-labelledby": "editor-h", novalidate: true },
    h("h2", { id: "editor-h" }, task ? "Edit task" : "New task"),
    errorsBox,
    field("f-title", "Title", title),
    field("f-description", "Description", description),
    field("f-priority", "Priority", priority),
    field("f-tags", "Tags", tags, "Comma-separated, e.g. work, home"),
    h("div", { class: "row" }, field("f-due", "Due", due), field("f-zone", "Time zone", zone)),
    h(
      "fieldset",
      { class: "reminders" },
      h("legend", {}, "Reminders"),
      reminderBoxes,
      field("f-reminder-custom", "Other (minutes before)", customReminder),
      h("p", { class: "error", id: "f-reminders-error", role: "alert" }),
    ),
    h(
      "fieldset",
      { class: "recurrence" },
      h("legend", {}, "Repeat"),
      field("f-repeat", "Repeats", preset),
      days,
      field("f-rrule", "RRULE", custom, "RFC 5545, e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
      h("p", { class: "error", id: "f-recurrence-error", role: "alert" }),
      previewBox,
    ),
    h("div", { class: "actions" }, submit, h("a", { href: "#/", class: "button" }, "Cancel")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void save();
  });

  const sameSet = (xs: number[], set: ReadonlySet<number>) => new Set(xs).size === set.size && xs.every((x) => set.has(x));

  async function save(): Promise<void> {
    for (const el of form.querySelectorAll(".error")) el.textContent = "";
    errorsBox.textContent = "";
    const reminders = [...form.querySelectorAll<HTMLInputElement>("input.reminder:checked")].map((i) => Number(i.value));
    if (customReminder.value !== "") reminders.push(Number(customReminder.value));
    const dueAt = due.value ? rec.toInstant(due.value, zone.value) : null;
    const input: TaskInput = {
      title: title.value,
      description: description.value.trim() ? description.value : null,
      priority: priority.value as Priority,
      tags: tags.value
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      dueAt,
      timeZone: dueAt ? zone.value : null,
      reminders: followsDefault && sameSet(reminders, initialReminders) ? null : dueAt ? reminders : [],
      recurrence: dueAt ? rule() : null,
    };
    if (!input.title?.trim()) return void showError("title", "Title must not be empty.");
    submit.disabled = true;
    try {
      const saved = task ? await ctx.api.updateTask(task.id, input) : await ctx.api.createTask(input);
      announce(task ? "Saved" : `Created ${saved.title}`);
      ctx.toast(task ? "Saved." : `Created “${saved.title}”.`);
      if (onSaved) onSaved(saved);
      else ctx.navigate(`#/tasks/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && err.fields.length) for (const fe of err.fields) showError(fe.field.replace(/^body\./, ""), fe.message);
      else errorsBox.textContent = (err as Error).message;
    } finally {
      submit.disabled = false;
    }
  }
  function showError(fieldName: string, message: string): void {
    const el = form.querySelector(`#f-${fieldName.toLowerCase().replace("dueat", "due").replace("timezone", "zone")}-error`) ?? errorsBox;
    el.textContent = message;
    (form.querySelector(`#f-${fieldName}`) as HTMLElement | null)?.focus();
  }

  replace(root, form);
  refresh();
  title.focus();
}
