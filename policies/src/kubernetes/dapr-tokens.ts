import { allServices, daprApiToken, daprAppToken, type ServiceSpec } from "@tasks/catalog";
import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, containersOf, stringEntry, validateWorkload } from "../lib/kubernetes.js";

const catalogByName = new Map<string, ServiceSpec>(allServices.map((s) => [s.name, s]));

const tokens = [
  { token: daprAppToken, why: "the sidecar sends no app token, so the app cannot tell its sidecar from anyone else on the app port" },
  { token: daprApiToken, why: "the sidecar's API answers anyone who reaches it, not only its app" },
] as const;

export const daprTokensPolicy = resourcePolicy({
  name: "kubernetes-dapr-tokens",
  description:
    "Workloads of catalog services give their Dapr sidecar an app token (dapr.io/app-token-secret: the app refuses deliveries, jobs, bindings and invocations without it) and an API token (dapr.io/api-token-secret: the sidecar refuses API calls without it), and mount both Secrets read-only into the app container.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("dapr", "security/app API token authentication", "Authenticate requests from Dapr to the app with dapr.io/app-token-secret"),
    source("dapr", "security/API token authentication", "Authenticate requests from the app to Dapr with dapr.io/api-token-secret"),
    source("project", "issue 21", "The app ports trusted whoever reached them: forged deliveries wrote into other users' data"),
  ],
  url: "https://docs.dapr.io/operations/security/app-api-token/",
  remediationSteps:
    "Annotate the pod template with dapr.io/app-token-secret: <app>-dapr-app-token and dapr.io/api-token-secret: <app>-dapr-api-token (Secrets with the key `token`), add a `secret` volume of each and mount both read-only in the app container.",
  tags: ["kubernetes", "dapr", "security"],
  validateResource: validateWorkload((w, args, report) => {
    const appName = stringEntry(w.podMetadata.labels, "app.kubernetes.io/name");
    const service = catalogByName.get(w.name) ?? (appName ? catalogByName.get(appName) : undefined);
    if (!service || stringEntry(w.podMetadata.annotations, "dapr.io/enabled") !== "true")
      return args.notApplicable("not a Dapr-enabled catalog service");
    const app = containersOf(w.podSpec).find((c) => c.role === "container");
    for (const { token, why } of tokens) {
      const secret = stringEntry(w.podMetadata.annotations, token.annotation);
      if (!secret) {
        report(`annotation ${token.annotation} is missing: ${why}.`);
        continue;
      }
      const volumes = (Array.isArray(w.podSpec.volumes) ? w.podSpec.volumes : []).filter(
        (v) => asObject(asObject(v).secret).secretName === secret,
      );
      if (volumes.length === 0) {
        report(`no volume mounts Secret "${secret}" (named by ${token.annotation}): the app cannot read the token.`);
        continue;
      }
      const names = new Set(volumes.map((v) => String(v.name)));
      const mount = (Array.isArray(app?.container.volumeMounts) ? app.container.volumeMounts : []).find((m) => names.has(String(m.name)));
      if (!mount) report(`the app container does not mount the volume of Secret "${secret}".`);
      else if (mount.readOnly !== true) report(`the app container mounts Secret "${secret}" writable; mount it readOnly: true.`);
    }
  }),
});
