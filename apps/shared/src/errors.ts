/**
 * Typed operational errors and the one central handler that answers them as
 * application/problem+json (RFC 9457). Unexpected errors are logged with the correlation id and
 * answered with a generic 500 body.
 */
import type { NextFunction, Request, Response } from "express";
import type { z } from "zod";
import type { Logger } from "./logging.js";
import { currentCorrelation } from "./logging.js";
import { databaseRetryAfterSeconds, isTransientDatabaseError } from "./transient-db.js";

export interface FieldError {
  /** Dotted path of the invalid input, e.g. `priority`, `tags.2`, `query.limit`. */
  readonly field: string;
  readonly message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  correlationId?: string;
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: readonly FieldError[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }
}

export class ValidationError extends HttpProblem {
  constructor(errors: readonly FieldError[], detail = "The request has invalid fields.") {
    super(400, "Bad Request", detail, errors);
  }
}
export class UnauthorizedError extends HttpProblem {
  constructor(detail = "A valid bearer token is required.") {
    super(401, "Unauthorized", detail, undefined, { "WWW-Authenticate": 'Bearer realm="tasks"' });
  }
}
/** A 401 whose reason (which check failed) goes to the log at info, never into the response. */
export class TokenRefusedError extends UnauthorizedError {
  constructor(readonly reason: string) {
    super("The bearer token is invalid or expired.");
  }
}
export class ForbiddenError extends HttpProblem {
  constructor(detail = "Not allowed.") {
    super(403, "Forbidden", detail);
  }
}
export class NotFoundError extends HttpProblem {
  constructor(detail = "Not found.") {
    super(404, "Not Found", detail);
  }
}
export class ConflictError extends HttpProblem {
  constructor(detail: string) {
    super(409, "Conflict", detail);
  }
}
/** A conditional request's precondition (If-Match) does not hold: the resource changed since the client read it. */
export class PreconditionFailedError extends HttpProblem {
  constructor(detail: string, headers: Readonly<Record<string, string>> = {}) {
    super(412, "Precondition Failed", detail, undefined, headers);
  }
}
export class PayloadTooLargeError extends HttpProblem {
  constructor(detail = "The request body is too large.") {
    super(413, "Content Too Large", detail);
  }
}
/** The request could not reach a dependency for a moment: retry after `retryAfterSeconds`. */
export class ServiceUnavailableError extends HttpProblem {
  constructor(detail: string, retryAfterSeconds: number) {
    super(503, "Service Unavailable", detail, undefined, { "Retry-After": String(retryAfterSeconds) });
  }
}
export class UnsupportedMediaTypeError extends HttpProblem {
  constructor(detail = "The request body must be application/json.") {
    super(415, "Unsupported Media Type", detail);
  }
}

/** Field errors from a zod error; `prefix` names where the input came from (e.g. "query"). */
export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  const join = (path: PropertyKey[]): string => [prefix, ...path.map(String)].filter((p) => p !== undefined && p !== "").join(".");
  return error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === "unrecognized_keys") return issue.keys.map((k) => ({ field: join([...issue.path, k]), message: "Unknown field." }));
    return [{ field: join(issue.path) || prefix || "body", message: issue.message }];
  });
}

/** Parses `value` with `schema` or throws a ValidationError naming every invalid field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(fieldErrors(result.error, prefix));
  return result.data;
}

function problemFrom(err: unknown): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err;
  // The database connection failed or was cut: nothing was answered, a retry can succeed (transient-db.ts).
  if (isTransientDatabaseError(err))
    return new ServiceUnavailableError("The database is unreachable for a moment; retry the request.", databaseRetryAfterSeconds);
  // The router's decodeURIComponent of a path parameter (e.g. %ED%A0%80, not UTF-8).
  if (err instanceof URIError) return new HttpProblem(400, "Bad Request", "The URL is not valid percent-encoded UTF-8.");
  // body-parser errors carry `type` and `status` (express.json()).
  if (typeof err === "object" && err !== null && "type" in err && typeof (err as { type: unknown }).type === "string") {
    const e = err as { type: string; status?: number; limit?: number };
    switch (e.type) {
      case "entity.too.large":
        return new PayloadTooLargeError(`The request body exceeds the limit of ${e.limit ?? "?"} bytes.`);
      case "entity.parse.failed":
        return new ValidationError([{ field: "body", message: "Malformed JSON." }], "The request body is not valid JSON.");
      case "entity.verify.failed":
      case "request.aborted":
      case "request.size.invalid":
        return new HttpProblem(400, "Bad Request", "The request body could not be read.");
      case "encoding.unsupported":
      case "charset.unsupported":
        return new UnsupportedMediaTypeError("Unsupported content encoding or charset.");
      case "stream.encoding.set":
      case "stream.not.readable":
        return undefined;
    }
  }
  if (typeof err === "object" && err !== null && "status" in err) {
    const status = (err as { status: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500 && "expose" in err && (err as { expose: unknown }).expose === true) {
      return new HttpProblem(status, "Bad Request", "The request could not be processed.");
    }
  }
  return undefined;
}

/** Writes a problem+json response. */
export function sendProblem(res: Response, problem: HttpProblem, instance?: string): void {
  const body: ProblemBody = {
    type: "about:blank",
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(problem.errors ? { errors: [...problem.errors] } : {}),
  };
  const ctx = currentCorrelation();
  if (ctx) body.correlationId = ctx.correlationId;
  for (const [k, v] of Object.entries(problem.headers)) res.setHeader(k, v);
  res.status(problem.status).type("application/problem+json").send(JSON.stringify(body));
}

/** 404 for any route no router answered. Mount after all routes, before `problemHandler`. */
export function notFoundHandler() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(new NotFoundError(`No route for ${req.method} ${req.path}.`));
  };
}

/** The central error handler. Mount last. */
export function problemHandler(logger: Logger) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const problem = problemFrom(err);
    if (problem) {
      if (problem instanceof ServiceUnavailableError)
        logger.warn({ err, method: req.method, path: req.path }, "request failed: a dependency is unavailable");
      else if (problem.status >= 500) logger.error({ err }, "request failed");
      if (err instanceof TokenRefusedError) logger.info({ reason: err.reason, path: req.path }, "auth: token refused");
      sendProblem(res, problem, req.originalUrl.split("?")[0]);
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, "unexpected error");
    sendProblem(res, new HttpProblem(500, "Internal Server Error", "An unexpected error occurred."));
  };
}
