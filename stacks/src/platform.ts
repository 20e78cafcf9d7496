import type { PlatformTarget } from "./contracts.js";

/**
 * The Kubernetes platform layer on a target cluster: cert-manager, ingress, monitoring, the Dapr
 * control plane and components, network policies and the app workloads.
 * PLACEHOLDER until the Kubernetes layer lands (issue 3): it creates nothing yet.
 */
export function deployPlatform(_target: PlatformTarget): Record<string, unknown> {
  return {};
}
