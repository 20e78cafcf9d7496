import * as pulumi from "@pulumi/pulumi";
import { allServices } from "@tasks/catalog";
import { PlatformNamespaces } from "@tasks/infra/k8s/index";
import type { PlatformTarget } from "./contracts.js";
import { createControlPlane } from "./platform/control-plane.js";
import { createNetworking } from "./platform/networking.js";
import { platformOutputs } from "./platform/outputs.js";
import { platformTargetProblems } from "./platform/target-problems.js";
import type { Platform, PlatformContext, PlatformOptions } from "./platform/types.js";
import { createWorkloads } from "./platform/workloads.js";
import { createGameDay } from "./platform/game-day.js";

export type { Platform, PlatformOptions } from "./platform/types.js";
export { platformTargetProblems } from "./platform/target-problems.js";
export { apiServerOf, brokerPorts, chartNetworkInput, networkInput } from "./platform/network.js";
export { daprSettings } from "./platform/dapr.js";
export { smtpEnvironment } from "./platform/smtp.js";

/**
 * The Kubernetes platform layer on a target cluster, in four steps (files under ./platform/):
 * 1. control plane: kube-prometheus-stack with the services' monitors, rules and dashboards, cert-manager
 *    and its issuers, the CRD step, Traefik with the public Gateway, the Dapr control plane and the catalog's Dapr resources;
 * 2. networking: the network policies;
 * 3. workloads: one image and ServiceWorkload (Deployment, Service, HPA, PDB) per catalog service, the
 *    database-roles Job, the HTTPRoutes;
 * 4. game day (opt-in, dev): Chaos Mesh and its experiments;
 * 5. outputs.
 */
export function createPlatform(target: PlatformTarget, options: PlatformOptions = {}): Platform {
  const services = options.services ?? allServices;
  const problems = platformTargetProblems(target, services);
  if (problems.length) throw new pulumi.RunError(`Invalid platform target: ${problems.join("; ")}`);
  const k8sOpts: pulumi.ComponentResourceOptions = { providers: [target.provider] };
  const ns =
    options.namespaces ??
    new PlatformNamespaces("platform-namespaces", { withData: false, withChaosMesh: target.chaos !== undefined }, k8sOpts);
  const ctx: PlatformContext = { services, options, k8sOpts, namespaces: ns, nsDeps: Object.values(ns.byName) };

  const controlPlane = createControlPlane(target, ctx);
  const networkPolicies = createNetworking(target, ctx, controlPlane.daprResources.set);
  const workloads = createWorkloads(target, ctx, controlPlane, networkPolicies);
  createGameDay(target, ctx, networkPolicies, workloads);
  return {
    namespaces: ns,
    crds: controlPlane.crds,
    ingressController: controlPlane.ingressController,
    daprControlPlane: controlPlane.daprControlPlane,
    daprResources: controlPlane.daprResources,
    monitoring: controlPlane.monitoring,
    workloads: workloads.workloads,
    ...(workloads.databaseRoles ? { databaseRoles: workloads.databaseRoles } : {}),
    outputs: platformOutputs(target, ns, controlPlane, workloads),
  };
}

/** The platform layer's stack outputs (see createPlatform); the Azure and local stacks spread them into theirs. */
export function deployPlatform(target: PlatformTarget): Record<string, unknown> {
  return createPlatform(target).outputs;
}
