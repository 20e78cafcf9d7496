import type { Gauge } from "prom-client";
import type { WebSocket } from "ws";
import { closeCodes, type ServerMessage } from "./protocol.js";

export interface HubOptions {
  /** Bytes queued on a socket beyond which it is a slow consumer and is dropped. @default 1 MiB */
  readonly maxBufferedBytes?: number;
  /** Live updates held for a socket while its replay is read, at most; past it the socket is a slow consumer. @default 1000 */
  readonly maxPending?: number;
  readonly connections?: Gauge;
  readonly onSlowConsumer?: (userId: string) => void;
}

interface Client {
  readonly socket: WebSocket;
  readonly userId: string;
  /** While a replay is being sent, live updates are queued here (then deduplicated by id). */
  pending: ServerMessage[] | null;
  sentIds: Set<string> | null;
  alive: boolean;
}

/** Open sockets by user; sends each update only to its owner's sockets. */
export class Hub {
  private readonly byUser = new Map<string, Set<Client>>();
  private readonly bySocket = new Map<WebSocket, Client>();
  private readonly maxBuffered: number;
  private readonly maxPending: number;
  /** Ids recently published per user: a redelivered update reaches each socket once. */
  private readonly recent = new Map<string, Set<string>>();

  constructor(private readonly opts: HubOptions = {}) {
    this.maxBuffered = opts.maxBufferedBytes ?? 1024 * 1024;
    this.maxPending = opts.maxPending ?? 1000;
  }

  get size(): number {
    return this.bySocket.size;
  }

  add(socket: WebSocket, userId: string): void {
    const client: Client = { socket, userId, pending: [], sentIds: new Set(), alive: true };
    this.bySocket.set(socket, client);
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(client);
    this.opts.connections?.set(this.bySocket.size);
    socket.on("pong", () => {
      client.alive = true;
    });
  }

  remove(socket: WebSocket): void {
    const client = this.bySocket.get(socket);
    if (!client) return;
    this.bySocket.delete(socket);
    const set = this.byUser.get(client.userId);
    set?.delete(client);
    if (set?.size === 0) {
      this.byUser.delete(client.userId);
      this.recent.delete(client.userId);
    }
    this.opts.connections?.set(this.bySocket.size);
  }

  /** Sends to one socket, dropping it when its send buffer shows it cannot keep up. */
  send(socket: WebSocket, message: ServerMessage, text = JSON.stringify(message)): boolean {
    const client = this.bySocket.get(socket);
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount > this.maxBuffered) {
      this.cut(socket);
      return false;
    }
    socket.send(text);
    if (message.type === "event") client?.sentIds?.add(message.id);
    return true;
  }

  /** A close frame would queue behind the backlog; cut the connection so memory is released now. */
  private cut(socket: WebSocket): void {
    const client = this.bySocket.get(socket);
    socket.terminate();
    if (client) {
      this.remove(socket);
      this.opts.onSlowConsumer?.(client.userId);
    }
  }

  /** Delivers an update to every open socket of `userId` (queued for sockets still replaying). */
  publish(userId: string, message: ServerMessage & { type: "event" }): number {
    let seen = this.recent.get(userId);
    if (seen?.has(message.id)) return 0;
    if (!seen) this.recent.set(userId, (seen = new Set()));
    seen.add(message.id);
    if (seen.size > 200) seen.delete(seen.values().next().value!);
    let n = 0;
    const text = JSON.stringify(message);
    for (const client of [...(this.byUser.get(userId) ?? [])]) {
      if (client.pending) {
        if (client.pending.length >= this.maxPending) this.cut(client.socket);
        else client.pending.push(message);
      } else if (this.send(client.socket, message, text)) n++;
    }
    return n;
  }

  /** Starts holding live updates for a socket while its replay is read (see endReplay). */
  beginReplay(socket: WebSocket): void {
    const client = this.bySocket.get(socket);
    if (client) {
      client.pending ??= [];
      client.sentIds ??= new Set();
    }
  }

  /** Sends the updates held during a replay that the replay did not already contain, then goes live. */
  endReplay(socket: WebSocket): void {
    const client = this.bySocket.get(socket);
    if (!client) return;
    const held = client.pending ?? [];
    const sent = client.sentIds ?? new Set<string>();
    client.pending = null;
    for (const m of held) if (m.type !== "event" || !sent.has(m.id)) this.send(socket, m);
    client.sentIds = null;
  }

  /** One heartbeat round: sockets that did not answer the previous ping are terminated. */
  heartbeat(): number {
    let dead = 0;
    for (const client of [...this.bySocket.values()]) {
      if (!client.alive) {
        client.socket.terminate();
        this.remove(client.socket);
        dead++;
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
    return dead;
  }

  closeAll(): void {
    for (const socket of [...this.bySocket.keys()]) {
      socket.close(closeCodes.goingAway, "server shutting down");
      this.remove(socket);
    }
  }
}
