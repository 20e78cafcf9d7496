export * from "./registry.js";
export * from "./access.js";
