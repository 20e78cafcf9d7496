/**
 * The provider's test users: username (the token's `sub`), password, email. `npm run dev` and the tests
 * add users as they need them; the local stack reads them from a mounted file.
 */
import { timingSafeEqual } from "node:crypto";

export interface TestUser {
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly name?: string;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

export class UserDirectory {
  readonly #users = new Map<string, TestUser>();

  constructor(users: readonly TestUser[] = []) {
    for (const u of users) this.add(u);
  }

  /** Adds or replaces a user; usernames are letters, digits, `.`, `_`, `@` and `-`, passwords 8+ characters. */
  add(user: TestUser): TestUser {
    if (!USERNAME.test(user.username)) throw new Error(`local-idp: bad username "${user.username}"`);
    if (user.password.length < 8) throw new Error(`local-idp: the password of ${user.username} is shorter than 8 characters`);
    this.#users.set(user.username, user);
    return user;
  }

  get(username: string): TestUser | undefined {
    return this.#users.get(username);
  }

  /** The user whose password matches, compared in constant time. */
  check(username: string, password: string): TestUser | undefined {
    const user = this.#users.get(username);
    if (!user) return undefined;
    const [a, b] = [Buffer.from(user.password), Buffer.from(password)];
    return a.length === b.length && timingSafeEqual(a, b) ? user : undefined;
  }

  get size(): number {
    return this.#users.size;
  }
}

/** Reads `[{username, password, email, name?}]` (the local stack's mounted file). */
export function parseUsers(json: string): TestUser[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) throw new Error("local-idp: the users file must hold a JSON list");
  return data.map((u: unknown, i) => {
    const o = (u ?? {}) as Record<string, unknown>;
    for (const k of ["username", "password", "email"]) {
      if (typeof o[k] !== "string" || !o[k]) throw new Error(`local-idp: users[${i}].${k} must be a non-empty string`);
    }
    return {
      username: o.username as string,
      password: o.password as string,
      email: o.email as string,
      ...(typeof o.name === "string" ? { name: o.name } : {}),
    };
  });
}
