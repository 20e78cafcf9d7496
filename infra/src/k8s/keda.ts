import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "./charts.js";
import { helmRelease } from "./helm.js";
import { restrictedContainer } from "./security.js";

/** Namespace of the KEDA chart on minikube (the AKS add-on runs in kube-system). */
export const kedaNamespace = "keda";
export const kedaOperatorPodLabels = { app: "keda-operator" } as const;

export interface KedaArgs {
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * KEDA from its chart, where the cluster has no KEDA add-on (minikube): the operator computes each consumer
 * group's lag from the broker and drives the HPA of every ScaledObject.
 */
export class Keda extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: KedaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:Keda", name, {}, opts);
    this.release = helmRelease(
      `${name}-release`,
      {
        chart: charts.keda,
        releaseName: "keda",
        namespace: kedaNamespace,
        values: {
          crds: { install: true },
          securityContext: {
            operator: restrictedContainer(1000),
            metricServer: restrictedContainer(1000),
            webhooks: restrictedContainer(1000),
          },
          prometheus: { operator: { enabled: true, podMonitor: { enabled: true } } },
        },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({});
  }
}
