/**
 * The phrase grammar: a small, explicit set of English clauses for due dates and recurrences, read left to
 * right. Every word must belong to a clause; anything left over, a bare hour without am/pm, a numeric date
 * such as 3/4 (day or month first?) or two clauses that say the same thing differently is an error listing
 * what was understood — never a guess. chrono-node (MIT, maintained) was weighed and not used: it resolves
 * ambiguous input silently by design and takes a fixed UTC offset rather than an IANA zone, so a DST day
 * would shift its answers; the clauses here only produce wall-clock fields, which schedule.ts places in the
 * user's zone with Temporal.
 */

export const weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof weekdays)[number];

const weekdayNames: Record<string, Weekday> = {
  monday: "MO",
  mon: "MO",
  tuesday: "TU",
  tue: "TU",
  tues: "TU",
  wednesday: "WE",
  wed: "WE",
  thursday: "TH",
  thu: "TH",
  thurs: "TH",
  friday: "FR",
  fri: "FR",
  saturday: "SA",
  sat: "SA",
  sunday: "SU",
  sun: "SU",
};
const monthNames: Record<string, number> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};
const numberWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  twelve: 12,
};
const ordinals: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, last: -1 };

const WD = `(?:${Object.keys(weekdayNames)
  .sort((a, b) => b.length - a.length)
  .join("|")})`;
const MONTH = `(?:${Object.keys(monthNames)
  .sort((a, b) => b.length - a.length)
  .join("|")})`;
const NUM = `(?:\\d{1,4}|${Object.keys(numberWords).join("|")})`;
const ORD = `(?:first|second|third|fourth|fifth|last|[1-5](?:st|nd|rd|th))`;
const DAYNUM = `(\\d{1,2})(?:st|nd|rd|th)?`;

/** The forms the grammar accepts, for error messages and the tools' descriptions. */
export const acceptedForms: readonly string[] = [
  "today, tomorrow, the day after tomorrow",
  "in 3 days | in 2 hours | in 30 minutes | in a week | in 2 months",
  "Friday | next Friday | this Friday (the first Friday after today) | Friday next week (the one a week later)",
  "24 December [2027] | December 24 | 2027-12-24",
  "times: 5pm, 5:30pm, 17:00, noon, midnight (a bare 'at 5' is ambiguous: say 5am or 5pm)",
  "every day | daily | every weekday | every weekend | hourly | every week | weekly | monthly | yearly",
  "every Monday [and Thursday] | every other Monday | every 2 weeks | every 3 days",
  "the first|second|third|fourth|last Monday of every month",
  "on the 31st of each month | every month on the 15th | the last day of every month",
  "every year on 29 February | every 24 December",
  "modifiers: until 20 December | 10 times | starting 5 January | at 9am",
];

export type DateSpec =
  | { readonly kind: "relative-days"; readonly days: number; readonly text: string }
  | { readonly kind: "duration"; readonly amount: number; readonly unit: "minutes" | "hours"; readonly text: string }
  | { readonly kind: "calendar-offset"; readonly amount: number; readonly unit: "weeks" | "months" | "years"; readonly text: string }
  | { readonly kind: "weekday"; readonly weekday: Weekday; readonly weeksLater: number; readonly text: string }
  | { readonly kind: "absolute"; readonly month: number; readonly day: number; readonly year?: number; readonly text: string };

export interface TimeSpec {
  readonly hour: number;
  readonly minute: number;
  readonly text: string;
}

export interface RuleSpec {
  freq: "HOURLY" | "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";
  interval?: number;
  byDay?: string[];
  byMonthDay?: number;
  byMonth?: number;
  text: string;
}

export interface Parsed {
  date?: DateSpec;
  time?: TimeSpec;
  rule?: RuleSpec;
  until?: DateSpec;
  count?: number;
  start?: DateSpec;
  /** Each clause as read, in order: what was understood. */
  readonly understood: string[];
}

