import { Temporal } from "@js-temporal/polyfill";
import rrulePkg, { type Options } from "rrule";
import { RecurrenceRuleError } from "./errors.js";
import { checkTimeZone } from "./wall-clock.js";

const { Frequency, Weekday } = rrulePkg;

/**
 * A strict RFC 5545 recurrence parser. rrule's own parser is lenient (FREQ=FOO or BYMONTHDAY=x
 * silently become undefined/strings, UNTIL loses its "Z"), and a rule it misreads would create
 * wrong tasks forever, so every property is checked here and rrule only receives clean options.
 */

/** rrule options without the parts this service decides itself (dtstart, until, tzid). */
export type RuleOptions = Partial<Omit<Options, "dtstart" | "until" | "tzid">> & { freq: Options["freq"] };

/** A time written in the rule: an absolute instant (…Z), a local date-time, or a local date. */
export type RuleTime =
  | { readonly kind: "instant"; readonly instant: Temporal.Instant }
  | { readonly kind: "local"; readonly wallClock: Temporal.PlainDateTime }
  | { readonly kind: "date"; readonly date: Temporal.PlainDate };

export interface ParsedRecurrence {
  readonly options: RuleOptions;
  /** The RRULE's parts as written (names upper-cased), in order: used to re-serialise it. */
  readonly parts: readonly (readonly [name: string, value: string])[];
  /** UNTIL, inclusive. */
  readonly until?: RuleTime;
  /** DTSTART from the rule text, when it has one. */
  readonly dtstart?: { readonly wallClock: Temporal.PlainDateTime; readonly zone?: string };
  readonly exdates: readonly RuleTime[];
}

const FREQS = ["YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"] as const;
const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

const fail = (msg: string): never => {
  throw new RecurrenceRuleError(msg);
};

/** Parses `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ`, rejecting impossible dates. */
export function parseRuleTime(value: string, what: string): RuleTime {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value);
  if (!m) return fail(`${what} "${value}" is not an RFC 5545 DATE or DATE-TIME`);
  const [, y, mo, d, h, mi, s, z] = m;
  try {
    if (h === undefined)
      return { kind: "date", date: Temporal.PlainDate.from({ year: +y!, month: +mo!, day: +d! }, { overflow: "reject" }) };
    const wallClock = Temporal.PlainDateTime.from(
      { year: +y!, month: +mo!, day: +d!, hour: +h, minute: +mi!, second: Math.min(+s!, 59) },
      { overflow: "reject" },
    );
    if (z) return { kind: "instant", instant: wallClock.toZonedDateTime("UTC").toInstant() };
    return { kind: "local", wallClock };
  } catch {
    return fail(`${what} "${value}" is not a valid date`);
  }
}

function intList(key: string, value: string, min: number, max: number, allowNegative: boolean): number[] {
  return value.split(",").map((v) => {
    if (!/^[+-]?\d+$/.test(v)) fail(`${key} value "${v}" is not an integer`);
    const n = Number(v);
    const abs = Math.abs(n);
    if ((n < 0 && !allowNegative) || abs < min || abs > max || (n === 0 && min > 0)) {
      fail(`${key} value "${v}" is out of range (${allowNegative ? "±" : ""}${min}..${max})`);
    }
    return n;
  });
}

function positiveInt(key: string, value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) fail(`${key} must be a positive integer, got "${value}"`);
  return Number(value);
}

function parseByDay(value: string): { weekdays: InstanceType<typeof Weekday>[]; ordinal: boolean } {
  let ordinal = false;
  const weekdays = value.split(",").map((part) => {
    const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(part);
    if (!m) return fail(`BYDAY value "${part}" is not a weekday such as MO, 2TU or -1FR`);
    const day = DAYS.indexOf(m[2] as (typeof DAYS)[number]);
    if (m[1] === undefined) return new Weekday(day);
    const n = Number(m[1]);
    if (n === 0 || Math.abs(n) > 53) fail(`BYDAY ordinal in "${part}" is out of range (±1..53)`);
    ordinal = true;
    return new Weekday(day, n);
  });
  return { weekdays, ordinal };
}

