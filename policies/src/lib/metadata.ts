import type {
  PolicyConfigSchema,
  ResourceValidation,
  ResourceValidationPolicy,
  Severity,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unsuppressibleTag } from "./suppressions.js";

/** The catalogues of controls a policy can implement. */
export type SourceKind = "pss" | "cis-aks" | "checkov" | "aks-baseline" | "dapr" | "azure" | "openssf" | "project";

/** One control of an external standard (or of this project's design) that a policy implements. */
export interface ControlSource {
  readonly kind: SourceKind;
  /** The control's identifier in its catalogue, e.g. `CKV_K8S_23`, `4.2.6`, `restricted/Running as Non-root`. */
  readonly id: string;
  /** The control's title in its catalogue. */
  readonly title: string;
}

interface Catalogue {
  readonly label: string;
  readonly name: string;
  readonly version: string;
  /** Documentation of the catalogue; absent for the project's own rules. */
  readonly url?: string;
}

/** Where each kind of control comes from; `label` is the short name used in tags and the README. */
export const catalogues: Readonly<Record<SourceKind, Catalogue>> = {
  pss: {
    label: "PSS",
    name: "Kubernetes Pod Security Standards",
    version: "v1.33",
    url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/",
  },
  "cis-aks": {
    label: "CIS AKS",
    name: "CIS Azure Kubernetes Service (AKS) Benchmark",
    version: "1.7.0",
    url: "https://www.cisecurity.org/benchmark/kubernetes",
  },
  checkov: {
    label: "Checkov",
    name: "Checkov policy index",
    version: "3",
    url: "https://www.checkov.io/5.Policy%20Index/all.html",
  },
  "aks-baseline": {
    label: "AKS baseline",
    name: "AKS baseline reference architecture (mspnp/aks-baseline)",
    version: "2025",
    url: "https://learn.microsoft.com/azure/architecture/reference-architectures/containers/aks/baseline-aks",
  },
  dapr: {
    label: "Dapr",
    name: "Dapr production and security guidance",
    version: "1.15",
    url: "https://docs.dapr.io/operations/",
  },
  azure: {
    label: "Azure",
    name: "Azure product documentation and Well-Architected Framework",
    version: "2025",
    url: "https://learn.microsoft.com/azure/well-architected/",
  },
  openssf: {
    label: "OpenSSF",
    name: "OpenSSF Scorecard checks",
    version: "v5",
    url: "https://github.com/ossf/scorecard/blob/main/docs/checks.md",
  },
  project: {
    label: "Project",
    name: "tasks-platform design rules (DESIGN.md, catalog)",
    version: "1",
  },
};

export const source = (kind: SourceKind, id: string, title: string): ControlSource => ({ kind, id, title });

/** Tag prefix that carries a policy's sources in its `tags`, e.g. `source:checkov:CKV_K8S_23`. */
export const sourceTagPrefix = "source:";

export const sourceTag = (s: ControlSource): string => `${sourceTagPrefix}${s.kind}:${s.id}`;

/** The sources a policy declares, read back from its tags (the README and reports use this). */
export function sourcesOf(policy: { readonly tags?: readonly string[] }): { kind: SourceKind; id: string }[] {
  return (policy.tags ?? [])
    .filter((t) => t.startsWith(sourceTagPrefix))
    .map((t) => {
      const rest = t.slice(sourceTagPrefix.length);
      const i = rest.indexOf(":");
      return { kind: rest.slice(0, i) as SourceKind, id: rest.slice(i + 1) };
    });
}

export type Level = "mandatory" | "advisory";

interface PolicyDefinition {
  /** Unique, kebab-case, prefixed by its area: `kubernetes-`, `network-`, `dapr-`, `azure-`, `helm-`. */
  readonly name: string;
  readonly description: string;
  /** Mandatory for security and availability controls; advisory where a stack may reasonably differ. */
  readonly enforcementLevel: Level;
  readonly severity: Severity;
  /** The controls implemented; the first is the policy's `framework`. */
  readonly sources: readonly [ControlSource, ...ControlSource[]];
  readonly remediationSteps: string;
  /** Topic tags, e.g. `kubernetes`, `security`, `availability`, `prod-only`. */
  readonly tags: readonly string[];
  /** Documentation of the control; defaults to the primary source catalogue's page. */
  readonly url?: string;
  readonly configSchema?: PolicyConfigSchema;
  /**
   * Whether a suppression (policies/suppressions/<stack>.yaml) may silence it; the security-critical
   * controls may not: the resource has to be fixed.
   * @default false for severity critical, true otherwise
   */
  readonly suppressible?: boolean;
}

function common(def: PolicyDefinition) {
  const [primary] = def.sources;
  const catalogue = catalogues[primary.kind];
  return {
    name: def.name,
    description: def.description,
    enforcementLevel: def.enforcementLevel,
    severity: def.severity,
    framework: { name: catalogue.name, version: catalogue.version, reference: primary.id, specification: primary.title },
    tags: [...def.tags, ...((def.suppressible ?? def.severity !== "critical") ? [] : [unsuppressibleTag]), ...def.sources.map(sourceTag)],
    remediationSteps: def.remediationSteps,
    ...((def.url ?? catalogue.url) ? { url: def.url ?? catalogue.url } : {}),
    ...(def.configSchema ? { configSchema: def.configSchema } : {}),
  };
}

export function resourcePolicy(def: PolicyDefinition & { readonly validateResource: ResourceValidation }): ResourceValidationPolicy {
  return { ...common(def), validateResource: def.validateResource };
}

export function stackPolicy(def: PolicyDefinition & { readonly validateStack: StackValidation }): StackValidationPolicy {
  return { ...common(def), validateStack: def.validateStack };
}
