export * from "./naming.js";
export * from "./azure/index.js";
