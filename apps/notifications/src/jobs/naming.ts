/**
 * Dapr job names for reminders. One job per (task, offset): rescheduling overwrites the same name,
 * so a task can never have two live jobs for one reminder. A reminder deferred past quiet hours
 * gets a numbered deferral job (`…-d1`, `…-d2`): a one-shot job is deleted by the scheduler once its
 * trigger succeeds, so the deferral is never written under the name that is being triggered.
 * A snoozed notification gets one job per notification (`snooze-<notification id>`): snoozing it
 * again overwrites it. A user's minute of emails that did not all arrive together gets a fallback
 * digest job (`digest-<user hash>-<minute>`).
 */
import { createHash } from "node:crypto";

const PREFIX = "reminder";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const NAME = new RegExp(`^(?:(${PREFIX})-(${UUID})-(\\d{1,6})|(snooze)-(${UUID}))(?:-d(\\d{1,4}))?$`);
const DIGEST = /^digest-[0-9a-f]{16}-\d{1,12}$/;

export function reminderJobName(taskId: string, offsetMinutes: number): string {
  if (!Number.isInteger(offsetMinutes) || offsetMinutes < 0)
    throw new RangeError(`reminder offset must be a whole number of minutes >= 0, got ${offsetMinutes}`);
  return `${PREFIX}-${taskId.toLowerCase()}-${offsetMinutes}`;
}

export function snoozeJobName(notificationId: string): string {
  return `snooze-${notificationId.toLowerCase()}`;
}

export function deferralJobName(reminder: string, deferral: number): string {
  return `${reminder}-d${deferral}`;
}

/** The fallback job of one user's minute (`bucket`); the user id is hashed (ids are free text). */
export function digestJobName(userId: string, bucket: Date): string {
  const user = createHash("sha256").update(userId).digest("hex").slice(0, 16);
  return `digest-${user}-${Math.floor(bucket.getTime() / 60_000)}`;
}

export const isDigestJobName = (name: string): boolean => DIGEST.test(name);

export interface ParsedJobName {
  /** The reminder row's job name (its own job's name). */
  readonly reminder: string;
  readonly kind: "reminder" | "snooze";
  /** 0 for the reminder's own job. */
  readonly deferral: number;
}

export function parseJobName(name: string): ParsedJobName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const deferral = m[6] === undefined ? 0 : Number(m[6]);
  if (m[1] !== undefined) return { reminder: reminderJobName(m[2]!, Number(m[3])), kind: "reminder", deferral };
  return { reminder: snoozeJobName(m[5]!), kind: "snooze", deferral };
}
