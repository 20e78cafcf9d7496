import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { AuthContext, Logger } from "@tasks/shared";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { eventsAfter, type HistoryStore } from "./history.js";
import type { Hub } from "./hub.js";
import { closeCodes, forbiddenQueryParams, parseClientMessage, SUBPROTOCOL, tokenFromProtocols } from "./protocol.js";

export interface RealtimeSocketOptions {
  readonly server: Server;
  /** Path of the WebSocket endpoint (catalog publicRoutes of realtime: "/ws"). */
  readonly path: string;
  readonly verify: (token: string) => Promise<AuthContext>;
  readonly hub: Hub;
  readonly history: HistoryStore;
  readonly logger: Logger;
  /** Time allowed for the first-message authentication. @default 5000 */
  readonly authTimeoutMs?: number;
  /** Ping interval; a socket that missed one pong is terminated at the next. @default 30000 */
  readonly heartbeatMs?: number;
  /** Largest client frame accepted. @default 16 KiB */
  readonly maxPayload?: number;
}

function reject(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}

/** Serves the realtime WebSocket endpoint on the app's own HTTP server (same port as /healthz). */
export function attachRealtime(opts: RealtimeSocketOptions): { close(): void; readonly wss: WebSocketServer } {
  const { hub, logger } = opts;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayload ?? 16 * 1024,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });

  async function replay(ws: WebSocket, userId: string, lastEventId: string | undefined): Promise<void> {
    hub.beginReplay(ws);
    try {
      if (lastEventId !== undefined) {
        let result: ReturnType<typeof eventsAfter>;
        try {
          result = eventsAfter(await opts.history.list(userId), lastEventId);
        } catch (err) {
          logger.warn({ userId, err: err instanceof Error ? err.message : String(err) }, "history unavailable for replay");
          result = { events: [], complete: false };
        }
        for (const e of result.events) hub.send(ws, { type: "event", ...e });
        hub.send(ws, { type: "replayed", count: result.events.length, complete: result.complete });
      }
    } finally {
      hub.endReplay(ws);
    }
  }

  function authenticated(ws: WebSocket, userId: string, lastEventId: string | undefined): void {
    hub.add(ws, userId);
    ws.on("close", () => hub.remove(ws));
    ws.on("message", (raw: RawData) => {
      const msg = parseClientMessage(raw.toString());
      if (msg?.type === "resume") void replay(ws, userId, msg.lastEventId);
      else ws.close(closeCodes.badMessage, "unexpected message");
    });
    hub.send(ws, { type: "ready", userId });
    void replay(ws, userId, lastEventId);
  }

  function awaitAuthMessage(ws: WebSocket): void {
    const timer = setTimeout(() => ws.close(closeCodes.authTimeout, "authentication timeout"), opts.authTimeoutMs ?? 5000);
    ws.once("message", async (raw: RawData) => {
      clearTimeout(timer);
      const msg = parseClientMessage(raw.toString());
      if (msg?.type !== "auth") return ws.close(closeCodes.unauthorized, "authenticate first");
      try {
        const ctx = await opts.verify(msg.token);
        if (ws.readyState === ws.OPEN) authenticated(ws, ctx.userId, msg.lastEventId);
      } catch {
        ws.close(closeCodes.unauthorized, "invalid token");
      }
    });
    ws.once("close", () => clearTimeout(timer));
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== opts.path) return reject(socket, 404, "Not Found");
    if (forbiddenQueryParams.some((p) => url.searchParams.has(p)))
      return reject(socket, 400, "Credentials are not accepted in the query string");
    const offered = new Set(
      (req.headers["sec-websocket-protocol"] ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
    );
    const { token, acceptable } = tokenFromProtocols(offered);
    if (token === undefined) {
      wss.handleUpgrade(req, socket, head, (ws) => awaitAuthMessage(ws));
      return;
    }
    if (!acceptable) return reject(socket, 400, `Offer the "${SUBPROTOCOL}" subprotocol with the bearer token`);
    opts.verify(token).then(
      (ctx) => wss.handleUpgrade(req, socket, head, (ws) => authenticated(ws, ctx.userId, undefined)),
      () => reject(socket, 401, "Unauthorized"),
    );
  };
  opts.server.on("upgrade", onUpgrade);
  const heartbeat = setInterval(() => {
    const dead = hub.heartbeat();
    if (dead > 0) logger.info({ dead }, "terminated sockets that missed a heartbeat");
  }, opts.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    wss,
    close() {
      clearInterval(heartbeat);
      opts.server.off("upgrade", onUpgrade);
      hub.closeAll();
      wss.close();
    },
  };
}
