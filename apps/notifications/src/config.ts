/** notifications configuration: mail, push and delivery settings; SMTP credentials and VAPID keys from the secret store. */
import { secretNames } from "@tasks/catalog";
import { baseEnvSchema, loadServiceConfig, type EnvSource, type SecretReader } from "@tasks/shared";
import { z } from "zod";

/** Non-secret settings; SMTP credentials, VAPID keys, the JWT key and the database URL come from the secret store. */
export const envSchema = baseEnvSchema.extend({
  SMTP_HOST: z.string().min(1),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_TLS: z.enum(["implicit", "starttls", "none"]).default("starttls"),
  /** Whether the SMTP server needs a login (credentials read from the secret store). */
  SMTP_AUTH: z.enum(["true", "false"]).default("true"),
  MAIL_FROM: z.string().min(3),
  /** Consecutive SMTP failures that open the email circuit breaker (sends then fail fast). */
  SMTP_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** Seconds the email circuit stays open before one trial send. */
  SMTP_BREAKER_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:)/, "must start with mailto: or https:"),
  /** Attempts per channel before a failed delivery is recorded for good. */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Interval between Dapr's re-triggers of a failed reminder callback (Go duration). */
  JOB_RETRY_INTERVAL: z
    .string()
    .regex(/^\d+(ms|s|m|h)$/)
    .default("30s"),
  /**
   * The escalating reminders of an urgent task, in minutes before its due time (each within the six
   * hours before it), added to its own or default reminders; "" turns escalation off.
   */
  URGENT_REMINDER_MINUTES: z
    .string()
    .default("60,30,10,0")
    .transform((text, ctx) => {
      const parts = text.trim() === "" ? [] : text.split(",").map((p) => p.trim());
      const minutes = parts.map(Number);
      if (minutes.some((m, i) => parts[i] === "" || !Number.isInteger(m) || m < 0 || m > 360) || minutes.length > 10) {
        ctx.addIssue({ code: "custom", message: "Expected up to 10 comma-separated whole minutes between 0 and 360, e.g. 60,30,10,0." });
        return z.NEVER;
      }
      return [...new Set(minutes)].sort((a, b) => b - a);
    }),
  /** Notifications older than this many days are archived by the cron binding. */
  ARCHIVE_AFTER_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

export type NotificationsEnv = z.output<typeof envSchema>;

/** The service's own secrets: the SMTP login (when SMTP_AUTH) and the VAPID key pair. */
export async function readSecrets(env: NotificationsEnv, secret: SecretReader) {
  return {
    smtpLogin:
      env.SMTP_AUTH === "true"
        ? { username: await secret(secretNames.smtpUsername), password: await secret(secretNames.smtpPassword) }
        : undefined,
    vapid: { publicKey: await secret(secretNames.vapidPublicKey), privateKey: await secret(secretNames.vapidPrivateKey) },
  };
}

export const loadConfig = (env: EnvSource = process.env) =>
  loadServiceConfig({ service: "notifications", envSchema, database: { poolMax: 10, poolMaxLimit: 100 }, secrets: readSecrets }, env);
export type NotificationsConfig = Awaited<ReturnType<typeof loadConfig>>;
