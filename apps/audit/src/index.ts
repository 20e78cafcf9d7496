export { createAuditApp, auditBase, type AuditAppDeps } from "./app.js";
export { recordEvent, auditHandlers, auditActions } from "./recorder.js";
export { migrations } from "../migrations/index.js";
