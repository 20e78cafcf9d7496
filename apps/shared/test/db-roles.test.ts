/**
 * ensureServiceRole and the db-roles CLI against the tier's real PostgreSQL. The admin is, as on Azure
 * Database for PostgreSQL Flexible Server, NOT a superuser: a CREATEROLE + CREATEDB login that creates
 * the databases and (through migrations shaped like the services', test/fixtures/role-migrations.ts) the tables. Roles are cluster-wide, so
 * every name carries a random suffix and is dropped at the end.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { databaseRole, servicesWithDatabase } from "@tasks/catalog";
import { createDatabase, databaseUrl, migrateLatest, type Migration } from "../src/db.js";
import { ensureServiceRole, ensureServiceRoleOn, scramVerifier, serviceRoleSpecProblems } from "../src/db-roles.js";
import { adminDatabaseUrl } from "../src/testing/database.js";
import { auditMigrations, tasksMigrations } from "./fixtures/role-migrations.js";

const suffix = randomBytes(4).toString("hex");
const superUrl = () => adminDatabaseUrl();
const pw = () => randomBytes(18).toString("base64url");
/** `url` logging in as `user`/`password` (database path kept). */
const as = (url: string, user: string, password: string): string => {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
};

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const sql = (url: string, text: string) => withClient(url, (c) => c.query(text));

/** Runs a migration list as the login of `url`. */
async function migrate(url: string, list: readonly Migration[]): Promise<string[]> {
  const knex = createDatabase({ connectionString: url, poolMin: 0, poolMax: 1 });
  try {
    return await migrateLatest(knex, list);
  } finally {
    await knex.destroy();
  }
}

const databasesToDrop: string[] = [];
const rolesToDrop: string[] = [];
async function cleanup(): Promise<void> {
  await withClient(superUrl(), async (c) => {
    for (const d of databasesToDrop) await c.query(`drop database if exists ${c.escapeIdentifier(d)} with (force)`);
    // Service roles first: the admin is the grantor of their memberships.
    for (const r of rolesToDrop) await c.query(`drop role if exists ${c.escapeIdentifier(r)}`);
  });
}

test("specs are validated: identifiers, reserved prefix, password", () => {
  assert.deepEqual(serviceRoleSpecProblems({ role: "tasks_api_svc", database: "tasks", password: "a-long-enough-pw" }), []);
  assert.deepEqual(serviceRoleSpecProblems({ role: 'x"; drop role postgres; --', database: "Tasks", password: "short" }), [
    'role: "x"; drop role postgres; --" is not a plain lower-case identifier (^[a-z_][a-z0-9_]*$, at most 63 characters)',
    'database: "Tasks" is not a plain lower-case identifier (^[a-z_][a-z0-9_]*$, at most 63 characters)',
    "password: must be at least 12 printable ASCII characters without spaces",
  ]);
  assert.deepEqual(serviceRoleSpecProblems({ role: "pg_monitor", database: "tasks", password: "a-long-enough-pw" }), [
    'role: "pg_monitor" uses the reserved pg_ prefix',
  ]);
  assert.match(
    scramVerifier("secret", Buffer.alloc(16)),
    /^SCRAM-SHA-256\$4096:AAAAAAAAAAAAAAAAAAAAAA==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/,
  );
});

