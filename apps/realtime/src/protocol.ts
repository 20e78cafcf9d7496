import { z } from "zod";

/**
 * The WebSocket protocol (JSON text frames).
 *
 * Authentication, never in the query string:
 *  - subprotocols: the client offers `["tasks.v1", "bearer.<jwt>"]`; the server selects "tasks.v1";
 *  - or a first message `{"type":"auth","token":"<jwt>","lastEventId"?}` within the auth timeout.
 * Then `{"type":"resume","lastEventId"}` asks for the updates missed since that event.
 *
 * Server messages: `ready` (authenticated; replay follows), `event` (a task update), `replayed`
 * (end of a replay; `complete: false` when the last seen id was no longer kept, so the client should
 * refetch), `error` (then the socket closes).
 */
export const SUBPROTOCOL = "tasks.v1";
export const BEARER_PREFIX = "bearer.";

/**
 * Close codes. 1002, 1007 and 1009 are sent by the ws library itself when a frame breaks RFC 6455
 * (unmasked client frame, RSV bits, unknown opcode), is not valid UTF-8 text, or exceeds the frame
 * limit; 4000-4999 are this protocol's.
 */
export const closeCodes = {
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  invalidPayload: 1007,
  messageTooBig: 1009,
  badMessage: 4400,
  unauthorized: 4401,
  authTimeout: 4408,
  /** More client messages than the per-connection rate allows, or a resume while one is running. */
  rateLimited: 4429,
} as const;

const eventId = z.string().min(1).max(200);

export const clientMessageSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("auth"), token: z.string().min(1).max(8192), lastEventId: eventId.optional() }),
  z.strictObject({ type: z.literal("resume"), lastEventId: eventId }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** A task update as kept for replay and sent to clients. */
export interface UpdateEvent {
  readonly id: string;
  readonly topic: string;
  readonly time: string;
  readonly taskId: string;
  readonly data: unknown;
}

export type ServerMessage =
  | { readonly type: "ready"; readonly userId: string }
  | ({ readonly type: "event" } & UpdateEvent)
  | { readonly type: "replayed"; readonly count: number; readonly complete: boolean }
  | { readonly type: "error"; readonly code: number; readonly message: string };

/** The JWT offered as a `bearer.<jwt>` subprotocol, if any; undefined when "tasks.v1" is not offered too. */
export function tokenFromProtocols(protocols: ReadonlySet<string>): { token?: string; acceptable: boolean } {
  const acceptable = protocols.has(SUBPROTOCOL);
  const bearer = [...protocols].find((p) => p.startsWith(BEARER_PREFIX));
  return bearer ? { token: bearer.slice(BEARER_PREFIX.length), acceptable } : { acceptable };
}

/** Query parameters that would carry a credential in the URL: refused outright. */
export const forbiddenQueryParams = ["token", "access_token", "jwt", "auth", "authorization"];

export function parseClientMessage(raw: string): ClientMessage | undefined {
  try {
    const parsed = clientMessageSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