export class PhraseError extends Error {
  override readonly name = "PhraseError";
  constructor(
    readonly problem: string,
    readonly understood: readonly string[],
  ) {
    super(
      `${problem}${understood.length ? ` Understood so far: ${understood.join("; ")}.` : " Nothing was understood."} Accepted forms: ${acceptedForms.join(" · ")}.`,
    );
  }
}

const toNumber = (s: string): number => numberWords[s] ?? Number(s);
const ordinal = (s: string): number => ordinals[s] ?? Number(s.replace(/\D/g, ""));

function checkDay(month: number, day: number, understood: string[]): void {
  const max = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > max) throw new PhraseError(`There is no day ${day} in month ${month}.`, understood);
}

/** A date at the start of `s` (no time), for `until`, `starting` and the date clause itself. */
function readDate(s: string, understood: string[]): { spec: DateSpec; rest: string } | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^(?:the\s+)?day after tomorrow\b/.exec(s)))
    return { spec: { kind: "relative-days", days: 2, text: m[0] }, rest: s.slice(m[0].length) };
  if ((m = /^today\b/.exec(s))) return { spec: { kind: "relative-days", days: 0, text: m[0] }, rest: s.slice(m[0].length) };
  if ((m = /^tomorrow\b/.exec(s))) return { spec: { kind: "relative-days", days: 1, text: m[0] }, rest: s.slice(m[0].length) };
  if ((m = new RegExp(`^in\\s+(${NUM})\\s+(minute|min|hour|day|week|month|year)s?\\b`).exec(s))) {
    const amount = toNumber(m[1]!);
    const unit = m[2]!;
    const spec: DateSpec =
      unit === "day"
        ? { kind: "relative-days", days: amount, text: m[0] }
        : unit === "minute" || unit === "min" || unit === "hour"
          ? { kind: "duration", amount, unit: unit === "hour" ? "hours" : "minutes", text: m[0] }
          : { kind: "calendar-offset", amount, unit: `${unit}s` as "weeks" | "months" | "years", text: m[0] };
    return { spec, rest: s.slice(m[0].length) };
  }
  if ((m = new RegExp(`^(?:(next|this|coming|on)\\s+)?(${WD})(?:\\s+(next week|week after next))?\\b`).exec(s))) {
    const weeksLater = m[3] === "next week" ? 1 : m[3] === "week after next" ? 2 : 0;
    return { spec: { kind: "weekday", weekday: weekdayNames[m[2]!]!, weeksLater, text: m[0] }, rest: s.slice(m[0].length) };
  }
  if ((m = /^(?:on\s+)?(\d{4})-(\d{2})-(\d{2})\b/.exec(s))) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12) throw new PhraseError(`There is no month ${month}.`, understood);
    checkDay(month, day, understood);
    return { spec: { kind: "absolute", year, month, day, text: m[0] }, rest: s.slice(m[0].length) };
  }
  if ((m = /^(?:on\s+)?\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b/.exec(s)))
    throw new PhraseError(
      `"${m[0].trim()}" is ambiguous (day or month first?): write the month's name, e.g. 3 April, or 2027-04-03.`,
      understood,
    );
  if ((m = new RegExp(`^(?:on\\s+)?(?:the\\s+)?${DAYNUM}\\s+(?:of\\s+)?(${MONTH})\\b(?:,?\\s+(\\d{4})\\b)?`).exec(s))) {
    const month = monthNames[m[2]!]!;
    const day = Number(m[1]);
    checkDay(month, day, understood);
    return { spec: { kind: "absolute", month, day, ...(m[3] ? { year: Number(m[3]) } : {}), text: m[0] }, rest: s.slice(m[0].length) };
  }
  if ((m = new RegExp(`^(?:on\\s+)?(${MONTH})\\s+${DAYNUM}\\b(?:,?\\s+(\\d{4})\\b)?`).exec(s))) {
    const month = monthNames[m[1]!]!;
    const day = Number(m[2]);
    checkDay(month, day, understood);
    return { spec: { kind: "absolute", month, day, ...(m[3] ? { year: Number(m[3]) } : {}), text: m[0] }, rest: s.slice(m[0].length) };
  }
  return undefined;
}

