/**
 * Pulumi's auto-naming of Kubernetes objects, as the provider does it at create time: an object with
 * neither `metadata.name` nor `metadata.generateName` is named `<logical name>-<8 characters of [0-9a-f]>`
 * and annotated `pulumi.com/autonamed: "true"` (pulumi-kubernetes provider/pkg/metadata/naming.go,
 * AssignNameIfAutonamable → the engine's resource.NewUniqueName with its default 8-character suffix).
 * The engine draws the suffix from a random seed once, at the first create (and again on a replacement);
 * the render derives it from the URN instead, so one program always renders the same names.
 */
import { createHash } from "node:crypto";

export const autonamedAnnotation = "pulumi.com/autonamed";

/** The 8 hex characters the render uses in place of the engine's random suffix: stable per URN. */
export function autonameSuffix(urn: string): string {
  return createHash("sha256").update(urn).digest("hex").slice(0, 8);
}

export interface Named {
  readonly metadata: { readonly name?: string; readonly generateName?: string; readonly [k: string]: unknown };
}

/** The object as the provider would send it: auto-named when it has neither name nor generateName. */
export function withPulumiAutoname<T extends Named>(object: T, logicalName: string, urn: string): T {
  const { name, generateName } = object.metadata;
  if (name || generateName) return object;
  const annotations = object.metadata.annotations as Readonly<Record<string, string>> | undefined;
  return {
    ...object,
    metadata: {
      ...object.metadata,
      name: `${logicalName}-${autonameSuffix(urn)}`,
      annotations: { ...annotations, [autonamedAnnotation]: "true" },
    },
  };
}
