export * from "./rule/index.js";
export { createRecurrenceApp, type RecurrenceAppDeps } from "./app.js";
export { completedHandler, planNext, type NextStep } from "./completed-handler.js";
export { occurrenceClient, OccurrenceRejected, OccurrenceUnavailable, SeriesEnded, type OccurrenceClient } from "./occurrence-client.js";
