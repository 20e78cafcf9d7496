/**
 * Property values as the engine sends them over gRPC (JSON from google.protobuf.Struct) when a provider
 * accepts secrets: a secret is `{ [SIG]: SECRET_SIG, value }`, an unknown (preview) is the UNKNOWN
 * string. The mock providers compute on plain values and put the markers back.
 */
import { deepEqual } from "@tasks/stacks/offline/property-diff";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SIG = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export type Props = Record<string, unknown>;

const isObject = (v: unknown): v is Props => v !== null && typeof v === "object" && !Array.isArray(v);

export const isSecretValue = (v: unknown): v is { value: unknown } => isObject(v) && v[SIG] === SECRET_SIG;

export const secretValue = (value: unknown): Props => ({ [SIG]: SECRET_SIG, value });

/** The value with every secret wrapper replaced by what it wraps. */
export function unwrapSecrets(v: unknown): unknown {
  if (isSecretValue(v)) return unwrapSecrets(v.value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  return v;
}

export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObject(v)) return Object.values(v).some(containsUnknown);
  return false;
}

/**
 * A provider's outputs from its plain computed state `full` and the inputs as received (`raw`, with
 * secret markers; `plain` the same unwrapped). Where `full` equals the input, the input is kept as
 * received (so a secret stays secret); where it differs — an output the provider computes — it is the
 * computed value after create, and UNKNOWN in a preview, like a real provider that learns it only then.
 * A preview of an update (`olds`: the current outputs) keeps a computed output that would not change.
 */
export function composeOutputs(full: Props, plain: Props, raw: Props, preview: boolean, olds?: Props): Props {
  const out: Props = { ...raw };
  for (const [k, v] of Object.entries(full)) out[k] = merge(v, plain[k], raw[k], preview, olds ? { value: olds[k] } : undefined);
  return out;
}

function merge(computed: unknown, plain: unknown, raw: unknown, preview: boolean, old?: { value: unknown }): unknown {
  if (deepEqual(computed, plain)) return raw;
  if (isSecretValue(raw)) return secretValue(merge(computed, plain, raw.value, preview, old));
  if (preview && old && deepEqual(computed, unwrapSecrets(old.value))) return old.value;
  if (isObject(computed) && isObject(plain) && isObject(raw)) {
    const oldObj = old && isObject(unwrapSecrets(old.value)) ? (unwrapSecrets(old.value) as Props) : undefined;
    const out: Props = {};
    for (const k of new Set([...Object.keys(computed), ...Object.keys(raw)])) {
      out[k] = k in computed ? merge(computed[k], plain[k], raw[k], preview, oldObj ? { value: oldObj[k] } : undefined) : raw[k];
    }
    return out;
  }
  return preview ? UNKNOWN : computed;
}

/** JSON-safe copy (drops undefined members), as google.protobuf.Struct requires. */
export const toStructJson = (v: Props): Props => JSON.parse(JSON.stringify(v)) as Props;
