import { UnknownValueError } from "@pulumi/policy";

export type Peeked<T> = { readonly known: true; readonly value: T } | { readonly known: false };

/**
 * Reads a value that may be unknown during preview. Policy props are wrapped in the SDK's
 * unknown-checking proxy, which throws `UnknownValueError` on access to an unknown value; use this
 * only where the policy can still decide without the value. Elsewhere let the error propagate: the
 * runtime then reports that the policy cannot run during preview.
 */
export function peek<T>(read: () => T): Peeked<T> {
  try {
    return { known: true, value: read() };
  } catch (e) {
    if (e instanceof UnknownValueError) return { known: false };
    throw e;
  }
}

/** `read()` if known, else `fallback`. */
export function knownOr<T>(read: () => T, fallback: T): T {
  const p = peek(read);
  return p.known ? p.value : fallback;
}
