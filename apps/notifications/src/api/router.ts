import { services } from "@tasks/catalog";
import { authOf, NotFoundError, parseOrThrow, userIdOf, ValidationError, type Knex } from "@tasks/shared";
import express, { type Router } from "express";
import type { JobsClient, JobSpec } from "../jobs/client.js";
import { snoozeNotification } from "../snooze.js";
import { contactRecorder } from "../store/contacts.js";
import { clearNotifications, decodeCursor, listNotifications, markAllRead, markRead, unreadCount } from "../store/notifications.js";
import { getPreferences, savePreferences, type Preferences } from "../store/preferences.js";
import { deletePushSubscription, savePushSubscription } from "../store/push-subscriptions.js";
import {
  idParamSchema,
  listQuerySchema,
  preferencesPatchSchema,
  pushSubscriptionSchema,
  snoozeSchema,
  type PreferencesPatch,
} from "./schemas.js";

export interface RouterDeps {
  readonly db: Knex;
  /** Snoozes are Dapr jobs. */
  readonly jobs: JobsClient;
  readonly failurePolicy: NonNullable<JobSpec["failurePolicy"]>;
  readonly now: () => number;
  /** The VAPID public key push subscriptions must be made with (PushSender.publicKey). */
  readonly pushPublicKey: string;
}

/** The catalog's public route for this service: /api/v1/notifications. */
export const basePath = services.notifications.publicRoutes[0].path;

export function applyPatch(current: Preferences, patch: PreferencesPatch): Preferences {
  return {
    channels: { ...current.channels, ...patch.channels },
    remindersEnabled: patch.remindersEnabled ?? current.remindersEnabled,
    quietHours: patch.quietHours === undefined ? current.quietHours : patch.quietHours,
    timeZone: patch.timeZone ?? current.timeZone,
    defaultReminderMinutes: patch.defaultReminderMinutes === undefined ? current.defaultReminderMinutes : patch.defaultReminderMinutes,
    email: patch.email === undefined ? current.email : patch.email,
  };
}

/**
 * The notifications API: every query is scoped to the caller (`sub` of the bearer token, verified by
 * createServiceApp's `publicRoutes` before the router runs).
 */
export function notificationsRouter(deps: RouterDeps): Router {
  const { db } = deps;
  const r = express.Router();
  // The token's email (JWT_EMAIL_CLAIM) is the default reminder address: remember it on every request.
  const remember = contactRecorder(db);
  r.use(basePath, async (req, _res, next) => {
    const { userId, email } = authOf(req);
    await remember(userId, email);
    next();
  });

  r.get(basePath, async (req, res) => {
    const q = parseOrThrow(listQuerySchema, req.query, "query");
    const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (q.cursor !== undefined && !cursor) throw new ValidationError([{ field: "query.cursor", message: "Invalid cursor." }]);
    res.json(
      await listNotifications(db, userIdOf(req), { limit: q.limit, ...(cursor ? { cursor } : {}), unreadOnly: q.unread === "true" }),
    );
  });

  r.get(`${basePath}/unread-count`, async (req, res) => {
    res.json({ count: await unreadCount(db, userIdOf(req)) });
  });

  r.post(`${basePath}/read-all`, async (req, res) => {
    res.json({ updated: await markAllRead(db, userIdOf(req)) });
  });

  r.delete(basePath, async (req, res) => {
    res.json({ deleted: await clearNotifications(db, userIdOf(req)) });
  });

  r.get(`${basePath}/preferences`, async (req, res) => {
    res.json(await getPreferences(db, userIdOf(req)));
  });

  r.patch(`${basePath}/preferences`, async (req, res) => {
    const patch = parseOrThrow(preferencesPatchSchema, req.body);
    const userId = userIdOf(req);
    res.json(await savePreferences(db, userId, applyPatch(await getPreferences(db, userId), patch)));
  });

  // Public by nature, but behind the token like the rest: the web app subscribes with it (no stack config).
  r.get(`${basePath}/push/public-key`, (_req, res) => {
    res.json({ publicKey: deps.pushPublicKey });
  });

  r.post(`${basePath}/push-subscriptions`, async (req, res) => {
    const body = parseOrThrow(pushSubscriptionSchema, req.body);
    const saved = await savePushSubscription(db, userIdOf(req), {
      endpoint: body.endpoint,
      p256dh: body.keys.p256dh,
      auth: body.keys.auth,
    });
    res.status(saved.created ? 201 : 200).json({ id: saved.id });
  });

  r.delete(`${basePath}/push-subscriptions/:id`, async (req, res) => {
    const id = parseOrThrow(idParamSchema, req.params.id, "id");
    if (!(await deletePushSubscription(db, userIdOf(req), id))) throw new NotFoundError("No such push subscription.");
    res.status(204).end();
  });

  // Snooze a reminder notification: 5/15/60 minutes or until a time; 202 with when it comes back.
  r.post(`${basePath}/:id/snooze`, async (req, res) => {
    const id = parseOrThrow(idParamSchema, req.params.id, "id");
    const body = parseOrThrow(snoozeSchema, req.body);
    res.status(202).json(await snoozeNotification(deps, userIdOf(req), id, body));
  });

  r.post(`${basePath}/:id/read`, async (req, res) => {
    const id = parseOrThrow(idParamSchema, req.params.id, "id");
    if (!(await markRead(db, userIdOf(req), id))) throw new NotFoundError("No such notification.");
    res.status(204).end();
  });

  return r;
}
