import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { azureSecretKeys } from "../config/azure.js";
import { exampleValuesIn } from "../config/examples.js";

export const projectName = "tasks-platform";
export const stackNames = ["bootstrap", "dev", "prod", "local"] as const;
export type StackName = (typeof stackNames)[number];

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export function isStackName(s: string): s is StackName {
  return (stackNames as readonly string[]).includes(s);
}

export interface LoadedStackConfig {
  /** `project:key` → value as Pulumi hands it to the program (objects as JSON strings). */
  readonly config: Record<string, string>;
  /** Keys whose values are secrets (`secure:` in the stack file). */
  readonly secretKeys: string[];
  /** Operator-set secrets the stack file does not hold yet: the offline run uses a placeholder for each. */
  readonly unsetSecrets: string[];
  /**
   * Documentation stand-ins in the stack file (RFC 5737/3849 ranges, example domains, the all-zero GUID) that
   * a real run of this stack rejects: the offline run uses them and says so (config/examples.ts).
   */
  readonly exampleValues: string[];
}

/** Secrets an operator sets with `pulumi config set --secret` (the program generates every other one). */
export const operatorSecretKeys: Record<StackName, readonly string[]> = {
  bootstrap: [],
  dev: azureSecretKeys,
  prod: azureSecretKeys,
  local: [],
};

const placeholder = (key: string): string => `offline-placeholder-for-${key.replace(/[^a-zA-Z0-9]/g, "-")}`;

/**
 * Reads Pulumi.<stack>.yaml the way the CLI would hand it to the program. `secure:` values cannot be
 * decrypted offline, so they are replaced by a placeholder and marked secret; so is an operator
 * secret the file does not hold yet (listed in `unsetSecrets`; a real `pulumi up` stops, naming it).
 */
export function loadStackConfig(stack: string, root = repoRoot): LoadedStackConfig {
  if (!isStackName(stack)) throw new Error(`Unknown stack "${stack}"; expected one of: ${stackNames.join(", ")}`);
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new Error(`Stack file ${file} not found`);
  const doc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, value] of Object.entries(doc.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${projectName}:${rawKey}`;
    if (value !== null && typeof value === "object" && "secure" in (value as object)) {
      config[key] = placeholder(key);
      secretKeys.push(key);
    } else {
      config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  const unsetSecrets = operatorSecretKeys[stack].map((k) => `${projectName}:${k}`).filter((k) => !(k in config));
  for (const key of unsetSecrets) {
    config[key] = placeholder(key);
    secretKeys.push(key);
  }
  const exampleValues = rejectsExampleValues.includes(stack)
    ? Object.entries(config)
        .filter(([k]) => !secretKeys.includes(k))
        .flatMap(([k, v]) => exampleValuesIn(k, parsed(v)))
    : [];
  return { config, secretKeys, unsetSecrets, exampleValues };
}

/** The stacks whose program stops on a documentation value in a real run (the cloud ones). */
export const rejectsExampleValues: readonly StackName[] = ["bootstrap", "dev", "prod"];

const parsed = (v: string): unknown => {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
};
