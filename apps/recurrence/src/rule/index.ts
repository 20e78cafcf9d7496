export * from "@tasks/shared/recurrence/index";
export { continuationRule } from "./continuation.js";
