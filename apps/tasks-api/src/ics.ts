/**
 * iCalendar (RFC 5545) rendering of a user's open tasks for the calendar feed.
 *
 * Each task is a VEVENT, not a VTODO: Google Calendar, Outlook and Apple Calendar all drop VTODOs from a
 * subscribed calendar (none of them shows tasks from an iCalendar subscription), so a VTODO feed would look
 * empty in the apps people keep their day in. The event starts at the due time and has no DTEND, so it ends
 * when it starts (RFC 5545 3.6.1: a point in time); TRANSP:TRANSPARENT keeps it out of free/busy.
 *
 * Times are local to the task's zone (DTSTART;TZID=...) with a VTIMEZONE per zone, generated from the
 * zone's transitions (vtimezone.ts), so a recurring task stays at its wall-clock time across DST changes
 * exactly as the recurrence service schedules it. The output is deterministic (DTSTAMP is the task's last
 * change, as RFC 5545 3.8.7.2 allows without METHOD), so the feed can be cached by ETag.
 */
import type { Priority, TaskSnapshot } from "@tasks/shared";
import { instantsOf, localDateTime, offsetAt, vtimezoneLines, wallClockToInstant } from "./vtimezone.js";

export const icsContentType = "text/calendar; charset=utf-8";
export const productId = "-//tasks-platform//calendar feed 1.0//EN";
/** UID domain: RFC 5545 3.8.4.7 recommends a globally unique right-hand side. */
const uidDomain = "tasks-platform.calendar";

/** RFC 5545 PRIORITY: 1 highest … 9 lowest (1-4 high, 5 medium, 6-9 low; 3.8.1.9). */
const icsPriority: Record<Priority, number> = { urgent: 1, high: 3, medium: 5, low: 9 };

/** TEXT escaping (3.3.11): backslash, semicolon, comma, newlines; other control characters are dropped. */
export function escapeText(s: string): string {
  return s
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, "");
}

/**
 * Content-line folding (3.1): lines longer than 75 octets are split, each continuation starting with one
 * space; never inside a UTF-8 sequence (split by code point). Lines end with CRLF.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const out: string[] = [];
  let current = "";
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > limit) {
      out.push(current);
      current = " ";
      bytes = 1;
      limit = 75;
    }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join("\r\n");
}

const utcDateTime = (iso: string): string => localDateTime(Date.parse(iso) - (Date.parse(iso) % 1000));
const utcStamp = (iso: string): string => `${utcDateTime(iso)}Z`;

/** Wall-clock ms (fields as if UTC) of an instant in `zone`. */
const wallClockOf = (zone: string, ms: number): number => ms + offsetAt(zone, ms) * 60_000;

/**
 * The task's rule as an RRULE value for a DTSTART with TZID: RFC 5545 3.3.10 then requires UNTIL in UTC,
 * so a date or local UNTIL is converted as the recurrence service reads it (a date = the end of that day
 * in the task's zone; a local date-time = that wall-clock time in the zone).
 */
export function rruleValue(recurrence: string, zone: string | null): string {
  const line =
    recurrence
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => /^(RRULE:)?FREQ=/i.test(l)) ?? recurrence;
  const body = line.replace(/^RRULE:/i, "");
  return body
    .split(";")
    .map((part) => {
      const m = /^UNTIL=(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/i.exec(part);
      if (!m || m[7]) return part;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const wall =
        m[4] === undefined ? Date.UTC(y, mo - 1, d, 23, 59, 59) : Date.UTC(y, mo - 1, d, Number(m[4]), Number(m[5]), Number(m[6]));
      const at = zone ? wallClockToInstant(zone, wall) : wall;
      return `UNTIL=${localDateTime(at)}Z`;
    })
    .join(";");
}

/**
 * The lines of one task's VEVENT (unfolded). One VALARM per reminder the user gets: the task's own, or for
 * reminders not set (null) `defaultReminders` (the user's default, from the notifications preferences);
 * an explicit empty list means none.
 */
