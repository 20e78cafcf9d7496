/**
 * `npm run images [-- options]`: builds every catalog service's image from apps/Dockerfile with podman,
 * tagged `<registry>/<service>:<content tag>` exactly as the Pulumi program tags it, on the local stand-in
 * base (tools/images/base.sh) unless --base names another. For each image it writes, under --out:
 * `<service>.build.log`, `<service>.cdx.json` (CycloneDX SBOM) and one `images.json` with the facts
 * (reference, image id, size, layers, build seconds, SBOM component counts).
 *
 *   --service a,b      only these services (default: every catalog service)
 *   --registry host    registry part of the reference (default: the local stack's, Pulumi.local.yaml)
 *   --base ref         base image instead of the local stand-in, e.g. docker.io/library/node:20.20.2-bookworm-slim
 *                      (default: $TASKS_IMAGES_BASE when set; the GitHub workflows use the public image)
 *   --no-cache         rebuild every step (a cold build; the base stays cached)
 *   --extra-ca file    CA bundle for a TLS-intercepting proxy, passed as the build secret `extra_ca`
 *                      (default: $NODE_EXTRA_CA_CERTS when it names a file); never stored in an image
 *   --no-sbom          skip the SBOMs
 *   --out dir          default .tmp/images
 *   --print-refs       print {service: reference} as JSON and exit (what CI pushes and signs)
 * A failing build stops the run, naming the service, the failing Dockerfile step and podman's error.
 */
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import type { ServiceName } from "@tasks/catalog";
import { buildImages, ImageBuildError } from "@tasks/images/build";
import { localStackRegistry, serviceImages } from "@tasks/images/refs";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      service: { type: "string" },
      registry: { type: "string" },
      base: { type: "string" },
      "no-cache": { type: "boolean", default: false },
      "extra-ca": { type: "string" },
      "no-extra-ca": { type: "boolean", default: false },
      "no-sbom": { type: "boolean", default: false },
      out: { type: "string" },
      "print-refs": { type: "boolean", default: false },
    },
  });
  const services = values.service?.split(",").map((s) => s.trim()) as ServiceName[] | undefined;
  if (values["print-refs"]) {
    const refs = serviceImages(values.registry ?? localStackRegistry(), services);
    process.stdout.write(`${JSON.stringify(Object.fromEntries(refs.map((r) => [r.service, r.ref])), null, 2)}\n`);
    return;
  }
  const envCa = process.env.NODE_EXTRA_CA_CERTS;
  const extraCa = values["no-extra-ca"] ? undefined : (values["extra-ca"] ?? (envCa && existsSync(envCa) ? envCa : undefined));
  const t = Date.now();
  const built = await buildImages({
    ...(services ? { services } : {}),
    ...(values.registry ? { registry: values.registry } : {}),
    ...(values.base ? { base: values.base } : {}),
    ...(extraCa ? { extraCa } : {}),
    ...(values.out ? { outDir: values.out } : {}),
    noCache: values["no-cache"],
    sbom: !values["no-sbom"],
  });
  process.stderr.write(`images: ${built.length} image(s) in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  for (const b of built) process.stdout.write(`${b.ref}\t${(b.size / 1e6).toFixed(0)} MB\t${b.layers} layers\n`);
}

await main().catch((err: unknown) => {
  process.stderr.write(`images: ${err instanceof ImageBuildError ? err.message : String((err as Error).stack ?? err)}\n`);
  process.exit(1);
});
