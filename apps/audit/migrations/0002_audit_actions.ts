import type { Knex, Migration } from "@tasks/shared";

/** Issue 19: reopening a task and skipping an occurrence are actions of their own. */
export const auditActionsReopenSkip: Migration = {
  name: "0002_audit_actions",
  async up(knex: Knex) {
    await knex.raw(`
      alter table audit_entries drop constraint audit_entries_action_check;
      alter table audit_entries add constraint audit_entries_action_check
        check (action in ('created', 'updated', 'completed', 'deleted', 'reopened', 'skipped'));
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`
      alter table audit_entries drop constraint audit_entries_action_check;
      alter table audit_entries add constraint audit_entries_action_check check (action in ('created', 'updated', 'completed', 'deleted'));
    `);
  },
};
