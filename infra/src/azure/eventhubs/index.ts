export * from "./limits.js";
export * from "./namespace.js";
