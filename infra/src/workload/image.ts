import * as dockerBuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { contentTag, imageSourcePaths } from "./content-tag.js";

/** The repository root: the Docker build context of every service (apps/Dockerfile copies the catalog and shared library). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface AppImageArgs {
  /** Catalog service name: its folder under apps/, passed to apps/Dockerfile as the SERVICE build arg. */
  readonly service: string;
  /** Registry host, e.g. tasksdevacr.azurecr.io (AKS) or a local name for images built into minikube. */
  readonly registry: pulumi.Input<string>;
  /**
   * registry: the image is in the registry already (AKS): CI's images action built, scanned, signed and pushed
   * it with its own ACR login; the program builds and pushes nothing, on preview or up.
   * load: build into the local Docker daemon; run `eval $(minikube docker-env)` first so that daemon is
   * minikube's and the node has the image without a registry.
   */
  readonly output: "registry" | "load";
  /** @default "linux/amd64" */
  readonly platform?: "linux/amd64" | "linux/arm64";
  /** @default repoRoot */
  readonly root?: string;
  /**
   * The digest (`sha256:<hex>`) of this service's image as CI pushed it to `registry` under the content tag
   * (.github/actions/images), optionally after the content tag it belongs to (`src-<20 hex>@sha256:<hex>`, as
   * the stack output deployedImages gives it): it then applies only while the sources still have that tag.
   * The Deployment runs `<registry>/<service>:<tag>@<digest>`: what runs is what was verified. Without an
   * applicable digest it names the tag only (previews; the stack stops a real `pulumi up` first). Registry only.
   */
  readonly digest?: string;
}

const digestPattern = /^(src-[0-9a-f]{20}@)?sha256:[0-9a-f]{64}$/;

/** The digest of `value` when it applies to the content tag `tag` (no tag prefix: it always applies). */
export function digestForTag(value: string | undefined, tag: string): string | undefined {
  if (value === undefined) return undefined;
  const at = value.indexOf("@");
  return at < 0 ? value : value.slice(0, at) === tag ? value.slice(at + 1) : undefined;
}

/**
 * A service image tagged by the content of its sources: on AKS the one CI pushed (referenced by digest, never
 * built here); on minikube built with BuildKit from apps/Dockerfile (SERVICE=<service>) into the node.
 */
export class AppImage extends pulumi.ComponentResource {
  /** `<registry>/<service>:<content tag>`. */
  readonly imageName: pulumi.Output<string>;
  /** What a Deployment should run: the tag pinned to its digest when pushed, the tag when loaded locally. */
  readonly ref: pulumi.Output<string>;
  readonly tag: string;
  /** The digest deployed (registry images whose digest applies to the current content tag). */
  readonly digest?: string;

  constructor(name: string, args: AppImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:workload:AppImage", name, {}, opts);
    const root = args.root ?? repoRoot;
    const entry = path.join("apps", args.service, "src", "main.ts");
    if (!existsSync(path.join(root, entry))) {
      // Not an error at plan time: the build fails with Docker's own message if it is still missing.
      pulumi.log.warn(`${entry} does not exist yet; the image of ${args.service} cannot be built until it does`, this);
    }
    this.tag = contentTag(root, imageSourcePaths(args.service));
    this.imageName = pulumi.interpolate`${args.registry}/${args.service}:${this.tag}`;
    if (args.output === "registry") {
      if (args.digest !== undefined && !digestPattern.test(args.digest))
        throw new pulumi.ResourceError(`digest: "${args.digest}" is not sha256:<64 hex digits>, optionally after src-<20 hex>@`, this);
      const digest = digestForTag(args.digest, this.tag);
      this.digest = digest;
      this.ref = digest ? pulumi.interpolate`${this.imageName}@${digest}` : this.imageName;
      this.registerOutputs({ imageName: this.imageName, ref: this.ref });
      return;
    }
    if (args.digest !== undefined)
      throw new pulumi.ResourceError(`digest: only an image in a registry is deployed by digest (output is "load")`, this);
    const image = new dockerBuild.Image(
      `${name}-image`,
      {
        tags: [this.imageName],
        context: { location: root },
        dockerfile: { location: path.join(root, "apps", "Dockerfile") },
        platforms: [args.platform ?? "linux/amd64"],
        buildArgs: { SERVICE: args.service },
        push: false,
        load: true,
        labels: { "org.opencontainers.image.title": args.service, "org.opencontainers.image.version": this.tag },
      },
      { parent: this },
    );
    this.ref = image.ref;
    this.registerOutputs({ imageName: this.imageName, ref: this.ref });
  }
}
