export { createTasksApp, type TasksAppDeps } from "./app.js";
export { OutboxRelay, type RelayOptions } from "./outbox.js";
export { TasksService } from "./tasks-service.js";
export { openapiDocument } from "./openapi.js";
export { migrations } from "../migrations/index.js";
