import type { Knex, Migration } from "@tasks/shared";

/**
 * Issue 19: reminder defaults, per-minute email digests and snooze.
 * - preferences: a user's default reminder is one hour before the due time. Until now the column had no
 *   default and null was the only state a saved row could have had, so null rows become 60 (a user who
 *   wants none sets null again; that is now an explicit choice).
 * - reminders.kind: 'snooze' rows are one-shot reminders made by snoozing a notification
 *   (job `snooze-<notification id>`); task updates never prune them.
 * - deliveries: an email is first 'queued' in its user's minute (`bucket`); one email per user and
 *   minute lists every queued reminder of it. `digests` records the fallback job of a minute whose
 *   reminders did not all arrive together (scheduled once).
 */
export const reminderDefaultsDigestsSnooze: Migration = {
  name: "0003_reminder_defaults_digests_snooze",
  async up(knex: Knex) {
    await knex.raw(`
      alter table preferences alter column default_reminder_minutes set default 60;
      update preferences set default_reminder_minutes = 60 where default_reminder_minutes is null;

      alter table reminders add column kind text not null default 'reminder' check (kind in ('reminder', 'snooze'));
      create index reminders_user_scheduled on reminders (user_id, scheduled_for) where state in ('scheduled', 'deferred');

      alter table deliveries drop constraint deliveries_status_check;
      alter table deliveries add constraint deliveries_status_check
        check (status in ('queued', 'sending', 'sent', 'retry', 'failed', 'skipped'));
      alter table deliveries add column bucket timestamptz;
      create index deliveries_email_bucket on deliveries (user_id, bucket) where channel = 'email' and status in ('queued', 'retry');

      create table digests (
        user_id text not null,
        bucket timestamptz not null,
        job_name text not null unique,
        created_at timestamptz not null default now(),
        primary key (user_id, bucket)
      );
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`
      drop table digests;
      drop index deliveries_email_bucket;
      alter table deliveries drop column bucket;
      delete from deliveries where status = 'queued';
      alter table deliveries drop constraint deliveries_status_check;
      alter table deliveries add constraint deliveries_status_check check (status in ('sending', 'sent', 'retry', 'failed', 'skipped'));
      drop index reminders_user_scheduled;
      delete from reminders where kind = 'snooze';
      alter table reminders drop column kind;
      alter table preferences alter column default_reminder_minutes drop default;
    `);
  },
};
