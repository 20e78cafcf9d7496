/**
 * The address from the user's token (the identity provider's email claim), remembered on their requests:
 * the default destination of email reminders when preferences name none.
 */
import type { Knex } from "@tasks/shared";

/** Upserts the user's token email; a process-wide memo skips the write while it is unchanged. */
export function contactRecorder(db: Knex, memo = new Map<string, string>()) {
  return async (userId: string, email: string | undefined): Promise<void> => {
    if (email === undefined || memo.get(userId) === email) return;
    await db("user_contacts")
      .insert({ user_id: userId, email, updated_at: db.fn.now() })
      .onConflict("user_id")
      .merge(["email", "updated_at"]);
    if (memo.size >= 50_000) memo.clear();
    memo.set(userId, email);
  };
}

export async function tokenEmailOf(db: Knex, userId: string): Promise<string | null> {
  const row = (await db("user_contacts").where({ user_id: userId }).first("email")) as { email: string } | undefined;
  return row?.email ?? null;
}
