/** Reading podman build output: which step failed, and a short progress line per step. */

const stepLine = /^(\[\d+\/\d+\] )?STEP \d+\/\d+: .*/;

/** The build step a log ended in and podman's error line, e.g. `[3/5] STEP 4/4: RUN npm ci …`. */
export function failingStep(log: string): { step: string; error: string } {
  const lines = log.split("\n");
  const step = [...lines].reverse().find((l) => stepLine.test(l)) ?? "(before the first step)";
  const error =
    [...lines].reverse().find((l) => /^Error: /.test(l)) ??
    [...lines].reverse().find((l) => /error|failed/i.test(l) && !stepLine.test(l)) ??
    "(no error line; see the log)";
  return { step: step.trim(), error: error.trim() };
}

/** One line of at most `width` characters (whitespace runs collapsed, an ellipsis where cut). */
export function shorten(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > width ? `${oneLine.slice(0, width - 1)}…` : oneLine;
}

/** A STEP line shortened for progress output, or undefined for any other line. */
export function progressOf(line: string, width = 110): string | undefined {
  return stepLine.test(line) ? shorten(line, width) : undefined;
}
