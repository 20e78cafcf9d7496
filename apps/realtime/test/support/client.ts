import WebSocket from "ws";

export interface TestClient {
  readonly ws: WebSocket;
  readonly messages: Record<string, unknown>[];
  /** Resolves with the first message (from now on or already received after `from`) matching `pred`. */
  next(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

export function connect(url: string, protocols?: string[], opts: WebSocket.ClientOptions = {}): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, opts);
    const messages: Record<string, unknown>[] = [];
    const waiters: (() => void)[] = [];
    ws.on("message", (raw) => {
      messages.push(JSON.parse(raw.toString()) as Record<string, unknown>);
      for (const w of waiters.splice(0)) w();
    });
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      ws.on("close", (code, reason) => r({ code, reason: reason.toString() })),
    );
    let seen = 0;
    const client: TestClient = {
      ws,
      messages,
      closed,
      next(pred, timeoutMs = 3000) {
        return new Promise((res, rej) => {
          const deadline = setTimeout(
            () => rej(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`)),
            timeoutMs,
          );
          const check = () => {
            for (; seen < messages.length; seen++) {
              const m = messages[seen]!;
              if (pred(m)) {
                seen++;
                clearTimeout(deadline);
                return res(m);
              }
            }
            waiters.push(check);
          };
          check();
        });
      },
    };
    ws.once("open", () => resolve(client));
    ws.once("unexpected-response", (_req, res) => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })));
    ws.once("error", reject);
  });
}
