import { daprComponents, daprResiliencyName } from "@tasks/catalog";
import { objectMeta, type ResolvedDaprSettings } from "./settings.js";
import { daprApiVersion, type DaprResiliency, type ResiliencyTargetPolicies } from "./types.js";

/** Policy names, referenced by the targets below and by tests. */
export const resiliencyPolicies = {
  timeouts: { general: "general", invocation: "invocation", email: "email" },
  retries: { pubsubInbound: "pubsubInbound", outbound: "outbound", invocation: "invocation", email: "email" },
  circuitBreakers: { email: "email", invocation: "invocation" },
} as const;

/**
 * One Resiliency for every app. Retries are exponential and capped (Dapr's default maxRetries is
 * unlimited, and these retries come on top of the component's own); inbound pub/sub retries end in the
 * subscription's dead-letter topic; outbound email is behind a circuit breaker so a failing SMTP relay
 * is not hammered by every reminder.
 */
export function resiliency(settings: ResolvedDaprSettings): DaprResiliency {
  const p = resiliencyPolicies;
  const invocationTargets = [...new Set(settings.services.flatMap((s) => s.invokes.map((i) => i.app)))].sort();
  const apps: Record<string, ResiliencyTargetPolicies> = Object.fromEntries(
    invocationTargets.map((app) => [app, { timeout: p.timeouts.invocation, retry: p.retries.invocation, circuitBreaker: p.circuitBreakers.invocation }]),
  );
  const usesState = settings.services.some((s) => s.dapr.includes("state"));
  const sendsEmail = settings.services.some((s) => s.egress.includes("smtp"));
  return {
    apiVersion: daprApiVersion,
    kind: "Resiliency",
    metadata: objectMeta(settings, daprResiliencyName),
    spec: {
      policies: {
        timeouts: { [p.timeouts.general]: "5s", [p.timeouts.invocation]: "3s", [p.timeouts.email]: "15s" },
        retries: {
          [p.retries.pubsubInbound]: { policy: "exponential", maxInterval: "30s", maxRetries: 8 },
          [p.retries.outbound]: { policy: "exponential", maxInterval: "10s", maxRetries: 5 },
          [p.retries.invocation]: { policy: "exponential", maxInterval: "2s", maxRetries: 3 },
          [p.retries.email]: { policy: "exponential", maxInterval: "60s", maxRetries: 4 },
        },
        circuitBreakers: {
          [p.circuitBreakers.email]: { maxRequests: 1, interval: "60s", timeout: "120s", trip: "consecutiveFailures >= 5" },
          [p.circuitBreakers.invocation]: { maxRequests: 1, interval: "30s", timeout: "30s", trip: "consecutiveFailures >= 10" },
        },
      },
      targets: {
        apps,
        components: {
          [daprComponents.pubsub]: {
            inbound: { retry: p.retries.pubsubInbound, timeout: p.timeouts.general },
            outbound: { retry: p.retries.outbound, timeout: p.timeouts.general },
          },
          ...(usesState ? { [daprComponents.stateStore]: { outbound: { retry: p.retries.outbound, timeout: p.timeouts.general } } } : {}),
          ...(sendsEmail
            ? { [daprComponents.email]: { outbound: { retry: p.retries.email, timeout: p.timeouts.email, circuitBreaker: p.circuitBreakers.email } } }
            : {}),
        },
      },
    },
    scopes: settings.services.map((s) => s.name).sort(),
  };
}
