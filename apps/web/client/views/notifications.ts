/**
 * The bell: the unread count (polled, and after every live update), the in-app list with mark read and
 * mark all read, and a toast for each reminder that arrives while the page is open.
 */
import type { Notification } from "../api.js";
import type { Ctx } from "../context.js";
import { h, replace } from "../dom.js";

export function bell(ctx: Ctx, pollMs = 5000): { element: HTMLElement; stop: () => void } {
  // The accessible name is the visible text ("Notifications 2 unread"), so voice control finds it by what it shows.
  const badge = h("span", { class: "badge" });
  const unreadLabel = h("span", { class: "sr-only" });
  const button = h(
    "button",
    { type: "button", class: "bell", "aria-expanded": "false", "aria-controls": "notifications-panel" },
    "Notifications",
    badge,
    unreadLabel,
  );
  const list = h("ul", { class: "notifications" });
  const panel = h(
    "div",
    { id: "notifications-panel", class: "popover", hidden: true, role: "region", "aria-label": "Notifications" },
    h(
      "div",
      { class: "toolbar" },
      h("h2", {}, "Notifications"),
      h("button", { type: "button", onclick: () => void ctx.api.markAllRead().then(refresh) }, "Mark all read"),
    ),
    list,
  );
  let unread = -1;
  const seen = new Set<string>();
  let first = true;

  const row = (n: Notification) =>
    h(
      "li",
      { class: n.readAt ? "read" : "unread", "data-notification-id": n.id },
      h(
        "div",
        {},
        h("strong", {}, n.title),
        h("p", {}, n.body),
        h("time", { datetime: n.createdAt }, new Date(n.createdAt).toLocaleString()),
      ),
      n.taskId ? h("a", { href: `#/tasks/${n.taskId}` }, "Open task") : null,
      n.readAt
        ? null
        : h(
            "button",
            { type: "button", onclick: () => void ctx.api.markRead(n.id).then(refresh) },
            "Mark read",
            h("span", { class: "sr-only" }, `: ${n.title}`),
          ),
    );

  async function refresh(): Promise<void> {
    try {
      const [{ count }, page] = await Promise.all([ctx.api.unreadCount(), ctx.api.listNotifications()]);
      for (const n of page.items) {
        if (!seen.has(n.id) && !n.readAt && !first) ctx.toast(`${n.title}: ${n.body}`, { kind: "reminder", timeoutMs: 10_000 });
        seen.add(n.id);
      }
      first = false;
      unread = count;
      badge.textContent = count > 0 ? String(count) : "";
      unreadLabel.textContent = count > 0 ? " unread" : "";
      replace(list, page.items.length ? page.items.map(row) : h("li", { class: "empty" }, "Nothing yet."));
    } catch {
      // Signed out or offline: the next poll tries again.
    }
  }
  button.addEventListener("click", () => {
    panel.hidden = !panel.hidden;
    button.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) void refresh();
  });
  panel.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      panel.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
  const timer = window.setInterval(() => void refresh(), pollMs);
  const unsub = ctx.live.subscribe(() => void refresh());
  void refresh();
  return { element: h("div", { class: "bell-wrap" }, button, panel), stop: () => (window.clearInterval(timer), unsub(), void unread) };
}
