/**
 * One Postgres login role per service, owning only that service's database (least privilege: one
 * service's credentials cannot read or drop another's data). `ensureServiceRole` runs on every deploy
 * (the database-roles Job, apps/shared/src/bin/db-roles.ts) and in `npm run dev`; it is idempotent.
 *
 * It works with an administrator that is NOT a superuser, like Azure Database for PostgreSQL Flexible
 * Server's admin (member of azure_pg_admin, CREATEROLE and CREATEDB). Since PostgreSQL 16 a CREATEROLE
 * user gets ADMIN OPTION on the roles it creates but may not SET ROLE to them, while
 * `ALTER … OWNER TO r` needs exactly that; so the role is first granted to CURRENT_USER (with INHERIT,
 * which also keeps the admin able to connect after PUBLIC loses CONNECT). For a superuser it is harmless.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import pg from "pg";
import { databaseUrl, ensureDatabaseExists } from "./db.js";

export interface ServiceRoleSpec {
  /** Login role name: a plain lower-case identifier. */
  readonly role: string;
  /** Its password (printable ASCII, at least 12 characters); rotated when it differs. */
  readonly password: string;
  /** The database the role owns; the admin must be connected to it. */
  readonly database: string;
}

export interface ServiceRoleResult {
  readonly role: string;
  readonly database: string;
  /** The role did not exist before. */
  readonly created: boolean;
  /** Objects of the public schema whose ownership moved from the admin to the role, e.g. "table tasks". */
  readonly transferred: readonly string[];
}

const identifier = /^[a-z_][a-z0-9_]*$/;

/** Problems with a spec, each naming the field; empty means usable. */
export function serviceRoleSpecProblems(spec: ServiceRoleSpec): string[] {
  const problems: string[] = [];
  for (const field of ["role", "database"] as const) {
    if (!identifier.test(spec[field]) || spec[field].length > 63)
      problems.push(`${field}: "${spec[field]}" is not a plain lower-case identifier (${identifier.source}, at most 63 characters)`);
  }
  if (spec.role.startsWith("pg_")) problems.push(`role: "${spec.role}" uses the reserved pg_ prefix`);
  if (!/^[\x21-\x7e]{12,}$/.test(spec.password)) problems.push("password: must be at least 12 printable ASCII characters without spaces");
  return problems;
}

/**
 * A SCRAM-SHA-256 verifier of `password` (RFC 5802/7677, the format pg_authid stores). CREATE/ALTER ROLE
 * takes no bind parameters; sending the verifier instead of the password keeps the clear text out of the
 * server's statement log (log_statement=ddl) and pg_stat_statements. ASCII passwords need no SASLprep.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** Commands that give an object of the public schema to a new owner, by pg_class.relkind. */
const alterByRelkind: Record<string, string> = {
  r: "TABLE",
  p: "TABLE",
  v: "VIEW",
  m: "MATERIALIZED VIEW",
  S: "SEQUENCE",
  f: "FOREIGN TABLE",
};

/**
 * Objects of the public schema owned by the current user, with the command that changes their owner:
 * tables (knex's migration tables included), views, sequences that no column owns (owned ones move
 * with their table), functions and procedures, and standalone enum/domain types.
 */
const ownedByAdminSql = `
  select kind, name from (
    select c.relkind::text as kind, c.oid::regclass::text as name, 1 as step
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relowner = (select oid from pg_roles where rolname = current_user)
       and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
       and not (c.relkind = 'S' and exists (
         select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
    union all
    select case p.prokind when 'p' then 'procedure' else 'function' end,
           format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), 2
      from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'public' and p.proowner = (select oid from pg_roles where rolname = current_user) and p.prokind in ('f', 'p')
    union all
    select case t.typtype when 'e' then 'type' else 'domain' end, t.oid::regtype::text, 3
      from pg_type t join pg_namespace n on n.oid = t.typnamespace
     where n.nspname = 'public' and t.typowner = (select oid from pg_roles where rolname = current_user) and t.typtype in ('e', 'd')
  ) o order by step, name`;

