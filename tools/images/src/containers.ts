/**
 * The service images run as the local stack's Deployments say: the Deployments come from the offline
 * engine (the local stack's program under mocks, the pod specs the infra workload builder produces), and
 * each app container's `podman run` line from pod-run.ts. The platform around them (daprd, Kafka,
 * Postgres, SMTP catcher) is the dev platform's: pass `appCommand` to its startPlatform.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync } from "node:fs";
import { allServices, daprApiToken, daprAppToken, type ServiceName } from "@tasks/catalog";
import { runStackMocked } from "@tasks/stacks/offline/mocked-run";
import { manifestsOf } from "@tasks/stacks/offline/render-manifests";
import { appContainer, podmanRunArgs, type DeploymentManifest } from "./pod-run.js";
import { podman, podmanEnv } from "./podman.js";

/**
 * Env set over the pod's, all because of host networking: the app's port and address, its sidecar's HTTP
 * port (the Dapr injector sets DAPR_HTTP_PORT in the pod too), the SMTP catcher's address, and the
 * identity provider the platform runs on this machine instead of the cluster's (issuer, audience, keys).
 */
export const hostNetworkEnv = [
  "PORT",
  "HOST",
  "DAPR_HTTP_PORT",
  "SMTP_HOST",
  "SMTP_PORT",
  "JWT_ISSUER",
  "JWT_AUDIENCE",
  "JWT_JWKS_URL",
  "CORS_ALLOWED_ORIGINS",
  "RATE_LIMIT_PER_MINUTE",
  "MCP_RESOURCE_URL",
] as const;

/** Label on every container of one run, so cleanup removes only that run's containers. */
export const runLabel = "tasks-platform.container-tier";

/**
 * The local stack's Deployments of the catalog's services (its program under Pulumi mocks; a process can
 * run one stack). The stack's OpenID Provider (tasks-data/local-idp) is not among them: the tier runs the
 * platform's own provider on this machine instead.
 */
export async function localDeployments(): Promise<Record<ServiceName, DeploymentManifest>> {
  const run = await runStackMocked("local");
  const out: Partial<Record<string, DeploymentManifest>> = {};
  const services = new Set<string>(allServices.map((s) => s.name));
  for (const m of manifestsOf(run.resources).filter((x) => x.kind === "Deployment")) {
    if (m.metadata.name && services.has(m.metadata.name)) out[m.metadata.name] = m as unknown as DeploymentManifest;
  }
  return out as Record<ServiceName, DeploymentManifest>;
}

/** Throws naming the first Deployment whose image podman does not have. */
export async function requireImages(deployments: Readonly<Record<string, DeploymentManifest>>): Promise<void> {
  for (const [service, d] of Object.entries(deployments)) {
    const image = appContainer(d).image;
    if ((await podman(["image", "exists", image])).code !== 0) {
      throw new Error(`${service}: its Deployment runs ${image}, which podman does not have: run npm run images first`);
    }
  }
}

export interface ContainerRun {
  readonly runId: string;
  containerName(service: ServiceName): string;
  /** For the dev platform's `appCommand`: the service's container instead of a node process. */
  appCommand(service: ServiceName, env: Readonly<Record<string, string>>): { command: string; args: string[]; env: Record<string, string> };
  /** Removes any container of this run that is still there. */
  removeContainers(): Promise<void>;
}

/**
 * The dev platform's token files (DAPR_APP_TOKEN_FILE, DAPR_API_TOKEN_FILE: host paths the node process
 * would read) as the Secrets the Deployment mounts, owned as a kubelet would leave them: root and the
 * pod's fsGroup, the volume's defaultMode, so the container user reads them through its group only.
 */
function tokenSecretFiles(
  d: DeploymentManifest,
  service: ServiceName,
  env: Readonly<Record<string, string>>,
): Record<string, Record<string, string>> {
  const pod = d.spec.template.spec;
  const files: Record<string, Record<string, string>> = {};
  for (const [token, file] of [
    [daprAppToken, env.DAPR_APP_TOKEN_FILE],
    [daprApiToken, env.DAPR_API_TOKEN_FILE],
  ] as const) {
    if (!file) continue;
    const volume = pod.volumes?.find((v) => v.secret?.secretName === token.secretName(service));
    if (pod.securityContext?.fsGroup !== undefined) chownSync(file, 0, pod.securityContext.fsGroup);
    chmodSync(file, volume?.secret?.defaultMode ?? 0o644);
    files[token.secretName(service)] = { [token.secretKey]: file };
  }
  return files;
}

export function containerRun(deployments: Readonly<Record<ServiceName, DeploymentManifest>>): ContainerRun {
  const runId = randomBytes(4).toString("hex");
  const containerName = (service: ServiceName) => `tasks-ct-${runId}-${service}`;
  return {
    runId,
    containerName,
    appCommand: (service, env) => ({
      command: "podman",
      args: podmanRunArgs(deployments[service], {
        name: containerName(service),
        envOverrides: Object.fromEntries(hostNetworkEnv.filter((k) => env[k] !== undefined).map((k) => [k, env[k]!])),
        labels: { [runLabel]: runId },
        secretFiles: tokenSecretFiles(deployments[service], service, env),
      }),
      env: { CONTAINERS_CONF: podmanEnv().CONTAINERS_CONF! },
    }),
    removeContainers: async () => {
      const ids = (await podman(["ps", "-aq", "--filter", `label=${runLabel}=${runId}`])).stdout.split("\n").filter(Boolean);
      if (ids.length) await podman(["rm", "-f", "-t", "0", ...ids]);
    },
  };
}
