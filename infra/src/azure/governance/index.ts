export * from "./pod-security.js";
export * from "./reader-role.js";
