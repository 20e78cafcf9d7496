import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkPolicyManifest } from "./build.js";

export interface NetworkPoliciesArgs {
  /** Manifests from workloadNetworkPolicies / dataNetworkPolicies. */
  readonly policies: readonly NetworkPolicyManifest[];
}

/**
 * Creates the given NetworkPolicies. Enforcement needs a CNI that implements them: Azure CNI with a
 * network policy engine on AKS; on minikube, start the cluster with `minikube start --cni=calico`
 * (the default bridge CNI silently ignores policies).
 */
export class NetworkPolicies extends pulumi.ComponentResource {
  readonly policies: k8s.networking.v1.NetworkPolicy[];

  constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:NetworkPolicies", name, {}, opts);
    const seen = new Set<string>();
    for (const p of args.policies) {
      const key = `${p.metadata.namespace}/${p.metadata.name}`;
      if (seen.has(key)) throw new pulumi.ResourceError(`policies: two policies are named ${key}`, this);
      seen.add(key);
    }
    this.policies = args.policies.map(
      (p) => new k8s.networking.v1.NetworkPolicy(`${name}-${p.metadata.namespace}-${p.metadata.name}`, p, { parent: this }),
    );
    this.registerOutputs({});
  }
}
