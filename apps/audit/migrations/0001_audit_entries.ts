import type { Knex, Migration } from "@tasks/shared";

/**
 * One immutable row per task event. `event_id` (the CloudEvent id) is unique, so a redelivery is a
 * no-op; triggers refuse UPDATE, DELETE and TRUNCATE for every role, including the table owner.
 */
export const auditEntries: Migration = {
  name: "0001_audit_entries",
  async up(knex: Knex) {
    await knex.raw(`
      create table audit_entries (
        id bigint generated always as identity primary key,
        event_id text not null unique,
        user_id text not null,
        actor text not null,
        action text not null check (action in ('created', 'updated', 'completed', 'deleted')),
        task_id uuid not null,
        before jsonb,
        after jsonb,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null default now()
      );
      create index audit_entries_user_time on audit_entries (user_id, occurred_at desc, id desc);
      create index audit_entries_user_task on audit_entries (user_id, task_id, occurred_at desc, id desc);

      create function audit_entries_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_entries is append-only: % is not allowed', tg_op
          using errcode = 'insufficient_privilege';
      end
      $$;
      create trigger audit_entries_no_update_delete before update or delete on audit_entries
        for each row execute function audit_entries_append_only();
      create trigger audit_entries_no_truncate before truncate on audit_entries
        for each statement execute function audit_entries_append_only();
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`drop table audit_entries; drop function audit_entries_append_only();`);
  },
};
