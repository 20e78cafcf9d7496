import path from "node:path";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { daprApiToken, daprAppToken, daprSidecarPorts, runsDaprSidecar, serviceUid, type ServiceSpec } from "@tasks/catalog";
import { appLabels, selectorLabels } from "../k8s/names.js";
import { restrictedContainer, restrictedPod } from "../k8s/security.js";

export type DaprLogLevel = "debug" | "info" | "warn" | "error";

export interface PodOptions {
  readonly image: pulumi.Input<string>;
  /** Dapr Configuration the sidecar loads (unused for a service without a sidecar: catalog runsDaprSidecar). */
  readonly daprConfig: string;
  /** @default "info" */
  readonly daprLogLevel?: DaprLogLevel;
  /** Label the pod for Azure workload identity (AKS): the webhook projects a federated token. */
  readonly workloadIdentity: boolean;
  /** Mount the service account token; only for sidecars that call the Kubernetes API. @default false */
  readonly mountServiceAccountToken?: boolean;
  /** Spread replicas across zones strictly (DoNotSchedule) rather than best effort. */
  readonly strictZoneSpread: boolean;
  /** Non-secret settings only (an Output such as an Entra client id is fine); secrets are read through the Dapr secret store. */
  readonly env?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Numeric user and group the containers run as. @default serviceUid from the catalog (the image's USER) */
  readonly runAsUser?: number;
}

/**
 * Annotation the policy pack reads on a pod that keeps its API token (kubernetes-no-service-account-token):
 * the reason, for reviewers.
 */
export const tokenReasonAnnotation = "policy.tasks-platform.dev/service-account-token";
export const sidecarTokenReason = "the Dapr sidecar's kubernetes secret store reads this app's secrets from the API server (minikube)";

/** The volumes with the app's Dapr tokens (files, never environment variables of the app). */
export const tokenVolumes = [
  { volume: "dapr-app-token", token: daprAppToken },
  { volume: "dapr-api-token", token: daprApiToken },
] as const;

/** Env names that would mean a secret is passed in the environment. */
export const secretLikeEnvName = /(PASSWORD|SECRET|TOKEN|PRIVATE|CONNECTION_STRING|DATABASE_URL|API_KEY|CREDENTIAL)/i;

/**
 * Dapr sidecar annotations: app id = service name, app port, config, logs, metrics, a restricted sidecar,
 * and the two token Secrets. `dapr.io/app-token-secret`: daprd sends that token as `dapr-api-token` on
 * every call to the app, which refuses Dapr routes without it. `dapr.io/api-token-secret`: daprd refuses
 * calls to its own API without that one, which only the app holds. The injector gives daprd each
 * Secret's `token` key; the app reads both Secrets from read-only volumes (see podTemplate).
 */
export function daprAnnotations(service: ServiceSpec, o: Pick<PodOptions, "daprConfig" | "daprLogLevel">): Record<string, string> {
  return {
    "dapr.io/enabled": "true",
    "dapr.io/app-id": service.name,
    "dapr.io/app-port": String(service.port),
    "dapr.io/app-protocol": "http",
    [daprAppToken.annotation]: daprAppToken.secretName(service.name),
    [daprApiToken.annotation]: daprApiToken.secretName(service.name),
    "dapr.io/config": o.daprConfig,
    "dapr.io/log-level": o.daprLogLevel ?? "info",
    "dapr.io/log-as-json": "true",
    "dapr.io/enable-metrics": "true",
    "dapr.io/metrics-port": String(daprSidecarPorts.metrics),
    "dapr.io/enable-app-health-check": "true",
    "dapr.io/app-health-check-path": "/healthz",
    "dapr.io/sidecar-seccomp-profile-type": "RuntimeDefault",
    "dapr.io/sidecar-cpu-request": "50m",
    "dapr.io/sidecar-cpu-limit": "500m",
    "dapr.io/sidecar-memory-request": "64Mi",
    "dapr.io/sidecar-memory-limit": "256Mi",
    "dapr.io/graceful-shutdown-seconds": "20",
  };
}

/**
 * The pod template of a service: Pod Security "restricted", probes, catalog resources, /tmp as the only writable path;
 * the Dapr sidecar's annotations and the token volumes only for a service whose catalog entry uses Dapr.
 */
export function podTemplate(service: ServiceSpec, o: PodOptions): k8s.types.input.core.v1.PodTemplateSpec {
  const uid = o.runAsUser ?? serviceUid;
  const dapr = runsDaprSidecar(service);
  const tokens = dapr ? tokenVolumes : [];
  const env = { NODE_ENV: "production", PORT: String(service.port), SERVICE_NAME: service.name, LOG_LEVEL: "info", ...o.env };
  const badEnv = Object.keys(env).filter((k) => secretLikeEnvName.test(k));
  if (badEnv.length) throw new Error(`env: ${badEnv.join(", ")} look like secrets; read secrets through the Dapr secret store instead`);
  const zoneSpread = {
    maxSkew: 1,
    topologyKey: "topology.kubernetes.io/zone",
    whenUnsatisfiable: o.strictZoneSpread ? "DoNotSchedule" : "ScheduleAnyway",
    labelSelector: { matchLabels: selectorLabels(service.name) },
  };
  const hostSpread = { ...zoneSpread, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway" };
  return {
    metadata: {
      labels: { ...appLabels(service.name), ...(o.workloadIdentity ? { "azure.workload.identity/use": "true" } : {}) },
      annotations: {
        ...(dapr ? daprAnnotations(service, o) : {}),
        ...(o.mountServiceAccountToken ? { [tokenReasonAnnotation]: sidecarTokenReason } : {}),
      },
    },
    spec: {
      serviceAccountName: service.name,
      automountServiceAccountToken: o.mountServiceAccountToken ?? false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 30,
      securityContext: restrictedPod(uid),
      topologySpreadConstraints: [zoneSpread, hostSpread],
      containers: [
        {
          name: service.name,
          image: o.image,
          imagePullPolicy: "IfNotPresent",
          ports: [{ name: "http", containerPort: service.port, protocol: "TCP" }],
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          resources: {
            requests: { cpu: service.resources.cpuRequest, memory: service.resources.memoryRequest },
            limits: { cpu: service.resources.cpuLimit, memory: service.resources.memoryLimit },
          },
          startupProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 2 },
          livenessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
          readinessProbe: { httpGet: { path: "/readyz", port: "http" }, periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 3 },
          securityContext: restrictedContainer(uid),
          volumeMounts: [
            { name: "tmp", mountPath: "/tmp" },
            ...tokens.map((t) => ({ name: t.volume, mountPath: t.token.mountDir, readOnly: true })),
          ],
        },
      ],
      volumes: [
        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
        ...tokens.map((t) => ({
          name: t.volume,
          secret: {
            secretName: t.token.secretName(service.name),
            items: [{ key: t.token.secretKey, path: path.basename(t.token.file) }],
            // Readable by the app's group (fsGroup) only.
            defaultMode: 0o440,
          },
        })),
      ],
    },
  };
}