function readTime(s: string, understood: string[]): { spec: TimeSpec; rest: string } | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^(?:at\s+)?(noon|midday|midnight)\b/.exec(s)))
    return { spec: { hour: m[1] === "midnight" ? 0 : 12, minute: 0, text: m[0] }, rest: s.slice(m[0].length) };
  if ((m = /^(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)\b/.exec(s))) {
    const h = Number(m[1]);
    const minute = Number(m[2] ?? 0);
    if (h < 1 || h > 12 || minute > 59) throw new PhraseError(`"${m[0].trim()}" is not a time on a 12-hour clock.`, understood);
    return { spec: { hour: (h % 12) + (m[3] === "pm" ? 12 : 0), minute, text: m[0] }, rest: s.slice(m[0].length) };
  }
  if ((m = /^(?:at\s+)?(\d{1,2}):(\d{2})\b/.exec(s))) {
    const [hour, minute] = [Number(m[1]), Number(m[2])];
    if (hour > 23 || minute > 59) throw new PhraseError(`"${m[0].trim()}" is not a time of day.`, understood);
    return { spec: { hour, minute, text: m[0] }, rest: s.slice(m[0].length) };
  }
  if ((m = /^at\s+(\d{1,2})\b(?!\s*(?:st|nd|rd|th|times?|occurrences?)\b)/.exec(s))) {
    const hour = Number(m[1]);
    if (hour >= 13 && hour <= 23) return { spec: { hour, minute: 0, text: m[0] }, rest: s.slice(m[0].length) };
    throw new PhraseError(
      `"${m[0].trim()}" is ambiguous: say ${hour}am or ${hour}pm (or ${String(hour).padStart(2, "0")}:00).`,
      understood,
    );
  }
  return undefined;
}

const weekdayList = (text: string): string[] => [...text.matchAll(new RegExp(WD, "g"))].map((x) => weekdayNames[x[0]]!);

