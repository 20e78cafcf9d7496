/** Entry point: the shared run loop with the notifications app, its email and push senders. */
import { runService } from "@tasks/shared";
import { migrations } from "../migrations/index.js";
import { createNotificationsApp } from "./app.js";
import { loadConfig } from "./config.js";
import { emailSender } from "./delivery/email-sender.js";
import { webPushSender } from "./delivery/push.js";

await runService({
  service: "notifications",
  loadConfig,
  migrations,
  start: ({ config, logger, registry, db }) => {
    const { env, secrets } = config;
    const email = emailSender(env, secrets.smtpLogin, logger);
    const { app, health } = createNotificationsApp({
      db,
      logger,
      registry,
      sidecar: config.sidecar,
      auth: config.auth,
      daprAppToken: config.daprAppToken,
      email,
      push: webPushSender({ subject: env.VAPID_SUBJECT, ...secrets.vapid }),
      failurePolicy: { constant: { interval: env.JOB_RETRY_INTERVAL, maxRetries: env.DELIVERY_MAX_ATTEMPTS + 2 } },
      maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
      archiveAfterDays: env.ARCHIVE_AFTER_DAYS,
      urgentReminderMinutes: env.URGENT_REMINDER_MINUTES,
    });
    return { app, health, stopSteps: [{ name: "smtp", run: () => email.close() }] };
  },
});
