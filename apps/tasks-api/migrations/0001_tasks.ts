import type { Knex, Migration } from "@tasks/shared";

/**
 * Tasks with a generated, weighted full-text vector (title A, tags B, description C) under a GIN
 * index, and one task per (series, occurrence time) for idempotent recurrence.
 */
export const tasksTable: Migration = {
  name: "0001_tasks",
  async up(knex: Knex) {
    await knex.raw(`
      -- array_to_string is only STABLE; generated columns need an IMMUTABLE expression.
      create function tasks_tags_text(tags text[]) returns text
        language sql immutable parallel safe
        as $$ select coalesce(array_to_string(tags, ' '), '') $$;

      create table tasks (
        id uuid primary key,
        user_id text not null,
        title text not null,
        description text,
        priority smallint not null check (priority between 1 and 4),
        status text not null check (status in ('open', 'completed')),
        tags text[] not null default '{}',
        due_at timestamptz,
        time_zone text,
        reminders integer[] not null default '{}',
        recurrence text,
        series_id uuid,
        occurrence_at timestamptz,
        completed_at timestamptz,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        version integer not null default 1,
        search tsvector generated always as (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', tasks_tags_text(tags)), 'B') ||
          setweight(to_tsvector('english', coalesce(description, '')), 'C')
        ) stored,
        check ((series_id is null) = (occurrence_at is null))
      );
      create index tasks_user_created on tasks (user_id, created_at desc, id);
      create index tasks_user_due on tasks (user_id, due_at, id);
      create index tasks_search on tasks using gin (search);
      create index tasks_tags on tasks using gin (tags);
      create unique index tasks_series_occurrence on tasks (series_id, occurrence_at) where series_id is not null;
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`drop table tasks; drop function tasks_tags_text(text[]);`);
  },
};