/** A recurrence clause at the start of `s`. */
function readRule(s: string, understood: string[]): { spec: RuleSpec; rest: string } | undefined {
  let m: RegExpExecArray | null;
  const done = (spec: RuleSpec, matched: string) => ({ spec, rest: s.slice(matched.length) });
  // The nth weekday of the month: "the first Monday of every month", "every last Friday of the month".
  if ((m = new RegExp(`^(?:on\\s+)?(?:every\\s+|each\\s+|the\\s+)?(${ORD})\\s+(${WD})\\s+of\\s+(?:every|each|the)\\s+month\\b`).exec(s))) {
    const n = ordinal(m[1]!);
    return done({ freq: "MONTHLY", byDay: [`${n}${weekdayNames[m[2]!]!}`], text: m[0] }, m[0]);
  }
  if ((m = /^(?:on\s+)?the\s+last\s+day\s+of\s+(?:every|each|the)\s+month\b/.exec(s)))
    return done({ freq: "MONTHLY", byMonthDay: -1, text: m[0] }, m[0]);
  if ((m = new RegExp(`^(?:on\\s+)?(?:every\\s+)?the\\s+${DAYNUM}\\s+of\\s+(?:every|each|the)\\s+month\\b`).exec(s))) {
    const day = Number(m[1]);
    if (day < 1 || day > 31) throw new PhraseError(`There is no day ${day} in a month.`, understood);
    return done({ freq: "MONTHLY", byMonthDay: day, text: m[0] }, m[0]);
  }
  if ((m = /^(?:every\s+(?:week\s*day|workday|work\s+day)|on\s+weekdays|weekdays)\b/.exec(s)))
    return done({ freq: "WEEKLY", byDay: ["MO", "TU", "WE", "TH", "FR"], text: m[0] }, m[0]);
  if ((m = /^(?:every\s+weekend|on\s+weekends|weekends)\b/.exec(s))) return done({ freq: "WEEKLY", byDay: ["SA", "SU"], text: m[0] }, m[0]);
  if ((m = new RegExp(`^every\\s+other\\s+(${WD})\\b`).exec(s)))
    return done({ freq: "WEEKLY", interval: 2, byDay: [weekdayNames[m[1]!]!], text: m[0] }, m[0]);
  // "every Monday", "on Mondays", "on Monday and Thursday" (a single "on Monday" is a date: the next Monday).
  const list = `((?:\\s*(?:,|and|&)\\s*(?:${WD})s?)*)`;
  if (
    (m = new RegExp(`^(?:every|each)\\s+(${WD})s?${list}\\b`).exec(s)) ||
    (m = new RegExp(`^on\\s+(${WD})s${list}\\b`).exec(s)) ||
    (m = new RegExp(`^on\\s+(${WD})s?((?:\\s*(?:,|and|&)\\s*(?:${WD})s?)+)\\b`).exec(s))
  )
    return done({ freq: "WEEKLY", byDay: [...new Set(weekdayList(m[0]))], text: m[0] }, m[0]);
  if ((m = new RegExp(`^(${WD})s((?:\\s*(?:,|and|&)\\s*(?:${WD})s)*)\\b`).exec(s)))
    return done({ freq: "WEEKLY", byDay: [...new Set(weekdayList(m[0]))], text: m[0] }, m[0]);
  const units: Record<string, RuleSpec["freq"]> = { hour: "HOURLY", day: "DAILY", week: "WEEKLY", month: "MONTHLY", year: "YEARLY" };
  if ((m = /^every\s+other\s+(hour|day|week|month|year)\b/.exec(s))) return done({ freq: units[m[1]!]!, interval: 2, text: m[0] }, m[0]);
  if ((m = new RegExp(`^every\\s+(${NUM}|second|third|fourth)\\s+(hour|day|week|month|year)s?\\b`).exec(s))) {
    const n = ordinals[m[1]!] ?? toNumber(m[1]!);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new PhraseError(`An interval must be 1 to 1000, not ${m[1]}.`, understood);
    return done({ freq: units[m[2]!]!, ...(n > 1 ? { interval: n } : {}), text: m[0] }, m[0]);
  }
  if ((m = /^(?:every|each)\s+(hour|day|week|month|year)\b/.exec(s))) return done({ freq: units[m[1]!]!, text: m[0] }, m[0]);
  const adverbs: Record<string, RuleSpec["freq"]> = {
    hourly: "HOURLY",
    daily: "DAILY",
    weekly: "WEEKLY",
    monthly: "MONTHLY",
    yearly: "YEARLY",
    annually: "YEARLY",
  };
  if ((m = /^(hourly|daily|weekly|monthly|yearly|annually)\b/.exec(s))) return done({ freq: adverbs[m[1]!]!, text: m[0] }, m[0]);
  // "every 24 December", "every February 29": yearly on that date.
  if ((m = new RegExp(`^every\\s+(?=\\d|${MONTH})`).exec(s))) {
    const date = readDate(s.slice(m[0].length), understood);
    if (date?.spec.kind === "absolute" && date.spec.year === undefined) {
      const text = `${m[0]}${date.spec.text}`;
      return done({ freq: "YEARLY", byMonth: date.spec.month, byMonthDay: date.spec.day, text }, text);
    }
  }
  return undefined;
}

