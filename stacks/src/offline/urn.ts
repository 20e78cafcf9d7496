/**
 * A resource's URN as the Pulumi engine forms it: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`,
 * where the qualified type is the parent's qualified type, `$`, then the resource's own type (the stack
 * itself is no part of it). Pulumi's mock monitor keeps only the parent's own type, so below two levels
 * of nesting its URNs differ from the engine's (seen by the real-engine tier); mocked runs use this instead.
 */
export function engineUrn(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2] : undefined;
  const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}
