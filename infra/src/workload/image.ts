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
   * push: build and push to the registry (AKS; `az acr login` first, the registry admin user is off).
   * load: build into the local Docker daemon; run `eval $(minikube docker-env)` first so that daemon is
   * minikube's and the node has the image without a registry.
   */
  readonly output: "push" | "load";
  /** @default "linux/amd64" */
  readonly platform?: "linux/amd64" | "linux/arm64";
  /** @default repoRoot */
  readonly root?: string;
  /**
   * The digest (`sha256:<hex>`) of this service's image as CI built, scanned, signed and pushed it to
   * `registry` under the content tag (.github/workflows/images.yml). The program then builds nothing and
   * deploys `<registry>/<service>:<tag>@<digest>`: what runs is what was verified. Push targets only.
   */
  readonly digest?: string;
}

const digestPattern = /^sha256:[0-9a-f]{64}$/;

/** A service image built with BuildKit from apps/Dockerfile (SERVICE=<service>), tagged by the content of its sources. */
export class AppImage extends pulumi.ComponentResource {
  /** `<registry>/<service>:<content tag>`. */
  readonly imageName: pulumi.Output<string>;
  /** What a Deployment should run: the tag pinned to its digest when pushed, the tag when loaded locally. */
  readonly ref: pulumi.Output<string>;
  readonly tag: string;

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
    const push = args.output === "push";
    if (args.digest !== undefined) {
      if (!push) throw new pulumi.ResourceError(`digest: only a pushed image can be deployed by digest (output is "${args.output}")`, this);
      if (!digestPattern.test(args.digest)) throw new pulumi.ResourceError(`digest: "${args.digest}" is not sha256:<64 hex digits>`, this);
      this.ref = pulumi.interpolate`${this.imageName}@${args.digest}`;
      this.registerOutputs({ imageName: this.imageName, ref: this.ref });
      return;
    }
    const cacheRef = pulumi.interpolate`${args.registry}/${args.service}:buildcache`;
    const image = new dockerBuild.Image(
      `${name}-image`,
      {
        tags: [this.imageName],
        context: { location: root },
        dockerfile: { location: path.join(root, "apps", "Dockerfile") },
        platforms: [args.platform ?? "linux/amd64"],
        buildArgs: { SERVICE: args.service },
        push,
        load: !push,
        ...(push
          ? { cacheFrom: [{ registry: { ref: cacheRef } }], cacheTo: [{ registry: { ref: cacheRef, mode: dockerBuild.CacheMode.Max } }] }
          : {}),
        labels: { "org.opencontainers.image.title": args.service, "org.opencontainers.image.version": this.tag },
      },
      { parent: this },
    );
    this.ref = image.ref;
    this.registerOutputs({ imageName: this.imageName, ref: this.ref });
  }
}
