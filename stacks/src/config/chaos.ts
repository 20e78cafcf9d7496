import { weekdays, type ChaosWindow } from "@tasks/infra/k8s/chaos-mesh";
import { boolean, integer, oneOf, section } from "./common.js";

/**
 * Game days (config key `tasks-platform:chaos`, optional; dev only): Chaos Mesh and its experiments
 * (infra/src/k8s/chaos-mesh.ts; docs/OPERATIONS.md "Game day").
 *   enabled: deploy Chaos Mesh and the experiments;
 *   paused:  create the experiments paused (default true: nothing fires until the game day unpauses them);
 *   window:  the hour a week they run in, UTC (default Wednesday 10:00);
 *   zone:    the availability zone (1-3) whose workload pods are killed (default 1).
 */
export const chaosSection = section({
  enabled: boolean(),
  paused: boolean().optional(),
  window: section({ dayOfWeek: oneOf(weekdays), hourUtc: integer(0, 23) }).optional(),
  zone: integer(1, 3).optional(),
}).optional();

export type ChaosConfig = NonNullable<ReturnType<typeof chaosSection.parse>>;

export const defaultChaosWindow: ChaosWindow = { dayOfWeek: "Wednesday", hourUtc: 10 };

/** Chaos Mesh never runs on prod: the key is refused there, naming it. */
export function chaosProblems(environment: "dev" | "prod", chaos: ChaosConfig | undefined): string[] {
  return environment === "prod" && chaos?.enabled
    ? ["tasks-platform:chaos.enabled: expected false or unset on prod (game days run on dev: docs/OPERATIONS.md, Game day)"]
    : [];
}

/** The game-day settings the platform gets, when enabled. */
export function chaosSettings(chaos: ChaosConfig | undefined, location: string) {
  if (!chaos?.enabled) return undefined;
  return { zone: `${location}-${chaos.zone ?? 1}`, window: chaos.window ?? defaultChaosWindow, paused: chaos.paused ?? true };
}
