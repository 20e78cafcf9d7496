import { daprComponents, daprResiliencyName, runsDaprSidecar } from "@tasks/catalog";
import { fanOutApps } from "./pubsub.js";
import { objectMeta, type ResolvedDaprSettings } from "./settings.js";
import { daprApiVersion, type DaprResiliency, type ResiliencyTargetPolicies } from "./types.js";

/** Policy names, referenced by the targets below and by tests. */
export const resiliencyPolicies = {
  timeouts: { general: "general", invocation: "invocation" },
  retries: { pubsubInbound: "pubsubInbound", outbound: "outbound", invocation: "invocation" },
  circuitBreakers: { invocation: "invocation" },
} as const;

/**
 * One Resiliency for every app. Retries are exponential and capped (Dapr's default maxRetries is
 * unlimited, and these retries come on top of the component's own); inbound pub/sub retries end in the
 * subscription's dead-letter topic; invocation of a callee is behind a circuit breaker. Email does not
 * go through Dapr (notifications talks SMTP itself and has its own circuit breaker).
 */
export function resiliency(settings: ResolvedDaprSettings): DaprResiliency {
  const p = resiliencyPolicies;
  const invocationTargets = [...new Set(settings.services.flatMap((s) => s.invokes.map((i) => i.app)))].sort();
  const apps: Record<string, ResiliencyTargetPolicies> = Object.fromEntries(
    invocationTargets.map((app) => [
      app,
      { timeout: p.timeouts.invocation, retry: p.retries.invocation, circuitBreaker: p.circuitBreakers.invocation },
    ]),
  );
  const usesState = settings.services.some((s) => s.dapr.includes("state"));
  const fanOut = fanOutApps(settings.services).length > 0;
  const pubsubTargets = {
    inbound: { retry: p.retries.pubsubInbound, timeout: p.timeouts.general },
    outbound: { retry: p.retries.outbound, timeout: p.timeouts.general },
  };
  return {
    apiVersion: daprApiVersion,
    kind: "Resiliency",
    metadata: objectMeta(settings, daprResiliencyName),
    spec: {
      policies: {
        timeouts: { [p.timeouts.general]: "5s", [p.timeouts.invocation]: "3s" },
        retries: {
          [p.retries.pubsubInbound]: { policy: "exponential", maxInterval: "30s", maxRetries: 8 },
          [p.retries.outbound]: { policy: "exponential", maxInterval: "10s", maxRetries: 5 },
          // A callee's 4xx (a missing task, an invalid field) is its answer, not a fault: retrying it repeated
          // the request four times and, counted by the breaker, opened it for every caller. Only answers that
          // say the request was not handled are retried (a 500 may have run: a create is not repeated).
          [p.retries.invocation]: { policy: "exponential", maxInterval: "2s", maxRetries: 3, matching: { httpStatusCodes: "429,502,503" } },
        },
        circuitBreakers: {
          [p.circuitBreakers.invocation]: { maxRequests: 1, interval: "30s", timeout: "30s", trip: "consecutiveFailures >= 10" },
        },
      },
      targets: {
        apps,
        components: {
          [daprComponents.pubsub]: pubsubTargets,
          ...(fanOut ? { [daprComponents.pubsubBroadcast]: pubsubTargets } : {}),
          ...(usesState ? { [daprComponents.stateStore]: { outbound: { retry: p.retries.outbound, timeout: p.timeouts.general } } } : {}),
        },
      },
    },
    // Loaded by every sidecar; a service without one (catalog runsDaprSidecar) is not named.
    scopes: settings.services
      .filter(runsDaprSidecar)
      .map((s) => s.name)
      .sort(),
  };
}
