/** Drives an Express app in-process (light-my-request), without listening on a port. */
import type { Express } from "express";
import inject from "light-my-request";

export interface InjectRequest {
  readonly method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
  readonly url: string;
  /** Objects are sent as JSON; strings/Buffers as is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Adds `Authorization: Bearer <token>`. */
  readonly token?: string;
}

export interface InjectResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly text: string;
  /** Parsed JSON body (undefined when not JSON). */
  readonly body: unknown;
  /** The body typed by the caller (no runtime check). */
  json<T>(): T;
}

export async function request(app: Express, req: InjectRequest): Promise<InjectResponse> {
  const headers: Record<string, string> = { ...req.headers };
  if (req.token) headers.authorization = `Bearer ${req.token}`;
  let payload: string | Buffer | undefined;
  if (typeof req.body === "string" || Buffer.isBuffer(req.body)) payload = req.body;
  else if (req.body !== undefined) {
    payload = JSON.stringify(req.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await inject(app as unknown as inject.DispatchFunc, {
    method: req.method ?? "GET",
    url: req.url,
    headers,
    ...(payload !== undefined ? { payload } : {}),
  });
  const type = String(res.headers["content-type"] ?? "");
  let body: unknown;
  if (/json/.test(type) && res.body) body = JSON.parse(res.body) as unknown;
  return { status: res.statusCode, headers: res.headers, text: res.body, body, json: <T>() => body as T };
}
