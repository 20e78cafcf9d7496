import { tasksInternalRoutes } from "@tasks/catalog";
import {
  createOccurrenceResponseSchema,
  sidecarFetch,
  type CreateOccurrenceRequest,
  type CreateOccurrenceResponse,
  type SidecarOptions,
} from "@tasks/shared";

/** The tasks API refused the request for good (4xx other than 408/429): retrying cannot help. */
export class OccurrenceRejected extends Error {
  override readonly name = "OccurrenceRejected";
}

/** The series was ended (410): no further occurrences, nothing to retry. */
export class SeriesEnded extends Error {
  override readonly name = "SeriesEnded";
}

/** The call failed in a way a retry may fix (network, sidecar, 5xx, 408, 429). */
export class OccurrenceUnavailable extends Error {
  override readonly name = "OccurrenceUnavailable";
}

export interface OccurrenceClient {
  create(req: CreateOccurrenceRequest, idempotencyKey: string, traceparent?: string): Promise<CreateOccurrenceResponse>;
}

/**
 * Creates occurrences through Dapr service invocation of the tasks API
 * (`POST /v1.0/invoke/tasks-api/method/internal/occurrences`). The tasks API is idempotent per
 * (series, occurrence time); the `idempotency-key` header states the same key for its logs.
 */
export function occurrenceClient(sidecar: SidecarOptions): OccurrenceClient {
  const path = `/v1.0/invoke/tasks-api/method${tasksInternalRoutes.createOccurrence}`;
  return {
    async create(req, idempotencyKey, traceparent) {
      let res: Response;
      try {
        res = await sidecarFetch(sidecar, path, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": idempotencyKey, ...(traceparent ? { traceparent } : {}) },
          body: JSON.stringify(req),
        });
      } catch (err) {
        throw new OccurrenceUnavailable(err instanceof Error ? err.message : String(err));
      }
      const text = await res.text();
      if (res.status === 200 || res.status === 201) {
        const parsed = createOccurrenceResponseSchema.safeParse(JSON.parse(text));
        if (!parsed.success) throw new OccurrenceUnavailable(`tasks-api answered ${res.status} with an unexpected body`);
        return parsed.data;
      }
      const detail = `tasks-api answered HTTP ${res.status}: ${text.slice(0, 300)}`;
      if (res.status === 410) throw new SeriesEnded(detail);
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) throw new OccurrenceRejected(detail);
      throw new OccurrenceUnavailable(detail);
    },
  };
}
