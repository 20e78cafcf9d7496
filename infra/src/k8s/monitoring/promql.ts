import { queryableMetricNames } from "@tasks/catalog";

/** PromQL words that look like identifiers but are not metric names. */
const keywords = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "and",
  "or",
  "unless",
  "inf",
  "nan",
  "sum",
  "min",
  "max",
  "avg",
  "group",
  "stddev",
  "stdvar",
  "count",
  "count_values",
  "bottomk",
  "topk",
  "quantile",
]);

/**
 * The metric names a PromQL expression selects. Strips what cannot hold a metric name (strings, label
 * matchers, grouping clauses, range and offset durations, Grafana variables), then keeps identifiers that
 * are not functions (followed by "("), keywords or numbers.
 */
export function metricNamesIn(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\$\{?\w+\}?/g, " ")
    .replace(/\boffset\s+\w+/g, " ")
    // Number literals (0.95, 1e3, 0x1f) and durations (5m): a digit not inside an identifier.
    .replace(/(?<![a-zA-Z0-9_:])\d[\w.]*/g, " ");
  const names = new Set<string>();
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const word = m[0];
    const after = stripped.slice(m.index! + word.length).trimStart();
    if (after.startsWith("(")) continue;
    if (keywords.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}

/** Metric names in `expr` that neither the services nor the Dapr sidecar export. */
export function unknownMetricsIn(expr: string, known: ReadonlySet<string> = queryableMetricNames()): string[] {
  return metricNamesIn(expr).filter((n) => !known.has(n));
}