/** The clauses of `phrase`, in order; throws PhraseError on anything it cannot place. */
export function readPhrase(phrase: string): Parsed {
  const understood: string[] = [];
  const out: Parsed = { understood };
  let s = phrase
    .toLowerCase()
    .replace(/a\.m\./g, "am")
    .replace(/p\.m\./g, "pm")
    .replace(/[\s,;]+/g, " ")
    .replace(/[.!?]+$/, "")
    .trim();
  if (!s) throw new PhraseError("The phrase is empty.", understood);
  if (s.length > 200) throw new PhraseError("The phrase is longer than 200 characters.", understood);
  const once = <K extends "date" | "time" | "rule" | "until" | "count" | "start">(
    key: K,
    value: Parsed[K],
    text: string,
    label: string,
  ) => {
    if (out[key] !== undefined) throw new PhraseError(`"${text.trim()}" gives a second ${label}.`, understood);
    out[key] = value;
    understood.push(`${label}: ${text.trim()}`);
  };
  while (s.length > 0) {
    s = s.replace(/^(?:and|&|,)\s+/, "");
    let m: RegExpExecArray | null;
    const rule = readRule(s, understood);
    if (rule) {
      const prev = out.rule;
      // "weekly on Monday", "every 2 weeks on Tuesday and Friday", "monthly on the first Monday of the month".
      const refines =
        prev !== undefined &&
        prev.freq === rule.spec.freq &&
        prev.byDay === undefined &&
        prev.byMonthDay === undefined &&
        prev.byMonth === undefined &&
        rule.spec.interval === undefined &&
        (rule.spec.byDay !== undefined || rule.spec.byMonthDay !== undefined);
      if (prev && refines) {
        out.rule = { ...rule.spec, ...(prev.interval ? { interval: prev.interval } : {}) };
        understood.push(`on: ${rule.spec.text.trim()}`);
      } else once("rule", rule.spec, rule.spec.text, "repeats");
      s = rule.rest.trim();
      continue;
    }
    // "every month on the 15th", "monthly on the 31st": the day of a monthly rule.
    if (out.rule?.freq === "MONTHLY" && (m = new RegExp(`^on\\s+the\\s+${DAYNUM}\\b(?!\\s+of)`).exec(s))) {
      const day = Number(m[1]);
      if (day < 1 || day > 31) throw new PhraseError(`There is no day ${day} in a month.`, understood);
      if (out.rule.byDay || out.rule.byMonthDay) throw new PhraseError(`"${m[0]}" gives the monthly rule a second day.`, understood);
      out.rule.byMonthDay = day;
      understood.push(`on day of month: ${day}`);
      s = s.slice(m[0].length).trim();
      continue;
    }
    if ((m = /^(?:until|till|through|ending(?:\s+on)?)\s+/.exec(s))) {
      const d = readDate(s.slice(m[0].length), understood);
      if (!d) throw new PhraseError(`"${s}": "${m[0].trim()}" needs a date after it.`, understood);
      once("until", d.spec, `${m[0]}${d.spec.text}`, "until");
      s = d.rest.trim();
      continue;
    }
    if ((m = /^(?:starting|beginning|from)(?:\s+on)?\s+/.exec(s))) {
      const d = readDate(s.slice(m[0].length), understood);
      if (!d) throw new PhraseError(`"${s}": "${m[0].trim()}" needs a date after it.`, understood);
      once("start", d.spec, `${m[0]}${d.spec.text}`, "starting");
      s = d.rest.trim();
      continue;
    }
    if ((m = new RegExp(`^(?:for\\s+)?(${NUM})\\s+(?:times|occurrences)\\b`).exec(s))) {
      const n = toNumber(m[1]!);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new PhraseError(`A count must be 1 to 10000, not ${m[1]}.`, understood);
      once("count", n, m[0], "times");
      s = s.slice(m[0].length).trim();
      continue;
    }
    const time = readTime(s, understood);
    if (time) {
      once("time", time.spec, time.spec.text, "time");
      s = time.rest.trim();
      continue;
    }
    const date = readDate(s, understood);
    if (date) {
      once("date", date.spec, date.spec.text, "date");
      s = date.rest.trim();
      continue;
    }
    throw new PhraseError(`Could not understand "${s.slice(0, 60)}".`, understood);
  }
  return out;
}
