import { Temporal } from "@js-temporal/polyfill";
import { RecurrenceRuleError } from "./errors.js";

/**
 * Conversions between local wall-clock times and instants in an IANA zone, with the RFC 5545
 * rules for times a DST change makes nonexistent or ambiguous.
 *
 * rrule evaluates a series in "floating" time: the wall-clock fields are stored in a Date as if
 * they were UTC (Date.UTC(y, m, d, h, mi, s)), so nothing depends on the process TZ; only the final
 * wall-clock → instant step involves a zone, and it is done here with the Temporal polyfill.
 * Temporal was chosen over luxon because it names the DST policy explicitly (disambiguation) and
 * exposes the earlier/later candidates, so the RFC rule is stated in code rather than inherited.
 */

/** How a wall-clock time maps onto the zone's timeline. */
export type WallClockFit =
  /** exactly one instant has this local time */
  | "exact"
  /** the local time falls in a spring-forward gap and was moved forward by the gap's length */
  | "gap"
  /** the local time occurs twice (fall back); the first occurrence was taken */
  | "ambiguous";

export interface ZonedTime {
  readonly instant: Temporal.Instant;
  /** The local time the series asked for (may differ from the instant's local time in a gap). */
  readonly wallClock: Temporal.PlainDateTime;
  readonly fit: WallClockFit;
}

/** Throws a RecurrenceRuleError unless `zone` is an IANA zone the runtime knows; returns its canonical id. */
export function checkTimeZone(zone: string): string {
  try {
    return Temporal.Now.zonedDateTimeISO(zone).timeZoneId;
  } catch {
    throw new RecurrenceRuleError(`unknown time zone "${zone}"`);
  }
}

/**
 * The instant of a local wall-clock time in `zone`, per RFC 5545 section 3.3.5: a nonexistent time
 * is "interpreted using the UTC offset before the gap" (02:30 in a 02:00→03:00 gap becomes 03:30 of
 * the new offset), and an ambiguous time takes its first occurrence (the earlier instant).
 */
export function wallClockToInstant(wallClock: Temporal.PlainDateTime, zone: string): ZonedTime {
  const earlier = wallClock.toZonedDateTime(zone, { disambiguation: "earlier" });
  const later = wallClock.toZonedDateTime(zone, { disambiguation: "later" });
  if (earlier.epochNanoseconds === later.epochNanoseconds) return { instant: earlier.toInstant(), wallClock, fit: "exact" };
  // In a gap, "earlier"/"later" both land outside the requested local time; when ambiguous both equal it.
  const inGap = !earlier.toPlainDateTime().equals(wallClock);
  if (inGap) {
    // Temporal's "compatible" moves a gap time forward by the gap's length, i.e. reads it with the
    // offset in force before the gap: the RFC 5545 rule.
    const shifted = wallClock.toZonedDateTime(zone, { disambiguation: "compatible" });
    return { instant: shifted.toInstant(), wallClock, fit: "gap" };
  }
  return { instant: earlier.toInstant(), wallClock, fit: "ambiguous" };
}

/** The local wall-clock time of an instant in `zone`. */
export function instantToWallClock(instant: Temporal.Instant, zone: string): Temporal.PlainDateTime {
  return instant.toZonedDateTimeISO(zone).toPlainDateTime();
}

/** Wall-clock fields stored as a UTC Date: the floating representation rrule computes in. */
export function toFloating(wallClock: Temporal.PlainDateTime): Date {
  const d = new Date(0);
  d.setUTCFullYear(wallClock.year, wallClock.month - 1, wallClock.day);
  d.setUTCHours(wallClock.hour, wallClock.minute, wallClock.second, 0);
  return d;
}

export function fromFloating(date: Date): Temporal.PlainDateTime {
  return new Temporal.PlainDateTime(
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  );
}
