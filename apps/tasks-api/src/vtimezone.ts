/**
 * VTIMEZONE components (RFC 5545 3.6.5) generated from the zone's real transitions as this runtime's
 * time-zone database (ICU, through Intl) knows them — the same data every wall-clock computation of the
 * platform uses, so a calendar app places a task where the API and the recurrence service do.
 *
 * The transitions of a window of years are found by sampling the UTC offset weekly and bisecting each
 * change to the second: two changes less than a week apart would be missed or merged (test/ics.test.ts
 * compares the result with Intl at random instants, for zones with unusual rules too). Where the last years' changes follow a yearly rule ("last Sunday of March at
 * 02:00", "Sunday on or after the 8th"), the rule is written as an RRULE and checked against the
 * transitions of the next 30 years before it is used; otherwise each change is listed and the
 * last offset holds after the window, which is right for zones that dropped DST.
 */

export interface Transition {
  /** The instant of the change, ms since the epoch (whole seconds). */
  readonly at: number;
  /** UTC offsets in minutes before and after. */
  readonly from: number;
  readonly to: number;
  /** The zone's abbreviation after the change (e.g. CEST), when the runtime has one. */
  readonly name?: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (zone: string): Intl.DateTimeFormat => {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    formatters.set(zone, f);
  }
  return f;
};

/** Local wall-clock fields of `ms` in `zone`. */
function wallParts(zone: string, ms: number): { fields: number[] } {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const year = Number(get("year")) * (get("era").startsWith("B") ? -1 : 1);
  return { fields: [year, Number(get("month")), Number(get("day")), Number(get("hour")), Number(get("minute")), Number(get("second"))] };
}

/**
 * The zone's abbreviation at `ms` (CEST, EDT), if CLDR has one: en-US names American zones, en-GB European
 * ones; otherwise undefined (a "GMT+2" is no name; TZNAME is optional).
 */
function abbreviation(zone: string, ms: number): string | undefined {
  for (const locale of ["en-US", "en-GB"]) {
    const name = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" })
      .formatToParts(new Date(ms))
      .find((p) => p.type === "timeZoneName")?.value;
    if (name && !/^(GMT|UTC)/.test(name)) return name;
  }
  return undefined;
}

/** The zone's UTC offset at `ms`, in whole minutes. */
export function offsetAt(zone: string, ms: number): number {
  const [y, mo, d, h, mi, s] = wallParts(zone, ms).fields as [number, number, number, number, number, number];
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
}

const DAY = 86_400_000;

/** The instants whose wall clock in `zone` is `local` (fields as if UTC): none in a gap, two in a repeated hour. */
export function instantsOf(zone: string, local: number): number[] {
  const offsets = new Set([offsetAt(zone, local - DAY), offsetAt(zone, local + DAY)]);
  return [...offsets]
    .map((o) => local - o * 60_000)
    .filter((t) => offsetAt(zone, t) * 60_000 === local - t)
    .sort((a, b) => a - b);
}

/**
 * The instant of a wall-clock time as RFC 5545 3.3.5 reads it: a time that happens twice is the first; a time
 * in a gap takes the offset from before the gap (so it lands after it).
 */
export function wallClockToInstant(zone: string, local: number): number {
  return instantsOf(zone, local)[0] ?? local - offsetAt(zone, local - DAY) * 60_000;
}

/** Every offset change of `zone` in [from, to), ms since the epoch. */
export function transitions(zone: string, from: number, to: number): Transition[] {
  const out: Transition[] = [];
  let t = from;
  let off = offsetAt(zone, t);
  while (t < to) {
    const next = Math.min(t + 7 * DAY, to);
    const nextOff = offsetAt(zone, next);
    if (nextOff !== off) {
      // Bisect to the first second with the new offset.
      let lo = t;
      let hi = next;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (offsetAt(zone, mid) === off) lo = mid;
        else hi = mid;
      }
      const name = abbreviation(zone, hi);
      out.push({ at: hi, from: off, to: nextOff, ...(name ? { name } : {}) });
    }
    t = next;
    off = nextOff;
  }
  return out;
}

