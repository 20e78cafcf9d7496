/**
 * The production bundle's size: every asset raw and gzipped (level 9, as served), the first load (index.html,
 * the entry script and what it imports statically, the stylesheet) and everything. `npm run web:size`
 * prints it and exits 1 above the budget (150 kB gzipped for the first load).
 */
import { gzipSync } from "node:zlib";
import type { Bundle } from "./bundle.js";

export const firstLoadBudgetBytes = 150 * 1024;

export interface BundleSize {
  readonly assets: readonly { path: string; raw: number; gzip: number }[];
  /** index.html, the entry, its static imports and the stylesheet. */
  readonly firstLoadGzip: number;
  readonly totalGzip: number;
}

/** The chunks the entry imports statically (`import ... from "./chunk-x.js"`), transitively. */
function staticClosure(bundle: Bundle, entry: string): Set<string> {
  const out = new Set<string>([entry]);
  const queue = [entry];
  while (queue.length) {
    const js = bundle.assets.get(queue.pop()!)!.body.toString("utf8");
    for (const m of js.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w{}\s,*$]*from\s*)?["'](\.\/[^"']+)["']/g)) {
      const p = `/assets/${m[1]!.slice(2)}`;
      if (out.has(p) || !bundle.assets.has(p)) continue;
      out.add(p);
      queue.push(p);
    }
  }
  return out;
}

export function measureBundle(bundle: Bundle): BundleSize {
  const assets = [...bundle.assets].map(([path, a]) => ({ path, raw: a.body.length, gzip: gzipSync(a.body, { level: 9 }).length }));
  const first = new Set([...staticClosure(bundle, bundle.entry.script), bundle.entry.style, "/index.html"]);
  const sum = (xs: typeof assets) => xs.reduce((n, a) => n + a.gzip, 0);
  return { assets, firstLoadGzip: sum(assets.filter((a) => first.has(a.path))), totalGzip: sum(assets) };
}