const alterCommand = (kind: string): string =>
  alterByRelkind[kind] ??
  ({ function: "FUNCTION", procedure: "PROCEDURE", type: "TYPE", domain: "DOMAIN" } as Record<string, string>)[kind]!;

/**
 * Creates (or re-passwords) the service's login role and makes it the sole owner and user of its
 * database. `admin` must be connected to `spec.database` as the server administrator (superuser, or
 * CREATEROLE + CREATEDB and owner of the database and of the objects to hand over). One transaction.
 */
export async function ensureServiceRole(admin: pg.Client, spec: ServiceRoleSpec): Promise<ServiceRoleResult> {
  const problems = serviceRoleSpecProblems(spec);
  if (problems.length) throw new Error(`ensureServiceRole: ${problems.join("; ")}`);
  const current = (await admin.query<{ db: string }>("select current_database() as db")).rows[0]!.db;
  if (current !== spec.database)
    throw new Error(
      `ensureServiceRole: connected to database "${current}", not "${spec.database}": connect the admin to the service's database`,
    );
  const role = admin.escapeIdentifier(spec.role);
  const db = admin.escapeIdentifier(spec.database);
  const password = admin.escapeLiteral(scramVerifier(spec.password));
  await admin.query("begin");
  try {
    const existing = await admin.query<{ rolsuper: boolean; rolreplication: boolean; rolbypassrls: boolean }>(
      "select rolsuper, rolreplication, rolbypassrls from pg_roles where rolname = $1",
      [spec.role],
    );
    const created = existing.rowCount === 0;
    const found = existing.rows[0];
    // Only a superuser may even restate SUPERUSER, REPLICATION or BYPASSRLS: a role that has one is refused.
    const elevated = found ? (["rolsuper", "rolreplication", "rolbypassrls"] as const).filter((k) => found[k]) : [];
    if (elevated.length)
      throw new Error(`ensureServiceRole: role "${spec.role}" exists with ${elevated.join(", ")}; refusing to use it for a service`);
    // The rest is restated on every run: a role altered by hand gets its least privileges back.
    await admin.query(
      created
        ? `CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD ${password}`
        : `ALTER ROLE ${role} LOGIN NOCREATEDB NOCREATEROLE INHERIT PASSWORD ${password}`,
    );
    // PostgreSQL 16+ records INHERIT and SET per grant; re-granting with them fixes a grant that lacks them.
    const version = Number((await admin.query<{ server_version_num: string }>("show server_version_num")).rows[0]!.server_version_num);
    await admin.query(`GRANT ${role} TO CURRENT_USER${version >= 160000 ? " WITH INHERIT TRUE, SET TRUE" : ""}`);
    await admin.query(`ALTER DATABASE ${db} OWNER TO ${role}`);
    await admin.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${db} TO ${role}`);
    const owned = await admin.query<{ kind: string; name: string }>(ownedByAdminSql);
    const transferred: string[] = [];
    for (const o of owned.rows) {
      await admin.query(`ALTER ${alterCommand(o.kind)} ${o.name} OWNER TO ${role}`);
      transferred.push(`${(alterByRelkind[o.kind] ?? o.kind).toLowerCase()} ${o.name}`);
    }
    await admin.query("commit");
    return { role: spec.role, database: spec.database, created, transferred };
  } catch (err) {
    await admin.query("rollback").catch(() => undefined);
    throw err;
  }
}

/**
 * The service's database (created if missing) and its role, on the server of `adminUrl`: connects to
 * that database as the administrator, runs ensureServiceRole, disconnects.
 */
export async function ensureServiceRoleOn(adminUrl: string, spec: ServiceRoleSpec): Promise<ServiceRoleResult> {
  await ensureDatabaseExists(adminUrl, spec.database);
  const client = new pg.Client({ connectionString: databaseUrl(adminUrl, spec.database), application_name: "db-roles" });
  await client.connect();
  try {
    return await ensureServiceRole(client, spec);
  } finally {
    await client.end();
  }
}
