import type { Agent } from "node:https";
import webpush from "web-push";

export interface PushTarget {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

export interface PushSender {
  /**
   * The VAPID public key (base64url) the sender signs with: browsers must subscribe with it as their
   * applicationServerKey, so the API serves it (GET /api/v1/notifications/push/public-key).
   */
  readonly publicKey: string;
  /** Sends to one subscription; "gone" when the push service says it no longer exists (404/410). */
  send(target: PushTarget, payload: string): Promise<"sent" | "gone">;
}

export interface VapidOptions {
  /** mailto: or https: contact of the sender. */
  readonly subject: string;
  /** From the Dapr secret store (catalog secretNames.vapidPublicKey / vapidPrivateKey). */
  readonly publicKey: string;
  readonly privateKey: string;
  /** Seconds the push service keeps an undelivered message. @default 3600 */
  readonly ttlSeconds?: number;
  /** For tests against a local push service with its own CA. */
  readonly agent?: Agent;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/** Web Push (RFC 8030/8291/8292) with VAPID, through the web-push library. */
export function webPushSender(opts: VapidOptions): PushSender {
  return {
    publicKey: opts.publicKey,
    async send(target, payload) {
      try {
        await webpush.sendNotification({ endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } }, payload, {
          vapidDetails: { subject: opts.subject, publicKey: opts.publicKey, privateKey: opts.privateKey },
          TTL: opts.ttlSeconds ?? 3600,
          timeout: opts.timeoutMs ?? 10_000,
          ...(opts.agent ? { agent: opts.agent } : {}),
        });
        return "sent";
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 404 || status === 410) return "gone";
        throw err;
      }
    },
  };
}
