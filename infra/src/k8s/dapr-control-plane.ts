import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "./charts.js";
import { helmRelease } from "./helm.js";
import { namespaces, partOfLabels } from "./names.js";

/** Azure Disk CSI: zone-redundant premium SSDs (Premium_ZRS), attachable from any zone of the region. */
export const zoneRedundantDiskClass = {
  name: "managed-csi-premium-zrs",
  provisioner: "disk.csi.azure.com",
  parameters: { skuName: "Premium_ZRS" },
} as const;

/** The Dapr chart's default scheduler volume (dapr_scheduler.cluster.storageSize). */
export const daprSchedulerStorageDefault = "16Gi";

export interface DaprControlPlaneArgs {
  /** Three replicas of every control-plane service (global.ha.enabled). */
  readonly highAvailability: boolean;
  /**
   * Storage of each scheduler replica's embedded etcd (Jobs API state). A StatefulSet's volume claim cannot be
   * resized by a chart upgrade, so this starts at the chart's own default. @default "16Gi"
   */
  readonly schedulerStorageSize?: string;
  /**
   * Zone-redundant volumes for the scheduler's etcd (AKS): a StorageClass of ZRS managed disks the program creates,
   * so a replica whose zone fails restarts in another zone with its data. Absent: the cluster's default class.
   */
  readonly schedulerStorageClass?: {
    readonly name: string;
    readonly provisioner: string;
    readonly parameters: Readonly<Record<string, string>>;
  };
  /** Spread the scheduler's three replicas over zones: required (one per zone) or preferred. @default "preferred" */
  readonly schedulerZoneSpread?: "required" | "preferred";
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Helm values of the Dapr chart: mTLS between sidecars (Sentry), the scheduler (the Jobs API the
 * notifications service schedules reminders with), HA in production, JSON logs, Prometheus metrics,
 * and sidecars that meet Pod Security "restricted" (all capabilities dropped, RuntimeDefault seccomp).
 */
export function daprControlPlaneValues(args: DaprControlPlaneArgs): Record<string, unknown> {
  return {
    global: {
      // The scheduler always runs 3 replicas (an etcd quorum); the PDB keeps two up during node drains, and the
      // anti-affinity puts them in different zones.
      ha: {
        enabled: args.highAvailability,
        replicaCount: 3,
        topologyKey: "topology.kubernetes.io/zone",
        podAntiAffinityPolicy:
          args.schedulerZoneSpread === "required"
            ? "requiredDuringSchedulingIgnoredDuringExecution"
            : "preferredDuringSchedulingIgnoredDuringExecution",
        disruption: { minimumAvailable: "", maximumUnavailable: 1 },
      },
      mtls: { enabled: true, workloadCertTTL: "24h", allowedClockSkew: "15m" },
      scheduler: { enabled: true },
      prometheus: { enabled: true, port: 9090 },
      logAsJson: true,
      seccompProfile: "RuntimeDefault",
    },
    dapr_scheduler: {
      cluster: {
        storageSize: args.schedulerStorageSize ?? daprSchedulerStorageDefault,
        ...(args.schedulerStorageClass ? { storageClassName: args.schedulerStorageClass.name } : {}),
      },
    },
    dapr_sidecar_injector: { sidecarDropALLCapabilities: true },
  };
}

export class DaprControlPlane extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: DaprControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:DaprControlPlane", name, {}, opts);
    if (args.schedulerStorageSize !== undefined && !/^\d+(Mi|Gi)$/.test(args.schedulerStorageSize)) {
      throw new pulumi.ResourceError(`schedulerStorageSize: expected a size such as 1Gi, got "${args.schedulerStorageSize}"`, this);
    }
    const sc = args.schedulerStorageClass;
    const storageClass = sc
      ? [
          new k8s.storage.v1.StorageClass(
            `${name}-scheduler-storage`,
            {
              metadata: { name: sc.name, labels: { ...partOfLabels } },
              provisioner: sc.provisioner,
              parameters: { ...sc.parameters },
              // The Jobs API's state outlives the release: a deleted claim keeps its disk.
              reclaimPolicy: "Retain",
              volumeBindingMode: "WaitForFirstConsumer",
              allowVolumeExpansion: true,
            },
            { parent: this },
          ),
        ]
      : [];
    this.release = helmRelease(
      `${name}-release`,
      { chart: charts.dapr, releaseName: "dapr", namespace: namespaces.dapr, values: daprControlPlaneValues(args) },
      { parent: this, dependsOn: [...storageClass, ...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({});
  }
}
