/** Text rendering of a policy report: the violations table and the summary. */
import type { PolicyReport, ReportedViolation } from "./run.js";

const columns = ["POLICY", "RESOURCE", "LEVEL", "MESSAGE"] as const;

/** A fixed-width table of violations (mandatory first); the message column is not truncated. */
export function formatViolationTable(violations: readonly ReportedViolation[]): string {
  if (violations.length === 0) return "";
  const rows = [...violations]
    .sort((a, b) =>
      a.level === b.level ? a.policy.localeCompare(b.policy) || a.resource.localeCompare(b.resource) : a.level === "mandatory" ? -1 : 1,
    )
    .map((v) => [v.policy, v.resource, v.level, v.message]);
  const widths = [0, 1, 2].map((i) => Math.max(columns[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c))
      .join("  ")
      .trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w)).concat("-------")), ...rows.map(line)].join("\n");
}

/** One line: the stack, how much was evaluated, and the violation counts. */
export function formatSummary(r: PolicyReport): string {
  const verdict = r.mandatory > 0 ? "FAILED" : "passed";
  const suppressed = r.suppressions.suppressed.length;
  return `policy ${verdict}: stack ${r.stack}: ${r.policies} policies over ${r.resources} resources: ${r.mandatory} mandatory, ${r.advisory} advisory violation(s)${suppressed ? `, ${suppressed} suppressed (${r.suppressions.file})` : ""}`;
}

/** Short per-policy summary lines, for the plan script. */
export function formatPolicySummary(r: PolicyReport): string[] {
  return [formatSummary(r), ...r.byPolicy.map((p) => `  ${p.level.padEnd(9)} ${String(p.count).padStart(3)}  ${p.policy}`)];
}

/** The stack's suppressions in force, each with its days left and what it silenced in this run. */
export function formatSuppressions(r: PolicyReport): string {
  const s = r.suppressions;
  if (s.active.length === 0) return `suppressions: none in force for stack ${r.stack} (${s.file})`;
  const rows = s.active.map((e) => [
    e.policy,
    e.resource,
    e.owner,
    e.expires,
    String(e.daysLeft),
    e.suppressed > 0 ? String(e.suppressed) : "0 (unused: remove it?)",
    e.reason,
  ]);
  const head = ["POLICY", "RESOURCE", "OWNER", "EXPIRES", "DAYS LEFT", "SUPPRESSED", "REASON"];
  const widths = head.slice(0, -1).map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]!) : c)).join("  ");
  return [
    `suppressions in force for stack ${r.stack} (${s.file}): ${s.active.length}, silencing ${s.suppressed.length} violation(s)`,
    line(head),
    line([...widths.map((w) => "-".repeat(w)), "------"]),
    ...rows.map(line),
  ].join("\n");
}
