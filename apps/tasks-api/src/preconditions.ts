/**
 * Optimistic concurrency for task updates (RFC 9110 section 13.1.1): a task's entity tag is its `version`
 * (`"7"`), sent as ETag with the task; a PATCH with `If-Match` applies only while the task still has one of
 * the listed versions, checked under the row lock, else 412 with the current ETag. Without If-Match a PATCH
 * applies to whatever the task is (the last write wins, as before). `*` matches any existing task.
 */
import { PreconditionFailedError, ValidationError, type TaskSnapshot } from "@tasks/shared";

/** The task's entity tag (strong: every change increments the version). */
export const taskEtag = (t: Pick<TaskSnapshot, "version">): string => `"${t.version}"`;

/** What If-Match asks for: the versions it lists (weak tags never match, RFC 9110 strong comparison), or undefined = any. */
export type VersionCondition = { readonly versions: readonly number[] } | undefined;

const entityTag = /^(W\/)?"([\x21\x23-\x7e]*)"$/;

/** Parses an If-Match header; a malformed one is a 400 naming the header. */
export function parseIfMatch(header: string | undefined): VersionCondition {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === "*") return undefined;
  const versions: number[] = [];
  for (const item of value.split(",").map((v) => v.trim())) {
    const m = entityTag.exec(item);
    if (!m)
      throw new ValidationError([
        { field: "If-Match", message: 'Must be "*" or entity tags such as "7" (the task\'s ETag, its version).' },
      ]);
    if (!m[1] && /^[1-9]\d{0,9}$/.test(m[2]!)) versions.push(Number(m[2]));
  }
  return { versions };
}

/** Throws 412 (with the current ETag) when `task` no longer has a version the condition lists. */
export function checkVersion(task: TaskSnapshot, condition: VersionCondition): void {
  if (!condition || condition.versions.includes(task.version)) return;
  throw new PreconditionFailedError(
    `The task changed since you read it: it is at version ${task.version}, not ${condition.versions.join(" or ") || "the one given"}. Read it again and reapply your change.`,
    { ETag: taskEtag(task) },
  );
}
