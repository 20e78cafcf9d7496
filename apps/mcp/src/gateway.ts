/**
 * How the mcp server reaches the platform for a user: Dapr service invocation of the callee's acting-user
 * route (catalog actingUserPath), carrying the user id the server verified. The caller's token is never
 * forwarded: the callee trusts the mcp app id (Dapr access control + the app token), not a bearer token.
 */
import { actingUserPath, type ServiceName } from "@tasks/catalog";
import { sidecarFetch, SidecarError, type SidecarOptions } from "@tasks/shared";

/** A field the callee refused (its problem+json `errors`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** The callee answered 4xx: the user's request was refused (not found, invalid fields, ...). */
export class RefusedError extends Error {
  override readonly name = "RefusedError";
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly fields: readonly FieldProblem[],
  ) {
    super(fields.length ? `${detail} ${fields.map((f) => `${f.field}: ${f.message}`).join("; ")}` : detail);
  }
}

export interface CallOptions {
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  /** Request headers for the callee, such as If-Match (Dapr invocation passes them through). */
  readonly headers?: Readonly<Record<string, string>>;
}

export type Gateway = <T>(
  app: ServiceName,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  publicPath: string,
  userId: string,
  opts?: CallOptions,
) => Promise<T>;

export function daprGateway(sidecar: SidecarOptions): Gateway {
  return async <T>(app: ServiceName, method: string, publicPath: string, userId: string, opts: CallOptions = {}): Promise<T> => {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) query.set(k, v);
    const qs = query.size ? `?${query.toString()}` : "";
    const headers = { ...opts.headers, ...(opts.body === undefined ? {} : { "content-type": "application/json" }) };
    const res = await sidecarFetch(sidecar, `/v1.0/invoke/${app}/method${actingUserPath(userId, publicPath)}${qs}`, {
      method,
      ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
      ...(Object.keys(headers).length ? { headers } : {}),
    });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (res.ok) return json as T;
    if (res.status >= 400 && res.status < 500) {
      const p = (json ?? {}) as { detail?: string; title?: string; errors?: FieldProblem[] };
      throw new RefusedError(res.status, p.detail ?? p.title ?? `HTTP ${res.status}`, Array.isArray(p.errors) ? p.errors : []);
    }
    throw new SidecarError(`${app} ${method} ${publicPath} answered HTTP ${res.status}`, res.status);
  };
}
