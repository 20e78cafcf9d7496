import type { Knex, Migration } from "@tasks/shared";

/**
 * Secret calendar feed URLs, one row per live feed. Only the SHA-256 of the token is stored (the token
 * itself is shown once, at creation); revoking deletes the row, so the next fetch of that URL is a 404.
 * The token has 256 random bits, so an unsalted fast hash is enough: there is nothing to brute-force.
 */
export const calendarFeedsTable: Migration = {
  name: "0004_calendar_feeds",
  async up(knex: Knex) {
    await knex.raw(`
      create table calendar_feeds (
        id uuid primary key,
        user_id text not null,
        name text not null,
        token_hash bytea not null unique check (octet_length(token_hash) = 32),
        created_at timestamptz not null,
        last_fetched_at timestamptz
      );
      create index calendar_feeds_user on calendar_feeds (user_id, created_at desc, id);
    `);
  },
  async down(knex: Knex) {
    await knex.raw(`drop table calendar_feeds;`);
  },
};
