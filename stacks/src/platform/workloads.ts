import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { consumerGroupOf, daprConfigurationFor, mcpEndpoint, type ServiceName, type ServiceSpec } from "@tasks/catalog";
import { GatewayRoutes, RateLimitMiddlewares, defaultIngressRateLimits, namespaces, type NetworkPolicies } from "@tasks/infra/k8s/index";
import { AppImage, DatabaseRoles, ServiceWorkload, brokerTriggerAuthManifest, catalogSecretNames } from "@tasks/infra/workload/index";
import { isOfflineRun } from "../config/examples.js";
import type { PlatformTarget } from "../contracts.js";
import type { ControlPlane } from "./control-plane.js";
import { brokerBootstrap } from "./network.js";
import { identityEnvironment } from "./identity.js";
import { smtpEnvironment } from "./smtp.js";
import type { PlatformContext } from "./types.js";

export interface Workloads {
  readonly images: Partial<Record<ServiceName, AppImage>>;
  readonly databaseRoles?: DatabaseRoles;
  readonly workloads: Partial<Record<ServiceName, ServiceWorkload>>;
}

/**
 * Why a run cannot deploy these AKS images, or undefined: `pulumi up` deploys only images CI pushed, so every
 * service needs a digest that applies to its current sources. Previews and the offline tools show the tag alone.
 */
export function missingDigestProblem(
  images: readonly { readonly service: string; readonly tag: string; readonly digest?: string }[],
  run: { readonly dryRun: boolean; readonly offline: boolean },
): string | undefined {
  const missing = images.filter((i) => !i.digest);
  if (missing.length === 0 || run.dryRun || run.offline) return undefined;
  return (
    `tasks-platform:imageDigests: no digest for ${missing.map((i) => `${i.service} (${i.tag})`).join(", ")}: pulumi up deploys only ` +
    "images CI built, scanned, signed and pushed; deploy through .github/workflows/deploy.yml (its images action passes the digests)"
  );
}

/**
 * One image per service: on AKS the one CI pushed to ACR (by digest; the program builds and pushes nothing), on
 * minikube built into the node.
 */
function createImages(target: PlatformTarget, services: readonly ServiceSpec[]): Partial<Record<ServiceName, AppImage>> {
  const output = target.kind === "aks" ? "registry" : "load";
  const images = Object.fromEntries(
    services.map((s) => [
      s.name,
      new AppImage(`image-${s.name}`, {
        service: s.name,
        registry: target.registry.loginServer,
        output,
        // Deployed by the digest CI built, scanned and signed, when the stack config gives one.
        ...(target.imageDigests?.[s.name] ? { digest: target.imageDigests[s.name] } : {}),
      }),
    ]),
  ) as Partial<Record<ServiceName, AppImage>>;
  if (target.kind === "aks") {
    const list = Object.entries(images).map(([service, i]) => ({ service, tag: i!.tag, ...(i!.digest ? { digest: i!.digest } : {}) }));
    const problem = missingDigestProblem(list, { dryRun: pulumi.runtime.isDryRun(), offline: isOfflineRun() });
    if (problem) throw new pulumi.RunError(problem);
  }
  return images;
}

/** What a workload runs: the registry reference on AKS (pulled), the local name on minikube (loaded). */
const imageRef = (target: PlatformTarget, image: AppImage): pulumi.Output<string> => (target.kind === "aks" ? image.ref : image.imageName);

/**
 * Every service with a database connects as its own role: the Job creates (or re-passwords) the roles
 * before any service starts. It runs the CLI from the tasks-api image (any service image has it).
 */
function createDatabaseRoles(
  target: PlatformTarget,
  ctx: PlatformContext,
  images: Partial<Record<ServiceName, AppImage>>,
  networkPolicies: NetworkPolicies,
): DatabaseRoles | undefined {
  const roles = target.databaseRoles;
  const rolesImage = images["tasks-api"] ?? Object.values(images)[0];
  if (!roles || !rolesImage || !ctx.services.some((s) => s.database)) return undefined;
  return new DatabaseRoles(
    "database-roles",
    {
      namespace: namespaces.workloads,
      image: imageRef(target, rolesImage),
      adminUrl: roles.adminUrl,
      passwords: roles.passwords,
      dependsOn: [rolesImage, networkPolicies, ...ctx.nsDeps, ...(roles.dependsOn ?? []), ...(ctx.options.workloadDependsOn ?? [])],
    },
    ctx.k8sOpts,
  );
}

