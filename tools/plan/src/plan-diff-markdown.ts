import type { OutputChange, PlanDiff, PropertyChange, ShownValue } from "./plan-diff-compare.js";
import type { PlanResource } from "./plan-diff-model.js";

/** GitHub rejects an issue or pull-request comment longer than this many characters. */
export const githubCommentLimit = 65_536;

export interface RenderOptions {
  readonly stack: string;
  /** How the base was named on the command line, with its commit, e.g. `origin/main (3f2a1b0)`. */
  readonly baseLabel: string;
  readonly headLabel: string;
  /**
   * Upper bound on the markdown's length; items that do not fit are summarised in a closing note.
   * @default 60000 (room under GitHub's 65,536 for a wrapper around the diff)
   */
  readonly maxChars?: number;
  /** Longest value shown in a cell before it is cut. @default 120 */
  readonly maxValueChars?: number;
  /** Most property rows shown per changed resource. @default 40 */
  readonly maxRowsPerResource?: number;
}

/** The hidden marker that identifies this stack's comment, so a workflow can edit it in place. */
export const commentMarker = (stack: string): string => `<!-- plan-diff:${stack} -->`;

const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\|/g, "&#124;").replace(/\r?\n/g, " ");

function cell(v: ShownValue | undefined, maxValueChars: number): string {
  if (v === undefined) return "";
  if (v.masked) return "*[secret]*";
  const text = v.text.length > maxValueChars ? `${v.text.slice(0, maxValueChars)}…` : v.text;
  return `<code>${escapeHtml(text)}</code>`;
}

const code = (s: string): string => `<code>${escapeHtml(s)}</code>`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A section: its heading, then items that are kept or dropped whole. */
interface Section {
  readonly head: string;
  readonly items: string[];
  readonly tail: string;
}

function resourceTable(title: string, list: readonly PlanResource[]): Section {
  return {
    head: `### ${title} (${list.length})\n\n| type | name | parent |\n| --- | --- | --- |\n`,
    items: list.map(
      (r) => `| ${code(r.type)} | ${code(r.name)} | ${r.parent ? code(r.parent.slice(r.parent.lastIndexOf("::") + 2)) : ""} |\n`,
    ),
    tail: "\n",
  };
}

const sign = { added: "+", removed: "-", changed: "~" } as const;

function propertyRows(
  changes: readonly PropertyChange[],
  opts: Required<Pick<RenderOptions, "maxValueChars" | "maxRowsPerResource">>,
): string {
  const shown = changes.slice(0, opts.maxRowsPerResource);
  const rows = shown.map(
    (c) => `| ${sign[c.kind]} | ${code(c.path)} | ${cell(c.before, opts.maxValueChars)} | ${cell(c.after, opts.maxValueChars)} |\n`,
  );
  if (changes.length > shown.length)
    rows.push(`| | *… ${plural(changes.length - shown.length, "more property", "more properties")} not shown* | | |\n`);
  return rows.join("");
}

function outputRow(o: OutputChange, maxValueChars: number): string {
  return `| ${sign[o.kind]} | ${code(o.name)} | ${cell(o.before, maxValueChars)} | ${cell(o.after, maxValueChars)} |\n`;
}

/**
 * Renders a plan diff as GitHub markdown no longer than `maxChars`: deletions first, then changes
 * (one collapsible block per resource), additions and stack outputs. Whole rows or blocks that do not
 * fit are left out and counted in a closing note, so the markdown never ends inside a table or block.
 */
export function renderMarkdown(diff: PlanDiff, options: RenderOptions): string {
  const maxChars = options.maxChars ?? 60_000;
  const limits = { maxValueChars: options.maxValueChars ?? 120, maxRowsPerResource: options.maxRowsPerResource ?? 40 };
  const total = diff.added.length + diff.removed.length + diff.changed.length;

  const header =
    `${commentMarker(options.stack)}\n` +
    `## Offline plan diff: \`${options.stack}\`\n\n` +
    `Base ${code(options.baseLabel)} → head ${code(options.headLabel)}, both evaluated under Pulumi mocks ` +
    `(no cloud state and no credentials: computed values and drift are not visible; secrets are masked).\n\n` +
    `**${diff.added.length} to add · ${diff.changed.length} to change · ${diff.removed.length} to delete · ${diff.unchanged} unchanged**` +
    (diff.outputs.length > 0 ? ` · ${plural(diff.outputs.length, "stack output")} changed` : "") +
    "\n\n";
  if (total === 0 && diff.outputs.length === 0) return `${header}No resource or output changes.\n`;

  const sections: Section[] = [];
  if (diff.removed.length > 0) sections.push(resourceTable("To delete", diff.removed));
  if (diff.changed.length > 0) {
    sections.push({
      head: `### To change (${diff.changed.length})\n\n`,
      items: diff.changed.map(
        (r) =>
          `<details><summary>${code(r.type)} <b>${escapeHtml(r.name)}</b>: ${plural(r.changes.length, "property", "properties")}</summary>\n\n` +
          `| | property | before | after |\n| --- | --- | --- | --- |\n${propertyRows(r.changes, limits)}\n</details>\n\n`,
      ),
      tail: "",
    });
  }
  if (diff.added.length > 0) sections.push(resourceTable("To add", diff.added));
  if (diff.outputs.length > 0) {
    sections.push({
      head: `### Stack outputs (${diff.outputs.length})\n\n| | output | before | after |\n| --- | --- | --- | --- |\n`,
      items: diff.outputs.map((o) => outputRow(o, limits.maxValueChars)),
      tail: "\n",
    });
  }

  // Room for the truncation note, whose length does not depend on much more than two numbers.
  const noteFor = (left: number, all: number): string =>
    `> [!WARNING]\n> Truncated to stay under GitHub's ${githubCommentLimit.toLocaleString("en-US")}-character comment limit: ` +
    `${left} of ${all} entries not shown. Run \`npm run plan:diff -- --stack ${options.stack} --base <ref>\` for the full diff.\n`;
  const allItems = sections.reduce((n, s) => n + s.items.length, 0);
  const budget = maxChars - noteFor(allItems, allItems).length;
  if (budget < header.length) throw new Error(`maxChars ${maxChars} is too small for the diff's header`);

  let out = header;
  let shown = 0;
  let full = false;
  for (const s of sections) {
    if (full) break;
    let body = "";
    for (const item of s.items) {
      if (out.length + s.head.length + body.length + item.length + s.tail.length > budget) {
        full = true;
        break;
      }
      body += item;
      shown++;
    }
    if (body) out += s.head + body + s.tail;
  }
  if (shown < allItems) out += noteFor(allItems - shown, allItems);
  return out;
}
