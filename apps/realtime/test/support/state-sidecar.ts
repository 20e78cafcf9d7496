import { startFakeSidecar, type FakeSidecar } from "@tasks/shared/testing";

export interface StateSidecar extends FakeSidecar {
  /** Stored values by store/key, with their ETag and the metadata of the last write. */
  readonly state: Map<string, { value: unknown; etag: number; metadata: Record<string, string> | undefined }>;
  /** Answer state calls with this status instead (e.g. 500). */
  stateStatus: number | null;
  /** Delay before answering a state read, to hold replays in flight. @default 0 */
  stateDelayMs: number;
  /** State reads (GET) served so far. */
  stateReads: number;
}

/** The shared fake sidecar plus the Dapr HTTP state API (GET key, POST bulk save with first-write ETags). */
export async function startStateSidecar(): Promise<StateSidecar> {
  const sidecar = (await startFakeSidecar()) as StateSidecar;
  Object.assign(sidecar, { state: new Map(), stateStatus: null, stateDelayMs: 0, stateReads: 0 });
  sidecar.onRequest = (req, res) => {
    const get = /^\/v1\.0\/state\/([^/]+)\/([^/]+)$/.exec(req.path);
    const save = /^\/v1\.0\/state\/([^/]+)$/.exec(req.path);
    if (!get && !save) return false;
    if (sidecar.stateStatus !== null) return (res.writeHead(sidecar.stateStatus).end(), true);
    if (req.method === "GET" && get) {
      sidecar.stateReads++;
      if (sidecar.stateDelayMs > 0) {
        const entry = sidecar.state.get(`${decodeURIComponent(get[1]!)}/${decodeURIComponent(get[2]!)}`);
        setTimeout(() => {
          if (!entry) res.writeHead(204).end();
          else res.writeHead(200, { "content-type": "application/json", etag: String(entry.etag) }).end(JSON.stringify(entry.value));
        }, sidecar.stateDelayMs);
        return true;
      }
      const entry = sidecar.state.get(`${decodeURIComponent(get[1]!)}/${decodeURIComponent(get[2]!)}`);
      if (!entry) return (res.writeHead(204).end(), true);
      return (res.writeHead(200, { "content-type": "application/json", etag: String(entry.etag) }).end(JSON.stringify(entry.value)), true);
    }
    if (req.method === "POST" && save) {
      const items = JSON.parse(req.body) as { key: string; value: unknown; etag?: string; metadata?: Record<string, string> }[];
      for (const item of items) {
        const id = `${decodeURIComponent(save[1]!)}/${item.key}`;
        const current = sidecar.state.get(id);
        if (current && item.etag !== String(current.etag))
          return (res.writeHead(409, { "content-type": "application/json" }).end('{"errorCode":"ERR_STATE_SAVE"}'), true);
        sidecar.state.set(id, { value: item.value, etag: (current?.etag ?? 0) + 1, metadata: item.metadata });
      }
      return (res.writeHead(204).end(), true);
    }
    return false;
  };
  return sidecar;
}
