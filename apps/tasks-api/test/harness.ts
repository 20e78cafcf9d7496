/** Per-file test harness: a private database, migrated, and the app driven in-process. */
import { createDatabase, createLogger, createRegistry, migrateLatest, type Knex, type SidecarOptions } from "@tasks/shared";
import {
  createTestDatabase,
  request,
  signTestToken,
  testJwtKey,
  type InjectRequest,
  type InjectResponse,
  type TestDatabase,
  testAppToken,
} from "@tasks/shared/testing";
import type { Express } from "express";
import { migrations } from "../migrations/index.js";
import { createTasksApp } from "../src/app.js";
import type { TasksService } from "../src/tasks-service.js";

export interface Harness {
  readonly db: TestDatabase;
  readonly knex: Knex;
  readonly app: Express;
  readonly service: TasksService;
  /** Calls the app as `user`. */
  as(user: string, req: InjectRequest): Promise<InjectResponse>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { onEventsWritten?: () => void; feedRequestsPerMinute?: number; sidecar?: SidecarOptions } = {},
): Promise<Harness> {
  const db = await createTestDatabase("tasks");
  const knex = createDatabase({ connectionString: db.url, poolMin: 0, poolMax: 5 });
  await migrateLatest(knex, migrations);
  const { app, service } = createTasksApp({
    db: knex,
    logger: createLogger({ service: "tasks-api", level: "silent" }),
    registry: createRegistry("tasks-api"),
    auth: { hs256Key: testJwtKey },
    daprAppToken: testAppToken,
    ...(opts.onEventsWritten ? { onEventsWritten: opts.onEventsWritten } : {}),
    ...(opts.feedRequestsPerMinute !== undefined ? { feedRequestsPerMinute: opts.feedRequestsPerMinute } : {}),
    ...(opts.sidecar ? { sidecar: opts.sidecar } : {}),
  });
  const tokens = new Map<string, string>();
  return {
    db,
    knex,
    app,
    service,
    async as(user, req) {
      let token = tokens.get(user);
      if (!token) tokens.set(user, (token = await signTestToken(user)));
      return request(app, { ...req, token });
    },
    async close() {
      await knex.destroy();
      await db.drop();
    },
  };
}

export interface ProblemJson {
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export const fieldsOf = (res: InjectResponse): string[] => (res.json<ProblemJson>().errors ?? []).map((e) => e.field).sort();
