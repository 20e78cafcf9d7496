/**
 * The app shell: config, sign-in, the header (live indicator, bell, sign-out), hash routes
 * (#/ list, #/new, #/tasks/<id>[/history], #/preferences), toasts.
 */
import { Api } from "./api.js";
import { Auth } from "./auth.js";
import { loadConfig } from "./config.js";
import type { Ctx } from "./context.js";
import { h, replace } from "./dom.js";
import { Live, type LiveState } from "./live.js";
import { bell } from "./views/notifications.js";
import { editorView } from "./views/editor.js";
import { preferencesView } from "./views/preferences.js";
import { taskPage } from "./views/task-page.js";
import { tasksView } from "./views/tasks.js";

const app = document.getElementById("app")!;

function toaster(region: HTMLElement): Ctx["toast"] {
  return (text, opts = {}) => {
    const el = h("div", { class: `toast ${opts.kind ?? "info"}`, role: opts.kind === "error" ? "alert" : "status" }, h("span", {}, text));
    const dismiss = () => el.remove();
    if (opts.action) {
      const a = opts.action;
      el.append(h("button", { type: "button", onclick: () => (a.run(), dismiss()) }, a.label));
    }
    el.append(h("button", { type: "button", class: "close", onclick: dismiss }, h("span", { class: "sr-only" }, "Dismiss"), "×"));
    region.append(el);
    window.setTimeout(dismiss, opts.timeoutMs ?? 5000);
    return dismiss;
  };
}

function signInScreen(auth: Auth, error?: string): void {
  replace(
    app,
    h(
      "main",
      { class: "signin" },
      h("h1", {}, "Tasks"),
      error ? h("p", { role: "alert", class: "error" }, error) : h("p", {}, "Sign in to see your tasks."),
      h("button", { type: "button", class: "primary", id: "sign-in", onclick: () => void auth.signIn() }, "Sign in"),
    ),
  );
  document.title = "Sign in · Tasks";
}

async function boot(): Promise<void> {
  const config = await loadConfig();
  const auth = new Auth(config);
  let ok: boolean;
  try {
    ok = await auth.start();
  } catch (err) {
    return signInScreen(auth, (err as Error).message);
  }
  if (!ok) return signInScreen(auth);
  auth.onSignedOut = () => signInScreen(auth, "Your session ended. Sign in again.");

  const realtimeUrl = config.realtimeUrl || `${location.origin.replace(/^http/, "ws")}/ws`;
  const live = new Live(realtimeUrl, auth);
  const api = new Api(config.apiBase, auth);
  const toasts = h("div", { class: "toasts", "aria-live": "polite" });
  const ctx: Ctx = {
    api,
    auth,
    live,
    toast: toaster(toasts),
    navigate: (hash) => void (location.hash = hash),
    prefs: () => api.preferences(),
  };
  const indicator = h("span", { class: "live connecting", role: "status", id: "live-status" }, "Connecting…");
  live.onState = (s: LiveState, detail?: string) => {
    indicator.className = `live ${s}`;
    indicator.textContent = s === "live" ? "Live" : s === "connecting" ? "Connecting…" : `Offline${detail ? ` (${detail})` : ""}`;
  };
  const notifications = bell(ctx);
  const main = h("main", { id: "main", tabindex: "-1" });
  replace(
    app,
    h("button", { type: "button", class: "skip", onclick: () => main.focus() }, "Skip to content"),
    h(
      "header",
      {},
      h("h1", {}, h("a", { href: "#/" }, "Tasks")),
      h(
        "nav",
        { "aria-label": "Main" },
        h("a", { href: "#/" }, "All tasks"),
        h("a", { href: "#/new" }, "New task"),
        h("a", { href: "#/preferences" }, "Preferences"),
      ),
      indicator,
      notifications.element,
      h("span", { class: "user" }, auth.user?.email ?? auth.user?.sub ?? ""),
      h("button", { type: "button", id: "sign-out", onclick: () => void auth.signOut() }, "Sign out"),
    ),
    main,
    toasts,
    h("div", { id: "announcer", class: "sr-only", "aria-live": "polite" }),
  );

  let cleanup: (() => void) | undefined;
  const route = (): void => {
    cleanup?.();
    cleanup = undefined;
    // Each route renders into a fresh element: a view still loading when the user moves on renders into a
    // detached element, never over the next view.
    const view = h("div", { class: "view" });
    replace(main, view);
    const hash = location.hash.replace(/^#/, "") || "/";
    const task = /^\/tasks\/([0-9a-f-]{36})(\/history)?$/.exec(hash);
    if (hash === "/new") {
      document.title = "New task · Tasks";
      void editorView(ctx, view);
    } else if (task) {
      document.title = "Task · Tasks";
      cleanup = taskPage(ctx, view, task[1]!, task[2] ? "history" : "details");
    } else if (hash === "/preferences") {
      document.title = "Preferences · Tasks";
      void preferencesView(ctx, view);
    } else {
      document.title = "Tasks";
      cleanup = tasksView(ctx, view);
    }
  };
  window.addEventListener("hashchange", route);
  route();
  void live.connect();
  // Tests and the bench reach the running app through this (never used by the app itself).
  (window as unknown as { tasksApp: unknown }).tasksApp = { live, auth };
}

boot().catch((err: unknown) =>
  replace(app, h("p", { role: "alert" }, `The app could not start: ${err instanceof Error ? err.message : String(err)}`)),
);
