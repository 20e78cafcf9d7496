import type http from "node:http";
import { tasksInternalRoutes } from "@tasks/catalog";
import type { TaskSnapshot } from "@tasks/shared";
import { startFakeSidecar, type FakeSidecar } from "@tasks/shared/testing";

export interface StoredJob {
  readonly name: string;
  readonly spec: Record<string, unknown>;
}

export interface NotificationsSidecar extends FakeSidecar {
  /** Live jobs, as the scheduler would hold them. */
  readonly jobs: Map<string, StoredJob>;
  /** Every Jobs API call, in order: "POST name", "DELETE name"... */
  readonly jobCalls: string[];
  /** Tasks served by the tasks API's internal GET route (through invocation). */
  readonly tasks: Map<string, TaskSnapshot>;
  /** Status to answer task look-ups with instead (e.g. 503). */
  tasksStatus: number | null;
  /** Called with a job's name before its POST is answered: a job due now fires before the scheduling call returns. */
  fireOnSchedule: ((name: string) => Promise<void>) | null;
  /** Status to answer job POSTs with instead (e.g. 503), scheduling nothing. */
  jobsStatus: number | null;
}

const json = (res: http.ServerResponse, status: number, body?: unknown) =>
  body === undefined
    ? res.writeHead(status).end()
    : res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

/** The shared fake sidecar (real HTTP), extended with the Jobs API and tasks-api invocation. */
export async function startNotificationsSidecar(): Promise<NotificationsSidecar> {
  const sidecar = (await startFakeSidecar()) as NotificationsSidecar;
  Object.assign(sidecar, { jobs: new Map(), jobCalls: [], tasks: new Map(), tasksStatus: null, fireOnSchedule: null, jobsStatus: null });
  const taskPrefix = `/v1.0/invoke/tasks-api/method${tasksInternalRoutes.getTask.replace(/\*$/, "")}`;
  sidecar.onRequest = (req, res) => {
    const job = /^\/v1\.0-alpha1\/jobs\/([^/]+)$/.exec(req.path);
    if (job) {
      const name = decodeURIComponent(job[1]!);
      sidecar.jobCalls.push(`${req.method} ${name}`);
      if (req.method === "POST") {
        if (sidecar.jobsStatus !== null) return (json(res, sidecar.jobsStatus, { errorCode: "ERR_INJECTED" }), true);
        const spec = JSON.parse(req.body) as Record<string, unknown>;
        if (sidecar.jobs.has(name) && spec.overwrite !== true) return (json(res, 409, { errorCode: "ERR_JOBS_ALREADY_EXISTS" }), true);
        sidecar.jobs.set(name, { name, spec });
        const fire = sidecar.fireOnSchedule;
        if (fire) void fire(name).finally(() => json(res, 204));
        else json(res, 204);
        return true;
      }
      if (req.method === "GET") {
        const found = sidecar.jobs.get(name);
        return (found ? json(res, 200, { name, ...found.spec }) : json(res, 404, { errorCode: "ERR_JOBS_NOT_FOUND" }), true);
      }
      if (req.method === "DELETE") {
        sidecar.jobs.delete(name);
        return (json(res, 204), true);
      }
    }
    if (req.method === "GET" && req.path.startsWith(taskPrefix)) {
      if (sidecar.tasksStatus !== null) return (json(res, sidecar.tasksStatus, { title: "injected" }), true);
      const task = sidecar.tasks.get(decodeURIComponent(req.path.slice(taskPrefix.length)));
      return (task ? json(res, 200, { task }) : json(res, 404, { type: "about:blank", title: "Not Found", status: 404 }), true);
    }
    return false;
  };
  return sidecar;
}
