import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject } from "../lib/kubernetes.js";

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as unknown[]).map(asObject) : []);

/** The registry host of an image reference (`host[:port]/repo:tag` → host[:port]). */
const registryOf = (ref: string): string => ref.split("/")[0] ?? "";

/**
 * A docker-build Image that pushes: it must not build (and push its cache) on every preview and drift check,
 * and the program must hand it credentials for each registry it pushes to: an ambient `docker login` does not
 * exist on a fresh runner (and the registry may only exist mid-run).
 */
export const imagePushCredentials = resourcePolicy({
  name: "kubernetes-image-push-credentials",
  description:
    "A docker-build Image that pushes to a registry builds only on `pulumi up` (buildOnPreview: false) and names credentials (registries: address, username, password) for every registry its tags and cache push to.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [source("aks-baseline", "Supply chain/registry", "Push images to the workload registry with an authenticated identity")],
  remediationSteps:
    "Set buildOnPreview: false and registries: [{ address, username, password }] for the registry (or build and push in CI and deploy by digest, as the AKS stacks do).",
  tags: ["kubernetes", "supply-chain"],
  validateResource: (args, report) => {
    if (args.type !== "docker-build:index:Image") return args.notApplicable("applies to docker-build Images");
    const push = args.props.push === true || list(args.props.exports).some((e) => e.registry !== undefined);
    if (!push) return args.notApplicable("does not push");
    if (args.props.buildOnPreview !== false) report("it builds and pushes on every preview (buildOnPreview is not false).");
    const creds = list(args.props.registries).filter((r) => r.address && r.username && r.password);
    const targets = [
      ...(Array.isArray(args.props.tags) ? (args.props.tags as unknown[]).map(String) : []),
      ...list(args.props.cacheTo).flatMap((c) => (typeof asObject(c.registry).ref === "string" ? [String(asObject(c.registry).ref)] : [])),
    ].map(registryOf);
    for (const host of [...new Set(targets)].sort())
      if (!creds.some((c) => c.address === host))
        report(`it pushes to ${host} without credentials for it (registries: address, username, password).`);
  },
});
