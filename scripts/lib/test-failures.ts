import path from "node:path";

/** How many lines of a failure's error message the summary repeats. */
const ERROR_LINES = 8;

/**
 * Every failing test (and failing suite) of a TAP report, as "tier: name (file:line)" followed by the first
 * lines of its error, indented. Printed again after the last tier so that the tail of a long CI log (often
 * all one gets to read) names what failed and why.
 */
export function failedTests(tap: string, label: string, root: string): string[] {
  const lines = tap.split("\n");
  return lines.flatMap((line, i) => {
    const name = /^\s*not ok \d+ - (.*)$/.exec(line)?.[1];
    if (name === undefined) return [];
    const block = yamlBlock(lines, i + 1);
    const location = block.map((l) => /^\s*location: '(.*)'$/.exec(l)?.[1]).find((l) => l !== undefined);
    const title = `${label}: ${name}${location ? ` (${path.relative(root, location.replace(/^file:\/\//, ""))})` : ""}`;
    return [[title, ...errorLines(block).map((l) => `      ${l}`)].join("\n")];
  });
}

/** The YAML block (between "---" and "...") that follows a TAP test line at `start`. */
function yamlBlock(lines: readonly string[], start: number): string[] {
  if (!/^\s*---$/.test(lines[start] ?? "")) return [];
  const end = lines.findIndex((l, j) => j > start && /^\s*\.\.\.$/.test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The `error:` value of a YAML block: a quoted scalar or a `|-` block, its first lines, trimmed. */
function errorLines(block: readonly string[]): string[] {
  const at = block.findIndex((l) => /^\s*error: /.test(l));
  if (at < 0) return [];
  const head = block[at]!;
  const indent = head.length - head.trimStart().length;
  const value = head.trim().slice("error: ".length);
  const deeper = (l: string) => l.trim() === "" || l.length - l.trimStart().length > indent;
  const rest = block.slice(at + 1);
  const end = rest.findIndex((l) => !deeper(l));
  const body = /^[|>][-+]?$/.test(value) ? rest.slice(0, end < 0 ? undefined : end) : [value.replace(/^'(.*)'$/, "$1").replace(/''/g, "'")];
  return body
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, ERROR_LINES)
    .map((l) => (l.length > 200 ? `${l.slice(0, 199)}…` : l));
}
