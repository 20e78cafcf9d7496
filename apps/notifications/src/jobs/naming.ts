/**
 * Dapr job names for reminders. One job per (task, offset): rescheduling overwrites the same name,
 * so a task can never have two live jobs for one reminder. A reminder deferred past quiet hours
 * gets a numbered deferral job (`…-d1`, `…-d2`): a one-shot job is deleted by the scheduler once its
 * trigger succeeds, so the deferral is never written under the name that is being triggered.
 */
const PREFIX = "reminder";
const UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const NAME = new RegExp(`^${PREFIX}-(${UUID})-(\\d{1,6})(?:-d(\\d{1,4}))?$`);

export function reminderJobName(taskId: string, offsetMinutes: number): string {
  if (!Number.isInteger(offsetMinutes) || offsetMinutes < 0)
    throw new RangeError(`reminder offset must be a whole number of minutes >= 0, got ${offsetMinutes}`);
  return `${PREFIX}-${taskId.toLowerCase()}-${offsetMinutes}`;
}

export function deferralJobName(reminder: string, deferral: number): string {
  return `${reminder}-d${deferral}`;
}

export interface ParsedJobName {
  readonly reminder: string;
  readonly taskId: string;
  readonly offsetMinutes: number;
  /** 0 for the reminder's own job. */
  readonly deferral: number;
}

export function parseJobName(name: string): ParsedJobName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const taskId = m[1]!;
  const offsetMinutes = Number(m[2]);
  return { reminder: reminderJobName(taskId, offsetMinutes), taskId, offsetMinutes, deferral: m[3] === undefined ? 0 : Number(m[3]) };
}
