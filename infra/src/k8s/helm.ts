import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ChartRef } from "./charts.js";

export interface ReleaseArgs {
  readonly chart: ChartRef;
  /** Helm release name. */
  readonly releaseName: string;
  readonly namespace: pulumi.Input<string>;
  readonly values: pulumi.Input<Record<string, unknown>>;
  /** Seconds Helm waits for the release's resources to become ready. @default 900 */
  readonly timeoutSeconds?: number;
}

/**
 * A Helm release as a `helm.v3.Release`: unlike a Chart component, its `values` are an input of one
 * resource, so policies and mocked tests can check them (policies never see the objects a chart renders).
 * Atomic: a failed install or upgrade is rolled back instead of left half-applied.
 */
export function helmRelease(name: string, args: ReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: args.releaseName,
      chart: args.chart.chart,
      version: args.chart.version,
      repositoryOpts: { repo: args.chart.repo },
      namespace: args.namespace,
      createNamespace: false,
      values: args.values,
      // CRDs of a chart's crds/ directory come from the CRD step (crds.ts), which upgrades them with the chart.
      skipCrds: args.chart.skipCrds ?? false,
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 5,
      timeout: args.timeoutSeconds ?? 900,
    },
    opts,
  );
}
