import type { OutputChange, PlanDiff, PropertyChange, ShownValue } from "./plan-diff-compare.js";
import type { DestructiveChange } from "./plan-diff-destructive.js";
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
  /** The destructive changes (plan-diff-destructive.ts), shown first. @default [] */
  readonly destructive?: readonly DestructiveChange[];
  /** The policy pack's summary of the head (and of the base, to compare), shown after them. */
  readonly policy?: { readonly base?: readonly string[]; readonly head?: readonly string[] };
  /** The label with which a reviewer accepts the destructive changes (the preview workflow's). */
  readonly acceptLabel?: string;
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

const parentName = (urn: string | undefined): string => (urn ? urn.slice(urn.lastIndexOf("::") + 2) : "");

/** A collapsed block: the reader opens what they need; the summary says how much is inside. */
const collapsed = (summary: string, body: string): { head: string; tail: string } => ({
  head: `<details><summary><b>${summary}</b></summary>\n\n${body}`,
  tail: "\n</details>\n\n",
});

function resourceTable(title: string, list: readonly PlanResource[]): Section {
  return {
    ...collapsed(`${title} (${list.length})`, "| type | name | parent |\n| --- | --- | --- |\n"),
    items: list.map((r) => `| ${code(r.type)} | ${code(r.name)} | ${r.parent ? code(parentName(r.parent)) : ""} |\n`),
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

const kindLabel: Readonly<Record<DestructiveChange["kind"], string>> = {
  delete: "delete",
  rename: "rename (delete + create)",
  replace: "replace (delete + create)",
  unprotect: "protection removed",
};

/** `https://… (what)` as a link: `[source](https://…), what`. */
function sourceLink(source: string): string {
  const [url, ...rest] = source.split(" ");
  const what = rest.join(" ").replace(/^\((.*)\)$/, "$1");
  return `[source](${url})${what ? `, ${escapeHtml(what)}` : ""}`;
}

function destructiveRow(d: DestructiveChange, maxValueChars: number): string {
  const flags = [d.stateful ? "stateful" : "", d.protected ? "protected" : ""].filter(Boolean).join(", ");
  const subject = `${code(d.type)} <b>${escapeHtml(d.name)}</b>${flags ? ` (${flags})` : ""}`;
  let why: string;
  if (d.kind === "replace") {
    why = (d.reasons ?? [])
      .map(
        (r) =>
          `${code(r.path)}: ${cell(r.before, maxValueChars)} → ${cell(r.after, maxValueChars)} forces a new resource (${sourceLink(r.source)})`,
      )
      .join("<br>");
  } else if (d.kind === "rename") {
    const to = d.to!;
    const moved = to.name === d.name ? `a new parent ${code(parentName(to.parent) || "(stack)")}` : `the new name ${code(to.name)}`;
    why = `${moved}: Pulumi deletes the old resource and creates the new one, unless the new one lists the old in \`aliases\``;
  } else if (d.kind === "delete") {
    why = "no longer in the program";
  } else {
    why = "the next change may delete or replace it";
  }
  const holds = d.holds ? `<br>*${escapeHtml(d.holds)}*` : "";
  return `| ${d.stateful ? "🛑" : "⚠️"} | **${kindLabel[d.kind]}** | ${subject} | ${why}${holds} |\n`;
}

function destructiveCallout(list: readonly DestructiveChange[], acceptLabel: string | undefined): string {
  const stateful = list.filter((d) => d.stateful).length;
  const guarded = list.filter((d) => d.protected && d.kind !== "unprotect").length;
  return (
    `> [!CAUTION]\n` +
    `> **${plural(list.length, "destructive change")}${stateful ? `, ${stateful} of them to ${stateful === 1 ? "a stateful resource" : "stateful resources"}` : ""}.** ` +
    `Applying this plan deletes or replaces what is listed below and loses what it holds.` +
    (guarded
      ? ` ${plural(guarded, "of them hits a protected resource", "of them hit protected resources")}: \`pulumi up\` refuses until someone runs \`pulumi state unprotect\`.`
      : "") +
    (acceptLabel ? `\n> The preview check fails until a reviewer who accepts the loss adds the label \`${acceptLabel}\`.` : "") +
    "\n\n"
  );
}

function policySection(policy: RenderOptions["policy"]): string {
  if (!policy?.head?.length) return "";
  const changed = policy.base && policy.base[0] !== policy.head[0] ? `\nbase: ${policy.base[0]}` : "";
  return `### Policy pack (head)\n\n\`\`\`text\n${policy.head.join("\n")}${changed}\n\`\`\`\n\n`;
}

/** The collapsed blocks under the verdicts: deletions, changes (one block per resource), additions, outputs. */
function detailSections(diff: PlanDiff, limits: Required<Pick<RenderOptions, "maxValueChars" | "maxRowsPerResource">>): Section[] {
  const details: Section[] = [];
  if (diff.removed.length > 0) details.push(resourceTable("To delete", diff.removed));
  if (diff.changed.length > 0) {
    details.push({
      ...collapsed(`To change (${diff.changed.length})`, ""),
      items: diff.changed.map(
        (r) =>
          `<details><summary>${code(r.type)} <b>${escapeHtml(r.name)}</b>: ${plural(r.changes.length, "property", "properties")}</summary>\n\n` +
          `| | property | before | after |\n| --- | --- | --- | --- |\n${propertyRows(r.changes, limits)}\n</details>\n\n`,
      ),
    });
  }
  if (diff.added.length > 0) details.push(resourceTable("To add", diff.added));
  if (diff.outputs.length > 0) {
    details.push({
      ...collapsed(`Stack outputs (${diff.outputs.length})`, "| | output | before | after |\n| --- | --- | --- | --- |\n"),
      items: diff.outputs.map((o) => outputRow(o, limits.maxValueChars)),
    });
  }
  return details;
}

/**
 * Renders a plan diff as GitHub markdown no longer than `maxChars`. At the top, never collapsed: the
 * summary, the destructive changes (deletes, renames, replacements, removed protection) and the policy
 * pack's verdict. Below, collapsed: deletions, changes (one block per resource), additions and stack
 * outputs. Whole rows or blocks that do not fit are left out and counted in a closing note, so the
 * markdown never ends inside a table or block.
 */
export function renderMarkdown(diff: PlanDiff, options: RenderOptions): string {
  const maxChars = options.maxChars ?? 60_000;
  const limits = { maxValueChars: options.maxValueChars ?? 120, maxRowsPerResource: options.maxRowsPerResource ?? 40 };
  const destructive = options.destructive ?? [];
  const total = diff.added.length + diff.removed.length + diff.changed.length;

  const header =
    `${commentMarker(options.stack)}\n` +
    `## Offline plan diff: \`${options.stack}\`\n\n` +
    `Base ${code(options.baseLabel)} → head ${code(options.headLabel)}, both evaluated under Pulumi mocks ` +
    `(no cloud state and no credentials: computed values and drift are not visible; secrets are masked).\n\n` +
    (destructive.length > 0 ? `**🛑 ${plural(destructive.length, "destructive change")}** · ` : "") +
    `**${diff.added.length} to add · ${diff.changed.length} to change · ${diff.removed.length} to delete · ${diff.unchanged} unchanged**` +
    (diff.outputs.length > 0 ? ` · ${plural(diff.outputs.length, "stack output")} changed` : "") +
    "\n\n";
  const policy = policySection(options.policy);
  if (total === 0 && diff.outputs.length === 0 && destructive.length === 0) return `${header}${policy}No resource or output changes.\n`;

  const pinned: Section[] =
    destructive.length > 0
      ? [
          {
            head:
              destructiveCallout(destructive, options.acceptLabel) +
              `### Destructive changes (${destructive.length})\n\n| | change | resource | why, and what it holds |\n| --- | --- | --- | --- |\n`,
            items: destructive.map((d) => destructiveRow(d, limits.maxValueChars)),
            tail: "\n",
          },
        ]
      : [];
  const details = detailSections(diff, limits);

  // Room for the truncation note, whose length does not depend on much more than two numbers.
  const noteFor = (left: number, all: number): string =>
    `> [!WARNING]\n> Truncated to stay under GitHub's ${githubCommentLimit.toLocaleString("en-US")}-character comment limit: ` +
    `${left} of ${all} entries not shown. Run \`npm run plan:diff -- --stack ${options.stack} --base <ref>\` for the full diff.\n`;
  const all = [...pinned, ...details];
  const allItems = all.reduce((n, s) => n + s.items.length, 0);
  const budget = maxChars - noteFor(allItems, allItems).length - policy.length;
  if (budget < header.length) throw new Error(`maxChars ${maxChars} is too small for the diff's header`);

  let out = header;
  let shown = 0;
  const emit = (s: Section, room: number): boolean => {
    let body = "";
    let fits = true;
    for (const item of s.items) {
      if (out.length + s.head.length + body.length + item.length + s.tail.length > room) {
        fits = false;
        break;
      }
      body += item;
      shown++;
    }
    if (body) out += s.head + body + s.tail;
    return fits;
  };
  // The destructive rows may use at most two thirds of the room: the policy verdict and the details follow.
  for (const s of pinned) emit(s, header.length + Math.floor(((budget - header.length) * 2) / 3));
  out += policy;
  for (const s of details) if (!emit(s, budget + policy.length)) break;
  if (shown < allItems) out += noteFor(allItems - shown, allItems);
  return out;
}
