import assert from "node:assert/strict";
import { Temporal } from "@js-temporal/polyfill";
import { nextOccurrence, type NextOccurrence, type WallClockFit } from "../../src/rule/index.js";

export interface ChainCase {
  readonly name: string;
  readonly zone?: string;
  readonly rule: string;
  /** Scheduled time of the series' first task (ISO with offset); defaults to expect[0]. */
  readonly start?: string;
  /** Occurrences from the start on, each ISO with its UTC offset ("2025-03-09T09:00-04:00"). */
  readonly expect: readonly string[];
  /** Expected `fit` by position in `expect` (unlisted positions must be "exact"). */
  readonly fits?: Readonly<Record<number, WallClockFit>>;
  /** Then: occurrences strictly after this instant. */
  readonly after?: string;
  readonly expectAfter?: readonly string[];
  /** The series must have ended after the last expected occurrence, for this reason. */
  readonly end?: "count" | "until" | "no-more-occurrences";
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Parses an expected time with Date.parse only, so the oracle shares no code with the engine. */
export function expectedMs(text: string): number {
  const ms = Date.parse(text);
  assert.ok(!Number.isNaN(ms), `bad expected time in the test: ${text}`);
  return ms;
}

function walk(
  c: ChainCase,
  zone: string,
  start: Temporal.Instant,
  from: Temporal.Instant,
  expected: readonly string[],
  checkFits: boolean,
): Temporal.Instant {
  let after = from;
  expected.forEach((want, i) => {
    const got: NextOccurrence = nextOccurrence({ recurrence: c.rule, timeZone: zone, start }, after);
    assert.equal(got.kind, "next", `${c.name}: occurrence #${i} (${want}) missing, got ${JSON.stringify(got)}`);
    if (got.kind !== "next") return;
    assert.equal(iso(got.at.epochMilliseconds), iso(expectedMs(want)), `${c.name}: occurrence #${i}`);
    if (checkFits) assert.equal(got.fit, c.fits?.[i] ?? "exact", `${c.name}: fit of occurrence #${i}`);
    after = got.at;
  });
  return after;
}

export function runChain(c: ChainCase & { zone: string }): void {
  const first = c.start ?? c.expect[0] ?? c.after;
  assert.ok(first, `${c.name}: needs start, expect or after`);
  const start = Temporal.Instant.fromEpochMilliseconds(expectedMs(first));
  let last = walk(c, c.zone, start, start.subtract({ seconds: 1 }), c.expect, true);
  if (c.after !== undefined) {
    last = walk(c, c.zone, start, Temporal.Instant.fromEpochMilliseconds(expectedMs(c.after)), c.expectAfter ?? [], false);
  }
  if (c.end) {
    assert.deepEqual(
      nextOccurrence({ recurrence: c.rule, timeZone: c.zone, start }, last),
      { kind: "ended", reason: c.end },
      `${c.name}: series should have ended`,
    );
  }
}
