import { Temporal } from "@js-temporal/polyfill";

/** Quiet hours as local wall-clock times ("HH:MM") in the user's IANA zone; end is exclusive. */
export interface QuietHours {
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
}

export const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function time(text: string): Temporal.PlainTime {
  const m = HH_MM.exec(text);
  if (!m) throw new RangeError(`"${text}" is not a HH:MM time`);
  return new Temporal.PlainTime(Number(m[1]), Number(m[2]));
}

/**
 * When `at` falls inside the quiet hours, the instant they end (the reminder is deferred to it);
 * otherwise null. Windows may cross midnight (22:00–07:00); start == end means no quiet hours. An
 * end time inside a DST gap is read with the offset before the gap (as RFC 5545 does).
 */
export function quietHoursEnd(at: Temporal.Instant, quiet: QuietHours): Temporal.Instant | null {
  const start = time(quiet.start);
  const end = time(quiet.end);
  const cmp = Temporal.PlainTime.compare(start, end);
  if (cmp === 0) return null;
  const local = at.toZonedDateTimeISO(quiet.timeZone);
  const now = local.toPlainTime();
  const afterStart = Temporal.PlainTime.compare(now, start) >= 0;
  const beforeEnd = Temporal.PlainTime.compare(now, end) < 0;
  let endDate: Temporal.PlainDate;
  if (cmp < 0) {
    if (!(afterStart && beforeEnd)) return null;
    endDate = local.toPlainDate();
  } else if (afterStart) {
    endDate = local.toPlainDate().add({ days: 1 });
  } else if (beforeEnd) {
    endDate = local.toPlainDate();
  } else {
    return null;
  }
  const endInstant = endDate.toPlainDateTime(end).toZonedDateTime(quiet.timeZone, { disambiguation: "compatible" }).toInstant();
  // A window shortened by a DST change can end before `at` on the wall clock's terms.
  return Temporal.Instant.compare(endInstant, at) > 0 ? endInstant : null;
}
