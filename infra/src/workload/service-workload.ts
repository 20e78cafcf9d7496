import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { runsDaprSidecar, serviceAccounts, type ServiceSpec } from "@tasks/catalog";
import { appLabels, selectorLabels } from "../k8s/names.js";
import { scaledObjectManifest, type LagScaling } from "./lag-scaling.js";
import { podTemplate, tokenVolumes, type PodOptions } from "./pod.js";

export interface ServiceWorkloadArgs extends Omit<PodOptions, "workloadIdentity" | "strictZoneSpread"> {
  readonly service: ServiceSpec;
  readonly namespace: string;
  /** Workload identity client id (AKS); annotates the service account and labels the pods. */
  readonly workloadIdentityClientId?: pulumi.Input<string>;
  /** Production spreading: replicas must land in different zones. @default false */
  readonly highAvailability?: boolean;
  /** Secrets the pod's service account may read (the Kubernetes secret store), when the token is mounted. @default [] */
  readonly readableSecrets?: readonly string[];
  /** Scale on the consumer group's lag (a KEDA ScaledObject with a CPU trigger too) instead of a CPU-only HPA. */
  readonly lagScaling?: LagScaling;
  /** What the ScaledObject waits for (KEDA's CRDs: its chart, or the cluster with the add-on). */
  readonly scalingDependsOn?: pulumi.Input<pulumi.Resource>[];
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * One catalog service on Kubernetes: ServiceAccount, the Dapr app and API token Secrets, Deployment (Dapr
 * sidecar unless the catalog entry uses no building block, restricted pod, rolling update that never drops below the current capacity), Service, scaling
 * with the catalog's bounds (a KEDA ScaledObject on the consumer group's lag for an event consumer, an HPA
 * on CPU otherwise), PDB.
 * The Deployment leaves `replicas` to the HPA: a replica count in the manifest would reset the HPA's
 * choice on every update.
 */
export class ServiceWorkload extends pulumi.ComponentResource {
  readonly deployment: k8s.apps.v1.Deployment;
  readonly service: k8s.core.v1.Service;

  constructor(name: string, args: ServiceWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:workload:ServiceWorkload", name, {}, opts);
    const s = args.service;
    if (args.mountServiceAccountToken && !args.readableSecrets?.length) {
      throw new pulumi.ResourceError(
        "mountServiceAccountToken: mount the token only for a sidecar that reads secrets; readableSecrets is empty",
        this,
      );
    }
    if (!args.mountServiceAccountToken && args.readableSecrets?.length) {
      throw new pulumi.ResourceError("readableSecrets: the pod cannot use them without mountServiceAccountToken", this);
    }
    const labels = appLabels(s.name);
    const meta = { name: s.name, namespace: args.namespace, labels };
    const child = { parent: this };

    const access = createServiceAccess(name, args, this);
    const tokens = createDaprTokens(name, args, this);
    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: meta,
        spec: {
          revisionHistoryLimit: 5,
          selector: { matchLabels: selectorLabels(s.name) },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: podTemplate(s, {
            ...args,
            workloadIdentity: args.workloadIdentityClientId !== undefined,
            strictZoneSpread: args.highAvailability ?? false,
          }),
        },
      },
      { ...child, dependsOn: [...access, ...tokens, ...(args.dependsOn ?? [])] },
    );
    this.service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: meta,
        spec: {
          type: "ClusterIP",
          selector: selectorLabels(s.name),
          ports: [{ name: "http", port: s.port, targetPort: "http", protocol: "TCP" }],
        },
      },
      child,
    );
    createScaling(name, args, meta, this.deployment, child);
    this.registerOutputs({});
  }
}

/**
 * Dapr's app token (sidecar -> app) and API token (app -> sidecar): the sidecar gets each through its
 * dapr.io/*-token-secret annotation, the app reads the same Secrets from read-only volumes (podTemplate).
 * A new token rolls both together. None for a service without a sidecar.
 */
