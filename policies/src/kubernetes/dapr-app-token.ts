import { allServices, daprAppToken, type ServiceSpec } from "@tasks/catalog";
import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, containersOf, stringEntry, validateWorkload } from "../lib/kubernetes.js";

const catalogByName = new Map<string, ServiceSpec>(allServices.map((s) => [s.name, s]));

export const daprAppTokenPolicy = resourcePolicy({
  name: "kubernetes-dapr-app-token",
  description:
    "Workloads of catalog services give their Dapr sidecar an app API token (dapr.io/app-token-secret) and mount that Secret read-only into the app container, so the app can refuse deliveries, job triggers, bindings and invocations that did not come from its sidecar.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("dapr", "security/app API token authentication", "Authenticate requests from Dapr to the app with dapr.io/app-token-secret"),
    source("project", "issue 21", "The app ports trusted whoever reached them: forged deliveries wrote into other users' data"),
  ],
  url: "https://docs.dapr.io/operations/security/app-api-token/",
  remediationSteps:
    "Annotate the pod template with dapr.io/app-token-secret: <app>-dapr-app-token (a Secret with the key `token`), add a `secret` volume of that Secret and mount it read-only in the app container at the catalog's daprAppToken.mountDir.",
  tags: ["kubernetes", "dapr", "security"],
  validateResource: validateWorkload((w, args, report) => {
    const appName = stringEntry(w.podMetadata.labels, "app.kubernetes.io/name");
    const service = catalogByName.get(w.name) ?? (appName ? catalogByName.get(appName) : undefined);
    if (!service || stringEntry(w.podMetadata.annotations, "dapr.io/enabled") !== "true")
      return args.notApplicable("not a Dapr-enabled catalog service");
    const secret = stringEntry(w.podMetadata.annotations, daprAppToken.annotation);
    if (!secret) {
      report(
        `annotation ${daprAppToken.annotation} is missing: the sidecar sends no app token, so the app cannot tell its sidecar from anyone else on the app port.`,
      );
      return;
    }
    const volumes = (Array.isArray(w.podSpec.volumes) ? w.podSpec.volumes : []).filter(
      (v) => asObject(asObject(v).secret).secretName === secret,
    );
    if (volumes.length === 0) {
      report(`no volume mounts Secret "${secret}" (named by ${daprAppToken.annotation}): the app cannot read the token it must check.`);
      return;
    }
    const names = new Set(volumes.map((v) => String(v.name)));
    const app = containersOf(w.podSpec).find((c) => c.role === "container");
    const mount = (Array.isArray(app?.container.volumeMounts) ? app.container.volumeMounts : []).find((m) => names.has(String(m.name)));
    if (!mount) report(`the app container does not mount the volume of Secret "${secret}".`);
    else if (mount.readOnly !== true) report(`the app container mounts Secret "${secret}" writable; mount it readOnly: true.`);
  }),
});
