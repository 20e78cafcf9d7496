import { tasksInternalRoutes } from "@tasks/catalog";
import { internalTaskResponseSchema, sidecarFetch, SidecarError, type SidecarOptions, type TaskSnapshot } from "@tasks/shared";

export interface TasksClient {
  /** The task, or undefined when the tasks API says it does not exist. */
  get(taskId: string): Promise<TaskSnapshot | undefined>;
}

/** `GET /v1.0/invoke/tasks-api/method/internal/tasks/<id>` (catalog tasksInternalRoutes.getTask). */
export function tasksClient(sidecar: SidecarOptions): TasksClient {
  const base = tasksInternalRoutes.getTask.replace(/\/\*$/, "");
  return {
    async get(taskId) {
      const res = await sidecarFetch(sidecar, `/v1.0/invoke/tasks-api/method${base}/${encodeURIComponent(taskId)}`);
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok) {
        const text = await res.text().catch(() => "");
        throw new SidecarError(`tasks-api GET task ${taskId} answered HTTP ${res.status}: ${text.slice(0, 200)}`, res.status);
      }
      const parsed = internalTaskResponseSchema.safeParse(await res.json());
      if (!parsed.success) throw new SidecarError(`tasks-api GET task ${taskId} answered an unexpected body`);
      return parsed.data.task;
    },
  };
}
