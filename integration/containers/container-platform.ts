/**
 * The integration tier's platform (real Kafka, Postgres, SMTP catcher, Dapr scheduler, one daprd per
 * service) with every service's app running as its image, started as the local stack's Deployment runs
 * it (@tasks/images/containers).
 */
import type { ServiceName } from "@tasks/catalog";
import { startPlatform, type Platform } from "@tasks/dev-platform/dev-platform";
import { containerRun, localDeployments, requireImages } from "@tasks/images/containers";
import type { DeploymentManifest } from "@tasks/images/pod-run";

export interface ContainerPlatform {
  readonly platform: Platform;
  readonly deployments: Readonly<Record<ServiceName, DeploymentManifest>>;
  /** The podman container name of a service's app. */
  containerName(service: ServiceName): string;
  /** Stops the platform, then removes any container of this run that is still there. */
  stop(): Promise<void>;
}

export async function startContainerPlatform(log: (line: string) => void): Promise<ContainerPlatform> {
  const deployments = await localDeployments();
  await requireImages(deployments);
  const run = containerRun(deployments);
  let platform: Platform;
  try {
    platform = await startPlatform({ log, timeoutSeconds: 180, appCommand: run.appCommand });
  } catch (err) {
    await run.removeContainers();
    throw err;
  }
  return {
    platform,
    deployments,
    containerName: run.containerName,
    stop: async () => {
      await platform.stop();
      await run.removeContainers();
    },
  };
}
