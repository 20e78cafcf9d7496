/** Reads a policy's config (from `--policy-pack-config` or the offline runner) over its defaults. */
export function configOf<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
  const given = args.getConfig<Partial<T>>();
  const merged: T = { ...defaults };
  for (const [k, v] of Object.entries(given ?? {})) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  return merged;
}
