/**
 * Live task updates from the realtime service (apps/realtime): one WebSocket per tab, authenticated by a
 * first `auth` message (never in the URL), resumed after a drop from the last event id seen, so nothing
 * is lost; when the server no longer holds that id (`replayed.complete: false`) the page refetches.
 */
import type { Auth } from "./auth.js";
import type { Task } from "./api.js";

export type LiveState = "connecting" | "live" | "offline";

export interface TaskEvent {
  id: string;
  topic: string;
  time: string;
  taskId: string;
  task?: Task;
}

export class Live {
  private ws: WebSocket | undefined;
  private lastEventId: string | undefined;
  private attempt = 0;
  private stopped = false;
  private timer: number | undefined;
  private readonly seen = new Set<string>();
  state: LiveState = "connecting";
  onState: (s: LiveState, detail?: string) => void = () => undefined;
  private readonly listeners = new Set<(e: TaskEvent) => void>();
  private readonly gapListeners = new Set<() => void>();

  /** Every task update; returns the unsubscribe. */
  subscribe(fn: (e: TaskEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Updates were missed beyond the server's history: reload what is shown. Returns the unsubscribe. */
  onGap(fn: () => void): () => void {
    this.gapListeners.add(fn);
    return () => this.gapListeners.delete(fn);
  }

  constructor(
    private readonly url: string,
    private readonly auth: Auth,
  ) {}

  private set(s: LiveState, detail?: string): void {
    this.state = s;
    this.onState(s, detail);
  }

  async connect(): Promise<void> {
    if (this.stopped) return;
    this.set("connecting");
    let token: string;
    try {
      token = await this.auth.accessToken();
    } catch {
      return this.set("offline", "signed out");
    }
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: "auth", token, ...(this.lastEventId ? { lastEventId: this.lastEventId } : {}) }));
    ws.onmessage = (m) => this.message(String(m.data));
    ws.onclose = (ev) => {
      if (this.ws !== ws || this.stopped) return;
      this.ws = undefined;
      // 4401: the token expired or was refused: renew before the next attempt.
      if (ev.code === 4401) void this.auth.renew();
      const delay = Math.min(30_000, 500 * 2 ** this.attempt++) * (0.5 + Math.random() / 2);
      this.set("offline", `reconnecting in ${Math.ceil(delay / 1000)} s`);
      this.timer = window.setTimeout(() => void this.connect(), delay);
    };
  }

  private message(raw: string): void {
    const msg = JSON.parse(raw) as { type: string; [k: string]: unknown };
    if (msg.type === "ready") {
      this.attempt = 0;
      this.set("live");
    } else if (msg.type === "event") {
      const id = String(msg.id);
      if (this.seen.has(id)) return;
      this.seen.add(id);
      if (this.seen.size > 2000) this.seen.delete(this.seen.values().next().value!);
      this.lastEventId = id;
      const data = (msg.data ?? {}) as { task?: Task };
      const event: TaskEvent = {
        id,
        topic: String(msg.topic),
        time: String(msg.time),
        taskId: String(msg.taskId),
        ...(data.task ? { task: data.task } : {}),
      };
      for (const fn of this.listeners) {
        try {
          fn(event);
        } catch (err) {
          console.error("live update listener failed", err);
        }
      }
    } else if (msg.type === "replayed" && msg.complete === false) {
      for (const fn of this.gapListeners) fn();
    }
  }

  /**
   * Drops the socket as a network failure would and stays offline for `offlineMs` before resuming from the last
   * event id (tests and the bench; the app never calls it).
   */
  drop(offlineMs = 0): void {
    const ws = this.ws;
    if (!ws) return;
    this.ws = undefined;
    ws.close(4000, "dropped");
    window.clearTimeout(this.timer);
    this.set("offline", "connection dropped");
    this.timer = window.setTimeout(() => void this.connect(), offlineMs);
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.ws?.close(1000);
  }
}
