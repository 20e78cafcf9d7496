import { daprConfigurationFor, daprSystemNamespace, runsDaprSidecar, type ServiceSpec } from "@tasks/catalog";
import { objectMeta, type ResolvedDaprSettings } from "./settings.js";
import { daprApiVersion, type AccessControlPolicy, type DaprConfiguration } from "./types.js";

/** Dapr's default trust domain; the SPIFFE id of a sidecar is spiffe://public/ns/<namespace>/<app-id>. */
export const trustDomain = "public";

/**
 * The namespace a selfhosted daprd puts in its SPIFFE id (Dapr reads NAMESPACE, default "default"):
 * Dapr refuses an access-control policy without a namespace, so selfhosted policies name this one.
 */
export const selfhostedNamespace = "default";

/**
 * The access-control policies of a callee: deny by default, then for each catalog invocation path that
 * targets it, allow that caller exactly that verb on that path (and nothing else).
 */
export function accessPoliciesFor(callee: string, services: readonly ServiceSpec[], namespace: string | undefined): AccessControlPolicy[] {
  const callers = new Map<string, { method: string; path: string }[]>();
  for (const s of services) {
    for (const i of s.invokes) {
      if (i.app !== callee) continue;
      callers.set(s.name, [...(callers.get(s.name) ?? []), { method: i.method, path: i.path }]);
    }
  }
  return [...callers.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([appId, ops]) => ({
      appId,
      defaultAction: "deny" as const,
      trustDomain,
      ...(namespace ? { namespace } : {}),
      operations: daprOperations(ops),
    }));
}

const segments = (path: string): string[] => path.split("/").filter(Boolean);

/**
 * Where daprd's trie can match `path`: it matches `*` only as the last segment (a `*` in the middle is
 * skipped), so a path with a wildcard segment before its end is widened to `<prefix>/**`.
 */
const daprMatchable = (path: string): string => {
  const s = segments(path);
  const i = s.findIndex((x, n) => x === "*" && n < s.length - 1);
  return i < 0 ? path : `/${[...s.slice(0, i), "**"].join("/")}`;
};

/**
 * The operations of one caller on one callee as daprd's access-control trie needs them (dapr
 * pkg/config/acl_trie.go, v1.18): one operation per name with every verb (a repeated name is ignored,
 * the first one's verbs win); a `*` only as the last segment (paths with one earlier, like the acting-user
 * routes `/internal/users/* /...`, are widened to `<prefix>/**`); and an operation whose last segment is a
 * literal answers for the longer paths below it, so it also gets their verbs. Dapr thus admits the caller's
 * verbs under those prefixes; the callee checks the exact verb and path itself (apps/shared acting-user.ts,
 * tasks-api requireCaller).
 */
export function daprOperations(ops: readonly { method: string; path: string }[]): { name: string; httpVerb: string[]; action: "allow" }[] {
  const widened = ops.map((o) => ({ method: o.method, path: daprMatchable(o.path) }));
  const names = [...new Set(widened.map((o) => o.path))];
  const below = (prefix: string, path: string): boolean => {
    const p = segments(prefix);
    const q = segments(path);
    return p.length < q.length && !p[p.length - 1]!.includes("*") && p.every((s, i) => s === q[i] || s === "*");
  };
  return names.map((name) => ({
    name,
    httpVerb: [...new Set(widened.filter((o) => o.path === name || below(name, o.path)).map((o) => o.method))].sort(),
    action: "allow" as const,
  }));
}

/**
 * One Configuration per app (access control is enforced by the callee's sidecar, so each callee needs
 * its own allow list): W3C tracing exported over OTLP to the trace collector, metrics, mTLS and default-deny
 * service invocation.
 * On Kubernetes the effective mTLS switch is the control plane's `daprsystem` Configuration (set by the
 * Helm chart's global.mtls.enabled); the app Configuration repeats it so the intent is visible.
 * Selfhosted daprd (npm run dev, the integration tests) runs with `--enable-mtls` against a local Dapr
 * sentry, so it gets the same access control; its policies name the selfhosted namespace.
 * A service without a sidecar (catalog runsDaprSidecar) gets none: nothing would load it.
 */
export function configurations(settings: ResolvedDaprSettings): DaprConfiguration[] {
  const ns = settings.namespace;
  return settings.services.filter(runsDaprSidecar).map((s) => ({
    apiVersion: daprApiVersion,
    kind: "Configuration" as const,
    metadata: objectMeta(settings, daprConfigurationFor(s.name)),
    spec: {
      tracing: {
        samplingRate: settings.tracingSamplingRate,
        stdout: false,
        ...(settings.tracingEndpoint
          ? { otel: { endpointAddress: settings.tracingEndpoint.address, isSecure: false, protocol: settings.tracingEndpoint.protocol } }
          : {}),
      },
      metrics: { enabled: true },
      ...(settings.target === "selfhosted"
        ? {}
        : {
            mtls: {
              enabled: settings.mtls,
              controlPlaneTrustDomain: "cluster.local",
              sentryAddress: `dapr-sentry.${daprSystemNamespace}.svc.cluster.local:443`,
              workloadCertTTL: "24h",
              allowedClockSkew: "15m",
            },
          }),
      // Without mTLS a callee cannot verify who calls, and Dapr then applies the default action to
      // every call; so access control is only emitted where sidecars have certificates.
      ...(settings.mtls
        ? {
            accessControl: {
              defaultAction: "deny" as const,
              trustDomain,
              policies: accessPoliciesFor(s.name, settings.services, ns ?? selfhostedNamespace),
            },
          }
        : {}),
    },
  }));
}