describe("with a non-superuser admin (Azure Flexible Server's)", () => {
  const admin = { user: `azadmin_${suffix}`, password: pw() };
  const tasks = { role: `tasks_api_svc_${suffix}`, database: `rt_tasks_${suffix}`, password: pw() };
  const audit = { role: `audit_svc_${suffix}`, database: `rt_audit_${suffix}`, password: pw() };
  const adminUrl = (db: string) => as(databaseUrl(superUrl(), db), admin.user, admin.password);
  const roleUrl = (spec: typeof tasks) => as(databaseUrl(superUrl(), spec.database), spec.role, spec.password);

  before(async () => {
    rolesToDrop.push(tasks.role, audit.role, admin.user);
    databasesToDrop.push(tasks.database, audit.database);
    await withClient(superUrl(), (c) =>
      c.query(`CREATE ROLE ${admin.user} LOGIN CREATEROLE CREATEDB PASSWORD ${c.escapeLiteral(admin.password)}`),
    );
    // Existing deployments: databases and tables created by the admin.
    for (const spec of [tasks, audit]) await sql(adminUrl("postgres"), `create database ${spec.database}`);
    await migrate(adminUrl(tasks.database), tasksMigrations);
    await migrate(adminUrl(audit.database), auditMigrations);
    assert.equal((await sql(adminUrl("postgres"), "select rolsuper from pg_roles where rolname = current_user")).rows[0].rolsuper, false);
  });
  after(cleanup);

  test("creates the role, hands it the database and the admin's objects", async () => {
    for (const spec of [tasks, audit]) {
      const r = await withClient(adminUrl(spec.database), (c) => ensureServiceRole(c, spec));
      assert.equal(r.created, true);
      assert.ok(
        r.transferred.includes("table knex_migrations") && r.transferred.includes("table knex_migrations_lock"),
        r.transferred.join(", "),
      );
    }
    const owners = await sql(
      adminUrl(tasks.database),
      `
      select c.relname, pg_get_userbyid(c.relowner) as owner from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'S', 'v')
      union all select p.proname, pg_get_userbyid(p.proowner) from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = 'public'
      union all select datname, pg_get_userbyid(datdba) from pg_database where datname = current_database()`,
    );
    assert.ok(owners.rows.length >= 5);
    for (const row of owners.rows as { relname: string; owner: string }[])
      assert.equal(row.owner, tasks.role, `${row.relname} is owned by ${row.owner}`);
  });

  test("the role runs its migrations and reads and writes its tables", async () => {
    assert.deepEqual(await migrate(roleUrl(tasks), tasksMigrations), []);
    const extra: Migration = {
      name: "9999_role_test",
      up: (k) => k.schema.createTable("role_test", (t) => t.increments("id")),
      down: (k) => k.schema.dropTable("role_test"),
    };
    assert.deepEqual(await migrate(roleUrl(tasks), [...tasksMigrations, extra]), ["9999_role_test"]);
    await withClient(roleUrl(tasks), async (c) => {
      await c.query("insert into role_test default values");
      await c.query("insert into outbox (topic, payload) select 'task.created', '{}'::jsonb where false");
      assert.equal((await c.query("select count(*)::int as n from tasks")).rows[0].n, 0);
      await c.query("drop table role_test");
    });
    await withClient(roleUrl(audit), (c) => c.query("select count(*) from audit_entries"));
  });

  test("the role cannot connect to another service's database and has no server privileges", async () => {
    await assert.rejects(
      sql(as(databaseUrl(superUrl(), audit.database), tasks.role, tasks.password), "select 1"),
      /permission denied for database/,
    );
    await assert.rejects(
      sql(as(databaseUrl(superUrl(), tasks.database), audit.role, audit.password), "select 1"),
      /permission denied for database/,
    );
    const attrs = (
      await sql(
        roleUrl(tasks),
        "select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin from pg_roles where rolname = current_user",
      )
    ).rows[0];
    assert.deepEqual(attrs, {
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      rolcanlogin: true,
    });
    const acl = (await sql(roleUrl(tasks), "select has_database_privilege('public', current_database(), 'CONNECT') as public_connect"))
      .rows[0];
    assert.equal(acl.public_connect, false);
  });

  test("re-running with a new password rotates it, and stays idempotent", async () => {
    const old = roleUrl(tasks);
    const rotated = { ...tasks, password: pw() };
    const r = await withClient(adminUrl(tasks.database), (c) => ensureServiceRole(c, rotated));
    assert.deepEqual({ created: r.created, transferred: r.transferred }, { created: false, transferred: [] });
    await assert.rejects(sql(old, "select 1"), /password authentication failed/);
    await sql(roleUrl(rotated), "select 1");
    tasks.password = rotated.password;
  });

  test("ensureServiceRoleOn connects by URL, and bad identifiers are refused before any SQL", async () => {
    assert.equal((await ensureServiceRoleOn(adminUrl(tasks.database), audit)).created, false);
    await assert.rejects(
      ensureServiceRoleOn(adminUrl(tasks.database), { ...audit, role: "Robert'); drop table students; --" }),
      /role: .* is not a plain lower-case identifier/,
    );
    await assert.rejects(
      withClient(adminUrl(audit.database), (c) => ensureServiceRole(c, { ...audit, database: tasks.database })),
      /connected to database "rt_audit_.*", not "rt_tasks_/,
    );
    await sql(roleUrl(audit), "select 1");
  });
});

