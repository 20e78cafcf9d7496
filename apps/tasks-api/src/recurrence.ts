/**
 * RRULE validation. rrule's parser (2.8) is lenient — it accepts FREQ=NOPE, BYDAY=XX, COUNT=abc —
 * so every part is checked here first, then by the recurrence engine's strict RFC 5545 parser (the one
 * the recurrence service evaluates it with), then the rule is parsed with rrule and re-serialised,
 * which is what is stored. DTSTART is not allowed: a series is anchored at the task's dueAt + timeZone;
 * `scheduleProblem` (cross-field, with dueAt) then checks the next occurrence can be found in budget.
 */
import { parseRRuleBody, RecurrenceRuleError } from "@tasks/shared/recurrence/index";
import rrulePkg from "rrule";

const { RRule } = rrulePkg;

const allowedFreq = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY"];
const list = (item: string) => new RegExp(`^${item}(,${item})*$`);
const signed = (max: number) => (v: string) =>
  v.split(",").every((x) => /^[+-]?\d{1,3}$/.test(x) && Math.abs(Number(x)) >= 1 && Math.abs(Number(x)) <= max);
const unsigned = (min: number, max: number) => (v: string) =>
  v.split(",").every((x) => /^\d{1,2}$/.test(x) && Number(x) >= min && Number(x) <= max);

const parts: Record<string, (v: string) => string | undefined> = {
  FREQ: (v) => (allowedFreq.includes(v) ? undefined : `FREQ must be one of ${allowedFreq.join(", ")}`),
  INTERVAL: (v) => (/^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : "INTERVAL must be an integer from 1 to 1000"),
  COUNT: (v) => (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 10000 ? undefined : "COUNT must be an integer from 1 to 10000"),
  UNTIL: (v) => (validUntil(v) ? undefined : "UNTIL must be a date (YYYYMMDD) or UTC date-time (YYYYMMDDTHHMMSSZ)"),
  BYDAY: (v) =>
    list("[+-]?(?:[1-9]|[1-4]\\d|5[0-3])?(?:MO|TU|WE|TH|FR|SA|SU)").test(v) ? undefined : "BYDAY must list weekdays like MO,TU or 1MO,-1FR",
  BYMONTHDAY: (v) => (signed(31)(v) ? undefined : "BYMONTHDAY values must be 1..31 or -31..-1"),
  BYYEARDAY: (v) => (signed(366)(v) ? undefined : "BYYEARDAY values must be 1..366 or -366..-1"),
  BYWEEKNO: (v) => (signed(53)(v) ? undefined : "BYWEEKNO values must be 1..53 or -53..-1"),
  BYSETPOS: (v) => (signed(366)(v) ? undefined : "BYSETPOS values must be 1..366 or -366..-1"),
  BYMONTH: (v) => (unsigned(1, 12)(v) ? undefined : "BYMONTH values must be 1..12"),
  BYHOUR: (v) => (unsigned(0, 23)(v) ? undefined : "BYHOUR values must be 0..23"),
  BYMINUTE: (v) => (unsigned(0, 59)(v) ? undefined : "BYMINUTE values must be 0..59"),
  BYSECOND: (v) => (unsigned(0, 59)(v) ? undefined : "BYSECOND values must be 0..59"),
  WKST: (v) => (/^(MO|TU|WE|TH|FR|SA|SU)$/.test(v) ? undefined : "WKST must be a weekday (MO..SU)"),
};

function validUntil(v: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z?)?$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h, mi, s));
  return (
    y! >= 1970 &&
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo! - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  );
}

export type RecurrenceCheck = { ok: true; rule: string } | { ok: false; message: string };

/** Validates an RRULE (with or without the `RRULE:` prefix); returns the normalised rule. */
export function checkRecurrence(input: string): RecurrenceCheck {
  const text = input.trim().replace(/^RRULE:/i, "");
  if (text.length === 0) return { ok: false, message: "Recurrence must be an RRULE such as FREQ=WEEKLY;BYDAY=MO." };
  if (/[\r\n]/.test(text) || /DTSTART/i.test(text))
    return { ok: false, message: "Recurrence must be a single RRULE without DTSTART; the series starts at dueAt." };
  const seen = new Set<string>();
  for (const part of text.split(";")) {
    const eq = part.indexOf("=");
    const key = (eq < 0 ? part : part.slice(0, eq)).toUpperCase();
    const value = eq < 0 ? "" : part.slice(eq + 1).toUpperCase();
    const check = parts[key];
    if (!check) return { ok: false, message: `Unsupported RRULE part "${key.slice(0, 20)}".` };
    if (seen.has(key)) return { ok: false, message: `RRULE part ${key} is given twice.` };
    seen.add(key);
    const problem = check(value);
    if (problem) return { ok: false, message: `${problem}.` };
  }
  if (!seen.has("FREQ")) return { ok: false, message: "RRULE needs FREQ." };
  if (seen.has("COUNT") && seen.has("UNTIL")) return { ok: false, message: "RRULE may have COUNT or UNTIL, not both." };
  try {
    parseRRuleBody(text);
  } catch (err) {
    if (err instanceof RecurrenceRuleError) return { ok: false, message: `Invalid RRULE: ${err.message}.` };
    throw err;
  }
  try {
    const options = RRule.parseString(text.toUpperCase());
    return { ok: true, rule: RRule.optionsToString(options).replace(/^RRULE:/, "") };
  } catch (err) {
    return { ok: false, message: `Invalid RRULE: ${err instanceof Error ? err.message : String(err)}.` };
  }
}
