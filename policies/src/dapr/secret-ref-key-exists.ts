import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, type ObjectMeta } from "../lib/kubernetes.js";
import { componentView, daprKindOf, plainValue, type ComponentView } from "../lib/dapr.js";
import { knownOr, peek } from "../lib/unknown.js";

interface Store {
  readonly view: ComponentView;
  /** Plain metadata of the store (vaultName, defaultNamespace). */
  readonly setting: (name: string) => string | undefined;
}

/** What each secret store holds: Key Vault secrets by vault, Kubernetes Secrets by namespace/name with their keys. */
function holdings(resources: readonly PolicyResource[]) {
  const vaultSecrets = resources
    .filter((r) => r.type === "azure-native:keyvault:Secret")
    .map((r) => ({ name: knownOr(() => r.props.secretName, undefined), vault: knownOr(() => r.props.vaultName, undefined) }));
  const k8sSecrets = new Map<string, Set<string>>();
  for (const r of resources.filter((x) => x.type === "kubernetes:core/v1:Secret")) {
    const meta = asObject(r.props.metadata) as ObjectMeta;
    const keys = [
      ...Object.keys(asObject(knownOr(() => r.props.stringData, {}))),
      ...Object.keys(asObject(knownOr(() => r.props.data, {}))),
    ];
    k8sSecrets.set(`${meta.namespace ?? ""}/${meta.name ?? r.name}`, new Set(keys));
  }
  return { vaultSecrets, k8sSecrets };
}

export const secretRefKeyExists = stackPolicy({
  name: "dapr-secret-ref-key-exists",
  description:
    "Every secretKeyRef of a Dapr Component names a secret store the stack creates (auth.secretStore, else the Kubernetes store) and a secret and key that store holds: a Key Vault secret of the store's vault (whose one value is under the secret's own name), or a key of a Kubernetes Secret. A missing one fails the component at sidecar start.",
  enforcementLevel: "mandatory",
  severity: "high",
  suppressible: false,
  sources: [
    source("dapr", "components/secret references", "secretKeyRef names a secret and key of the component's secret store"),
    source("project", "catalog/secrets", "One value per secret, under the secret's own name"),
  ],
  url: "https://docs.dapr.io/operations/components/component-secrets/",
  remediationSteps:
    "Create the secret in the store (catalog secretNames, Key Vault on Azure, Kubernetes Secrets on local) or fix the reference's name and key.",
  tags: ["dapr", "availability", "secrets", "cross-reference"],
  validateStack: (args, report) => {
    const components = args.resources
      .filter((r) => daprKindOf(r.type) === "Component")
      .map((r) => ({ r, view: componentView(r.props, r.name) }));
    const stores = new Map<string, Store>();
    for (const { view } of components.filter((c) => c.view.type.startsWith("secretstores."))) {
      stores.set(`${view.namespace ?? ""}/${view.name}`, {
        view,
        setting: (name) => {
          const item = view.items.find((i) => i.name === name);
          return item ? plainValue(item) : undefined;
        },
      });
    }
    const held = holdings(args.resources);
    for (const { r, view } of components) {
      const refs = view.items.filter((i) => i.hasSecretRef);
      if (refs.length === 0) continue;
      const storeName = knownOr(() => asObject(r.props.auth).secretStore, undefined);
      const store = typeof storeName === "string" ? stores.get(`${view.namespace ?? ""}/${storeName}`) : undefined;
      if (typeof storeName === "string" && !store) {
        report(`${view.label} resolves secrets through store "${storeName}", which the stack does not create in its namespace.`, r.urn);
        continue;
      }
      const storeType = store?.view.type ?? "secretstores.kubernetes";
      for (const item of refs) {
        const ref = peek(() => asObject(item.raw.secretKeyRef));
        if (!ref.known || typeof ref.value.name !== "string" || typeof ref.value.key !== "string") continue;
        const { name, key } = ref.value as { name: string; key: string };
        const where = `${view.label} metadata "${item.name}" refers to secret "${name}" key "${key}"`;
        if (storeType === "secretstores.azure.keyvault") {
          const vault = store?.setting("vaultName");
          const inVault = held.vaultSecrets.filter((s) => vault === undefined || s.vault === undefined || s.vault === vault);
          if (!inVault.some((s) => s.name === name))
            report(`${where}, but Key Vault ${vault ? `"${vault}" ` : ""}has no secret "${name}".`, r.urn);
          else if (key !== name) report(`${where}: a Key Vault secret holds one value, under its own name; use key "${name}".`, r.urn);
        } else if (storeType === "secretstores.kubernetes") {
          const ns = store?.setting("defaultNamespace") || view.namespace || "";
          const keys = held.k8sSecrets.get(`${ns}/${name}`);
          if (!keys) report(`${where}, but the stack creates no Kubernetes Secret "${ns}/${name}".`, r.urn);
          else if (keys.size > 0 && !keys.has(key))
            report(`${where}, but Secret "${ns}/${name}" has no key "${key}" (it has ${[...keys].join(", ")}).`, r.urn);
        }
        // Other stores (a local secrets file) hold what no resource of the stack shows.
      }
    }
  },
});
