/**
 * The reference of every catalog service's image, tagged as the Pulumi program tags it: the same
 * contentTag over the same source paths (imported from the infra package, not copied), so an image
 * that `npm run images` built is the one `pulumi up` would build and push for that commit.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { allServices, type ServiceName } from "@tasks/catalog";
import { contentTag, imageSourcePaths } from "@tasks/infra/workload/content-tag";
import { repoRoot } from "./podman.js";

export interface ServiceImage {
  readonly service: ServiceName;
  /** `src-<hash>`, the content tag. */
  readonly tag: string;
  /** `<registry>/<service>:<tag>`. */
  readonly ref: string;
}

/** The registry the local stack deploys from (Pulumi.local.yaml `tasks-platform:imageRegistry`), e.g. tasks.local. */
export function localStackRegistry(root: string = repoRoot): string {
  const stack = parse(readFileSync(path.join(root, "Pulumi.local.yaml"), "utf8")) as { config?: Record<string, unknown> };
  const registry = stack.config?.["tasks-platform:imageRegistry"];
  if (typeof registry !== "string" || !registry) throw new Error("Pulumi.local.yaml: tasks-platform:imageRegistry is not set");
  return registry;
}

export function serviceImages(registry: string, services: readonly ServiceName[] = allServices.map((s) => s.name)): ServiceImage[] {
  if (!/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._/-]+)?$/.test(registry)) {
    throw new Error(`--registry: "${registry}" is not a registry host such as tasks.local or tasksdevacr.azurecr.io`);
  }
  const known = new Set<string>(allServices.map((s) => s.name));
  const unknown = services.filter((s) => !known.has(s));
  if (unknown.length) throw new Error(`--service: ${unknown.join(", ")} not in the catalog (${[...known].join(", ")})`);
  return services.map((service) => {
    const tag = contentTag(repoRoot, imageSourcePaths(service));
    return { service, tag, ref: `${registry}/${service}:${tag}` };
  });
}
