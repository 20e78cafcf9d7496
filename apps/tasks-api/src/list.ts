/**
 * The list query: full-text search (websearch_to_tsquery over the GIN-indexed tsvector, ranked with
 * ts_rank_cd), AND-combined filters, multi-key sort, and keyset pagination.
 *
 * Keyset: every sort ends with `id`, so the order is total. A cursor holds the last row's sort key
 * values as Postgres rendered them (`expr::text`, cast back with the key's type, so timestamps keep
 * their microseconds) and its id; the next page is the rows strictly after that tuple. Rows inserted,
 * updated or deleted between pages never make a page repeat or skip a row whose keys did not change.
 * The cursor also records the sort and a hash of the filters: reusing it with another query is a 400.
 */
import { createHash } from "node:crypto";
import { isPgTimestamptzText, ValidationError, type Knex, type TaskSnapshot } from "@tasks/shared";
import { z } from "zod";
import type { ListQuery, SortKey, SortTerm } from "./schemas.js";
import { priorityRank, taskColumns, toSnapshot, type TaskRow } from "./task-row.js";

interface KeyExpr {
  readonly sql: (dir: "asc" | "desc") => string;
  readonly type: string;
  /** Whether a cursor value can be cast to `type` (tampered cursors must be a 400, not a 500). */
  readonly valid: (v: string) => boolean;
}

const keyExprs: Record<SortKey, KeyExpr> = {
  // Tasks without a due date sort last in both directions.
  due: {
    sql: (dir) => `coalesce(t.due_at, '${dir === "asc" ? "infinity" : "-infinity"}'::timestamptz)`,
    type: "timestamptz",
    valid: isPgTimestamptzText,
  },
  priority: { sql: () => "t.priority", type: "smallint", valid: (v) => /^[1-4]$/.test(v) },
  created: { sql: () => "t.created_at", type: "timestamptz", valid: isPgTimestamptzText },
  title: { sql: () => "lower(t.title)", type: "text", valid: (v) => !v.includes("\u0000") && v.length <= 1000 },
  rank: { sql: () => "ts_rank_cd(t.search, query)", type: "real", valid: isPgRealText },
};

/**
 * A number Postgres' `real` accepts: finite, and neither overflowing (|v| > 3.4e38) nor underflowing
 * (0 < |v| < 1.2e-38, "1e-999") the float4 range, where it answers "out of range for type real".
 */
function isPgRealText(v: string): boolean {
  const m = /^-?(\d{1,20}(?:\.\d{1,20})?)(e[+-]?\d{1,3})?$/i.exec(v);
  if (!m) return false;
  const n = Math.abs(Number(v));
  // A zero is only a zero when every digit is: 1e-999 rounds to 0 here but underflows in Postgres.
  if (n === 0) return !/[1-9]/.test(m[1]!);
  return Number.isFinite(n) && n >= 1.2e-38 && n <= 3.4e38;
}

const cursorSchema = z.object({ s: z.string(), f: z.string(), k: z.array(z.string()), id: z.uuid() });
type Cursor = z.infer<typeof cursorSchema>;

const sortSignature = (terms: readonly SortTerm[]): string => terms.map((t) => `${t.key}:${t.dir}`).join(",");

function filterHash(q: ListQuery): string {
  const f = {
    q: q.q ?? null,
    status: q.status ?? null,
    priority: [...(q.priority ?? [])].sort(),
    tags: [...(q.tags ?? [])].sort(),
    tagMode: q.tagMode,
    dueBefore: q.dueBefore ?? null,
    dueAfter: q.dueAfter ?? null,
    overdue: q.overdue ?? null,
  };
  return createHash("sha256").update(JSON.stringify(f)).digest("base64url").slice(0, 16);
}

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c)).toString("base64url");

