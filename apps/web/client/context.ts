/** What every view gets: the APIs, live updates, toasts and navigation. */
import type { Api, Preferences } from "./api.js";
import type { Auth } from "./auth.js";
import type { Live } from "./live.js";

export interface Ctx {
  readonly api: Api;
  readonly auth: Auth;
  readonly live: Live;
  /** A toast; `action` adds a button (e.g. Undo). Returns a function that dismisses it. */
  toast(
    text: string,
    opts?: { action?: { label: string; run: () => void }; timeoutMs?: number; kind?: "info" | "error" | "reminder" },
  ): () => void;
  navigate(hash: string): void;
  /** The user's current preferences (default reminder, zone). */
  prefs(): Promise<Preferences>;
}

export const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

export const zones = (): string[] => {
  const list = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? [];
  return list.includes("UTC") ? list : ["UTC", ...list];
};