describe("with a superuser admin", () => {
  const spec = { role: `su_svc_${suffix}`, database: `rs_db_${suffix}`, password: pw() };
  before(async () => {
    rolesToDrop.unshift(spec.role);
    databasesToDrop.push(spec.database);
    await sql(superUrl(), `create database ${spec.database}`);
    await migrate(databaseUrl(superUrl(), spec.database), auditMigrations);
  });
  after(cleanup);

  test("the role owns the database and tables and works; the superuser still connects", async () => {
    const r = await withClient(databaseUrl(superUrl(), spec.database), (c) => ensureServiceRole(c, spec));
    assert.ok(r.transferred.includes("table audit_entries"), r.transferred.join(", "));
    await withClient(databaseUrl(superUrl(), spec.database), (c) => ensureServiceRole(c, spec));
    const url = as(databaseUrl(superUrl(), spec.database), spec.role, spec.password);
    assert.deepEqual(await migrate(url, auditMigrations), []);
    await sql(url, "select count(*) from audit_entries");
    const owner = (await sql(url, "select pg_get_userbyid(relowner) as owner from pg_class where relname = 'audit_entries'")).rows[0].owner;
    assert.equal(owner, spec.role);
  });
});

describe("the db-roles CLI", () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
  const cli = path.join(root, "apps/shared/src/bin/db-roles.ts");
  const admin = { user: `cliadmin_${suffix}`, password: pw() };
  const dir = mkdtempSync(path.join(tmpdir(), "db-roles-"));
  const run = (env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ["--import", "tsx", cli], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", ...env },
      timeout: 60_000,
    });
  before(async () => {
    // The CLI uses the catalog's real database and role names: this file is their only user in the tier.
    databasesToDrop.push(...servicesWithDatabase().map((s) => s.database));
    rolesToDrop.unshift(...servicesWithDatabase().map((s) => databaseRole(s.name)));
    rolesToDrop.push(admin.user);
    await cleanup();
    await withClient(superUrl(), (c) =>
      c.query(`CREATE ROLE ${admin.user} LOGIN CREATEROLE CREATEDB PASSWORD ${c.escapeLiteral(admin.password)}`),
    );
  });
  after(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a missing file fails with a message naming it, before any change", async () => {
    writeFileSync(path.join(dir, "admin-url"), as(databaseUrl(superUrl(), "postgres"), admin.user, admin.password));
    const err = await run({ DB_ROLES_DIR: dir }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    assert.equal(err?.code, 1);
    assert.match(err.stderr, /db-roles failed: .*tasks-api-password is missing \(DB_ROLES_DIR=/);
    const roles = await sql(superUrl(), `select count(*)::int as n from pg_roles where rolname like '%\\_svc'`);
    assert.equal(roles.rows[0].n, 0);
  });

  test("creates every catalog service's role as a non-superuser admin, logging one line each without passwords", async () => {
    const passwords = Object.fromEntries(servicesWithDatabase().map((s) => [s.name, pw()]));
    for (const [service, password] of Object.entries(passwords)) writeFileSync(path.join(dir, `${service}-password`), `${password}\n`);
    const first = await run({ DB_ROLES_DIR: dir });
    const lines = first.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.slice(0, -1).map((l) => [l.service, l.role, l.created]),
      servicesWithDatabase().map((s) => [s.name, databaseRole(s.name), true]),
    );
    for (const password of [admin.password, ...Object.values(passwords)])
      assert.ok(!first.stdout.includes(password) && !first.stderr.includes(password));
    for (const s of servicesWithDatabase())
      await sql(as(databaseUrl(superUrl(), s.database), databaseRole(s.name), passwords[s.name]!), "select 1");
    // Every deploy runs it again.
    const again = await run({ DB_ROLES_DIR: dir });
    assert.ok(
      again.stdout
        .trim()
        .split("\n")
        .slice(0, -1)
        .every((l) => (JSON.parse(l) as { created: boolean }).created === false),
    );
  });
});