/** Parses the body of an RRULE (`FREQ=…;…`) into rrule options plus UNTIL. */
export function parseRRuleBody(body: string): { options: RuleOptions; parts: [string, string][]; until?: RuleTime } {
  const seen = new Set<string>();
  const raw = new Map<string, string>();
  for (const part of body.split(";")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    if (eq <= 0 || eq === part.length - 1) fail(`RRULE part "${part}" is not NAME=VALUE`);
    const key = part.slice(0, eq).toUpperCase();
    if (seen.has(key)) fail(`RRULE property ${key} is given twice`);
    seen.add(key);
    raw.set(key, part.slice(eq + 1).toUpperCase());
  }
  const freqName = raw.get("FREQ");
  if (freqName === undefined) return fail("RRULE has no FREQ");
  const freqIdx = FREQS.indexOf(freqName as (typeof FREQS)[number]);
  if (freqIdx < 0) return fail(`FREQ "${freqName}" is not one of ${FREQS.join(", ")}`);
  const freq: Options["freq"] = Frequency[FREQS[freqIdx]!];
  const options: RuleOptions = { freq };
  let until: RuleTime | undefined;

  for (const [key, value] of raw) {
    switch (key) {
      case "FREQ":
        break;
      case "INTERVAL":
        options.interval = positiveInt(key, value);
        break;
      case "COUNT":
        options.count = positiveInt(key, value);
        break;
      case "UNTIL":
        until = parseRuleTime(value, "UNTIL");
        break;
      case "WKST": {
        const d = DAYS.indexOf(value as (typeof DAYS)[number]);
        if (d < 0) fail(`WKST "${value}" is not a weekday (MO..SU)`);
        options.wkst = d;
        break;
      }
      case "BYDAY": {
        const { weekdays, ordinal } = parseByDay(value);
        if (ordinal && freqName !== "MONTHLY" && freqName !== "YEARLY")
          fail(`BYDAY with an ordinal ("${value}") is only valid with FREQ=MONTHLY or FREQ=YEARLY`);
        if (ordinal && freqName === "YEARLY" && raw.has("BYWEEKNO")) fail("BYDAY with an ordinal must not be combined with BYWEEKNO");
        options.byweekday = weekdays;
        break;
      }
      case "BYMONTHDAY":
        if (freqName === "WEEKLY") fail("BYMONTHDAY must not be used with FREQ=WEEKLY");
        options.bymonthday = intList(key, value, 1, 31, true);
        break;
      case "BYYEARDAY":
        if (["DAILY", "WEEKLY", "MONTHLY"].includes(freqName)) fail(`BYYEARDAY must not be used with FREQ=${freqName}`);
        options.byyearday = intList(key, value, 1, 366, true);
        break;
      case "BYWEEKNO":
        if (freqName !== "YEARLY") fail("BYWEEKNO is only valid with FREQ=YEARLY");
        options.byweekno = intList(key, value, 1, 53, true);
        break;
      case "BYMONTH":
        options.bymonth = intList(key, value, 1, 12, false);
        break;
      case "BYSETPOS":
        options.bysetpos = intList(key, value, 1, 366, true);
        break;
      case "BYHOUR":
        options.byhour = intList(key, value, 0, 23, false);
        break;
      case "BYMINUTE":
        options.byminute = intList(key, value, 0, 59, false);
        break;
      case "BYSECOND":
        options.bysecond = intList(key, value, 0, 59, false);
        break;
      default:
        fail(`unknown RRULE property ${key}`);
    }
  }
  if (options.count !== undefined && until !== undefined) fail("COUNT and UNTIL must not both be given (RFC 5545)");
  if (options.bysetpos !== undefined && ![...raw.keys()].some((k) => k.startsWith("BY") && k !== "BYSETPOS")) {
    fail("BYSETPOS needs another BYxxx rule part");
  }
  const parts = [...raw.entries()];
  return until === undefined ? { options, parts } : { options, parts, until };
}

