/** Preferences: channels, reminders on/off, quiet hours, zone, default reminder, email, and Web Push for this browser. */
import type { Preferences } from "../api.js";
import { zones, type Ctx } from "../context.js";
import { announce, h, replace } from "../dom.js";

const PUSH_ID = "tasks.push.id";
const b64ToBytes = (s: string): Uint8Array => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

export async function preferencesView(ctx: Ctx, root: HTMLElement): Promise<void> {
  const pushSupported = "serviceWorker" in navigator && "PushManager" in window;
  // The key the notifications service signs pushes with (a subscription must name it), read alongside the preferences.
  const pushKey: Promise<string | Error> = pushSupported
    ? ctx.api.pushPublicKey().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
    : Promise.resolve(new Error("This browser has no Web Push."));
  let p: Preferences;
  try {
    p = await ctx.api.preferences();
  } catch (err) {
    return replace(root, h("p", { role: "alert" }, `Could not load preferences: ${(err as Error).message}`));
  }
  const box = (id: string, label: string, checked: boolean) =>
    h("label", { class: "check", for: id }, h("input", { type: "checkbox", id, checked }), label);
  const email = box("p-email", "Email", p.channels.email);
  const inapp = box("p-inapp", "In-app", p.channels.inapp);
  const push = box("p-push", "Push", p.channels.push);
  const enabled = box("p-reminders", "Send reminders", p.remindersEnabled);
  const quiet = box("p-quiet", "Quiet hours", p.quietHours !== null);
  const qStart = h("input", { type: "time", id: "p-quiet-start", value: p.quietHours?.start ?? "22:00" });
  const qEnd = h("input", { type: "time", id: "p-quiet-end", value: p.quietHours?.end ?? "07:00" });
  const zone = h(
    "select",
    { id: "p-zone" },
    zones().map((z) => h("option", { value: z, selected: z === p.timeZone }, z)),
  );
  const def = h("input", { type: "number", id: "p-default", min: 0, max: 40320, value: p.defaultReminderMinutes ?? "" });
  const mail = h("input", { type: "email", id: "p-mail", value: p.email ?? "", autocomplete: "email" });
  const status = h("p", { role: "status" });
  const checked = (l: HTMLElement) => l.querySelector("input")!.checked;
  const form = h(
    "form",
    { class: "prefs", "aria-labelledby": "prefs-h" },
    h("h2", { id: "prefs-h" }, "Preferences"),
    h("fieldset", {}, h("legend", {}, "Channels"), email, inapp, push),
    enabled,
    h(
      "fieldset",
      {},
      h("legend", {}, "Quiet hours"),
      quiet,
      h("label", { for: "p-quiet-start" }, "From"),
      qStart,
      h("label", { for: "p-quiet-end" }, "Until"),
      qEnd,
    ),
    h("label", { for: "p-zone" }, "Time zone"),
    zone,
    h("label", { for: "p-default" }, "Default reminder (minutes before due; empty for none)"),
    def,
    h("label", { for: "p-mail" }, "Reminder email (empty: your sign-in email)"),
    mail,
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Save preferences")),
    status,
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    ctx.api
      .savePreferences({
        channels: { email: checked(email), inapp: checked(inapp), push: checked(push) },
        remindersEnabled: checked(enabled),
        quietHours: checked(quiet) ? { start: qStart.value, end: qEnd.value } : null,
        timeZone: zone.value,
        defaultReminderMinutes: def.value === "" ? null : Number(def.value),
        email: mail.value.trim() || null,
      })
      .then(() => ((status.textContent = "Saved."), announce("Preferences saved")))
      .catch((err: Error) => (status.textContent = `Not saved: ${err.message}`));
  });

  const pushStatus = h("p", { role: "status", id: "push-status" });
  const pushButton = h("button", { type: "button", id: "push-toggle" }, "Enable push on this browser");
  const key = await pushKey;
  const vapidPublicKey = typeof key === "string" ? key : "";
  const unavailable = key instanceof Error ? (pushSupported ? `Web Push is unavailable: ${key.message}` : key.message) : "";
  const renderPush = () => {
    const on = localStorage.getItem(PUSH_ID) !== null;
    pushButton.textContent = on ? "Disable push on this browser" : "Enable push on this browser";
    pushStatus.textContent = unavailable || (on ? "Push is on for this browser." : "");
    pushButton.disabled = unavailable !== "";
  };
  pushButton.addEventListener(
    "click",
    () => void togglePush().catch((err: Error) => (pushStatus.textContent = `Push failed: ${err.message}`)),
  );
  async function togglePush(): Promise<void> {
    const reg = await navigator.serviceWorker.register("/sw.js", { scope: "/", type: "module" });
    const existing = localStorage.getItem(PUSH_ID);
    if (existing) {
      await (await reg.pushManager.getSubscription())?.unsubscribe();
      await ctx.api.unsubscribePush(existing).catch(() => undefined);
      localStorage.removeItem(PUSH_ID);
    } else {
      if ((await Notification.requestPermission()) !== "granted") throw new Error("notifications are blocked for this site");
      const sub = await reg.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: b64ToBytes(vapidPublicKey) as BufferSource,
      });
      const { id } = await ctx.api.subscribePush(sub.toJSON());
      localStorage.setItem(PUSH_ID, id);
    }
    renderPush();
  }
  renderPush();
  replace(
    root,
    form,
    h("section", { class: "push", "aria-labelledby": "push-h" }, h("h2", { id: "push-h" }, "Web Push"), pushButton, pushStatus),
  );
}
