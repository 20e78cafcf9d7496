export * from "./redpanda.js";
export * from "./postgres.js";
export * from "./topics.js";
export * from "./secrets.js";
export * from "./identity-provider.js";