function createWorkload(
  target: PlatformTarget,
  ctx: PlatformContext,
  s: ServiceSpec,
  image: AppImage,
  dependsOn: pulumi.Input<pulumi.Resource>[],
  scalingDependsOn: pulumi.Input<pulumi.Resource>[],
): ServiceWorkload {
  const aks = target.kind === "aks";
  // Kubernetes-secret-store sidecars (minikube) call the API server with the pod's token.
  const readsKubernetesSecrets = target.secretStore.kind === "kubernetes" && s.dapr.includes("secrets");
  const smtpEnv = s.egress.includes("smtp") ? smtpEnvironment(target) : {};
  return new ServiceWorkload(
    `workload-${s.name}`,
    {
      service: s,
      namespace: namespaces.workloads,
      image: imageRef(target, image),
      daprConfig: daprConfigurationFor(s.name),
      highAvailability: target.highAvailability,
      env: {
        ...smtpEnv,
        ...identityEnvironment(s, target.identity),
        // The mcp server's canonical URI: its Protected Resource Metadata `resource` and its tokens' audience.
        ...(s.name === "mcp" ? { MCP_RESOURCE_URL: `https://${target.host}${mcpEndpoint}` } : {}),
        PUBLIC_HOST: target.host,
        DEPLOY_ENVIRONMENT: target.environment,
      },
      ...(aks ? { workloadIdentityClientId: target.identities![s.name]! } : {}),
      ...(readsKubernetesSecrets ? { mountServiceAccountToken: true, readableSecrets: catalogSecretNames() } : {}),
      // An event consumer sharing a consumer group scales on its lag at the broker (KEDA).
      ...(consumerGroupOf(s)
        ? { lagScaling: { bootstrapServers: brokerBootstrap(target), authenticated: target.broker.kind === "eventhubs" }, scalingDependsOn }
        : {}),
      dependsOn: [image, ...dependsOn],
    },
    ctx.k8sOpts,
  );
}

/** On Event Hubs, the credentials KEDA's lag triggers use: read from Key Vault by KEDA's own workload identity. */
function createTriggerAuth(target: PlatformTarget, ctx: PlatformContext): pulumi.Resource[] {
  if (target.broker.kind !== "eventhubs") return [];
  if (target.secretStore.kind !== "keyvault" || !target.platformIdentities)
    throw new pulumi.RunError("platformIdentities: KEDA reads the broker's credentials from Key Vault with the keda identity");
  const manifest = brokerTriggerAuthManifest(namespaces.workloads, {
    uri: pulumi.interpolate`https://${target.secretStore.vaultName}.vault.azure.net/`,
    kedaClientId: target.platformIdentities.keda,
  });
  return [new k8s.apiextensions.CustomResource("keda-trigger-auth", manifest, { provider: target.provider, dependsOn: ctx.nsDeps })];
}

/**
 * Step 3 of the platform: the images, the database-roles Job, one ServiceWorkload per service and the
 * services' HTTPRoutes on the public Gateway.
 */
export function createWorkloads(
  target: PlatformTarget,
  ctx: PlatformContext,
  cp: ControlPlane,
  networkPolicies: NetworkPolicies,
): Workloads {
  const images = createImages(target, ctx.services);
  const databaseRoles = createDatabaseRoles(target, ctx, images, networkPolicies);
  const dependsOn = [
    cp.daprControlPlane.release,
    cp.daprResources,
    ...ctx.nsDeps,
    ...(ctx.options.workloadDependsOn ?? []),
    ...(databaseRoles ? [databaseRoles.job] : []),
  ];
  const scalingDependsOn = [...(cp.keda ? [cp.keda.release] : []), ...createTriggerAuth(target, ctx)];
  const workloads: Partial<Record<ServiceName, ServiceWorkload>> = {};
  for (const s of ctx.services) workloads[s.name] = createWorkload(target, ctx, s, images[s.name]!, dependsOn, scalingDependsOn);
  // The routes reference the namespace's rate-limit Middlewares (ExtensionRef filters): they come first.
  const rateLimits = new RateLimitMiddlewares(
    "ingress-rate-limits",
    {
      namespace: namespaces.workloads,
      limits: target.ingressRateLimits ?? defaultIngressRateLimits,
      dependsOn: [...ctx.nsDeps, ...cp.crds.resources],
    },
    ctx.k8sOpts,
  );
  new GatewayRoutes(
    "gateway-routes",
    {
      namespace: namespaces.workloads,
      host: target.host,
      services: ctx.services,
      dependsOn: [cp.ingressController.gateway, ...rateLimits.resources, ...Object.values(workloads).map((w) => w.service)],
    },
    ctx.k8sOpts,
  );
  return { images, workloads, ...(databaseRoles ? { databaseRoles } : {}) };
}
