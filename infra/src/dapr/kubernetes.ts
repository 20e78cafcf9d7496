import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { allDaprResources, daprResources, type DaprResourceSet } from "./resources.js";
import type { DaprSettings } from "./types.js";

export interface DaprResourcesArgs {
  /** Target and connection settings; `target` must be aks or minikube. */
  readonly settings: DaprSettings;
}

/**
 * The catalog's Dapr resources (components, subscriptions, per-app configurations, the resiliency
 * policy) as Kubernetes custom resources. Needs the Dapr CRDs, so create it after the control plane.
 */
export class DaprResources extends pulumi.ComponentResource {
  readonly set: DaprResourceSet;
  readonly resources: k8s.apiextensions.CustomResource[];

  constructor(name: string, args: DaprResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:dapr:Resources", name, {}, opts);
    if (args.settings.target === "selfhosted") {
      throw new pulumi.ResourceError(
        "settings.target: DaprResources creates Kubernetes objects; write selfhosted resources with writeSelfhostedResources",
        this,
      );
    }
    this.set = daprResources(args.settings);
    this.resources = allDaprResources(this.set).map(
      (r) => new k8s.apiextensions.CustomResource(`${name}-${r.kind.toLowerCase()}-${r.metadata.name}`, { ...r }, { parent: this }),
    );
    this.registerOutputs({});
  }
}
