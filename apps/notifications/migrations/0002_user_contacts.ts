import type { Knex, Migration } from "@tasks/shared";

/**
 * The email address each user's access token carried on their last request (the identity provider's
 * email claim): where email reminders go when the user's preferences name no address.
 */
export const userContacts: Migration = {
  name: "0002_user_contacts",
  async up(knex: Knex) {
    await knex.raw(`
      create table user_contacts (
        user_id text primary key,
        email text not null,
        updated_at timestamptz not null default now()
      );
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`drop table user_contacts;`);
  },
};
