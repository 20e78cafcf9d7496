/**
 * Sidecar-to-app authentication with Dapr's app API token (catalog `daprAppToken`): daprd sends the
 * token as `dapr-api-token` on every call to its app, so a request to a Dapr route without it did not
 * come from the sidecar and is refused — whoever else reaches the app port (another pod, a local
 * process) can no longer post deliveries, trigger jobs or call /internal routes. The token is read
 * once at start-up from a file (a mounted Secret on Kubernetes, a 0600 file under `npm run dev`),
 * never from an environment variable of the app.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { daprAppToken } from "@tasks/catalog";
import type { NextFunction, Request, Response } from "express";
import { HttpProblem } from "./errors.js";

/** Shortest token accepted (the stacks generate 48 characters). */
export const minAppTokenLength = 32;

export class AppTokenError extends Error {
  override readonly name = "AppTokenError";
}

/** Reads a token from `file`; throws AppTokenError naming `what` and the file when it is missing or too short. */
export function readTokenFile(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new AppTokenError(`${what}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  const token = text.trim();
  if (token.length < minAppTokenLength) throw new AppTokenError(`${what}: ${file} holds fewer than ${minAppTokenLength} characters`);
  return token;
}

/** Dapr's app API token (what the sidecar sends to the app). */
export const readAppToken = (file: string): string => readTokenFile(file, "Dapr app token");

/** Dapr's API token (what the app sends to its sidecar). */
export const readApiToken = (file: string): string => readTokenFile(file, "Dapr API token");

const digest = (s: string): Buffer => createHash("sha256").update(s).digest();

/** Whether `presented` is the token, compared in constant time. */
export function isAppToken(token: string, presented: string | undefined): boolean {
  return presented !== undefined && timingSafeEqual(digest(token), digest(presented));
}

export class SidecarOnlyError extends HttpProblem {
  constructor() {
    super(401, "Unauthorized", "Only the Dapr sidecar may call this route.", undefined, { "WWW-Authenticate": `${daprAppToken.header}` });
  }
}

/** Express middleware: 401 problem+json unless the request carries the app token in `dapr-api-token`. */
export function requireDaprAppToken(token: string) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!isAppToken(token, req.get(daprAppToken.header))) throw new SidecarOnlyError();
    next();
  };
}
