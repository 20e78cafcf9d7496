import { sidecarFetch, SidecarError, type SidecarOptions } from "@tasks/shared";
import type { UpdateEvent } from "./protocol.js";

/** The last updates of one user, oldest first, for replay on reconnect. */
export interface HistoryStore {
  /** Appends (once per event id) and returns the kept list. */
  append(userId: string, event: UpdateEvent): Promise<void>;
  list(userId: string): Promise<readonly UpdateEvent[]>;
}

/** `list` with `event` appended unless already present, keeping the newest `max`. */
export function appendEvent(list: readonly UpdateEvent[], event: UpdateEvent, max: number): UpdateEvent[] | undefined {
  if (list.some((e) => e.id === event.id)) return undefined;
  return [...list, event].slice(-max);
}

/** The events after `lastEventId`; `complete: false` when that id is no longer kept (all are returned). */
export function eventsAfter(
  list: readonly UpdateEvent[],
  lastEventId: string | undefined,
): { events: readonly UpdateEvent[]; complete: boolean } {
  if (lastEventId === undefined) return { events: [], complete: true };
  const i = list.findIndex((e) => e.id === lastEventId);
  return i < 0 ? { events: list, complete: false } : { events: list.slice(i + 1), complete: true };
}

export interface DaprHistoryOptions {
  /** Dapr state store component (catalog daprComponents.stateStore). */
  readonly store: string;
  /** Updates kept per user. @default 100 */
  readonly maxEvents?: number;
  /** Lifetime of a user's history, refreshed on every write (state store `ttlInSeconds`). @default 86400 */
  readonly ttlSeconds?: number;
  /** Optimistic-concurrency retries when replicas write one user's history at once. @default 5 */
  readonly retries?: number;
}

/**
 * History in the Dapr state store over the sidecar's HTTP state API: one key per user, written with
 * first-write-wins ETags (several replicas may receive the same user's updates) and a TTL.
 */
export function daprStateHistory(sidecar: SidecarOptions, opts: DaprHistoryOptions): HistoryStore {
  const max = opts.maxEvents ?? 100;
  const ttl = String(opts.ttlSeconds ?? 86_400);
  const base = `/v1.0/state/${encodeURIComponent(opts.store)}`;
  const key = (userId: string) => `history-${userId}`;

  async function read(userId: string): Promise<{ list: UpdateEvent[]; etag: string | undefined }> {
    const res = await sidecarFetch(sidecar, `${base}/${encodeURIComponent(key(userId))}`);
    if (res.status === 204) return { list: [], etag: undefined };
    if (!res.ok) throw new SidecarError(`state get for ${key(userId)} failed: HTTP ${res.status}`, res.status);
    const text = await res.text();
    const list = text ? (JSON.parse(text) as UpdateEvent[]) : [];
    return { list: Array.isArray(list) ? list : [], etag: res.headers.get("etag") ?? undefined };
  }

  return {
    list: async (userId) => (await read(userId)).list,
    async append(userId, event) {
      for (let attempt = 0; attempt <= (opts.retries ?? 5); attempt++) {
        const { list, etag } = await read(userId);
        const next = appendEvent(list, event, max);
        if (!next) return;
        const res = await sidecarFetch(sidecar, base, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify([
            {
              key: key(userId),
              value: next,
              ...(etag ? { etag } : {}),
              options: { concurrency: "first-write" },
              metadata: { ttlInSeconds: ttl },
            },
          ]),
        });
        await res.body?.cancel();
        if (res.ok) return;
        if (res.status !== 409) throw new SidecarError(`state save for ${key(userId)} failed: HTTP ${res.status}`, res.status);
      }
      throw new SidecarError(`state save for ${key(userId)} kept conflicting`);
    },
  };
}
