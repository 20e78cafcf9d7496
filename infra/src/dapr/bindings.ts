import { daprComponents, secretNames } from "@tasks/catalog";
import { objectMeta, secretAuth, secretRef, value, type ResolvedDaprSettings } from "./settings.js";
import { daprApiVersion, type DaprComponent } from "./types.js";

/** One bindings.cron input binding per service with a `cron` schedule; Dapr POSTs to `/<binding>`. */
export function cronBindings(settings: ResolvedDaprSettings): DaprComponent[] {
  return settings.services.flatMap((s) =>
    s.cron
      ? [
          {
            apiVersion: daprApiVersion,
            kind: "Component" as const,
            metadata: objectMeta(settings, s.cron.binding),
            spec: {
              type: "bindings.cron",
              version: "v1",
              metadata: [value("schedule", s.cron.schedule), value("direction", "input"), value("route", `/${s.cron.binding}`)],
            },
            scopes: [s.name],
          },
        ]
      : [],
  );
}

/**
 * The bindings.smtp output binding for outbound email, scoped to the services with SMTP egress. Sending
 * through it (rather than straight to the relay) puts the Resiliency circuit breaker in front of SMTP.
 */
export function emailBinding(settings: ResolvedDaprSettings): DaprComponent | undefined {
  const senders = settings.services.filter((s) => s.egress.includes("smtp")).map((s) => s.name).sort();
  if (senders.length === 0) return undefined;
  return {
    apiVersion: daprApiVersion,
    kind: "Component",
    metadata: objectMeta(settings, daprComponents.email),
    spec: {
      type: "bindings.smtp",
      version: "v1",
      metadata: [
        value("host", settings.smtp.host),
        value("port", String(settings.smtp.port)),
        secretRef("user", secretNames.smtpUsername),
        secretRef("password", secretNames.smtpPassword),
        value("emailFrom", settings.smtp.from),
        value("skipTLSVerify", "false"),
        value("direction", "output"),
      ],
    },
    ...secretAuth(settings, daprComponents.secretStore),
    scopes: senders,
  };
}
