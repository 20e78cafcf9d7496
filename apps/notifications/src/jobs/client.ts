import { sidecarFetch, SidecarError, type SidecarOptions } from "@tasks/shared";

/**
 * Client for the Dapr Jobs HTTP API (`/v1.0-alpha1/jobs/{name}`); the JS SDK 3.18 has none
 * (dapr/js-sdk#805). Field names follow daprd's JobHTTPRequest (protojson).
 */
export interface JobSpec {
  /** RFC 3339 instant (or Go duration) of a one-shot job. */
  readonly dueTime?: string;
  /** Cron / @every schedule for repeating jobs. */
  readonly schedule?: string;
  readonly repeats?: number;
  readonly ttl?: string;
  readonly data?: unknown;
  /** Replace a job of the same name instead of failing. */
  readonly overwrite?: boolean;
  /** Retries when the app's callback fails (non-2xx). */
  readonly failurePolicy?:
    { readonly constant: { readonly interval: string; readonly maxRetries?: number } } | { readonly drop: Record<string, never> };
}

export interface JobsClient {
  schedule(name: string, spec: JobSpec): Promise<void>;
  /** The job, or undefined when none has that name. */
  get(name: string): Promise<(JobSpec & { readonly name: string }) | undefined>;
  /** Deletes the job; a missing job is not an error. */
  delete(name: string): Promise<void>;
}

export class JobsApiError extends SidecarError {}

export function jobsClient(sidecar: SidecarOptions, apiVersion: "v1.0-alpha1" | "v1.0" = "v1.0-alpha1"): JobsClient {
  const path = (name: string) => `/${apiVersion}/jobs/${encodeURIComponent(name)}`;
  const fail = async (what: string, name: string, res: Response): Promise<never> => {
    const text = await res.text().catch(() => "");
    throw new JobsApiError(`Jobs API ${what} "${name}" failed: HTTP ${res.status} ${text.slice(0, 300)}`, res.status);
  };
  return {
    async schedule(name, spec) {
      const res = await sidecarFetch(sidecar, path(name), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(spec),
      });
      if (!res.ok) return fail("schedule", name, res);
      await res.body?.cancel();
    },
    async get(name) {
      const res = await sidecarFetch(sidecar, path(name));
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok) return fail("get", name, res);
      return (await res.json()) as JobSpec & { name: string };
    },
    async delete(name) {
      const res = await sidecarFetch(sidecar, path(name), { method: "DELETE" });
      if (!res.ok && res.status !== 404) return fail("delete", name, res);
      await res.body?.cancel();
    },
  };
}
