export * from "./aks-admins.js";
export * from "./github-deployer.js";
export * from "./tasks-api-registration.js";
export * from "./graph-app-role.js";
export * from "./mcp-registration.js";