function decodeCursor(raw: string, terms: readonly SortTerm[], hash: string): Cursor {
  const invalid = (message: string) => new ValidationError([{ field: "query.cursor", message }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid("Invalid cursor.");
  }
  const c = cursorSchema.safeParse(parsed);
  if (!c.success || c.data.k.length !== terms.length) throw invalid("Invalid cursor.");
  if (c.data.s !== sortSignature(terms) || c.data.f !== hash)
    throw invalid("The cursor belongs to a different query; start again without it.");
  if (!terms.every((t, i) => keyExprs[t.key].valid(c.data.k[i]!))) throw invalid("Invalid cursor.");
  return c.data;
}

export function effectiveSort(q: ListQuery): SortTerm[] {
  if (q.sort) return [...q.sort];
  return q.q ? [{ key: "rank", dir: "desc" }] : [{ key: "created", dir: "desc" }];
}

export interface Page {
  items: TaskSnapshot[];
  nextCursor: string | null;
}

export async function listTasks(db: Knex, userId: string, q: ListQuery): Promise<Page> {
  const terms = effectiveSort(q);
  const hash = filterHash(q);
  const where: string[] = ["t.user_id = ?"];
  const bindings: Knex.RawBinding[] = [];
  const fromBindings: Knex.RawBinding[] = [];
  let from = "tasks t";
  if (q.q !== undefined) {
    from = "tasks t, websearch_to_tsquery('english', ?) query";
    fromBindings.push(q.q);
    where.push("t.search @@ query");
  }
  bindings.push(userId);
  if (q.status) {
    where.push("t.status = ?");
    bindings.push(q.status);
  }
  if (q.priority?.length) {
    where.push("t.priority = any(?::smallint[])");
    bindings.push(q.priority.map(priorityRank));
  }
  if (q.tags?.length) {
    where.push(q.tagMode === "any" ? "t.tags && ?::text[]" : "t.tags @> ?::text[]");
    bindings.push(q.tags);
  }
  if (q.dueBefore) {
    where.push("t.due_at < ?::timestamptz");
    bindings.push(q.dueBefore);
  }
  if (q.dueAfter) {
    where.push("t.due_at >= ?::timestamptz");
    bindings.push(q.dueAfter);
  }
  if (q.overdue === true) where.push("t.status = 'open' and t.due_at < now()");
  if (q.overdue === false) where.push("not (t.status = 'open' and t.due_at is not null and t.due_at < now())");

  const exprs = terms.map((t) => keyExprs[t.key].sql(t.dir));
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor, terms, hash);
    // (k0 > v0) or (k0 = v0 and k1 > v1) or … or (all equal and id > last id); > becomes < for desc.
    const ors: string[] = [];
    for (let i = 0; i <= terms.length; i++) {
      const parts: string[] = [];
      for (let j = 0; j < i; j++) {
        parts.push(`${exprs[j]} = ?::${keyExprs[terms[j]!.key].type}`);
        bindings.push(c.k[j]!);
      }
      if (i < terms.length) {
        parts.push(`${exprs[i]} ${terms[i]!.dir === "asc" ? ">" : "<"} ?::${keyExprs[terms[i]!.key].type}`);
        bindings.push(c.k[i]!);
      } else {
        parts.push("t.id > ?::uuid");
        bindings.push(c.id);
      }
      ors.push(`(${parts.join(" and ")})`);
    }
    where.push(`(${ors.join(" or ")})`);
  }
  const select = [...taskColumns.map((c) => `t.${c}`), ...exprs.map((e, i) => `(${e})::text as k${i}`)].join(", ");
  const orderBy = [...terms.map((t, i) => `${exprs[i]} ${t.dir}`), "t.id asc"].join(", ");
  const sql = `select ${select} from ${from} where ${where.join(" and ")} order by ${orderBy} limit ?`;
  const result = await db
    .raw<{ rows: (TaskRow & { [k: `k${number}`]: string })[] }>(sql, [...fromBindings, ...bindings, q.limit + 1])
    .catch((err: unknown) => {
      // websearch_to_tsquery nests one NOT per "-": a long run of them overflows its parser's stack (Postgres
      // raises an internal error, "tsquery stack too small"). That is the search text's fault: a 400.
      if (err instanceof Error && /tsquery stack too small/.test(err.message))
        throw new ValidationError([{ field: "query.q", message: "The search text nests too many operators." }]);
      throw err;
    });
  const rows = result.rows;
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > q.limit && last
      ? encodeCursor({ s: sortSignature(terms), f: hash, k: terms.map((_, i) => String(last[`k${i}`])), id: last.id })
      : null;
  return { items: page.map(toSnapshot), nextCursor };
}
