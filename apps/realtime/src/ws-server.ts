import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { originAllowed, type AuthContext, type Logger } from "@tasks/shared";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { eventsAfter, type HistoryStore } from "./history.js";
import type { Hub } from "./hub.js";
import { MessageBudget, Semaphore } from "./limits.js";
import { closeCodes, forbiddenQueryParams, parseClientMessage, SUBPROTOCOL, tokenFromProtocols } from "./protocol.js";

export interface RealtimeSocketOptions {
  readonly server: Server;
  /** Path of the WebSocket endpoint (catalog publicRoutes of realtime: "/ws"). */
  readonly path: string;
  readonly verify: (token: string) => Promise<AuthContext>;
  /**
   * Browser origins allowed to open the socket (cross-site WebSocket hijacking): an upgrade with any
   * other Origin header is refused with 403. Clients that send no Origin (not browsers) are not affected.
   * @default []
   */
  readonly allowedOrigins?: readonly string[];
  readonly hub: Hub;
  readonly history: HistoryStore;
  readonly logger: Logger;
  /** Time allowed for the first-message authentication. @default 5000 */
  readonly authTimeoutMs?: number;
  /** Ping interval; a socket that missed one pong is terminated at the next. @default 30000 */
  readonly heartbeatMs?: number;
  /** Largest client frame accepted; a larger one closes the socket with 1009. @default 16 KiB */
  readonly maxPayload?: number;
  /** Client messages per second per connection (bursts up to `messageBurst`); more closes with 4429. @default 5 */
  readonly messagesPerSecond?: number;
  /** @default 20 */
  readonly messageBurst?: number;
  /** Events sent by one replay, at most (the newest ones). @default 100 */
  readonly maxReplayEvents?: number;
  /** History reads for replays running at once in this process; more wait their turn. @default 16 */
  readonly replayConcurrency?: number;
}

function reject(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`,
  );
}

/**
 * Serves the realtime WebSocket endpoint on the app's own HTTP server (same port as /healthz).
 *
 * Hostile input never reaches an unhandled 'error' event: the raw socket has an error listener from the
 * upgrade on, and every WebSocket one from its creation, so a frame that breaks RFC 6455 only closes
 * its own connection (the ws library picks the code: 1002, 1007 or 1009). Each connection may send
 * `messagesPerSecond` messages and run one replay at a time; replays share `replayConcurrency` history
 * reads and send at most `maxReplayEvents` events.
 */
export function attachRealtime(opts: RealtimeSocketOptions): { close(): void; readonly wss: WebSocketServer } {
  const { hub, logger } = opts;
  const maxReplayEvents = opts.maxReplayEvents ?? 100;
  const historyReads = new Semaphore(opts.replayConcurrency ?? 16);
  const replaying = new WeakSet<WebSocket>();
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayload ?? 16 * 1024,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  wss.on("error", (err) => logger.error({ err }, "websocket server error"));

  async function replay(ws: WebSocket, userId: string, lastEventId: string | undefined): Promise<void> {
    replaying.add(ws);
    hub.beginReplay(ws);
    try {
      if (lastEventId !== undefined) {
        let result: ReturnType<typeof eventsAfter>;
        try {
          const kept = await historyReads.run(() => opts.history.list(userId));
          result = eventsAfter(kept.slice(-maxReplayEvents), lastEventId);
        } catch (err) {
          logger.warn({ userId, err: err instanceof Error ? err.message : String(err) }, "history unavailable for replay");
          result = { events: [], complete: false };
        }
        for (const e of result.events) if (!hub.send(ws, { type: "event", ...e })) return;
        hub.send(ws, { type: "replayed", count: result.events.length, complete: result.complete });
      }
    } finally {
      hub.endReplay(ws);
      replaying.delete(ws);
    }
  }

  function authenticated(ws: WebSocket, userId: string, lastEventId: string | undefined): void {
    hub.add(ws, userId);
    ws.on("close", () => hub.remove(ws));
    ws.on("message", (raw: RawData, isBinary: boolean) => {
      if (isBinary || ws.readyState !== ws.OPEN) return;
      const msg = parseClientMessage(raw.toString());
      if (msg?.type !== "resume") return ws.close(closeCodes.badMessage, "unexpected message");
      if (replaying.has(ws)) return ws.close(closeCodes.rateLimited, "one resume at a time");
      void replay(ws, userId, msg.lastEventId);
    });
    hub.send(ws, { type: "ready", userId });
    void replay(ws, userId, lastEventId);
  }

  function awaitAuthMessage(ws: WebSocket): void {
    const timer = setTimeout(() => ws.close(closeCodes.authTimeout, "authentication timeout"), opts.authTimeoutMs ?? 5000);
    ws.once("close", () => clearTimeout(timer));
    ws.once("message", async (raw: RawData, isBinary: boolean) => {
      clearTimeout(timer);
      if (isBinary || ws.readyState !== ws.OPEN) return;
      const msg = parseClientMessage(raw.toString());
      if (msg?.type !== "auth") return ws.close(closeCodes.unauthorized, "authenticate first");
      try {
        const ctx = await opts.verify(msg.token);
        if (ws.readyState === ws.OPEN) authenticated(ws, ctx.userId, msg.lastEventId);
      } catch {
        ws.close(closeCodes.unauthorized, "invalid token");
      }
    });
  }

  /** What every connection gets before anything else: error handling, text-only frames, a message budget. */
  function guard(ws: WebSocket): void {
    ws.on("error", (err: Error & { code?: string }) => {
      // ws has already started the close handshake with the right code (1002, 1007, 1009).
      logger.info({ code: err.code, reason: err.message }, "websocket closed on a protocol error");
    });
    const budget = new MessageBudget(opts.messagesPerSecond ?? 5, opts.messageBurst ?? 20);
    ws.on("message", (_raw: RawData, isBinary: boolean) => {
      if (ws.readyState !== ws.OPEN) return;
      if (isBinary) ws.close(closeCodes.unsupportedData, "text frames only");
      else if (!budget.take()) ws.close(closeCodes.rateLimited, "too many messages");
    });
  }

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer, then: (ws: WebSocket) => void): void =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      guard(ws);
      then(ws);
    });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node removes its own listeners from an upgraded socket: without this, a reset while the token is
    // being verified would be an unhandled 'error' event.
    socket.on("error", (err: Error & { code?: string }) => logger.debug({ code: err.code }, "upgrade socket error"));
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== opts.path) return reject(socket, 404, "Not Found");
    if (!originAllowed(opts.allowedOrigins ?? [], req.headers.origin)) return reject(socket, 403, "Origin not allowed");
    if (forbiddenQueryParams.some((p) => url.searchParams.has(p)))
      return reject(socket, 400, "Credentials are not accepted in the query string");
    const offered = new Set(
      (req.headers["sec-websocket-protocol"] ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean),
    );
    const { token, acceptable } = tokenFromProtocols(offered);
    if (token === undefined) return upgrade(req, socket, head, awaitAuthMessage);
    if (!acceptable) return reject(socket, 400, `Offer the "${SUBPROTOCOL}" subprotocol with the bearer token`);
    opts.verify(token).then(
      (ctx) => upgrade(req, socket, head, (ws) => authenticated(ws, ctx.userId, undefined)),
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
