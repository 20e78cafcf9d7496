import type { PolicyResource } from "@pulumi/policy";
import { serviceAccounts } from "@tasks/catalog";
import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, isRenderedByHelm } from "../lib/kubernetes.js";
import { isProductionLike, stackEnvironment } from "../lib/environment.js";
import { helmInstallOf, valueAt } from "../lib/helm.js";

const chaosType = /^kubernetes:chaos-mesh\.org\/[^:]+:/;
const injectAnnotation = "chaos-mesh.org/inject";

const meta = (r: PolicyResource) => asObject(r.props.metadata);
const nameOf = (r: PolicyResource): string => (typeof meta(r).name === "string" ? String(meta(r).name) : r.name);

/** Every `selector` object anywhere under a chaos object's spec (an experiment's, a Schedule's, a target's). */
function selectors(value: unknown, path: string, out: { path: string; selector: Record<string, unknown> }[] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => selectors(v, `${path}[${i}]`, out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === "selector" && v && typeof v === "object") out.push({ path: `${path}.selector`, selector: asObject(v) });
      selectors(v, `${path}.${k}`, out);
    }
  return out;
}

/**
 * Chaos Mesh runs only where game days are allowed, and only against the platform's own workloads: never on
 * prod (nor on a stack of unknown environment), the controller limited to annotated namespaces
 * (controllerManager.enableFilterNamespace), only the workload namespace annotated, and every experiment
 * living in the workload namespace and selecting pods there by an explicit namespace list.
 */
export const chaosExperiments = stackPolicy({
  name: "kubernetes-chaos-experiments",
  description:
    "Chaos Mesh never on prod; elsewhere its controller acts only on namespaces annotated chaos-mesh.org/inject, only the workload namespace is annotated, and every experiment lives in and selects pods of the workload namespace only.",
  enforcementLevel: "mandatory",
  severity: "critical",
  sources: [
    source("project", "game-day", "Fault injection on dev only, scoped to the platform's workloads (issue 20)"),
    source("azure", "WAF chaos engineering", "Run chaos experiments in a controlled scope with a blast radius you choose"),
  ],
  url: "https://chaos-mesh.org/docs/configure-enabled-namespace/",
  remediationSteps:
    "Leave tasks-platform:chaos unset on prod; build experiments with chaosExperimentManifests (infra/src/k8s/chaos-mesh.ts), whose selectors name the workload namespace, and keep the chart's enableFilterNamespace on.",
  tags: ["kubernetes", "security", "availability"],
  validateStack: (args, report) => {
    const own = args.resources.filter((r) => !isRenderedByHelm(r.urn));
    const experiments = own.filter((r) => chaosType.test(r.type));
    const releases = own.flatMap((r) => {
      const h = helmInstallOf(r.type, r.props);
      return h?.chart === "chaos-mesh" ? [{ r, h }] : [];
    });
    const annotated = own.filter(
      (r) => r.type === "kubernetes:core/v1:Namespace" && asObject(meta(r).annotations)[injectAnnotation] === "enabled",
    );
    if (isProductionLike(stackEnvironment(args))) {
      for (const x of [...releases.map((x) => x.r), ...experiments, ...annotated])
        report(`${x.type} "${nameOf(x)}": Chaos Mesh is not allowed on a production stack (game days run on dev).`);
      return;
    }
    const target = serviceAccounts.namespace;
    for (const { r, h } of releases)
      if (valueAt(h.values, "controllerManager.enableFilterNamespace") !== true)
        report(
          `Helm release "${nameOf(r)}" of chaos-mesh: set controllerManager.enableFilterNamespace true (chaos only in annotated namespaces).`,
        );
    for (const ns of annotated)
      if (nameOf(ns) !== target)
        report(`Namespace "${nameOf(ns)}" is annotated ${injectAnnotation}: only the workload namespace "${target}" may be.`);
    // In a preview whose Kubernetes provider is not known yet (a new AKS cluster), nothing of an object is: skip it.
    for (const x of experiments.filter((e) => e.props.metadata !== undefined)) {
      const where = `${x.type.split(":").pop()} "${nameOf(x)}"`;
      if (meta(x).namespace !== target)
        report(`${where} lives in namespace "${String(meta(x).namespace)}": chaos objects belong in "${target}".`);
      const found = selectors(asObject(x.props.spec), "spec");
      if (found.length === 0) report(`${where} selects no pods by namespace (no selector): name namespaces: ["${target}"].`);
      for (const { path, selector } of found) {
        const nss = Array.isArray(selector.namespaces) ? (selector.namespaces as unknown[]) : [];
        if (nss.length === 0 || nss.some((n) => n !== target))
          report(`${where} ${path} selects namespaces ${JSON.stringify(nss)}: experiments may only select pods in ["${target}"].`);
      }
    }
  },
});
