/** Secret masking for the plan: what Pulumi marks secret is never printed. */

const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A secret as a recorded input carries it (RPC envelope) or as the mocked run gives a secret output. */
export function isSecret(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (v[sigKey] === secretSig) return true;
  return v.secret === true && Object.keys(v).every((k) => k === "secret" || k === "value");
}

/** Replaces every secret, at any depth, by `{ secret: true }` (the marker plan-diff understands). */
export function maskSecrets(v: unknown): unknown {
  if (isSecret(v)) return { secret: true };
  if (Array.isArray(v)) return v.map(maskSecrets);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskSecrets(x)]));
  return v;
}

/** The value inside a secret envelope, for code that must look (never print) inside. */
export function unwrapSecret(v: unknown): unknown {
  return isRecord(v) && v[sigKey] === secretSig ? v.value : v;
}
