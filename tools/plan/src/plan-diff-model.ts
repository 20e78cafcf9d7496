import { createHash, randomBytes } from "node:crypto";

/**
 * The plan snapshot the diff compares: what `npm run plan -- --stack <s> --json` prints, reduced to
 * resources keyed by URN with their inputs, plus the stack outputs.
 */

/**
 * A value Pulumi marked secret, with the value itself dropped. `digest` only lets two plans read by
 * this process tell whether a secret changed: it is salted with a per-process random salt and never shown.
 */
export interface SecretValue {
  readonly secret: true;
  readonly digest: string;
}

export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  /** The resource's inputs (what `pulumi preview --diff` compares). */
  readonly props: Record<string, unknown>;
  /** `protect` resource option (stacks/src/protection.ts). */
  readonly protect?: boolean;
  /** `retainOnDelete` resource option. */
  readonly retainOnDelete?: boolean;
}

export interface PlanSnapshot {
  readonly resources: ReadonlyMap<string, PlanResource>;
  readonly outputs: Record<string, unknown>;
  /** The policy pack's summary lines for the plan (its "Policy pack" section), when the plan has them. */
  readonly policy?: readonly string[];
}

/** The signature key and value Pulumi's RPC layer uses for a secret (sdk/nodejs/runtime/rpc.ts). */
const specialSigKey = "4dabf18193072939515e22adb298388d";
const specialSecretSig = "1b47061264138c4ac30d75fd1eb44270";

/** Keys whose values are masked whatever they hold. */
export const sensitiveKeyPattern = /password|secret|key|token|connectionString/i;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * True when a value is a secret in one of the shapes a plan can carry it: the RPC secret envelope,
 * the `{ secret: true, value }` wrapper that the mocked run gives secret stack outputs, or the
 * {@link SecretValue} left after stripping.
 */
export function isSecretValue(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (v[specialSigKey] === specialSecretSig) return true;
  return v.secret === true && Object.keys(v).every((k) => k === "secret" || k === "value" || k === "digest");
}

const salt = randomBytes(16);

function secretDigest(v: Record<string, unknown>): string {
  if (typeof v.digest === "string" && !("value" in v)) return v.digest;
  return createHash("sha256")
    .update(salt)
    .update(JSON.stringify(v.value ?? null))
    .digest("hex");
}

/** Replaces every secret value, at any depth, by a {@link SecretValue}; the value itself is dropped. */
export function stripSecrets(v: unknown): unknown {
  if (isSecretValue(v)) return { secret: true, digest: secretDigest(v as Record<string, unknown>) } satisfies SecretValue;
  if (Array.isArray(v)) return v.map(stripSecrets);
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stripSecrets(x)]));
  return v;
}

/**
 * Reads the JSON a plan printed. Accepts `{ resources: [...], outputs }` (the --json shape of
 * scripts/plan.ts) and a bare resource array. A resource needs `urn` and `type`; its properties are
 * taken from `inputs` (else `props`, else `state`).
 */
export function parsePlanJson(text: string, source: string): PlanSnapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `${source}: the plan did not print JSON (${(e as Error).message}); first 200 chars: ${JSON.stringify(text.slice(0, 200))}`,
      { cause: e },
    );
  }
  const list = Array.isArray(doc) ? doc : isRecord(doc) ? doc.resources : undefined;
  if (!Array.isArray(list)) throw new Error(`${source}: expected a "resources" array in the plan JSON`);
  const resources = new Map<string, PlanResource>();
  for (const [i, raw] of list.entries()) {
    if (!isRecord(raw) || typeof raw.urn !== "string" || typeof raw.type !== "string") {
      throw new Error(`${source}: resources[${i}] has no string "urn" and "type"`);
    }
    const props = [raw.inputs, raw.props, raw.state].find(isRecord) ?? {};
    resources.set(raw.urn, {
      urn: raw.urn,
      type: raw.type,
      name: typeof raw.name === "string" ? raw.name : nameFromUrn(raw.urn),
      ...(typeof raw.parent === "string" && raw.parent ? { parent: raw.parent } : {}),
      props: stripSecrets(props) as Record<string, unknown>,
      ...(raw.protect === true ? { protect: true } : {}),
      ...(raw.retainOnDelete === true ? { retainOnDelete: true } : {}),
    });
  }
  const outputs = isRecord(doc) && isRecord(doc.outputs) ? (stripSecrets(doc.outputs) as Record<string, unknown>) : {};
  const policy = isRecord(doc) && isRecord(doc.sections) ? policyLines(doc.sections) : undefined;
  return { resources, outputs, ...(policy ? { policy } : {}) };
}

/** The lines of the plan's policy pack section (its title starts with "Policy pack"). */
function policyLines(sections: Record<string, unknown>): string[] | undefined {
  const entry = Object.entries(sections).find(([title]) => title.startsWith("Policy pack"));
  return entry && Array.isArray(entry[1]) ? entry[1].map(String) : undefined;
}

/** The last URN segment: `urn:pulumi:dev::proj::a$b::name` → `name`. */
export function nameFromUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** The placeholder that stands for a tree's root folder in property values. */
export const rootPlaceholder = "<repo>";

/**
 * Replaces the tree's absolute root folder in every string value (Docker build contexts and the like)
 * by {@link rootPlaceholder}, so that evaluating two trees in two folders does not show as a change.
 */
export function withRootReplaced(plan: PlanSnapshot, root: string): PlanSnapshot {
  const dir = root.replace(/\/+$/, "");
  const fix = (v: unknown): unknown => {
    if (typeof v === "string") return v.split(dir).join(rootPlaceholder);
    if (Array.isArray(v)) return v.map(fix);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fix(x)]));
    return v;
  };
  const resources = new Map<string, PlanResource>();
  for (const [urn, r] of plan.resources) resources.set(urn, { ...r, props: fix(r.props) as Record<string, unknown> });
  return { ...plan, resources, outputs: fix(plan.outputs) as Record<string, unknown> };
}
