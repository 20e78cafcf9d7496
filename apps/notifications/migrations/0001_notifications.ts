import type { Knex, Migration } from "@tasks/shared";

/**
 * Reminder schedule (one row per Dapr job), per-channel deliveries (at most once: the primary key
 * is the reminder, its intended time and the channel), in-app notifications and their archive,
 * preferences and Web Push subscriptions.
 */
export const notificationsSchema: Migration = {
  name: "0001_notifications",
  async up(knex: Knex) {
    await knex.raw(`
      create table reminders (
        job_name text primary key,
        task_id uuid not null,
        user_id text not null,
        offset_minutes integer not null check (offset_minutes >= 0),
        remind_at timestamptz not null,
        due_at timestamptz not null,
        task_title text not null,
        task_version integer not null,
        state text not null check (state in ('scheduled', 'deferred', 'delivered', 'skipped', 'cancelled', 'missed')),
        deferrals integer not null default 0,
        scheduled_for timestamptz not null,
        updated_at timestamptz not null default now()
      );
      create index reminders_task on reminders (task_id);

      create table deliveries (
        reminder text not null,
        remind_at timestamptz not null,
        channel text not null check (channel in ('email', 'inapp', 'push')),
        user_id text not null,
        task_id uuid not null,
        status text not null check (status in ('sending', 'sent', 'retry', 'failed', 'skipped')),
        attempts integer not null default 0,
        detail text,
        updated_at timestamptz not null default now(),
        primary key (reminder, remind_at, channel)
      );

      create table notifications (
        id uuid primary key,
        user_id text not null,
        task_id uuid,
        reminder text,
        remind_at timestamptz,
        title text not null,
        body text not null,
        created_at timestamptz not null default now(),
        read_at timestamptz
      );
      create index notifications_user_created on notifications (user_id, created_at desc, id desc);
      create index notifications_user_unread on notifications (user_id) where read_at is null;
      create unique index notifications_reminder on notifications (reminder, remind_at) where reminder is not null;
      create index notifications_created on notifications (created_at);

      create table notifications_archive (
        like notifications,
        archived_at timestamptz not null default now(),
        primary key (id)
      );

      create table preferences (
        user_id text primary key,
        email_enabled boolean not null default true,
        inapp_enabled boolean not null default true,
        push_enabled boolean not null default true,
        reminders_enabled boolean not null default true,
        quiet_start text,
        quiet_end text,
        time_zone text not null default 'UTC',
        default_reminder_minutes integer check (default_reminder_minutes >= 0),
        email text,
        updated_at timestamptz not null default now(),
        check ((quiet_start is null) = (quiet_end is null))
      );

      create table push_subscriptions (
        id uuid primary key,
        user_id text not null,
        endpoint text not null,
        p256dh text not null,
        auth text not null,
        created_at timestamptz not null default now(),
        unique (user_id, endpoint)
      );
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`drop table push_subscriptions, preferences, notifications_archive, notifications, deliveries, reminders;`);
  },
};
