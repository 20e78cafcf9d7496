import type * as pulumi from "@pulumi/pulumi";
import { charts, type PlatformNamespaces } from "@tasks/infra/k8s/index";
import type { ControlPlane } from "./control-plane.js";
import type { Workloads } from "./workloads.js";
import type { PlatformTarget } from "../contracts.js";

/** Step 4 of the platform: the stack outputs it contributes (the Azure and local stacks spread them into theirs). */
export function platformOutputs(target: PlatformTarget, ns: PlatformNamespaces, cp: ControlPlane, w: Workloads): Record<string, unknown> {
  const images: Record<string, pulumi.Output<string>> = {};
  for (const [name, image] of Object.entries(w.images)) images[name] = image.imageName;
  // What previews and drift checks pass back as tasks-platform:imageDigests (tag@digest: stale once the sources change).
  const deployed = Object.fromEntries(
    Object.entries(w.images).flatMap(([name, image]) => (image.digest ? [[name, `${image.tag}@${image.digest}`]] : [])),
  );
  const set = cp.daprResources.set;
  return {
    ingressHost: target.host,
    images,
    ...(target.kind === "aks" ? { deployedImages: deployed } : {}),
    platformNamespaces: Object.keys(ns.byName).sort(),
    helmCharts: Object.fromEntries(Object.values(charts).map((c) => [c.chart, c.version])),
    daprResources: {
      components: set.components.map((c) => c.metadata.name),
      subscriptions: set.subscriptions.map((x) => x.metadata.name),
      configurations: set.configurations.map((x) => x.metadata.name),
    },
    grafanaAdminPassword: cp.monitoring.grafanaAdminPassword,
  };
}
