import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "./charts.js";
import { helmRelease } from "./helm.js";
import { namespaces } from "./names.js";

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
      ha: { enabled: args.highAvailability, replicaCount: 3 },
      mtls: { enabled: true, workloadCertTTL: "24h", allowedClockSkew: "15m" },
      scheduler: { enabled: true },
      prometheus: { enabled: true, port: 9090 },
      logAsJson: true,
      seccompProfile: "RuntimeDefault",
    },
    dapr_scheduler: { cluster: { storageSize: args.schedulerStorageSize ?? daprSchedulerStorageDefault } },
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
    this.release = helmRelease(
      `${name}-release`,
      { chart: charts.dapr, releaseName: "dapr", namespace: namespaces.dapr, values: daprControlPlaneValues(args) },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({});
  }
}
