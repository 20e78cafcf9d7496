import type { Knex, Migration } from "@tasks/shared";

/**
 * Series operations (issue 19): a `skipped` status; the series' mode (`repeat_from`); the occurrence an
 * occurrence was created from (`predecessor_id`, unique: one successor per occurrence, so a reopened and
 * re-completed occurrence gets no second one in either mode); ended series; an index to list a series.
 */
export const seriesTables: Migration = {
  name: "0003_series",
  async up(knex: Knex) {
    await knex.raw(`
      alter table tasks drop constraint tasks_status_check;
      alter table tasks add constraint tasks_status_check check (status in ('open', 'completed', 'skipped'));
      alter table tasks add column repeat_from text not null default 'schedule' check (repeat_from in ('schedule', 'completion'));
      alter table tasks add column predecessor_id uuid;
      create unique index tasks_predecessor on tasks (predecessor_id) where predecessor_id is not null;
      create index tasks_series_list on tasks (series_id, occurrence_at desc, id desc) where series_id is not null;

      create table task_series_ends (
        series_id uuid primary key,
        user_id text not null,
        ended_at timestamptz not null,
        ended_by text not null
      );
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`
      drop table task_series_ends;
      drop index tasks_series_list;
      alter table tasks drop column predecessor_id, drop column repeat_from;
      alter table tasks drop constraint tasks_status_check;
      alter table tasks add constraint tasks_status_check check (status in ('open', 'completed'));
    `);
  },
};
