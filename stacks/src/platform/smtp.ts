import type { PlatformTarget } from "../contracts.js";

/**
 * Non-secret mail settings in the variables the notifications service reads (apps/notifications
 * config.ts). The relay's credentials stay in the secret store; minikube talks to a local mail catcher
 * without TLS or authentication.
 */
export function smtpEnvironment(target: PlatformTarget): Record<string, string> {
  const local = target.kind === "minikube";
  return {
    SMTP_HOST: target.smtp.host,
    SMTP_PORT: String(target.smtp.port),
    SMTP_TLS: local ? "none" : target.smtp.port === 465 ? "implicit" : "starttls",
    SMTP_AUTH: local ? "false" : "true",
    MAIL_FROM: target.smtp.from,
    VAPID_SUBJECT: `mailto:${target.smtp.from}`,
  };
}
