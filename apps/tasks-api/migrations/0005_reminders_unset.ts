import type { Knex, Migration } from "@tasks/shared";

/**
 * `reminders` becomes nullable so "not set" (null: the user's default reminders apply) and "none"
 * ('{}': no reminder) can be told apart. Until now the column defaulted to '{}' and an empty list
 * meant "use the default", so existing empty lists become null: their behaviour does not change.
 */
export const remindersUnset: Migration = {
  name: "0005_reminders_unset",
  async up(knex: Knex) {
    await knex.raw(`
      alter table tasks alter column reminders drop not null, alter column reminders drop default;
      update tasks set reminders = null where reminders = '{}';
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`
      update tasks set reminders = '{}' where reminders is null;
      alter table tasks alter column reminders set default '{}', alter column reminders set not null;
    `);
  },
};
