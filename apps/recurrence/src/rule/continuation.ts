import rrulePkg from "rrule";
import type { Temporal } from "@js-temporal/polyfill";
import { parseRecurrence, type WallClockFit } from "@tasks/shared/recurrence/index";

const { Frequency } = rrulePkg;
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

/**
 * The recurrence text the next task of a series carries.
 *
 * The tasks API anchors a task's RRULE (which has no DTSTART) at that task's own due time. Copying
 * the rule unchanged would restart COUNT at every occurrence and, after an occurrence placed in a
 * DST gap (02:30 → 03:30), move every later occurrence to 03:30. So the same series is re-anchored
 * at the new occurrence: COUNT becomes the number of occurrences left, counted from the series'
 * DTSTART, and every part rrule would otherwise take from DTSTART (the day for WEEKLY, MONTHLY and
 * YEARLY rules without BYxxx days; BYHOUR for DAILY or coarser, BYMINUTE for HOURLY or coarser,
 * BYSECOND for MINUTELY or coarser) is written out from the occurrence's intended local time. A rule text with its own DTSTART already defines the whole series
 * and is carried unchanged. Returns null when the new task is the series' last occurrence.
 *
 * Known limit: a sub-daily rule with INTERVAL > 1 whose occurrence lands in a DST gap is re-anchored
 * at the shifted hour (its phase moves by the gap); such rules are not expressible without DTSTART.
 */
export function continuationRule(
  text: string,
  next: { readonly index: number; readonly wallClock: Temporal.PlainDateTime; readonly fit: WallClockFit },
): string | null {
  const parsed = parseRecurrence(text);
  if (parsed.dtstart) return text;
  const parts = new Map(parsed.parts);
  const count = parts.get("COUNT");
  if (count !== undefined) {
    // The new task is itself occurrence `index`. Re-anchored at its due instant, rrule emits it as
    // the first occurrence, except when it was moved forward out of a DST gap: then its local time
    // is later than the rule's and rrule does not count it, so one fewer is left.
    const left = Number(count) - next.index - (next.fit === "gap" ? 1 : 0);
    if (left <= 0) return null;
    parts.set("COUNT", String(left));
  }
  const freq = parsed.options.freq;
  const w = next.wallClock;
  // rrule's own defaults from DTSTART (parseoptions.js), written out so they survive re-anchoring.
  if (!["BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY"].some((k) => parts.has(k))) {
    if (freq === Frequency.YEARLY) {
      if (!parts.has("BYMONTH")) parts.set("BYMONTH", String(w.month));
      parts.set("BYMONTHDAY", String(w.day));
    } else if (freq === Frequency.MONTHLY) {
      parts.set("BYMONTHDAY", String(w.day));
    } else if (freq === Frequency.WEEKLY) {
      parts.set("BYDAY", WEEKDAYS[w.dayOfWeek - 1]!);
    }
  }
  if (freq <= Frequency.DAILY && !parts.has("BYHOUR")) parts.set("BYHOUR", String(w.hour));
  if (freq <= Frequency.HOURLY && !parts.has("BYMINUTE")) parts.set("BYMINUTE", String(w.minute));
  if (freq <= Frequency.MINUTELY && !parts.has("BYSECOND")) parts.set("BYSECOND", String(w.second));
  const body = [...parts].map(([k, v]) => `${k}=${v}`).join(";");
  // Replace the RRULE line only; EXDATE lines stay as they were.
  return text
    .split(/\r?\n/)
    .map((line) => (/^\s*RRULE:/i.test(line) ? `RRULE:${body}` : /^\s*FREQ=/i.test(line) ? body : line))
    .join("\n");
}
