import { resourcePolicy, source } from "../lib/metadata.js";
import { configOf } from "../lib/config.js";
import { asObject } from "../lib/kubernetes.js";
import { environmentFromName, resourceEnvironment } from "../lib/environment.js";
import { taggableTypesByModule } from "./taggable-types.js";

export interface RequiredTagsConfig {
  /** Tag names every taggable Azure resource carries; compared ignoring case, dashes and underscores. */
  readonly requiredTags: string[];
}

export const requiredTagsDefaults: RequiredTagsConfig = { requiredTags: ["environment", "owner", "cost-center"] };

const taggable = new Set(Object.entries(taggableTypesByModule).flatMap(([m, rs]) => rs.map((r) => `azure-native:${m}:${r}`)));

export const isTaggableAzureType = (type: string): boolean => taggable.has(type);

const normalize = (tag: string): string => tag.toLowerCase().replace(/[^a-z0-9]/g, "");

export const requiredTags = resourcePolicy({
  name: "azure-required-tags",
  description:
    "Every Azure resource that takes tags carries environment, owner and cost-center (configurable), and its environment tag names the stack's environment.",
  enforcementLevel: "mandatory",
  severity: "low",
  sources: [
    source("azure", "CAF resource tagging", "Tag resources with environment, owner and cost center for governance and cost allocation"),
  ],
  url: "https://learn.microsoft.com/azure/cloud-adoption-framework/ready/azure-best-practices/resource-tagging",
  remediationSteps: "Pass the stack's standard tags (environment, owner, cost-center) to every taggable resource.",
  tags: ["azure", "governance", "cost"],
  configSchema: { properties: { requiredTags: { type: "array", items: { type: "string" }, default: requiredTagsDefaults.requiredTags } } },
  validateResource: (args, report) => {
    if (!isTaggableAzureType(args.type)) return args.notApplicable("applies to Azure resources that take tags");
    const { requiredTags: required } = configOf(args, requiredTagsDefaults);
    const tags = asObject(args.props.tags);
    const present = new Map(Object.keys(tags).map((k) => [normalize(k), k]));
    const missing = required.filter((t) => !present.has(normalize(t)));
    if (missing.length > 0) report(`missing tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.`);
    const envKey = present.get("environment");
    const env = resourceEnvironment(args);
    // A tag naming the environment another way (production, or bootstrap: production rules) is the same environment.
    if (envKey !== undefined && env !== "unknown" && environmentFromName(String(tags[envKey])) !== env)
      report(`tag ${envKey} is ${JSON.stringify(tags[envKey])}, but the stack's environment is "${env}".`);
  },
});
