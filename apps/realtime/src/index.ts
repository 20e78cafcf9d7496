export { createRealtimeApp, wsPath, type RealtimeAppDeps } from "./app.js";
export { appendEvent, daprStateHistory, eventsAfter, type HistoryStore } from "./history.js";
export { Hub } from "./hub.js";
export * from "./protocol.js";
export { attachRealtime } from "./ws-server.js";
