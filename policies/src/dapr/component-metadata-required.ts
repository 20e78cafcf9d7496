import type { ComponentMetadataItem } from "../lib/dapr.js";
import { plainValue } from "../lib/dapr.js";
import type { ProfileSchema } from "../lib/dapr-metadata.js";
import { resourcePolicy } from "../lib/metadata.js";
import { componentsReferenceUrl, metadataSchemaSource, withComponentSchema } from "../lib/dapr-lint.js";

/** What a profile lacks: required names not set, or set to a value the profile does not allow. */
function unmet(profile: ProfileSchema, items: readonly ComponentMetadataItem[]): string[] {
  const byName = new Map(items.map((i) => [i.name.toLowerCase(), i]));
  return profile.metadata
    .filter((f) => f.required)
    .flatMap((f) => {
      const item = byName.get(f.name.toLowerCase());
      if (!item) return [f.allowedValues ? `${f.name}=${f.allowedValues.join("|")}` : f.name];
      const value = plainValue(item);
      return f.allowedValues && value !== undefined && !f.allowedValues.includes(value) ? [`${f.name}=${f.allowedValues.join("|")}`] : [];
    });
}

export const componentMetadataRequired = resourcePolicy({
  name: "dapr-component-metadata-required",
  description:
    "Every Dapr Component sets the metadata its components-contrib schema requires, and satisfies one of its authentication profiles (all of that profile's required keys, with allowed values): daprd fails to initialise it otherwise.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [metadataSchemaSource],
  url: componentsReferenceUrl,
  remediationSteps: "Set the missing metadata, or the keys of the authentication profile the component should use.",
  tags: ["dapr", "availability", "dapr-lint"],
  validateResource: (args, report) =>
    withComponentSchema(args, report, (c, report) => {
      const set = new Set(c.items.map((i) => i.name.toLowerCase()));
      const missing = c.schema.metadata.filter((f) => f.required && !set.has(f.name.toLowerCase())).map((f) => f.name);
      if (missing.length > 0) report(`${c.label} lacks required metadata ${missing.map((m) => `"${m}"`).join(", ")}.`);
      if (c.schema.profiles.length === 0) return;
      // A built-in profile that lists no required key of its own is chosen by setting any of its keys.
      const satisfied = c.schema.profiles.some((p) =>
        p.builtin && !p.metadata.some((f) => f.required)
          ? p.metadata.some((f) => set.has(f.name.toLowerCase()))
          : unmet(p, c.items).length === 0,
      );
      const optional = c.schema.profiles.some((p) => p.builtin && !p.metadata.some((f) => f.required));
      if (satisfied || (optional && c.schema.profiles.every((p) => p.builtin))) return;
      // The profiles the component chose (its set values match their restricted keys, e.g. authType=password), else all.
      const candidates = c.schema.profiles.filter((p) => p.metadata.some((f) => f.required));
      const chosen = candidates.filter((p) =>
        p.metadata.some(
          (f) => f.required && f.allowedValues && set.has(f.name.toLowerCase()) && !unmet({ ...p, metadata: [f] }, c.items).length,
        ),
      );
      const needs = (chosen.length > 0 ? chosen : candidates).map((p) => `${p.title} lacks ${unmet(p, c.items).join(", ")}`);
      report(`${c.label} satisfies none of its authentication profiles: ${needs.join("; ")}.`);
    }),
});
