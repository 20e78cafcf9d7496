import type { Knex, Migration } from "@tasks/shared";

/**
 * Issue 19: calendar feed creation and revocation are audited (calendar-feed.changed). Such a row is about a
 * feed, not a task: `feed_id` is set and `task_id` is null; every row is about exactly one of the two.
 */
export const auditCalendarFeedEntries: Migration = {
  name: "0003_calendar_feed_entries",
  async up(knex: Knex) {
    await knex.raw(`
      alter table audit_entries alter column task_id drop not null;
      alter table audit_entries add column feed_id uuid;
      alter table audit_entries add constraint audit_entries_one_subject check ((task_id is null) <> (feed_id is null));
      alter table audit_entries drop constraint audit_entries_action_check;
      alter table audit_entries add constraint audit_entries_action_check
        check (action in ('created', 'updated', 'completed', 'deleted', 'reopened', 'skipped', 'feed-created', 'feed-revoked'));
      create index audit_entries_user_feed on audit_entries (user_id, feed_id, occurred_at desc, id desc) where feed_id is not null;
    `);
  },
  // Only while no feed entry exists: the table is append-only, so such rows cannot be removed to go back.
  async down(knex: Knex) {
    await knex.raw(`
      drop index audit_entries_user_feed;
      alter table audit_entries drop constraint audit_entries_action_check;
      alter table audit_entries add constraint audit_entries_action_check
        check (action in ('created', 'updated', 'completed', 'deleted', 'reopened', 'skipped'));
      alter table audit_entries drop constraint audit_entries_one_subject;
      alter table audit_entries drop column feed_id;
      alter table audit_entries alter column task_id set not null;
    `);
  },
};
