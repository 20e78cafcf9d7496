/**
 * The one naming helper. Logical (Pulumi) names of children are `${name}-<role>`; physical Azure names
 * go through `azureName`, which applies each resource kind's length and character rules once, here.
 */

/** Logical name of a child resource: `${name}-${role}`. */
export function childName(name: string, role: string): string {
  if (!name || !role) throw new Error(`childName needs a name and a role, got "${name}" and "${role}"`);
  return `${name}-${role}`;
}

export interface AzureNameRule {
  readonly min: number;
  readonly max: number;
  /** Hyphens allowed (kept as the separator; never doubled, never first or last). */
  readonly hyphens: boolean;
  /** Only lower-case letters allowed (upper case is folded). */
  readonly lowercase: boolean;
  /** Must start with a letter. */
  readonly startsWithLetter: boolean;
  /** Human-readable rule, used in error messages. */
  readonly description: string;
}

/** Name rules of the Azure resources whose names we choose (learn.microsoft.com, resource-name-rules). */
export const azureNameRules = {
  keyVault: {
    min: 3,
    max: 24,
    hyphens: true,
    lowercase: true,
    startsWithLetter: true,
    description: "3-24 letters, digits and hyphens, starting with a letter",
  },
  containerRegistry: { min: 5, max: 50, hyphens: false, lowercase: true, startsWithLetter: false, description: "5-50 letters and digits" },
  storageAccount: {
    min: 3,
    max: 24,
    hyphens: false,
    lowercase: true,
    startsWithLetter: false,
    description: "3-24 lower-case letters and digits",
  },
  eventHubsNamespace: {
    min: 6,
    max: 50,
    hyphens: true,
    lowercase: true,
    startsWithLetter: true,
    description: "6-50 letters, digits and hyphens, starting with a letter",
  },
  postgresServer: {
    min: 3,
    max: 63,
    hyphens: true,
    lowercase: true,
    startsWithLetter: false,
    description: "3-63 lower-case letters, digits and hyphens",
  },
  aksCluster: { min: 1, max: 63, hyphens: true, lowercase: true, startsWithLetter: false, description: "1-63 letters, digits and hyphens" },
  aksDnsPrefix: {
    min: 1,
    max: 54,
    hyphens: true,
    lowercase: true,
    startsWithLetter: true,
    description: "1-54 letters, digits and hyphens, starting with a letter",
  },
  resourceGroup: {
    min: 1,
    max: 90,
    hyphens: true,
    lowercase: true,
    startsWithLetter: false,
    description: "1-90 letters, digits and hyphens",
  },
  generic: { min: 1, max: 64, hyphens: true, lowercase: true, startsWithLetter: false, description: "1-64 letters, digits and hyphens" },
} as const satisfies Record<string, AzureNameRule>;

export type AzureNameKind = keyof typeof azureNameRules;

/**
 * A physical Azure name for `base` (e.g. `tasks-prod-kv`) with an optional unique `suffix`, folded to the
 * kind's charset and cut to its length so that the suffix always survives. Throws if nothing valid remains.
 */
export function azureName(kind: AzureNameKind, base: string, suffix = ""): string {
  const rule: AzureNameRule = azureNameRules[kind];
  const clean = (s: string): string => {
    let out = rule.lowercase ? s.toLowerCase() : s;
    out = out.replace(rule.hyphens ? /[^a-zA-Z0-9-]/g : /[^a-zA-Z0-9]/g, rule.hyphens ? "-" : "");
    return rule.hyphens ? out.replace(/-+/g, "-").replace(/^-|-$/g, "") : out;
  };
  const tail = clean(suffix);
  const sep = tail && rule.hyphens ? "-" : "";
  let head = clean(base).slice(0, Math.max(0, rule.max - tail.length - sep.length));
  if (rule.hyphens) head = head.replace(/-$/, "");
  if (rule.startsWithLetter) head = head.replace(/^[^a-zA-Z]+/, "");
  const name = head ? `${head}${sep}${tail}` : tail;
  const valid = name.length >= rule.min && name.length <= rule.max && (!rule.startsWithLetter || /^[a-zA-Z]/.test(name));
  if (!valid) throw new Error(`Cannot build a ${kind} name from "${base}" and suffix "${suffix}": needs ${rule.description}`);
  return name;
}
