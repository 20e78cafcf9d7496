export * from "./aks-admins.js";
export * from "./github-deployer.js";
