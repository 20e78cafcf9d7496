/** The email sender main.ts uses: SMTP from the settings, behind the circuit breaker, state changes logged. */
import type { Logger } from "@tasks/shared";
import type { NotificationsEnv } from "../config.js";
import { circuitBreakingSender } from "./circuit-breaker.js";
import { smtpSender, type EmailSender } from "./email.js";

export function emailSender(
  env: NotificationsEnv,
  login: { readonly username: string; readonly password: string } | undefined,
  logger: Logger,
): EmailSender {
  return circuitBreakingSender(
    smtpSender({ host: env.SMTP_HOST, port: env.SMTP_PORT, tls: env.SMTP_TLS, from: env.MAIL_FROM, ...(login ?? {}) }),
    {
      failureThreshold: env.SMTP_BREAKER_FAILURES,
      cooldownMs: env.SMTP_BREAKER_COOLDOWN_SECONDS * 1000,
      onStateChange: (state, failures) =>
        logger[state === "closed" ? "info" : "warn"]({ circuit: "smtp", state, consecutiveFailures: failures }, `smtp circuit ${state}`),
    },
  );
}
