import type { Knex, Migration } from "@tasks/shared";

/**
 * The transactional outbox: one row per event, written in the transaction that changed the task.
 * `payload` is the complete CloudEvent as written (json, not jsonb: the text is kept and published
 * as is; nothing queries inside it). Its `id` = event_id, stable across retries.
 */
export const outboxTable: Migration = {
  name: "0002_outbox",
  async up(knex: Knex) {
    await knex.raw(`
      create table outbox (
        id bigint generated always as identity primary key,
        event_id uuid not null unique,
        topic text not null,
        aggregate_id uuid not null,
        payload json not null,
        created_at timestamptz not null default now(),
        attempts integer not null default 0,
        next_attempt_at timestamptz not null default now(),
        last_error text,
        sent_at timestamptz
      );
      create index outbox_unsent on outbox (next_attempt_at, id) where sent_at is null;
      create index outbox_unsent_aggregate on outbox (aggregate_id, id) where sent_at is null;
      create index outbox_sent_at on outbox (sent_at) where sent_at is not null;
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`drop table outbox;`);
  },
};