function createDaprTokens(name: string, args: ServiceWorkloadArgs, parent: pulumi.Resource): pulumi.Resource[] {
  const s = args.service;
  if (!runsDaprSidecar(s)) return [];
  const child = { parent };
  return tokenVolumes.map(({ volume, token }) => {
    const value = new random.RandomPassword(`${name}-${volume}`, { length: 48, special: false }, child);
    return new k8s.core.v1.Secret(
      `${name}-${volume}`,
      {
        metadata: { name: token.secretName(s.name), namespace: args.namespace, labels: appLabels(s.name) },
        type: "Opaque",
        stringData: { [token.secretKey]: value.result },
      },
      { ...child, dependsOn: args.dependsOn },
    );
  });
}

/**
 * The service account (annotated for workload identity), and for a sidecar that reads Kubernetes
 * secrets a Role and RoleBinding limited to those secrets. Returns what the Deployment waits for.
 */
function createServiceAccess(name: string, args: ServiceWorkloadArgs, parent: pulumi.Resource): pulumi.Resource[] {
  const s = args.service;
  const meta = { name: s.name, namespace: args.namespace, labels: appLabels(s.name) };
  const child = { parent };
  const sa = new k8s.core.v1.ServiceAccount(
    `${name}-sa`,
    {
      metadata: {
        ...meta,
        name: serviceAccounts.nameOf(s.name),
        ...(args.workloadIdentityClientId ? { annotations: { "azure.workload.identity/client-id": args.workloadIdentityClientId } } : {}),
      },
      automountServiceAccountToken: args.mountServiceAccountToken ?? false,
    },
    { ...child, dependsOn: args.dependsOn },
  );
  const rbac: pulumi.Resource[] = [];
  if (args.readableSecrets?.length) {
    const role = new k8s.rbac.v1.Role(
      `${name}-secret-reader`,
      {
        metadata: { ...meta, name: `${s.name}-secret-reader` },
        rules: [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"], resourceNames: [...args.readableSecrets] }],
      },
      child,
    );
    rbac.push(
      role,
      new k8s.rbac.v1.RoleBinding(
        `${name}-secret-reader`,
        {
          metadata: { ...meta, name: `${s.name}-secret-reader` },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: `${s.name}-secret-reader` },
          subjects: [{ kind: "ServiceAccount", name: serviceAccounts.nameOf(s.name), namespace: args.namespace }],
        },
        { ...child, dependsOn: [role, sa] },
      ),
    );
  }
  return [sa, ...rbac];
}

/**
 * The catalog's bounds: a KEDA ScaledObject on the consumer group's lag (and CPU) for an event consumer, else an
 * HPA on CPU; slow scale-down either way; and a PDB of one pod at a time.
 */
function createScaling(
  name: string,
  args: ServiceWorkloadArgs,
  meta: { name: string; namespace: string; labels: Record<string, string> },
  deployment: k8s.apps.v1.Deployment,
  child: pulumi.CustomResourceOptions,
): void {
  const s = args.service;
  if (args.lagScaling) {
    new k8s.apiextensions.CustomResource(`${name}-scaledobject`, scaledObjectManifest(s, args.namespace, args.lagScaling), {
      ...child,
      dependsOn: [deployment, ...(args.scalingDependsOn ?? [])],
    });
  } else createHpa(name, s, meta, deployment, child);
  new k8s.policy.v1.PodDisruptionBudget(
    `${name}-pdb`,
    { metadata: meta, spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(s.name) } } },
    child,
  );
}

function createHpa(
  name: string,
  s: ServiceSpec,
  meta: { name: string; namespace: string; labels: Record<string, string> },
  deployment: k8s.apps.v1.Deployment,
  child: pulumi.CustomResourceOptions,
): void {
  new k8s.autoscaling.v2.HorizontalPodAutoscaler(
    `${name}-hpa`,
    {
      metadata: meta,
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: s.name },
        minReplicas: s.scaling.min,
        maxReplicas: s.scaling.max,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: s.scaling.targetCpuPercent } },
          },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
      },
    },
    { ...child, dependsOn: [deployment] },
  );
}
