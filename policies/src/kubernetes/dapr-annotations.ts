import { allServices, runsDaprSidecar, type ServiceSpec } from "@tasks/catalog";
import { resourcePolicy, source } from "../lib/metadata.js";
import { stringEntry, validateWorkload } from "../lib/kubernetes.js";

const catalogByName = new Map<string, ServiceSpec>(allServices.map((s) => [s.name, s]));

export const daprAnnotations = resourcePolicy({
  name: "kubernetes-dapr-annotations",
  description:
    "Workloads of catalog services that use a Dapr building block run a Dapr sidecar whose app id and app port are the catalog's (dapr.io/enabled, dapr.io/app-id, dapr.io/app-port) and name a Dapr Configuration (dapr.io/config); a catalog service that uses none (dapr: []) runs no sidecar; any other Dapr-enabled pod names its app id.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("dapr", "Kubernetes annotations", "dapr.io/enabled, dapr.io/app-id, dapr.io/app-port and dapr.io/config on the pod template"),
    source("project", "catalog", "The catalog's service name is the Dapr app id; its port is the app port"),
    source("project", "catalog runsDaprSidecar", "A service whose entry names no Dapr building block gets no sidecar"),
  ],
  url: "https://docs.dapr.io/reference/arguments-annotations-overview/",
  remediationSteps:
    'Annotate the pod template with dapr.io/enabled: "true", dapr.io/app-id: <service name>, dapr.io/app-port: "<catalog port>" and dapr.io/config: <the Dapr Configuration of the app>; for a catalog service with dapr: [], remove the dapr.io annotations (or declare the building block it uses in the catalog).',
  tags: ["kubernetes", "dapr", "consistency"],
  validateResource: validateWorkload((w, args, report) => {
    const a = w.podMetadata.annotations;
    const enabled = stringEntry(a, "dapr.io/enabled") === "true";
    const appName = stringEntry(w.podMetadata.labels, "app.kubernetes.io/name");
    const service = catalogByName.get(w.name) ?? (appName ? catalogByName.get(appName) : undefined);
    if (!service) {
      if (!enabled) return args.notApplicable("not a catalog service and not Dapr-enabled");
      if (!stringEntry(a, "dapr.io/app-id")) report("the pod template enables Dapr but does not set the annotation dapr.io/app-id.");
      return;
    }
    if (!runsDaprSidecar(service)) {
      // Only a service the catalog gives no building block may go without a sidecar, and it must: nothing would use it.
      if (!enabled) return args.notApplicable(`catalog service "${service.name}" uses no Dapr building block and runs no sidecar`);
      report(
        `catalog service "${service.name}" uses no Dapr building block (catalog dapr: []) but runs a Dapr sidecar: remove dapr.io/enabled, or declare the building block in the catalog.`,
      );
      return;
    }
    if (!enabled) {
      report(`catalog service "${service.name}" must run a Dapr sidecar: annotate the pod template with dapr.io/enabled: "true".`);
      return;
    }
    const appId = stringEntry(a, "dapr.io/app-id");
    if (appId !== service.name)
      report(
        `annotation dapr.io/app-id is ${appId === undefined ? "missing" : `"${appId}"`}; it must be the service name "${service.name}".`,
      );
    const appPort = stringEntry(a, "dapr.io/app-port");
    if (appPort !== String(service.port))
      report(
        `annotation dapr.io/app-port is ${appPort === undefined ? "missing" : `"${appPort}"`}; it must be the catalog port "${service.port}".`,
      );
    if (!stringEntry(a, "dapr.io/config"))
      report("annotation dapr.io/config is missing; name the Dapr Configuration that carries the app's access control and tracing.");
  }),
});