const pad = (n: number, w = 2): string => String(Math.abs(n)).padStart(w, "0");

/** A UTC offset in minutes as RFC 5545 UTC-OFFSET (+0100, -0330). */
export const utcOffset = (minutes: number): string =>
  `${minutes < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;

/** ms of a wall-clock time (fields as if UTC) as a local DATE-TIME (19970714T133000). */
export const localDateTime = (local: number): string => {
  const d = new Date(local);
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
};

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;
const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

interface YearlyRule {
  readonly from: number;
  readonly to: number;
  /** The first transition the rule produces (the observance's DTSTART). */
  readonly first: Transition;
  readonly rrule: string;
  /** The local time (in the `from` offset) of the rule's change in `year`. */
  localIn(year: number): number;
}

/** A yearly rule that yields exactly `sample` (one change a year, same offsets), or undefined. */
function yearlyRule(sample: readonly Transition[]): YearlyRule | undefined {
  const first = sample[0];
  if (!first || sample.length < 4) return undefined;
  const locals = sample.map((t) => new Date(t.at + t.from * 60_000));
  const years = locals.map((d) => d.getUTCFullYear());
  if (years.some((y, i) => i > 0 && y !== years[i - 1]! + 1)) return undefined;
  if (sample.some((t) => t.from !== first.from || t.to !== first.to)) return undefined;
  const time = (d: Date) => d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds();
  const [d0] = locals as [Date];
  if (locals.some((d) => d.getUTCMonth() !== d0.getUTCMonth() || time(d) !== time(d0))) return undefined;
  const month = d0.getUTCMonth() + 1;
  const at = (year: number, day: number) => Date.UTC(year, month - 1, day) + time(d0) * 1000;
  const base = { from: first.from, to: first.to, first };
  if (locals.every((d) => d.getUTCDate() === d0.getUTCDate()))
    return { ...base, rrule: `FREQ=YEARLY;BYMONTH=${month};BYMONTHDAY=${d0.getUTCDate()}`, localIn: (y) => at(y, d0.getUTCDate()) };
  const weekday = d0.getUTCDay();
  if (locals.some((d) => d.getUTCDay() !== weekday)) return undefined;
  const wd = WEEKDAYS[weekday]!;
  const nthFrom = (y: number, minDay: number) => minDay + ((weekday - new Date(Date.UTC(y, month - 1, minDay)).getUTCDay() + 7) % 7);
  if (locals.every((d) => d.getUTCDate() + 7 > daysInMonth(d.getUTCFullYear(), month)))
    return {
      ...base,
      rrule: `FREQ=YEARLY;BYMONTH=${month};BYDAY=-1${wd}`,
      localIn: (y) => at(y, nthFrom(y, daysInMonth(y, month) - 6)),
    };
  // "weekday on or after the Nth" (tzdata's Sun>=8): the smallest day seen is the earliest the rule allows
  // only if some sampled year hit it, which the 30-year check below confirms or refutes.
  const minDay = Math.min(...locals.map((d) => d.getUTCDate()));
  if (minDay + 6 > 28) return undefined;
  const days = Array.from({ length: 7 }, (_, i) => minDay + i).join(",");
  return { ...base, rrule: `FREQ=YEARLY;BYMONTH=${month};BYDAY=${wd};BYMONTHDAY=${days}`, localIn: (y) => at(y, nthFrom(y, minDay)) };
}

const yearStart = (year: number) => Date.UTC(year, 0, 1);

const vtimezoneCache = new Map<string, readonly string[]>();

/**
 * The VTIMEZONE lines for `zone`, covering `fromYear` onwards (the earliest task in the feed, minus a year
 * of margin, is a good start). `nowYear` anchors the window in which the yearly rules are looked for.
 */
export function vtimezoneLines(zone: string, fromYear: number, nowYear: number): readonly string[] {
  const key = `${zone}|${fromYear}|${nowYear}`;
  let lines = vtimezoneCache.get(key);
  if (!lines) {
    if (vtimezoneCache.size >= 500) vtimezoneCache.clear();
    vtimezoneCache.set(key, (lines = buildVtimezone(zone, fromYear, nowYear)));
  }
  return lines;
}

const ruleYears = 6;
const checkYears = 30;

/**
 * The yearly rules the changes of [sampleStart, sampleStart + ruleYears) follow, if every change from there
 * to `windowEnd` is one they produce; else none.
 */
function yearlyRules(all: readonly Transition[], sampleStart: number, windowEnd: number): YearlyRule[] {
  // One candidate rule per (from, to) pair of offsets.
  const inSample = all.filter((t) => t.at >= yearStart(sampleStart) && t.at < yearStart(sampleStart + ruleYears));
  const pairs = new Map<string, Transition[]>();
  for (const t of inSample) pairs.set(`${t.from}>${t.to}`, [...(pairs.get(`${t.from}>${t.to}`) ?? []), t]);
  const rules = [...pairs.values()].map(yearlyRule);
  if (rules.length === 0 || !rules.every((r): r is YearlyRule => r !== undefined)) return [];
  const start = Math.min(...rules.map((r) => r.first.at));
  const predicted = rules
    .flatMap((r) => {
      const y0 = new Date(r.first.at + r.from * 60_000).getUTCFullYear();
      return Array.from({ length: ruleYears + checkYears }, (_, i) => r.localIn(y0 + i) - r.from * 60_000);
    })
    .filter((at) => at < windowEnd)
    .sort((a, b) => a - b);
  const actual = all.filter((t) => t.at >= start).map((t) => t.at);
  return predicted.length === actual.length && predicted.every((at, i) => at === actual[i]) ? rules : [];
}

function buildVtimezone(zone: string, fromYear: number, nowYear: number): string[] {
  const sampleStart = Math.max(fromYear, nowYear - 1);
  const windowEnd = yearStart(sampleStart + ruleYears + checkYears);
  const all = transitions(zone, yearStart(fromYear), windowEnd);
  const initial = offsetAt(zone, yearStart(fromYear));
  const ruled = yearlyRules(all, sampleStart, windowEnd);
  const ruleStart = ruled.length ? Math.min(...ruled.map((r) => r.first.at)) : Number.POSITIVE_INFINITY;
  const listed = all.filter((t) => t.at < ruleStart);

  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  // DAYLIGHT = the larger offset of a change (RFC 5545 uses the two kinds for display only).
  const kind = (from: number, to: number) => (to > from ? "DAYLIGHT" : "STANDARD");
  const local = (t: Transition) => localDateTime(t.at + t.from * 60_000);
  // The offset in force at the start of the window, so that every earlier time has an observance too.
  const firstChange = all[0];
  const initialKind = firstChange && firstChange.to < firstChange.from ? "DAYLIGHT" : "STANDARD";
  lines.push(
    `BEGIN:${initialKind}`,
    `DTSTART:${localDateTime(yearStart(fromYear))}`,
    `TZOFFSETFROM:${utcOffset(initial)}`,
    `TZOFFSETTO:${utcOffset(initial)}`,
    `END:${initialKind}`,
  );
  // Listed changes: one observance each. (RDATE lists would be shorter, but ical.js, for one, drops the
  // DTSTART onset of an observance that has RDATEs and no RRULE.)
  for (const t of listed) {
    const k = kind(t.from, t.to);
    lines.push(
      `BEGIN:${k}`,
      `DTSTART:${local(t)}`,
      `TZOFFSETFROM:${utcOffset(t.from)}`,
      `TZOFFSETTO:${utcOffset(t.to)}`,
      ...(t.name ? [`TZNAME:${t.name}`] : []),
      `END:${k}`,
    );
  }
  for (const r of ruled) {
    const k = kind(r.from, r.to);
    lines.push(
      `BEGIN:${k}`,
      `DTSTART:${local(r.first)}`,
      `RRULE:${r.rrule}`,
      `TZOFFSETFROM:${utcOffset(r.from)}`,
      `TZOFFSETTO:${utcOffset(r.to)}`,
      ...(r.first.name ? [`TZNAME:${r.first.name}`] : []),
      `END:${k}`,
    );
  }
  lines.push("END:VTIMEZONE");
  return lines;
}
