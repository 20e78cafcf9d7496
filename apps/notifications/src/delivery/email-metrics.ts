import type { SmtpMetrics } from "@tasks/shared";
import { CircuitOpenError, isSmtpOutage } from "./circuit-breaker.js";
import type { EmailSender } from "./email.js";

/** The result label of one send: what the dashboards' "SMTP sends" panel and the alerts count. */
export function smtpResult(err: unknown): "failed" | "rejected" | "circuit_open" {
  if (err instanceof CircuitOpenError) return "circuit_open";
  return isSmtpOutage(err) ? "failed" : "rejected";
}

/** Counts every send of `inner` by result (smtp_sends_total); errors pass through unchanged. */
export function instrumentedEmail(inner: EmailSender, metrics: SmtpMetrics): EmailSender {
  return {
    async send(m) {
      try {
        await inner.send(m);
        metrics.sends.inc({ result: "sent" });
      } catch (err) {
        metrics.sends.inc({ result: smtpResult(err) });
        throw err;
      }
    },
    close: () => inner.close(),
  };
}
