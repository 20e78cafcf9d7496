import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { chaosMeshNamespace, chaosTargetAnnotation } from "./chaos-mesh.js";
import { namespaces, partOfLabels } from "./names.js";

/** Pod Security Standards level enforced by the namespace's admission labels. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

export interface NamespaceSpec {
  readonly name: string;
  /** Enforced level; violations of "restricted" are always warned about and audited. */
  readonly enforce: PodSecurityLevel;
}

/**
 * The platform's namespaces. Workload namespaces enforce "restricted"; chart namespaces enforce what
 * their charts need (node-exporter in monitoring needs host access) and warn about "restricted".
 */
export function platformNamespaceSpecs(withData: boolean, withKeda = false, withChaosMesh = false): NamespaceSpec[] {
  return [
    { name: namespaces.workloads, enforce: "restricted" },
    ...(withData ? [{ name: namespaces.data, enforce: "restricted" as const }] : []),
    { name: namespaces.certManager, enforce: "restricted" },
    { name: namespaces.ingress, enforce: "baseline" },
    { name: namespaces.monitoring, enforce: "privileged" },
    { name: namespaces.dapr, enforce: "baseline" },
    ...(withKeda ? [{ name: "keda", enforce: "restricted" as const }] : []),
    // chaos-daemon: privileged, host PID and the container runtime's socket (game days on dev only).
    ...(withChaosMesh ? [{ name: chaosMeshNamespace, enforce: "privileged" as const }] : []),
  ];
}

export interface PlatformNamespacesArgs {
  /** Also create the data namespace (Redpanda, Postgres) of the local stack. @default false */
  readonly withData?: boolean;
  /** Also create the namespace of the KEDA chart (clusters without the KEDA add-on: minikube). @default false */
  readonly withKeda?: boolean;
  /**
   * Also create Chaos Mesh's namespace, and annotate the workload namespace as its target (the only one it may
   * touch). @default false
   */
  readonly withChaosMesh?: boolean;
}

export class PlatformNamespaces extends pulumi.ComponentResource {
  readonly byName: Readonly<Record<string, k8s.core.v1.Namespace>>;

  constructor(name: string, args: PlatformNamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:Namespaces", name, {}, opts);
    const byName: Record<string, k8s.core.v1.Namespace> = {};
    for (const ns of platformNamespaceSpecs(args.withData ?? false, args.withKeda ?? false, args.withChaosMesh ?? false)) {
      byName[ns.name] = new k8s.core.v1.Namespace(
        `${name}-${ns.name}`,
        {
          metadata: {
            name: ns.name,
            ...(args.withChaosMesh && ns.name === namespaces.workloads ? { annotations: { ...chaosTargetAnnotation } } : {}),
            labels: {
              ...partOfLabels,
              "pod-security.kubernetes.io/enforce": ns.enforce,
              "pod-security.kubernetes.io/enforce-version": "latest",
              "pod-security.kubernetes.io/warn": "restricted",
              "pod-security.kubernetes.io/audit": "restricted",
            },
          },
        },
        { parent: this },
      );
    }
    this.byName = byName;
    this.registerOutputs({});
  }
}