/** Parses `NAME;PARAM=V;…:VALUE` into its name, parameters and value. */
function splitContentLine(line: string): { name: string; params: Map<string, string>; value: string } {
  const colon = line.indexOf(":");
  if (colon < 0) return fail(`line "${line}" has no ":"`);
  const [name = "", ...paramParts] = line.slice(0, colon).split(";");
  const params = new Map<string, string>();
  for (const p of paramParts) {
    const eq = p.indexOf("=");
    if (eq <= 0) fail(`parameter "${p}" in "${line}" is not NAME=VALUE`);
    params.set(p.slice(0, eq).toUpperCase(), p.slice(eq + 1));
  }
  return { name: name.toUpperCase(), params, value: line.slice(colon + 1) };
}

function zonedLineTimes(line: string, what: string): { times: RuleTime[]; zone?: string } {
  const { params, value } = splitContentLine(line);
  const tzid = params.get("TZID");
  const zone = tzid === undefined ? undefined : checkTimeZone(tzid);
  const times = value.split(",").map((v) => parseRuleTime(v.trim(), what));
  if (zone !== undefined && times.some((t) => t.kind === "instant")) fail(`${what} must not combine TZID with a UTC ("Z") time`);
  return zone === undefined ? { times } : { times, zone };
}

/**
 * Parses a task's recurrence: a bare RRULE body (`FREQ=WEEKLY;BYDAY=MO`), an `RRULE:` line, or
 * several lines with an optional DTSTART (floating, UTC or with TZID) and EXDATE lines.
 */
export function parseRecurrence(text: string): ParsedRecurrence {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (lines.length === 0) return fail("recurrence is empty");
  let body: ReturnType<typeof parseRRuleBody> | undefined;
  let dtstart: ParsedRecurrence["dtstart"];
  const exdates: RuleTime[] = [];
  const exdateZones: (string | undefined)[] = [];
  for (const line of lines) {
    const upper = line.toUpperCase();
    if (upper.startsWith("FREQ=") || upper.startsWith("RRULE:")) {
      if (body) fail("recurrence has more than one RRULE");
      body = parseRRuleBody(line.replace(/^RRULE:/i, ""));
      continue;
    }
    const name = /^[A-Z-]+/.exec(upper)?.[0] ?? "";
    if (name === "DTSTART") {
      if (dtstart) fail("recurrence has more than one DTSTART");
      const { times, zone } = zonedLineTimes(line, "DTSTART");
      const t = times[0];
      if (times.length !== 1 || !t) return fail("DTSTART must hold exactly one value");
      if (t.kind === "date") return fail("DTSTART must be a DATE-TIME, not a DATE");
      dtstart =
        t.kind === "instant"
          ? { wallClock: t.instant.toZonedDateTimeISO("UTC").toPlainDateTime(), zone: "UTC" }
          : zone === undefined
            ? { wallClock: t.wallClock }
            : { wallClock: t.wallClock, zone };
    } else if (name === "EXDATE") {
      const { times, zone } = zonedLineTimes(line, "EXDATE");
      for (const t of times) {
        exdates.push(t);
        exdateZones.push(zone);
      }
    } else {
      fail(`unsupported recurrence property ${name || `"${line}"`}`);
    }
  }
  if (!body) return fail("recurrence has no RRULE");
  // An EXDATE with its own TZID different from the series zone is resolved to an instant here.
  const resolved = exdates.map((t, i): RuleTime => {
    const zone = exdateZones[i];
    if (t.kind === "local" && zone !== undefined && zone !== dtstart?.zone) {
      return { kind: "instant", instant: t.wallClock.toZonedDateTime(zone, { disambiguation: "compatible" }).toInstant() };
    }
    return t;
  });
  return { ...body, ...(dtstart ? { dtstart } : {}), exdates: resolved };
}
