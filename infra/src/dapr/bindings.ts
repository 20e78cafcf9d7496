import { objectMeta, value, type ResolvedDaprSettings } from "./settings.js";
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
