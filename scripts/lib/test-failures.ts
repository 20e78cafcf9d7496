import path from "node:path";

/**
 * Every failing test (and failing suite) of a TAP report, as "tier: name (file:line)". Printed again after
 * the last tier so that the tail of a long CI log names what failed.
 */
export function failedTests(tap: string, label: string, root: string): string[] {
  const lines = tap.split("\n");
  return lines.flatMap((line, i) => {
    const name = /^\s*not ok \d+ - (.*)$/.exec(line)?.[1];
    if (name === undefined) return [];
    const location = lines
      .slice(i + 1, i + 12)
      .map((l) => /^\s*location: '(.*)'$/.exec(l)?.[1])
      .find((l) => l !== undefined);
    return [`${label}: ${name}${location ? ` (${path.relative(root, location.replace(/^file:\/\//, ""))})` : ""}`];
  });
}
