import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, isRenderedByHelm, workloadOf } from "../lib/kubernetes.js";
import { mutableImageReason } from "../lib/images.js";

const dockerBuildImage = "docker-build:index:Image";

export const imageImmutableTag = resourcePolicy({
  name: "kubernetes-image-immutable-tag",
  description:
    "Every container image, and every tag the program builds, names one build: a sha256 digest or a fixed tag, never latest, a moving tag or no tag.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("checkov", "CKV_K8S_14", "Image Tag should be fixed - not latest or blank"),
    source("checkov", "CKV_K8S_43", "Image should use digest"),
  ],
  remediationSteps: "Reference images by the digest the build returns (docker-build Image.ref) or by a content-derived tag; never latest.",
  tags: ["kubernetes", "security", "supply-chain", "images"],
  validateResource: (args, report) => {
    if (args.type === dockerBuildImage) {
      for (const tag of Array.isArray(args.props.tags) ? (args.props.tags as unknown[]) : []) {
        const reason = mutableImageReason(String(tag));
        if (reason) report(`built image tag "${String(tag)}" is not immutable: ${reason}.`);
      }
      return;
    }
    const w = workloadOf(args.type, args.props, args.name);
    if (!w) return args.notApplicable("applies to Kubernetes workloads and docker-build images");
    if (isRenderedByHelm(args.urn)) return args.notApplicable("rendered from a Helm chart: the chart's values are validated instead");
    for (const { container, label } of containersOf(w.podSpec)) {
      const image = typeof container.image === "string" ? container.image : "";
      const reason = mutableImageReason(image);
      if (reason) report(`${label} image "${image}" is not pinned: ${reason}.`);
    }
  },
});