export function taskEventLines(task: TaskSnapshot, defaultReminders: readonly number[] = []): string[] {
  if (!task.dueAt) throw new Error(`task ${task.id} has no due time`);
  const due = Date.parse(task.dueAt);
  const zone = task.timeZone;
  const wall = zone ? wallClockOf(zone, due) : undefined;
  // A local time in a fall-back's repeated hour names two instants, and clients differ on which one they
  // take (RFC 5545 3.3.5 says the first; ical.js takes the second): a one-off task due then is given in UTC.
  // A series keeps its zone, which its other occurrences need.
  const zoned = zone !== null && wall !== undefined && (task.recurrence !== null || instantsOf(zone, wall).length === 1);
  const start = zoned ? `DTSTART;TZID=${zone}:${localDateTime(wall)}` : `DTSTART:${utcStamp(task.dueAt)}`;
  const lines = [
    "BEGIN:VEVENT",
    `UID:${task.id}@${uidDomain}`,
    `DTSTAMP:${utcStamp(task.updatedAt)}`,
    `CREATED:${utcStamp(task.createdAt)}`,
    `LAST-MODIFIED:${utcStamp(task.updatedAt)}`,
    start,
    `SUMMARY:${escapeText(task.title)}`,
  ];
  if (task.description) lines.push(`DESCRIPTION:${escapeText(task.description)}`);
  lines.push(`PRIORITY:${icsPriority[task.priority]}`);
  if (task.tags.length) lines.push(`CATEGORIES:${task.tags.map(escapeText).join(",")}`);
  lines.push("TRANSP:TRANSPARENT");
  if (task.recurrence) lines.push(`RRULE:${rruleValue(task.recurrence, zone)}`);
  for (const minutes of task.reminders ?? defaultReminders)
    lines.push(
      "BEGIN:VALARM",
      "ACTION:DISPLAY",
      `DESCRIPTION:${escapeText(task.title)}`,
      `TRIGGER;RELATED=START:${minutes === 0 ? "PT0S" : `-PT${minutes}M`}`,
      "END:VALARM",
    );
  lines.push("END:VEVENT");
  return lines;
}

export interface CalendarInput {
  /** Shown by calendar apps as the calendar's name (RFC 7986 NAME, X-WR-CALNAME). */
  readonly name: string;
  /** Open tasks with a due time. */
  readonly tasks: readonly TaskSnapshot[];
  /**
   * The user's default reminders (minutes before the due time) for tasks whose reminders are not set;
   * needed when any task has `reminders: null` (use `needsDefaultReminders`).
   */
  readonly defaultReminders?: readonly number[];
  /** The current year anchors the zones' rule detection (vtimezone.ts). @default now */
  readonly now?: Date;
  /** How often apps should refresh (RFC 7986 REFRESH-INTERVAL, X-PUBLISHED-TTL). @default "PT1H" */
  readonly refreshInterval?: string;
}

/** Whether rendering these tasks needs the user's default reminders (some task's reminders are not set). */
export const needsDefaultReminders = (tasks: readonly TaskSnapshot[]): boolean =>
  tasks.some((t) => t.dueAt !== null && t.reminders === null);

/** The whole VCALENDAR, folded, CRLF line ends. */
export function renderCalendar(input: CalendarInput): string {
  const tasks = input.tasks.filter((t) => t.dueAt !== null);
  if (input.defaultReminders === undefined && needsDefaultReminders(tasks))
    throw new Error("renderCalendar: a task's reminders are not set, so the user's defaultReminders are needed");
  const defaults = input.defaultReminders ?? [];
  const refresh = input.refreshInterval ?? "PT1H";
  const nowYear = (input.now ?? new Date()).getUTCFullYear();
  // One VTIMEZONE per zone, from a year before its earliest task.
  const firstYear = new Map<string, number>();
  for (const t of tasks) {
    if (!t.timeZone) continue;
    // From last year at the latest, so that one VTIMEZONE per zone serves every feed (vtimezone.ts caches it).
    const y = Math.min(new Date(Date.parse(t.dueAt!)).getUTCFullYear(), nowYear) - 1;
    firstYear.set(t.timeZone, Math.min(firstYear.get(t.timeZone) ?? y, y));
  }
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${productId}`,
    "CALSCALE:GREGORIAN",
    `NAME:${escapeText(input.name)}`,
    `X-WR-CALNAME:${escapeText(input.name)}`,
    `REFRESH-INTERVAL;VALUE=DURATION:${refresh}`,
    `X-PUBLISHED-TTL:${refresh}`,
    ...[...firstYear].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([zone, year]) => vtimezoneLines(zone, year, nowYear)),
    ...tasks.flatMap((t) => taskEventLines(t, defaults)),
    "END:VCALENDAR",
  ];
  return `${lines.map(foldLine).join("\r\n")}\r\n`;
}
