export * from "./topics.js";
export * from "./services.js";
export * from "./dapr.js";
export * from "./secrets.js";
export * from "./metrics.js";
export * from "./validate.js";
